"""Ground truth is exactly what the list endpoints serve, and mutations change both."""
import pytest
from conftest import control, walk

from sandbox.front.analytics import METRIC_IDS
from sandbox.front.ids import DAY

LISTED = {
    # stream: (path, params)
    "accounts": ("/accounts", {"limit": 100}),
    "channels": ("/channels", None),
    "inboxes": ("/inboxes", None),
    "contacts": ("/contacts", {"limit": 100}),
    "contact_lists": ("/contact_lists", None),
    "contact_groups": ("/contact_groups", None),
    "conversations": ("/conversations", {"limit": 100}),
    "events": ("/events", None),
    "tags": ("/tags", None),
    "teammates": ("/teammates", None),
    "teams": ("/teams", None),
    "teammate_groups": ("/teammate_groups", None),
    "rules": ("/rules", None),
    "message_templates": ("/message_templates", None),
    "message_template_folders": ("/message_template_folders", None),
    "links": ("/links", None),
    "shifts": ("/shifts", None),
    "statuses": ("/company/statuses", None),
}
RELATION_STREAMS = {
    "team_members", "team_inboxes", "teammate_group_teammates", "teammate_group_teams",
    "teammate_group_inboxes", "inbox_teammates", "shift_teammates", "conversation_inboxes",
    "conversation_followers", "account_contacts", "contact_notes", "signatures", "teammate_time_offs",
    "views", "knowledge_bases", "knowledge_base_categories", "knowledge_base_articles",
}  # checked against their endpoints in test_front_relations.py
ALL_STREAMS = set(LISTED) | {"messages", "comments", "custom_fields", "analytics"} | RELATION_STREAMS


def by_id(records):
    return {r["id"]: r for r in records}


def test_truth_has_every_stream(front_tiny):
    # ``link_ids`` is no stream: {stream: {record id: {column: id}}}.
    assert set(front_tiny.truth()) == ALL_STREAMS | {"link_ids"}
    assert set(front_tiny.truth(["link_ids", "tags"])) == {"link_ids", "tags"}


@pytest.mark.parametrize("stream", sorted(LISTED))
def test_truth_equals_the_list_endpoint(front_tiny, front_http, stream):
    path, params = LISTED[stream]
    served = walk(front_http, front_tiny.base_url + path, params)
    truth = front_tiny.truth()[stream]
    assert len(served) == len(truth) and by_id(served) == by_id(truth)


def test_messages_and_comments_carry_their_conversation(front_tiny, front_http):
    truth = front_tiny.truth()
    messages, comments = [], []
    for conversation in truth["conversations"]:
        if conversation["status"] == "deleted":
            continue
        base = f"{front_tiny.base_url}/conversations/{conversation['id']}"
        messages += [dict(m, conversation_id=conversation["id"])
                     for m in walk(front_http, base + "/messages", {"limit": 100})]
        comments += [dict(c, conversation_id=conversation["id"])
                     for c in front_http.get(base + "/comments").json()["_results"]]
    assert by_id(messages) == by_id(truth["messages"]) and len(messages) == len(truth["messages"])
    assert by_id(comments) == by_id(truth["comments"]) and len(comments) == len(truth["comments"])


def test_custom_fields_carry_their_resource(front_tiny, front_http):
    truth = front_tiny.truth()["custom_fields"]
    resources = {f["resource"] for f in truth}
    assert resources == {"accounts", "contacts", "conversations", "inboxes", "links", "teammates"}
    for resource in resources:
        served = front_http.get(f"{front_tiny.base_url}/{resource}/custom_fields").json()["_results"]
        assert [dict(f, resource=resource) for f in served] == [f for f in truth if f["resource"] == resource]


def test_analytics_truth_has_one_entry_per_utc_day(front_tiny):
    app = front_tiny.app
    days = front_tiny.truth()["analytics"]
    assert days[0]["start"] == app.world.start - app.world.start % DAY
    assert days[-1]["start"] == app.anchor - app.anchor % DAY
    assert all(d["end"] - d["start"] == DAY for d in days)
    assert all(b["start"] == a["end"] for a, b in zip(days, days[1:]))
    assert all([m["id"] for m in d["metrics"]] == list(METRIC_IDS) for d in days)
    assert sum(m["value"] for d in days for m in d["metrics"] if m["id"] == "num_messages_received") > 0


def test_tiny_scale_is_multi_page_where_it_matters(front_tiny):
    truth = front_tiny.truth()
    assert len(truth["contacts"]) > 100
    assert len(truth["events"]) > 15
    per_conversation = {}
    for message in truth["messages"]:
        per_conversation[message["conversation_id"]] = per_conversation.get(message["conversation_id"], 0) + 1
    assert max(per_conversation.values()) > 100
    assert front_tiny.app.scale_counts()["messages"] == len(truth["messages"])


def test_mutate_changes_truth_and_the_api(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    app = server.app
    before = server.truth()
    newest_event = front_http.get(server.base_url + "/events", params={"limit": 1}).json()["_results"][0]
    changed = control(front_http, server, "mutate", {"count": 16})["changed"]
    assert set(changed) == {"contacts", "conversations", "messages", "comments", "events"}
    assert all(changed[k] for k in changed)
    after = server.truth()

    contacts = by_id(after["contacts"])
    for contact_id in changed["contacts"]:
        assert contacts[contact_id]["updated_at"] > app.anchor
    updated = walk(front_http, server.base_url + "/contacts",
                   {"q[updated_after]": app.anchor, "sort_by": "updated_at", "sort_order": "asc"})
    assert [c["id"] for c in updated] == changed["contacts"]

    assert set(changed["messages"]) <= set(by_id(after["messages"]))
    assert not set(changed["messages"]) & set(by_id(before["messages"]))
    assert set(changed["comments"]) <= set(by_id(after["comments"]))
    new_conversations = set(by_id(after["conversations"])) - set(by_id(before["conversations"]))
    assert new_conversations and new_conversations <= set(changed["conversations"])

    fresh = walk(front_http, server.base_url + "/events", {"q[after]": newest_event["emitted_at"]})
    assert sorted(e["id"] for e in fresh) == sorted(changed["events"])
    assert all(int(e["id"][4:], 36) > int(newest_event["id"][4:], 36) for e in fresh)
    assert len(after["events"]) == len(before["events"]) + len(changed["events"])

    head = walk(front_http, server.base_url + "/conversations", {"limit": 100})
    assert head[0]["id"] in changed["conversations"]
    assert head[0]["updated_at"] > app.anchor


def test_mutations_keep_coming_and_stay_ordered(sandbox):
    server = sandbox("front", scale="tiny")
    first = server.mutate(4)
    second = server.mutate(4)
    assert max(int(e[4:], 36) for e in first["events"]) < min(int(e[4:], 36) for e in second["events"])
    events = server.truth()["events"]
    times = [e["emitted_at"] for e in events]
    assert times == sorted(times)


def test_new_messages_reach_the_conversation_messages_route(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    changed = server.mutate(8)
    messages = by_id(server.truth()["messages"])
    message = messages[changed["messages"][0]]
    url = f"{server.base_url}/conversations/{message['conversation_id']}/messages"
    assert front_http.get(url).json()["_results"][0]["id"] == message["id"]
