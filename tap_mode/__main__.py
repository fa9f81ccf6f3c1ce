from tap_mode import main

main()
