"""Request efficiency and incremental cost.

A full sync of every stream, at zero latency and with no rate limit, counted by the sandbox
and compared with the minimum computed from its truth (minimum_front/minimum_mode). Then,
several times: mutate 1% of the records (counting every record the mutation touched), sync
again from the full sync's last STATE, and compare that run's requests with the full sync's."""
import os

from . import minimum_front, minimum_mode
from .measure import figure, summarize
from .taps import run_sync

MINIMUM = {"front": minimum_front, "mode": minimum_mode}
EFFICIENCY_GOAL = 1.05
INCREMENTAL_GOAL = 0.05


def mutate_share(server, share, records):
    """Mutate until `share` of `records` have changed; a mutation touches several records at
    once (a new message is also an event and a changed conversation), so changed records are
    counted from what the sandbox reports, each id once per stream."""
    target = max(1, round(share * records))
    changed = {}

    def count():
        return sum(len(ids) for ids in changed.values())

    while count() < target:
        for stream, ids in server.mutate(max(1, (target - count()) // 3)).items():
            changed.setdefault(stream, set()).update(ids)
    return {stream: len(ids) for stream, ids in changed.items()}


def run(kind, profile, workdir):
    server = kind.start_sandbox(profile.efficiency_scale)
    try:
        minimum = MINIMUM[kind.name].for_server(server)
        config = kind.config(server)
        catalog = kind.catalog(config)
        # Mode's built-in 1000 requests/minute ceiling would make this a pacing benchmark.
        lift = kind.name == "mode"
        full = run_sync(kind, os.path.join(workdir, "full"), config, catalog, lift_mode_ceiling=lift).check()
        stats = server.stats()
    finally:
        server.stop()
    issued, needed = stats["total"], sum(minimum.values())
    shares, details = [], []
    for index in range(profile.incremental_runs):
        # Each repeat is its own "full sync, 1% changes, next run": a fresh sandbox with the
        # same anchor holds the same data as the full sync saw. Chained runs would each re-read
        # the previous run's changes within the taps' overlap (Front: 60 s), which only happens
        # when runs are seconds apart.
        again_server = kind.start_sandbox(profile.efficiency_scale, anchor=server.anchor)
        try:
            changed = mutate_share(again_server, 0.01, full.total_records)
            again = run_sync(kind, os.path.join(workdir, "incremental{}".format(index + 1)),
                             dict(config, base_url=again_server.base_url), catalog, state=full.state,
                             lift_mode_ceiling=lift).check()
            again_stats = again_server.stats()
        finally:
            again_server.stop()
        shares.append(again_stats["total"] / issued)
        details.append({"changed_records": sum(changed.values()), "changed": changed,
                        "requests": again_stats["total"], "records": again.total_records,
                        "per_endpoint": _per_endpoint(again_stats)})
    scale = profile.efficiency_scale
    return {
        "figures": [
            figure("request efficiency ({}, requests / minimum)".format(scale), [issued / needed], "x",
                   "<= {}".format(EFFICIENCY_GOAL), issued / needed <= EFFICIENCY_GOAL,
                   "{} requests, minimum {}".format(issued, needed)),
            figure("incremental cost (1% mutated, share of full)", [s * 100 for s in shares], "%",
                   "< {:g}%".format(INCREMENTAL_GOAL * 100), summarize(shares)["median"] < INCREMENTAL_GOAL,
                   "requests {}".format("/".join(str(d["requests"]) for d in details))),
            figure("end to end, full sync ({})".format(scale), [full.total_records / full.seconds], "records/s",
                   note="{} records in {:.1f} s, zero latency, no budget".format(full.total_records, full.seconds)),
        ],
        "details": {
            "scale": scale, "full_sync": {"requests": issued, "records": full.total_records,
                                          "seconds": round(full.seconds, 2), "rate_limited": stats["rate_limited"],
                                          "per_endpoint": _per_endpoint(stats)},
            "minimum": {"requests": needed, "per_endpoint": minimum},
            "incremental": details,
        },
    }


def _per_endpoint(stats):
    return {endpoint: entry["requests"] for endpoint, entry in sorted(stats["endpoints"].items())}
