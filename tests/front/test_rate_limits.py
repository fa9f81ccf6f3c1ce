"""Rate limits: paced by Front's own headers the tap never trips the budget, the search share
or the burst tier; injected 429s (with or without Retry-After) and server errors are waited
out and the output still equals the truth."""
import pytest

from .support import assert_matches_truth, config_for, sync

TREE = ("conversations", "messages", "comments", "events", "contacts", "tags", "teammates")


def _assert_tree_matches(run, truth):
    assert run.code == 0, run.stderr[-2000:]
    for stream in TREE:
        assert_matches_truth(stream, run.records.get(stream, []), truth[stream])


def test_paced_run_within_a_budget_never_causes_a_429(front, tmp_path):
    # 600 requests a minute turns Front's burst tier on (5 requests a second per endpoint),
    # which the children fan-out on four workers would otherwise exceed.
    server = front("tiny", rpm=600)
    streams = ("conversations", "messages", "comments", "tags")
    run = sync(server, tmp_path, streams=streams)
    assert run.code == 0, run.stderr[-2000:]
    truth = server.truth()
    for stream in streams:
        assert_matches_truth(stream, run.records[stream], truth[stream])
    stats = server.stats()
    limited = {ep: v for ep, v in stats["endpoints"].items() if v["rate_limited"]}
    assert stats["rate_limited"] == 0 and stats["burst_limited"] == 0, limited


@pytest.mark.parametrize("faults", [
    "429:every=6:retry=0.05",                          # with Retry-After
    "429-bare:every=5",                               # without: backoff alone
    "burst:first=3@/conversations/{id}/messages,429-frac:first=2@/events",
    "500:every=9,503:first=3,reset:first=2,truncated:first=1@/contacts",
])
def test_recovers_from_injected_failures_with_output_equal_to_the_truth(front, tmp_path, faults):
    server = front("tiny", faults=faults)
    run = sync(server, tmp_path, config_for(server), streams=TREE)
    _assert_tree_matches(run, server.truth())
    assert server.stats()["faults"] > 0
