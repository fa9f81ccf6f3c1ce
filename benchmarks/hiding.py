"""Latency hiding (Mode): with 300 ms per request and a 240 requests/minute budget, a tap that
sent one request at a time would manage 200 a minute; the budget allows 240. The bound is
the budget's: requests / (rpm / 60) seconds. The tap is told the budget, as Mode users must."""
import os

from .measure import figure, summarize
from .taps import MODE, run_sync

GOAL = 1.15


def run(kind, profile, workdir):
    if kind is not MODE:
        return {"figures": []}
    rpm = profile.hiding_rpm
    ratios, notes = [], []
    for index in range(profile.hiding_runs):
        server = kind.start_sandbox(profile.hiding_scale, rpm=rpm, latency_ms=profile.hiding_latency_ms)
        try:
            config = kind.config(server, max_requests_per_minute=rpm)
            run_ = run_sync(kind, os.path.join(workdir, "run{}".format(index + 1)), config).check()
            stats = server.stats()
        finally:
            server.stop()
        bound = stats["total"] / (rpm / 60.0)
        ratios.append(run_.seconds / bound)
        notes.append("{} requests, {:.1f} s for a bound of {:.1f} s, {} refused".format(
            stats["total"], run_.seconds, bound, stats["rate_limited"]))
    median = summarize(ratios)["median"]
    return {"figures": [figure("latency hiding ({} ms, {} rpm, {})".format(
        profile.hiding_latency_ms, rpm, profile.hiding_scale), ratios, "x bound", "<= {}".format(GOAL),
        median <= GOAL, "; ".join(notes))]}
