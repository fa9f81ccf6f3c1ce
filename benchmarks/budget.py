"""Rate-limit use: how much of a 600 requests/minute budget (50 ms latency) a full sync
achieves without the sandbox refusing it anything, and whether it still completes with the
truth as output when a second client spends half of that budget.

Front announces its budget in `x-ratelimit-*` headers and the tap paces itself from them,
with no setting. Mode announces nothing, so tap-mode is told the budget
(`max_requests_per_minute`), as its users must; under contention it keeps that setting and
has to cope with the 429s the shared bucket then answers."""
import os
import re

from .competitor import Competitor
from .measure import figure, summarize
from .taps import read_records, run_sync
from .truthcheck import problems

USE_GOAL = 0.90


def _tap_config(kind, server, rpm):
    extra = {"max_requests_per_minute": rpm} if kind.name == "mode" else {}
    return kind.config(server, **extra)


def refusals(stats):
    """Where the sandbox refused requests: {endpoint: {"rate_limited": n, "burst_limited": n}}."""
    return {name: {"rate_limited": e["rate_limited"], "burst_limited": e["burst_limited"]}
            for name, e in sorted(stats["endpoints"].items()) if e["rate_limited"]}


def solo(kind, profile, workdir):
    rpm = profile.budget_rpm
    shares, notes, refused, details = [], [], 0, {}
    for index in range(profile.budget_runs):
        server = kind.start_sandbox(profile.budget_scales[kind.name], rpm=rpm,
                                    latency_ms=profile.budget_latency_ms, **profile.budget_options)
        try:
            run = run_sync(kind, os.path.join(workdir, "run{}".format(index + 1)), _tap_config(kind, server, rpm)).check()
            stats = server.stats()
        finally:
            server.stop()
        achieved = stats["total"] / run.seconds * 60.0
        shares.append(achieved / rpm * 100)
        refused += stats["rate_limited"]
        notes.append("{} requests in {:.1f} s = {:.0f} rpm".format(stats["total"], run.seconds, achieved))
        details = dict(refusals=refusals(stats), stream_seconds=stream_seconds(run.stream_summaries))
    met = summarize(shares)["median"] >= USE_GOAL * 100 and refused == 0
    return dict(figure("rate-limit use ({} rpm, {} ms, {})".format(rpm, profile.budget_latency_ms,
                                                                  profile.budget_scales[kind.name]),
                       shares, "% of budget", ">= {:g}%, no 429".format(USE_GOAL * 100), met,
                       "{}; {} refused (429)".format("; ".join(notes), refused)), **details)


def contended(kind, profile, workdir):
    rpm = profile.budget_rpm
    server = kind.start_sandbox(profile.contention_scale, rpm=rpm, latency_ms=profile.budget_latency_ms,
                                **profile.budget_options)
    competitor = Competitor(kind.name, server.base_url, rpm / 2.0)
    try:
        competitor.start()
        try:
            run = run_sync(kind, workdir, _tap_config(kind, server, rpm))
        finally:
            competitor.stop()
        stats = server.stats()
        found = problems(kind, read_records(run.stdout_path), server.truth()) if run.code == 0 else [
            "tap exited with {}: {}".format(run.code, run.stderr_tail[-300:])]
    finally:
        server.stop()
    theirs = set(competitor.templates)
    tap_requests = sum(e["requests"] for name, e in stats["endpoints"].items() if name not in theirs)
    tap_refused = sum(e["rate_limited"] for name, e in stats["endpoints"].items() if name not in theirs)
    return dict(figure("half the budget used by another client ({})".format(profile.contention_scale),
                  [run.seconds], "s", "completes, output = truth", not found,
                  "{}; tap {} requests ({:.0f} rpm), {} refused; other client {} sent, {} refused".format(
                      "output equals the truth" if not found else "; ".join(found[:3]),
                      tap_requests, tap_requests / run.seconds * 60.0, tap_refused,
                      competitor.sent, competitor.refused)), refusals=refusals(stats))


def stream_seconds(summaries):
    """Seconds per stream tree from the engine's lines "stream X done: ... (N requests ..., S s)"."""
    found = {}
    for line in summaries:
        match = re.search(r"stream (\w+) done: .*, ([0-9.]+) s\)$", line)
        if match:
            found[match.group(1)] = float(match.group(2))
    return found


def run(kind, profile, workdir):
    return {"figures": [solo(kind, profile, os.path.join(workdir, "solo")),
                        contended(kind, profile, os.path.join(workdir, "contended"))]}
