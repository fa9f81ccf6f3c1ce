"""`python -m benchmarks [--profile full|smoke] [--only NAME ...] [--tap front|mode]`: run the
suite against the sandbox, print the table and write benchmarks/results.json."""
import argparse
import sys

from . import report, suite
from .profiles import PROFILES


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument("--only", nargs="+", choices=list(suite.BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--tap", action="append", choices=("front", "mode"), help="only this tap (repeatable)")
    parser.add_argument("--output", default=report.RESULTS_PATH, help="where the JSON results go")
    parser.add_argument("--workdir", help="keep each run's config, output and stderr here (default: a temporary folder)")
    args = parser.parse_args(argv)
    results = suite.run(PROFILES[args.profile], only=args.only, taps=tuple(args.tap or ("front", "mode")),
                        workdir=args.workdir)
    report.write(results, args.output)
    report.print_table(results)
    print("\nresults written to {}".format(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
