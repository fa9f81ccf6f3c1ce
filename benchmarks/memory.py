"""Peak memory of a full sync at a small and a large scale, measured on the tap's own process
(VmHWM, see tap_process.py), zero latency and no rate limit. The small runs double as the end
to end throughput figure: records per second of the whole process, start-up included."""
import os

from .measure import figure, summarize
from .taps import run_sync

GOAL_MB = 20.0


def _syncs(kind, scale, runs, workdir):
    out = []
    for index in range(runs):
        server = kind.start_sandbox(scale)
        try:
            # tap-mode's own 1000 requests/minute ceiling is Mode's, not the sandbox's.
            out.append(run_sync(kind, os.path.join(workdir, "{}-{}".format(scale, index + 1)),
                                kind.config(server), lift_mode_ceiling=True).check())
        finally:
            server.stop()
    return out


def run(kind, profile, workdir):
    small = _syncs(kind, profile.memory_small, profile.memory_small_runs, workdir)
    large = _syncs(kind, profile.memory_large, profile.memory_large_runs, workdir)
    small_mb = summarize(r.peak_rss_mb for r in small)
    large_mb = summarize(r.peak_rss_mb for r in large)
    difference = {"median": large_mb["median"] - small_mb["median"], "min": large_mb["min"] - small_mb["max"],
                  "max": large_mb["max"] - small_mb["min"], "runs": min(small_mb["runs"], large_mb["runs"])}
    rates = [r.total_records / r.seconds for r in small]
    names = profile.memory_small, profile.memory_large
    return {
        "figures": [
            figure("peak RSS, {}".format(names[0]), small_mb, "MB"),
            figure("peak RSS, {}".format(names[1]), large_mb, "MB",
                   note="{} records in {:.0f} s".format(large[0].total_records, large[0].seconds)),
            figure("peak RSS, {} - {}".format(*reversed(names)), difference, "MB", "< {:g} MB".format(GOAL_MB),
                   difference["median"] < GOAL_MB),
            figure("end to end, full sync ({})".format(names[0]), rates, "records/s",
                   note="zero latency, no budget; {} records a run".format(small[0].total_records)),
        ],
        "details": {"large_records_per_second": [r.total_records / r.seconds for r in large]},
    }
