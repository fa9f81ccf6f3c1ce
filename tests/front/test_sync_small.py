"""A full sync of every stream at the `small` scale equals the sandbox's ground truth; a run
from its final STATE after changes reads only what changed, at a fraction of the requests."""
import math

import pytest

from .support import SCHEMAS, assert_analytics_match, assert_matches_truth, config_for, endpoint_requests, start_front, sync


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
    # Each conversation's children are read once: one comments request per conversation.
    assert endpoint_requests(stats, "/conversations/{id}/comments") == len(truth["conversations"])
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


def _message_pages(count, limit=100):
    """Pages of one conversation's messages as the sandbox serves them (every third page is
    half a page)."""
    pages, left, number = 0, count, 1
    while True:
        pages += 1
        size = limit // 2 if number >= 2 and number % 3 == 0 else limit
        if left <= size:
            return pages
        left -= size
        number += 1


def test_incremental_run_reads_only_what_changed(small, tmp_path):
    server, full = small["server"], small["run"]
    changed = server.mutate(40)
    truth = server.truth()
    server.reset_stats()
    run = sync(server, tmp_path, config_for(server), state=full.last_state)
    assert run.code == 0, run.stderr[-2000:]
    stats = server.stats()

    for stream, ids in changed.items():
        emitted = {r["id"]: r for r in run.records.get(stream, [])}
        assert set(ids) <= set(emitted), "{}: changed records not emitted".format(stream)
        current = [r for r in truth[stream] if r["id"] in set(ids)]
        assert_matches_truth(stream, [emitted[i] for i in ids], current)

    # Children only for the conversations that changed, and only once each.
    conversations = {r["id"] for r in run.records["conversations"]}
    assert conversations == set(changed["conversations"])
    per_conversation = {}
    for message in truth["messages"]:
        per_conversation[message["conversation_id"]] = per_conversation.get(message["conversation_id"], 0) + 1
    assert endpoint_requests(stats, "/conversations/{id}/comments") == len(conversations)
    assert endpoint_requests(stats, "/conversations/{id}/messages") == sum(
        _message_pages(per_conversation[c]) for c in conversations)
    # Events: only new ones (the overlap read again is dropped by id).
    assert sorted(r["id"] for r in run.records["events"]) == sorted(changed["events"])

    full_requests, incremental_requests = small["stats"]["total"], stats["total"]
    print("\nfront requests: full sync {}, incremental {} ({:.1%})".format(
        full_requests, incremental_requests, incremental_requests / full_requests))
    print("incremental per endpoint: " + ", ".join(
        "{} {}".format(ep, v["requests"]) for ep, v in sorted(stats["endpoints"].items())))
    assert stats["rate_limited"] == 0
    assert incremental_requests <= math.ceil(0.15 * full_requests)
