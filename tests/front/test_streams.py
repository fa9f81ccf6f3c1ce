"""Stream behaviours beyond the happy path: scopes, ticketing off, contacts without
`updated_at`, a child stream selected later, the connection check and config errors."""
from tap_front.tap import FrontTap
from tests.support.runner import run_tap

from .support import assert_matches_truth, config_for, sync


def test_missing_scope_skips_that_stream_and_completes_the_others(front, tmp_path):
    server = front("tiny", app_options={"missing_scopes": ["messages:read", "/contacts"]})
    run = sync(server, tmp_path, streams=("conversations", "messages", "comments", "contacts", "tags"))
    assert run.code == 0, run.stderr[-2000:]
    assert "messages:read" in run.stderr and "contacts:read" in run.stderr
    assert "messages" not in run.records and "contacts" not in run.records
    truth = server.truth()
    for stream in ("conversations", "comments", "tags"):
        assert_matches_truth(stream, run.records[stream], truth[stream])
    bookmarks = run.last_state["bookmarks"]
    assert not bookmarks.get("messages", {}).get("updated_at")
    assert bookmarks["comments"]["updated_at"] == bookmarks["conversations"]["updated_at"]


def test_without_ticketing_statuses_are_empty(front, tmp_path):
    server = front("tiny", app_options={"ticketing": False})
    run = sync(server, tmp_path, streams=("statuses", "conversations"))
    assert run.code == 0, run.stderr[-2000:]
    assert "statuses" not in run.records
    assert_matches_truth("conversations", run.records["conversations"], server.truth()["conversations"])


def test_contacts_without_updated_at_still_sync_incrementally(front, tmp_path):
    server = front("tiny", app_options={"contact_updated_at": False})
    first = sync(server, tmp_path, streams=("contacts",))
    assert first.code == 0, first.stderr[-2000:]
    assert_matches_truth("contacts", first.records["contacts"], server.truth()["contacts"])
    changed = server.mutate(40)["contacts"]
    again = sync(server, tmp_path, state=first.last_state, streams=("contacts",))
    assert again.code == 0, again.stderr[-2000:]
    assert sorted(r["id"] for r in again.records["contacts"]) == sorted(changed)


def test_child_selected_later_is_backfilled(front, tmp_path):
    server = front("tiny")
    first = sync(server, tmp_path, streams=("conversations",))
    assert first.code == 0, first.stderr[-2000:]
    later = sync(server, tmp_path, state=first.last_state, streams=("conversations", "messages"))
    assert later.code == 0, later.stderr[-2000:]
    truth = server.truth()
    assert_matches_truth("messages", later.records["messages"], truth["messages"])
    # And from then on, with nothing changed, neither is read again.
    server.reset_stats()
    quiet = sync(server, tmp_path, state=later.last_state, streams=("conversations", "messages"))
    assert quiet.code == 0 and not quiet.records
    assert server.stats()["endpoints"].get("/conversations/{id}/messages") is None


def test_connection_check_and_config_errors(front, tmp_path):
    server = front("tiny")
    ok = run_tap(FrontTap, tmp_path, config_for(server), extra_args=("--test",))
    assert ok.code == 0, ok.stderr
    assert server.stats()["endpoints"]["/me"]["requests"] == 1
    bad = run_tap(FrontTap, tmp_path, config_for(server, token="wrong-token"), extra_args=("--test",))
    assert bad.code == 1 and "401" in bad.stderr
    odd = run_tap(FrontTap, tmp_path, config_for(server, incremental_range="weekly"), extra_args=("--test",))
    assert odd.code == 2 and "incremental_range" in odd.stderr


def test_first_run_checkpoints_after_each_search_window(front, tmp_path):
    server = front("tiny")
    run = sync(server, tmp_path, config_for(server, conversation_window_days=5), streams=("conversations", "comments"))
    assert run.code == 0, run.stderr[-2000:]
    assert_matches_truth("conversations", run.records["conversations"], server.truth()["conversations"])
    cursors = []
    for state in run.states:
        cursor = state["bookmarks"].get("conversations", {}).get("updated_at")
        if cursor and cursor not in cursors:
            cursors.append(cursor)
    assert len(cursors) >= 4 and cursors == sorted(cursors)   # 21 days in 5-day windows


def test_events_read_again_in_the_overlap_are_not_emitted_twice(front, tmp_path):
    server = front("tiny")
    config = config_for(server, overlap_seconds=10 * 86400)
    first = sync(server, tmp_path, config, streams=("events",))
    assert first.code == 0, first.stderr[-2000:]
    new = server.mutate(16)["events"]
    server.reset_stats()
    again = sync(server, tmp_path, config, state=first.last_state, streams=("events",))
    assert again.code == 0, again.stderr[-2000:]
    assert server.stats()["endpoints"]["/events"]["requests"] > 2   # ten days were read again
    assert sorted(r["id"] for r in again.records["events"]) == sorted(new)


def test_short_and_empty_pages_are_not_the_end(front, tmp_path):
    server = front("tiny", app_options={"empty_pages": True})
    streams = ("events", "contacts", "conversations", "messages")
    run = sync(server, tmp_path, streams=streams)
    assert run.code == 0, run.stderr[-2000:]
    truth = server.truth()
    for stream in streams:
        assert_matches_truth(stream, run.records[stream], truth[stream])


def test_token_is_not_sent_to_a_host_a_link_merely_names(front, tmp_path):
    elsewhere = front("tiny")
    server = front("tiny", app_options={"link_host": elsewhere.base_url.replace("127.0.0.1", "localhost")})
    run = sync(server, tmp_path, streams=("events",))
    # The second page is on the other server, asked without the token: it answers 401.
    assert run.code == 1 and "401" in run.stderr
    assert "not sending credentials to untrusted host" in run.stderr
    assert elsewhere.stats()["endpoints"]["/events"]["statuses"] == {"401": 1}
