"""Request efficiency and incremental cost.

A full sync of every stream, at zero latency and with no rate limit, counted by the sandbox
and compared with the minimum computed from its truth (minimum_front/minimum_mode). Then,
several times: mutate 1% of the records (counting every record the mutation touched), sync
again from the full sync's last STATE, and compare that run's requests with the full sync's.

Front's mutations are its default mix (messages, comments, new conversations and as many
changes without a message: archive, reopen, tags, assignment, inbox, custom fields) plus a few
trashed, restored, merged and deleted conversations; the incremental run's conversations are
checked against the truth (every changed one emitted, as it is now) and its requests against
the plan's minimum (`minimum_front.incremental_requests`)."""
import os

from tests.support.truth import assert_stream_matches

from . import minimum_front, minimum_mode
from .measure import figure, summarize
from .taps import read_records, run_sync

MINIMUM = {"front": minimum_front, "mode": minimum_mode}
EFFICIENCY_GOAL = 1.05
INCREMENTAL_GOAL = 0.05


# Front: besides the default mix, one change in this many removes or brings back a conversation.
FRONT_REMOVALS = ("trash", "merge", "restore", "delete")
FRONT_REMOVAL_SHARE = 20


def mutate_share(server, share, records, removals=()):
    """Mutate until `share` of `records` have changed; a mutation touches several records at
    once (a new message is also an event and a changed conversation), so changed records are
    counted from what the sandbox reports, each id once per stream. `removals`: kinds of
    change also made, one for every FRONT_REMOVAL_SHARE of the mix (Front)."""
    target = max(1, round(share * records))
    changed = {}

    def count():
        return sum(len(ids) for stream, ids in changed.items() if stream != "deleted_conversations")

    while count() < target:
        step = max(1, (target - count()) // 3)
        batches = [server.mutate(step)]
        if removals:
            batches.append(server.mutate(max(1, step // FRONT_REMOVAL_SHARE), kinds=list(removals)))
        for batch in batches:
            for stream, ids in batch.items():
                changed.setdefault(stream, set()).update(ids)
    return changed


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
        front = kind.name == "front"
        try:
            changed = mutate_share(again_server, 0.01, full.total_records, FRONT_REMOVALS if front else ())
            again_config = dict(config, base_url=again_server.base_url)
            again = run_sync(kind, os.path.join(workdir, "incremental{}".format(index + 1)),
                             again_config, catalog, state=full.state, lift_mode_ceiling=lift).check()
            again_stats = again_server.stats()
            detail = {"changed_records": sum(len(ids) for s, ids in changed.items() if s != "deleted_conversations"),
                      "changed": {stream: len(ids) for stream, ids in changed.items()},
                      "requests": again_stats["total"], "records": again.total_records,
                      "per_endpoint": _per_endpoint(again_stats)}
            if front:
                truth = again_server.truth()
                minimum_incremental = minimum_front.incremental_for_server(again_server, changed, full.state,
                                                                           again_config, truth)
                detail["minimum"] = {"requests": sum(minimum_incremental.values()),
                                     "per_endpoint": minimum_incremental}
                detail["conversations"] = _conversations_check(kind, again.stdout_path, changed, truth)
        finally:
            again_server.stop()
        shares.append(again_stats["total"] / issued)
        details.append(detail)
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
        ] + _front_figures(details),
        "details": {
            "scale": scale, "full_sync": {"requests": issued, "records": full.total_records,
                                          "seconds": round(full.seconds, 2), "rate_limited": stats["rate_limited"],
                                          "per_endpoint": _per_endpoint(stats)},
            "minimum": {"requests": needed, "per_endpoint": minimum},
            "incremental": details,
        },
    }


def _front_figures(details):
    """Front's incremental runs: requests against the plan's minimum, and the changed
    conversations delivered."""
    if not details or "minimum" not in details[0]:
        return []
    ratios = [d["requests"] / d["minimum"]["requests"] for d in details]
    delivered = [100.0 * d["conversations"]["changed_emitted"] / max(1, d["conversations"]["changed"]) for d in details]
    equal = all(d["conversations"]["values_equal_truth"] for d in details)
    return [
        figure("incremental requests / minimum of the plan", ratios, "x", "<= {}".format(EFFICIENCY_GOAL),
               summarize(ratios)["max"] <= EFFICIENCY_GOAL,
               "minimum {}".format("/".join(str(d["minimum"]["requests"]) for d in details))),
        figure("incremental: changed conversations emitted, as the truth has them", delivered, "%",
               "100%, equal to the truth", min(delivered) == 100.0 and equal,
               "changed {}; values {}".format("/".join(str(d["conversations"]["changed"]) for d in details),
                                              "equal" if equal else "DIFFER")),
    ]


def _conversations_check(kind, output, changed, truth):
    """The changed conversations the incremental run emitted, against the truth: each one,
    with its current state (those deleted for good are gone from Front: not expected)."""
    emitted = read_records(output).get("conversations", [])
    current = {r["id"]: r for r in truth["conversations"]}
    wanted = set(changed.get("conversations", ())) & set(current)
    got = {r["id"] for r in emitted}
    problems = ""
    try:
        cls = next(c for c in kind.tap().stream_classes if c.name == "conversations")
        assert_stream_matches("conversations", [r for r in emitted if r["id"] in wanted],
                              [current[i] for i in wanted], cls.load_schema())
    except AssertionError as error:
        problems = str(error).splitlines()[0]
    return {"changed": len(wanted), "emitted": len(got), "changed_emitted": len(wanted & got),
            "missing": sorted(wanted - got)[:5], "not_changed_emitted": len(got - wanted),
            "values_equal_truth": not problems, "problems": problems}


def _per_endpoint(stats):
    return {endpoint: entry["requests"] for endpoint, entry in sorted(stats["endpoints"].items())}
