"""``python -m sandbox front|mode [...]``: serve a simulated API until SIGINT or SIGTERM.

The first line on stdout is the base URL, so scripts can read it and go.
"""
import argparse
import signal
import sys
import threading

from . import APP_NAMES, SCALES, make_app
from .faults import FaultSpecError
from .server import SandboxServer


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m sandbox",
                                     description="Serve a simulated Front or Mode API.")
    parser.add_argument("app", choices=APP_NAMES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--rpm", type=int, default=None, help="requests per minute (no limit)")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--jitter-ms", type=float, default=0)
    parser.add_argument("--faults", default="", help="fault spec, see sandbox/README.md")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        app = make_app(args.app, seed=args.seed, scale=args.scale)
        server = SandboxServer(app, host=args.host, port=args.port, rpm=args.rpm,
                               latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
                               faults=args.faults, seed=args.seed)
    except (ValueError, FaultSpecError, OSError) as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(server.base_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
