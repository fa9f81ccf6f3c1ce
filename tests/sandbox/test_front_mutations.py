"""Mutations as Front behaves: changes without a message move ``updated_at`` and emit an event
embedding the conversation as it now is, yet no search window finds them; conversations can be
trashed, restored, merged and deleted; the truth matches the API after every kind."""
import pytest
from conftest import control, walk

from sandbox.front.mutation import KINDS, MESSAGE_CHANGES, QUIET_CHANGES, RELATION_CHANGES

SEARCHED = ("inbound", "out_reply", "comment")
EVENT_OF = {
    "message": {"inbound", "out_reply"}, "comment": {"comment"}, "new_conversation": {"inbound"},
    "archive": {"archive"}, "reopen": {"reopen"}, "tag": {"tag"}, "untag": {"untag"},
    "assign": {"assign"}, "unassign": {"unassign"}, "move": {"move"},
    "custom_field": {"custom_field_updated"}, "trash": {"trash"}, "restore": {"restore"},
    "merge": {"conversations_merged"},
}
# Kinds that change a conversation and emit an event (relationship changes emit none).
CONVERSATION_KINDS = [k for k in KINDS if k not in ("contact", "delete") + RELATION_CHANGES]


def by_id(records):
    return {r["id"]: r for r in records}


def newest_event(http, server):
    return http.get(server.base_url + "/events", params={"limit": 1}).json()["_results"][0]


def search(http, server, query):
    return walk(http, f"{server.base_url}/conversations/search/{query}")


def assert_truth_is_the_api(http, server):
    """Conversations, events, messages and comments: truth and the endpoints agree exactly."""
    truth = server.truth()
    conversations = walk(http, server.base_url + "/conversations", {"limit": 100})
    assert by_id(conversations) == by_id(truth["conversations"])
    assert len(conversations) == len(truth["conversations"])
    events = walk(http, server.base_url + "/events")
    assert by_id(events) == by_id(truth["events"]) and len(events) == len(truth["events"])
    messages, comments = [], []
    for conversation in truth["conversations"]:
        base = f"{server.base_url}/conversations/{conversation['id']}"
        response = http.get(base + "/comments", allow_redirects=False)
        if response.status_code == 301:
            continue  # merged: its messages are listed under the survivor
        assert response.ok, response.text
        comments += [dict(c, conversation_id=conversation["id"]) for c in response.json()["_results"]]
        messages += [dict(m, conversation_id=conversation["id"])
                     for m in walk(http, base + "/messages", {"limit": 100})]
    assert by_id(messages) == by_id(truth["messages"]) and len(messages) == len(truth["messages"])
    assert by_id(comments) == by_id(truth["comments"]) and len(comments) == len(truth["comments"])
    counts = server.app.scale_counts()
    for stream in ("conversations", "messages", "comments", "events"):
        assert counts[stream] == len(truth[stream]), stream
    return truth


def test_default_mix_is_half_messages_half_changes_without_one(sandbox, front_http):
    server = sandbox("front", scale="small")
    newest = newest_event(front_http, server)
    changed = control(front_http, server, "mutate", {"count": 40})["changed"]
    assert set(changed) == {"contacts", "conversations", "messages", "comments", "events"}
    fresh = walk(front_http, server.base_url + "/events", {"q[after]": newest["emitted_at"]})
    assert sorted(e["id"] for e in fresh) == sorted(changed["events"])
    kinds = {}
    for event in fresh:
        kinds.setdefault(event["conversation"]["id"], set()).add(event["type"])
    assert set(kinds) == set(changed["conversations"])
    with_message = [c for c, types in kinds.items() if types & set(SEARCHED)]
    without = [c for c, types in kinds.items() if not types & set(SEARCHED)]
    assert len(without) >= 15 and len(with_message) >= 12
    quiet_types = {t for c in without for t in kinds[c]}
    assert len(quiet_types) >= 6, quiet_types  # the kinds take turns
    truth = assert_truth_is_the_api(front_http, server)
    conversations = by_id(truth["conversations"])
    for conversation_id in changed["conversations"]:
        assert conversations[conversation_id]["updated_at"] > server.app.anchor
    # A search from before the changes finds only those with a new message or comment.
    found = {c["id"] for c in search(front_http, server, f"after:{server.app.anchor}")}
    assert found == set(with_message)


def test_a_tag_alone_is_not_found_by_search(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    newest = newest_event(front_http, server)
    changed = server.mutate(1, kinds=["tag"])
    [conversation_id] = changed["conversations"]
    [event] = walk(front_http, server.base_url + "/events", {"q[after]": newest["emitted_at"]})
    assert event["type"] == "tag" and event["id"] == changed["events"][0]
    at = event["emitted_at"]
    assert search(front_http, server, f"after:{at - 1}") == []
    assert search(front_http, server, f"after:{at} before:{at}") == []
    # Yet it moved: first on /conversations, its updated_at the tag's time, the tag on it.
    head = walk(front_http, server.base_url + "/conversations", {"limit": 100})[0]
    assert head["id"] == conversation_id and head["updated_at"] == at
    assert event["target"]["data"]["id"] in [t["id"] for t in head["tags"]]
    assert event["conversation"] == head
    # Without a time filter, search does list it (it is tagged now).
    tagged = search(front_http, server, "tag:" + event["target"]["data"]["id"])
    assert conversation_id in [c["id"] for c in tagged]


@pytest.mark.parametrize("kind", CONVERSATION_KINDS)
def test_each_kind_emits_its_event_embedding_the_conversation_as_it_now_is(sandbox, front_http, kind):
    server = sandbox("front", scale="tiny")
    if kind == "restore":
        server.mutate(2, kinds=["trash"])
    before = server.truth()
    newest = newest_event(front_http, server)
    changed = control(front_http, server, "mutate", {"count": 2, "kinds": [kind]})["changed"]
    assert changed["events"], changed
    fresh = walk(front_http, server.base_url + "/events",
                 {"q[after]": newest["emitted_at"], "sort_order": "asc"})
    assert [e["id"] for e in fresh] == changed["events"]
    truth = assert_truth_is_the_api(front_http, server)
    conversations = by_id(truth["conversations"])
    old = by_id(before["conversations"])
    for event in fresh:
        assert event["type"] in EVENT_OF[kind]
        current = conversations[event["conversation"]["id"]]
        assert event["conversation"] == current  # embedded as it is now
        assert current["updated_at"] == event["emitted_at"] > server.app.anchor
        previous = old.get(current["id"])
        if kind == "archive":
            assert current["status"] == "archived" and previous["status"] != "archived"
        elif kind == "reopen":
            assert previous["status"] == "archived" and current["status"] in ("assigned", "unassigned")
        elif kind in ("tag", "untag"):
            tag = event["target"]["data"]["id"]
            assert (tag in [t["id"] for t in current["tags"]]) == (kind == "tag")
            assert (tag in [t["id"] for t in previous["tags"]]) == (kind == "untag")
        elif kind == "assign":
            assert current["assignee"]["id"] == event["target"]["data"]["id"]
            assert current["status"] == "assigned" or current["status"] == "archived"
        elif kind == "unassign":
            assert previous["assignee"] is not None and current["assignee"] is None
            assert "target" not in event
        elif kind == "move":
            assert event["target"]["_meta"]["type"] == "inboxes"
            inbox = event["target"]["data"]["id"]
            found = search(front_http, server, "inbox:" + inbox)
            assert current["id"] in [c["id"] for c in found]
        elif kind == "custom_field":
            field = event["target"]["data"]
            assert event["target"]["_meta"]["type"] == "custom_field"
            assert current["custom_fields"][field["name"]] != previous["custom_fields"].get(field["name"])
            assert {k: v for k, v in current["custom_fields"].items() if k != field["name"]} == \
                {k: v for k, v in previous["custom_fields"].items() if k != field["name"]}
        elif kind == "trash":
            assert current["status"] == "deleted"
            assert front_http.get(current["_links"]["related"]["messages"]).ok  # still readable
            trashed = walk(front_http, server.base_url + "/conversations", {"q[statuses][]": "trashed"})
            assert current["id"] in [c["id"] for c in trashed]
        elif kind == "restore":
            assert previous["status"] == "deleted" and current["status"] != "deleted"
        elif kind == "new_conversation":
            assert previous is None and current["created_at"] == event["emitted_at"]
    if kind in QUIET_CHANGES + ("trash", "restore"):
        assert not changed["messages"] and not changed["comments"]
        assert search(front_http, server, f"after:{server.app.anchor}") == []
    elif kind in MESSAGE_CHANGES:
        found = {c["id"] for c in search(front_http, server, f"after:{server.app.anchor}")}
        assert found == set(changed["conversations"])


def test_merge_moves_messages_to_the_survivor_and_redirects(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    before = server.truth()
    newest = newest_event(front_http, server)
    changed = server.mutate(1, kinds=["merge"])
    [event] = walk(front_http, server.base_url + "/events", {"q[after]": newest["emitted_at"]})
    assert event["type"] == "conversations_merged"
    survivor = event["conversation"]
    [merged_id] = event["target"]["data"]["ids"]
    assert event["target"]["_meta"]["type"] == "deleted_conversation_ids"
    assert set(changed["conversations"]) == {merged_id, survivor["id"]}
    truth = assert_truth_is_the_api(front_http, server)
    merged = by_id(truth["conversations"])[merged_id]
    assert merged["status"] == "deleted" and merged["updated_at"] == event["emitted_at"]
    moved = [m for m in before["messages"] if m["conversation_id"] == merged_id]
    assert moved and sorted(m["id"] for m in moved) == sorted(changed["messages"])
    now = by_id(truth["messages"])
    assert all(now[m["id"]]["conversation_id"] == survivor["id"] for m in moved)
    response = front_http.get(f"{server.base_url}/conversations/{merged_id}/messages",
                              allow_redirects=False)
    assert response.status_code == 301 and survivor["id"] in response.headers["Location"]
    listed = walk(front_http, f"{server.base_url}/conversations/{survivor['id']}/messages", {"limit": 100})
    assert {m["id"] for m in moved} <= {m["id"] for m in listed}
    times = [m["created_at"] for m in listed]
    assert times == sorted(times, reverse=True)
    # The merge is no message: a search from before it finds neither conversation.
    assert search(front_http, server, f"after:{server.app.anchor}") == []


def test_delete_removes_the_conversation_its_children_and_events(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    before = server.truth()
    changed = control(front_http, server, "mutate", {"count": 1, "kinds": ["delete"]})["changed"]
    [deleted] = changed["deleted_conversations"]
    assert not changed["conversations"] and not changed["events"]
    truth = assert_truth_is_the_api(front_http, server)
    assert deleted not in by_id(truth["conversations"])
    assert not [m for m in truth["messages"] if m["conversation_id"] == deleted]
    assert not [e for e in truth["events"] if e["conversation"]["id"] == deleted]
    assert len(truth["events"]) < len(before["events"])
    for child in ("messages", "comments"):
        assert front_http.get(f"{server.base_url}/conversations/{deleted}/{child}").status_code == 404
    assert deleted not in [c["id"] for c in search(front_http, server, "is:open")]


def test_analytics_and_exports_follow_every_kind(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"report_polls": 0, "export_polls": 0})
    for kind in KINDS:
        server.mutate(2, kinds=[kind])
    server.mutate(20)
    day = server.truth()["analytics"][-1]  # the anchor's day: where the changes are
    report = front_http.post(server.base_url + "/analytics/reports", json={
        "start": day["start"], "end": day["end"],
        "metrics": [m["id"] for m in day["metrics"]]}).json()
    report = front_http.get(report["_links"]["self"]).json()
    assert report["status"] == "done" and report["metrics"] == day["metrics"]
    for kind in ("messages", "events"):
        export = front_http.post(server.base_url + "/analytics/exports", json={
            "start": day["start"], "end": day["end"], "type": kind}).json()
        export = front_http.get(export["_links"]["self"]).json()
        assert export["status"] == "done"
        assert front_http.get(export["url"]).ok


def test_mutations_are_deterministic(sandbox):
    first, second = sandbox("front", scale="tiny"), sandbox("front", scale="tiny")
    for server in (first, second):
        server.changes = [server.mutate(12), server.mutate(6, kinds=list(KINDS)), server.mutate(12)]
    assert first.changes == second.changes


def test_unknown_kinds_are_a_400(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    response = front_http.post(server.base_url + "/_sandbox/mutate", json={"count": 1, "kinds": ["snooze"]})
    assert response.status_code == 400 and "snooze" in response.json()["error"]
    mode = sandbox("mode", scale="tiny")
    response = front_http.post(mode.base_url + "/_sandbox/mutate", json={"count": 1, "kinds": ["tag"]})
    assert response.status_code == 400


def test_event_type_filter_takes_every_type_of_the_spec(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    server.mutate(3, kinds=["untag", "move"])
    got = walk(front_http, server.base_url + "/events", {"q[types][]": ["untag", "move", "forward"]})
    assert sorted(e["type"] for e in got) == ["move", "untag", "untag"]
    assert walk(front_http, server.base_url + "/events", {"q[types][]": "forward"}) == []
    assert front_http.get(server.base_url + "/events", params={"q[types][]": "nope"}).status_code == 400
