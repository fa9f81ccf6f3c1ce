from tap_front import main

main()
