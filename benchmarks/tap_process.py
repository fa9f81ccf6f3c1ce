"""Entry point of a tap process under benchmark: runs the tap's CLI and, on exit, writes the
process's own peak memory to a file.

    python -m benchmarks.tap_process tap_front|tap_mode [--peak-file P] [--no-mode-ceiling] -- ARGS

Peak memory is VmHWM from /proc/self/status: it belongs to this program's address space
alone. `getrusage` is not used where /proc exists, because on Linux its `ru_maxrss` keeps
the high-water mark of the address space the process had before exec, i.e. the parent's: a
benchmark driver holding a `large` sandbox would be charged to the tap.
"""
import argparse
import atexit
import importlib
import json
import sys

TAPS = {"tap_front": "FrontTap", "tap_mode": "ModeTap"}


def peak_rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0   # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _write_peak(path):
    with open(path, "w") as out:
        json.dump({"peak_rss_mb": peak_rss_mb()}, out)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tap_process")
    parser.add_argument("module", choices=sorted(TAPS))
    parser.add_argument("--peak-file")
    parser.add_argument("--no-mode-ceiling", action="store_true",
                        help="lift tap-mode's built-in 1000 requests/minute ceiling (Mode's, not the sandbox's)")
    args = parser.parse_args(argv[:split])
    if args.no_mode_ceiling:
        from tap_mode.client import ModeClient
        ModeClient.RATE_CEILING = None
    if args.peak_file:
        atexit.register(_write_peak, args.peak_file)
    tap_cls = getattr(importlib.import_module(args.module + ".tap"), TAPS[args.module])
    from tap_engine.cli import main as tap_main
    return tap_main(tap_cls, argv[split + 1:])


if __name__ == "__main__":
    sys.exit(main())
