"""A full sync of every stream at the `small` scale equals the sandbox's ground truth; a run
from its final STATE after changes reads only what changed, at a fraction of the requests."""
import math

import pytest

from .support import (
    SCHEMAS,
    assert_analytics_match,
    assert_matches_truth,
    assert_run_delivers,
    config_for,
    endpoint_requests,
    messages_per_conversation,
    start_front,
    sync,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    server = start_front("small")
    try:
        run = sync(server, tmp_path_factory.mktemp("full"))
        yield {"server": server, "run": run, "truth": server.truth(), "stats": server.stats()}
    finally:
        server.stop()


def test_full_sync_emits_the_truth_of_every_stream(small):
    run, truth = small["run"], small["truth"]
    assert run.code == 0, run.stderr[-2000:]
    for stream in sorted(SCHEMAS):
        emitted = run.records.get(stream, [])
        if stream == "analytics":
            assert_analytics_match(emitted, truth["analytics"])
            assert len(emitted) == len(truth["analytics"])
        else:
            assert_matches_truth(stream, emitted, truth[stream])
            assert len(emitted) == len(truth[stream]), stream   # each record once
    stats = small["stats"]
    assert stats["rate_limited"] == 0
    # Each conversation's children are read once: one comments request per conversation that
    # has messages (those merged into another have none left, and are not asked).
    assert endpoint_requests(stats, "/conversations/{id}/comments") == len(messages_per_conversation(truth))
    final = run.last_state
    assert final["currently_syncing"] is None
    for stream in ("conversations", "messages", "comments", "events", "contacts", "analytics"):
        assert final["bookmarks"][stream], stream
    # No numbers in the state: singer tools read them as decimals they cannot write back.
    assert not [value for value in _leaves(final) if isinstance(value, float)]


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        yield value


def test_incremental_run_reads_only_what_changed(small, tmp_path):
    server, full = small["server"], small["run"]
    # The mix: messages, comments, new conversations, and as many changes without a message
    # (archive, reopen, tags, assignment, inbox, custom fields), plus trash, merge and delete.
    changed = server.mutate(40)
    for stream, ids in server.mutate(6, kinds=["trash", "merge", "delete"]).items():
        changed[stream] = list(dict.fromkeys(changed.get(stream, []) + ids))
    truth = server.truth()
    server.reset_stats()
    run = sync(server, tmp_path, config_for(server), state=full.last_state)
    assert run.code == 0, run.stderr[-2000:]
    stats = server.stats()

    streams = ("conversations", "messages", "comments", "events")
    assert_run_delivers(run, stats, truth, full.last_state, changed, streams)
    emitted = {r["id"]: r for r in run.records["contacts"]}
    assert set(changed["contacts"]) <= set(emitted)
    assert_matches_truth("contacts", [emitted[i] for i in changed["contacts"]],
                         [r for r in truth["contacts"] if r["id"] in set(changed["contacts"])])
    quiet = {e["conversation"]["id"] for e in truth["events"] if e["id"] in set(changed["events"])
             and e["type"] not in ("inbound", "out_reply", "comment", "conversations_merged")}
    assert quiet, "changes without a message are in the mix"

    full_requests, incremental_requests = small["stats"]["total"], stats["total"]
    print("\nfront requests: full sync {}, incremental {} ({:.1%})".format(
        full_requests, incremental_requests, incremental_requests / full_requests))
    print("incremental per endpoint: " + ", ".join(
        "{} {}".format(ep, v["requests"]) for ep, v in sorted(stats["endpoints"].items())))
    assert stats["rate_limited"] == 0
    assert incremental_requests <= math.ceil(0.15 * full_requests)
