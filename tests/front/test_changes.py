"""Incremental conversations through Front's change feed (`/events`): every kind of change
reaches the next run with the conversation's current state, alone and mixed, over several runs,
with and without `events` selected, and with `conversations` or `messages` selected alone. Each
incremental run's requests are counted: one walk of `/events`, children only for the
conversations that got a message or a comment, no search."""
import collections
import itertools
import random

import pytest

from tests.support.killer import KillSwitch, run_process, tap_command

from .support import (
    TREE,
    assert_matches_truth,
    assert_run_delivers,
    catalog,
    config_for,
    endpoint_requests,
    messages_per_conversation,
    sync,
    without_deleted,
)

WITH_EVENTS = TREE + ("events",)
QUIET = ("archive", "reopen", "tag", "untag", "assign", "unassign", "move", "custom_field")
KINDS = QUIET + ("message", "comment", "new_conversation", "trash", "restore", "merge", "delete")


def _incremental(server, tmp_path, state, streams, config=None):
    """One run from `state` with the requests it made; the truth as the run found it."""
    truth = server.truth()
    server.reset_stats()
    run = sync(server, tmp_path, config or config_for(server), streams=streams, state=state)
    assert run.code == 0, run.stderr[-2000:]
    return run, server.stats(), truth


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_change_reaches_the_next_run(front, tmp_path, kind):
    server = front("tiny")
    full = sync(server, tmp_path, streams=WITH_EVENTS)
    assert full.code == 0, full.stderr[-2000:]
    state = full.last_state
    if kind == "restore":
        server.mutate(3, kinds=["trash"])
        state = _incremental(server, tmp_path, state, WITH_EVENTS)[0].last_state
    changed = server.mutate(3, kinds=[kind])
    assert changed["conversations"] or changed.get("deleted_conversations"), changed
    run, stats, truth = _incremental(server, tmp_path, state, WITH_EVENTS)
    assert_run_delivers(run, stats, truth, state, changed, WITH_EVENTS)
    if kind in QUIET or kind in ("trash", "restore"):
        # No message, no comment: no child list is read again.
        assert not run.records.get("messages") and not run.records.get("comments")
        assert endpoint_requests(stats, "/conversations/{id}/messages") == 0
    if kind == "merge":
        merged = [r for r in run.records["conversations"] if r["status"] == "deleted"]
        assert len(merged) == 3, "the merged conversations, as Front lists them now"
    if kind == "delete":
        assert not run.records.get("conversations") and not run.records.get("events")


@pytest.mark.parametrize("streams", [WITH_EVENTS, TREE], ids=["with-events", "without-events"])
def test_mixed_changes_over_several_runs_keep_the_warehouse_equal_to_the_truth(front, tmp_path, streams):
    server = front("tiny")
    first = sync(server, tmp_path, streams=streams)
    assert first.code == 0, first.stderr[-2000:]
    union = {stream: list(first.records.get(stream, [])) for stream in streams}
    state, deleted = first.last_state, set()
    rounds = [(12, None), (12, None), (6, ["trash", "merge", "tag", "message", "delete", "comment"]),
              (8, ["restore", "archive", "reopen", "message"]), (12, None)]
    for count, kinds in rounds:
        changed = server.mutate(count, kinds=kinds)
        deleted.update(changed.get("deleted_conversations", ()))
        run, stats, truth = _incremental(server, tmp_path, state, streams)
        assert_run_delivers(run, stats, truth, state, changed, streams)
        for stream in streams:
            union[stream].extend(run.records.get(stream, []))
        state = run.last_state
    truth = server.truth()
    for stream in streams:
        # The last record of each key is the warehouse's row (merged ones say `deleted`).
        rows = without_deleted(stream, union[stream], deleted)
        if stream == "events":
            # Events embed their conversation (and target) as it is now: each run's values
            # were checked above; here, every event once.
            assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in truth["events"])
        else:
            assert_matches_truth(stream, rows, truth[stream])


@pytest.mark.parametrize("alone", ["conversations", "messages"])
def test_one_stream_of_the_tree_selected_alone(front, tmp_path, alone):
    server = front("tiny")
    streams = (alone,)
    first = sync(server, tmp_path, streams=streams)
    assert first.code == 0, first.stderr[-2000:]
    assert set(first.last_state["bookmarks"]) == {alone}
    union, state, deleted = list(first.records[alone]), first.last_state, set()
    for count, kinds in ((12, None), (6, ["merge", "message", "delete", "untag", "comment", "move"]), (12, None)):
        changed = server.mutate(count, kinds=kinds)
        deleted.update(changed.get("deleted_conversations", ()))
        run, stats, truth = _incremental(server, tmp_path, state, streams)
        assert_run_delivers(run, stats, truth, state, changed, streams)
        assert set(run.records) <= {alone}
        union.extend(run.records.get(alone, []))
        state = run.last_state
    assert_matches_truth(alone, without_deleted(alone, union, deleted), server.truth()[alone])


def test_conversations_changed_then_merged_or_deleted_before_the_run_are_no_error(front, tmp_path):
    server = front("tiny")
    first = sync(server, tmp_path, streams=WITH_EVENTS)
    assert first.code == 0, first.stderr[-2000:]
    got_message = set(server.mutate(30, kinds=["message"])["conversations"])
    changed = server.mutate(10, kinds=["merge", "delete"])
    gone = set(changed.get("deleted_conversations", ()))
    merged = {r["id"] for r in server.truth()["conversations"] if r["status"] == "deleted"}
    # Some that got a message are now merged away (their routes redirect) or deleted (404).
    assert got_message & merged and got_message & gone
    run, _, truth = _incremental(server, tmp_path, first.last_state, WITH_EVENTS)
    for stream in TREE:
        union = without_deleted(stream, first.records.get(stream, []) + run.records.get(stream, []), gone)
        assert_matches_truth(stream, union, truth[stream])


def test_a_state_from_before_the_change_feed_goes_on_from_its_cursor(front, tmp_path):
    """A bookmark with only `updated_at` (search windows, an earlier version) is where the
    feed starts: no search again."""
    server = front("tiny")
    first = sync(server, tmp_path, streams=TREE)
    assert first.code == 0, first.stderr[-2000:]
    old = {"bookmarks": {s: {"updated_at": first.last_state["bookmarks"][s]["updated_at"]} for s in TREE},
           "currently_syncing": None}
    changed = server.mutate(12)
    run, stats, truth = _incremental(server, tmp_path, old, TREE)
    assert_run_delivers(run, stats, truth, old, changed, TREE)
    assert set(run.last_state["bookmarks"]["conversations"]) == {"updated_at", "recent_event_ids"}


def test_without_the_events_scope_search_still_finds_new_messages(front, tmp_path):
    server = front("tiny", app_options={"missing_scopes": ["/events"]})
    first = sync(server, tmp_path, streams=WITH_EVENTS)
    assert first.code == 0, first.stderr[-2000:]
    assert "events:*:read" in first.stderr and "events" not in first.records
    truth = server.truth()
    for stream in TREE:
        assert_matches_truth(stream, first.records[stream], truth[stream])
    changed = server.mutate(6, kinds=["message", "comment"])
    run, stats, truth = _incremental(server, tmp_path, first.last_state, WITH_EVENTS)
    assert endpoint_requests(stats, "/conversations/search/{query}") >= 1
    for stream in TREE:
        emitted = {r["id"]: r for r in run.records.get(stream, [])}
        assert set(changed[stream]) <= set(emitted), stream
        assert_matches_truth(stream, [emitted[i] for i in changed[stream]],
                             [r for r in truth[stream] if r["id"] in set(changed[stream])])


def test_first_sync_finds_every_conversation_merged_ones_included(front, tmp_path):
    server = front("small")
    run = sync(server, tmp_path, streams=TREE)
    assert run.code == 0, run.stderr[-2000:]
    truth = server.truth()
    for stream in TREE:
        assert_matches_truth(stream, run.records[stream], truth[stream])
        assert len(run.records[stream]) == len(truth[stream]), stream   # each record once
    merged = [r for r in truth["conversations"] if r["status"] == "deleted"]
    assert merged, "the sandbox has merged conversations"
    stats = server.stats()
    # Children of every conversation that has some, once; none for the merged ones.
    live = set(messages_per_conversation(truth))
    assert endpoint_requests(stats, "/conversations/{id}/comments") == len(live)
    assert endpoint_requests(stats, "/conversations") == 1     # the deleted ones, one page
    bookmark = run.last_state["bookmarks"]["conversations"]
    assert bookmark["updated_at"] >= bookmark["changes_from"]   # backfill done, the feed takes over


def test_killed_runs_with_changes_in_between_lose_no_change(front, tmp_path):
    """Runs SIGKILLed at seeded random requests, inside the first sync and inside incremental
    ones, with changes made while the tap is down and between runs; each restart goes on from
    the last STATE printed. What the chain printed, the last record of each key winning, is
    the truth; an event is printed twice only when the run that printed it first was killed
    before its STATE."""
    server = front("tiny")
    switch = KillSwitch(server)
    # No overlap to speak of: a change the resumed run missed is not hidden by a read-again stretch.
    config, streams = config_for(server, conversation_window_days=3, overlap_seconds=0.001), WITH_EVENTS
    rng = random.Random(20261201)
    printed, tails, state, deleted, kills, folders = [], set(), None, set(), 0, itertools.count()
    cycles = [None, (12, None), (6, ["merge", "trash", "message", "tag", "delete", "comment"]), (12, None),
              (8, ["restore", "assign", "message", "custom_field"])]
    for cycle, change in enumerate(cycles):
        if change:
            deleted.update(server.mutate(change[0], kinds=change[1]).get("deleted_conversations", ()))
        for attempt in range(12):
            at = rng.randint(1, 90 if cycle == 0 else 14) if attempt < 11 else None
            folder = tmp_path / "proc{}".format(next(folders))
            run = run_process(tap_command("tap_front", folder, config, catalog(*streams), state),
                              switch=switch, kill_at=at)
            printed.extend(run.printed())
            if not run.killed:
                assert run.code == 0, run.stderr[-2000:]
                break
            assert run.code < 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
            kills += 1
            tails.update(r["id"] for s, r, after in run.printed() if s == "events" and after)
            state = run.last_state or state
            if rng.random() < 0.5:   # changes while the tap is down
                deleted.update(server.mutate(4).get("deleted_conversations", ()))
        state = run.last_state
        # Once a run gets through, the chain so far holds every change made until then.
        _assert_chain_is_the_truth(printed, server.truth(), deleted)
    assert kills >= 8, kills
    events = [r["id"] for s, r, _ in printed if s == "events" and r["conversation"]["id"] not in deleted]
    again = {eid for eid, n in collections.Counter(events).items() if n > 1}
    assert again <= tails, sorted(again - tails)[:5]


def _assert_chain_is_the_truth(printed, truth, deleted):
    union = {}
    for stream, record, _ in printed:
        union.setdefault(stream, []).append(record)
    for stream in TREE:
        assert_matches_truth(stream, without_deleted(stream, union.get(stream, []), deleted), truth[stream])
    events = {r["id"] for r in without_deleted("events", union["events"], deleted)}
    assert events == {r["id"] for r in truth["events"]}


def test_without_the_conversations_scope_events_still_sync_on_their_own(front, tmp_path):
    server = front("tiny", app_options={"missing_scopes": ["conversations:read"]})
    run = sync(server, tmp_path, streams=WITH_EVENTS)
    assert run.code == 0, run.stderr[-2000:]
    assert "conversations:read" in run.stderr and "conversations" not in run.records
    assert_matches_truth("events", run.records["events"], server.truth()["events"])
    assert run.last_state["bookmarks"]["events"]["emitted_at"]
