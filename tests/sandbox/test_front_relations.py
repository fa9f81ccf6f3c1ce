"""Relationships: the link tables and the records hanging off others equal what the endpoints
serve, ``link_ids`` agree with the rendered ``_links.related`` URLs, the tag family lists the
right subsets, and the mutations ``follow``, ``unfollow``, ``note`` and ``move`` show in both."""
import json

import pytest
from conftest import control, walk

from sandbox import make_app


def by_id(records):
    return {r["id"]: r for r in records}


def rows(records):
    """Records as a sorted list, to compare without order."""
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def tail(url):
    """The id at the end of a URL (or None)."""
    return url.rsplit("/", 1)[1] if url else None


def owner_of(url):
    """(owner_type, owner_id) from an owner URL."""
    if url is None:
        return None, None
    resource, owner = url.rsplit("/", 2)[1:]
    return {"teammates": "teammate", "teams": "team"}[resource], owner


@pytest.fixture(scope="module")
def truth(front_tiny):
    return front_tiny.truth()


def get(http, server, path, **params):
    response = http.get(server.base_url + path, params=params or None)
    assert response.ok, response.text
    return response.json()


def pair_rows(http, server, truth, parents, path, parent_column, child_column):
    found = []
    for parent in truth[parents]:
        for child in get(http, server, path.format(parent["id"]))["_results"]:
            found.append({parent_column: parent["id"], child_column: child["id"]})
    return found


@pytest.mark.parametrize("stream,parents,path,columns", [
    ("team_inboxes", "teams", "/teams/{}/inboxes", ("team_id", "inbox_id")),
    ("teammate_group_teammates", "teammate_groups", "/teammate_groups/{}/teammates", ("teammate_group_id", "teammate_id")),
    ("teammate_group_teams", "teammate_groups", "/teammate_groups/{}/teams", ("teammate_group_id", "team_id")),
    ("teammate_group_inboxes", "teammate_groups", "/teammate_groups/{}/inboxes", ("teammate_group_id", "inbox_id")),
    ("inbox_teammates", "inboxes", "/inboxes/{}/teammates", ("inbox_id", "teammate_id")),
    ("shift_teammates", "shifts", "/shifts/{}/teammates", ("shift_id", "teammate_id")),
])
def test_link_tables_equal_the_endpoints(front_tiny, front_http, truth, stream, parents, path, columns):
    served = pair_rows(front_http, front_tiny, truth, parents, path, *columns)
    assert served and rows(served) == rows(truth[stream])
    assert len(served) == len({tuple(r.values()) for r in served})  # one row per link


def test_team_object_has_its_members_and_inboxes(front_tiny, front_http, truth):
    members, inboxes = [], []
    teammates, all_inboxes = by_id(truth["teammates"]), by_id(truth["inboxes"])
    for team in truth["teams"]:
        body = get(front_http, front_tiny, f"/teams/{team['id']}")
        assert {k: body[k] for k in ("_links", "id", "name")} == team
        assert all(m == teammates[m["id"]] for m in body["members"])
        assert all(i == all_inboxes[i["id"]] for i in body["inboxes"])
        members += [{"team_id": team["id"], "teammate_id": m["id"]} for m in body["members"]]
        inboxes += [{"team_id": team["id"], "inbox_id": i["id"]} for i in body["inboxes"]]
    assert rows(members) == rows(truth["team_members"])
    assert rows(inboxes) == rows(truth["team_inboxes"])
    assert {r["teammate_id"] for r in truth["team_members"]} == set(teammates)  # everyone in a team


def conversation_rows(http, server, truth, child, column):
    found = []
    for conversation in truth["conversations"]:
        response = http.get(f"{server.base_url}/conversations/{conversation['id']}/{child}",
                            allow_redirects=False)
        if response.status_code == 301:
            continue  # merged: not a live conversation
        assert response.ok, response.text
        found += [{"conversation_id": conversation["id"], column: r["id"]} for r in response.json()["_results"]]
    return found


def test_conversation_inboxes_and_followers_equal_the_truth(front_tiny, front_http, truth):
    inboxes = conversation_rows(front_http, front_tiny, truth, "inboxes", "inbox_id")
    assert rows(inboxes) == rows(truth["conversation_inboxes"])
    assert len(inboxes) == len([c for c in truth["conversations"] if c["status"] != "deleted"])
    followers = conversation_rows(front_http, front_tiny, truth, "followers", "teammate_id")
    assert followers and rows(followers) == rows(truth["conversation_followers"])
    assigned = {(c["id"], c["assignee"]["id"]) for c in truth["conversations"] if c["assignee"]}
    assert assigned <= {(r["conversation_id"], r["teammate_id"]) for r in followers}  # assignees follow


def test_merged_and_deleted_conversations_answer_as_messages_does(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    merged = [c for c in server.truth(["conversations"])["conversations"] if c["status"] == "deleted"][0]
    for child in ("inboxes", "followers"):
        response = front_http.get(f"{server.base_url}/conversations/{merged['id']}/{child}?x=1",
                                  allow_redirects=False)
        assert response.status_code == 301 and response.headers["Location"].endswith(f"/{child}?x=1")
    [deleted] = server.mutate(1, kinds=["delete"])["deleted_conversations"]
    for child in ("inboxes", "followers", "messages"):
        response = front_http.get(f"{server.base_url}/conversations/{deleted}/{child}")
        assert response.status_code == 404 and response.json()["_error"]["status"] == 404


def test_account_contacts_equal_the_truth(front_tiny, front_http, truth):
    served = []
    contacts = by_id(truth["contacts"])
    for account in truth["accounts"]:
        listed = walk(front_http, f"{front_tiny.base_url}/accounts/{account['id']}/contacts", {"limit": 3})
        times = [c["created_at"] for c in listed if "created_at" in c]
        assert times == sorted(times, reverse=True)
        assert all(c == contacts[c["id"]] for c in listed)
        served += [{"account_id": account["id"], "contact_id": c["id"]} for c in listed]
    assert rows(served) == rows(truth["account_contacts"])
    assert len({r["contact_id"] for r in served}) == len(served)  # at most one account each


def test_contact_notes_equal_the_truth(front_tiny, front_http, truth):
    served = []
    for contact in truth["contacts"]:
        response = front_http.get(contact["_links"]["related"]["notes"])
        assert response.status_code == 202
        served += [dict(n, contact_id=contact["id"]) for n in response.json()["_results"]]
    assert served and served == truth["contact_notes"]
    keys = [(n["contact_id"], n["created_at"]) for n in served]
    assert len(set(keys)) == len(keys)  # a note is its contact and its created_at
    updated = {c["id"]: c["updated_at"] for c in truth["contacts"]}
    assert all(n["created_at"] <= updated[n["contact_id"]] for n in served)


def test_signatures_time_offs_views_and_knowledge_bases_equal_the_truth(front_tiny, front_http, truth):
    signatures = []
    for kind in ("teammates", "teams"):
        for owner in truth[kind]:
            signatures += get(front_http, front_tiny, f"/{kind}/{owner['id']}/signatures")["_results"]
    assert signatures and rows(signatures) == rows(truth["signatures"])
    time_offs = [dict(t, teammate_id=m["id"]) for m in truth["teammates"]
                 for t in walk(front_http, f"{front_tiny.base_url}/teammates/{m['id']}/time_offs", {"limit": 1})]
    assert time_offs and rows(time_offs) == rows(truth["teammate_time_offs"])
    views = [dict(v, team_id=t["id"]) for t in truth["teams"]
             for v in walk(front_http, f"{front_tiny.base_url}/teams/{t['id']}/views", {"limit": 1})]
    assert views and rows(views) == rows(truth["views"])
    bases = get(front_http, front_tiny, "/knowledge_bases")["_results"]
    assert bases == truth["knowledge_bases"]
    for child in ("categories", "articles"):
        served = [dict(r, knowledge_base_id=kb["id"]) for kb in bases
                  for r in walk(front_http, kb["_links"]["related"][child], {"limit": 2})]
        assert served and rows(served) == rows(truth["knowledge_base_" + child])


def test_time_offs_filter_on_being_active(front_tiny, front_http, truth):
    holder = truth["teammate_time_offs"][0]["teammate_id"]
    url = f"{front_tiny.base_url}/teammates/{holder}/time_offs"
    every = walk(front_http, url)
    pivot = every[0]["start_at"]
    later = walk(front_http, url, {"q[active_from]": pivot + 1})
    assert later == [t for t in every if t["end_at"] is None or t["end_at"] >= pivot + 1]
    before = walk(front_http, url, {"q[active_until]": pivot})
    assert every[0] in before and all(t["start_at"] <= pivot for t in before)


def test_link_ids_agree_with_the_rendered_links(truth):
    link_ids = truth["link_ids"]
    assert set(link_ids) == {"tags", "channels", "messages", "comments", "contacts", "inboxes", "rules",
                             "message_templates", "shifts", "signatures"}
    for stream, columns in link_ids.items():
        records = by_id(truth[stream])
        assert set(columns) == set(records), stream
        for record_id, ids in columns.items():
            related = records[record_id]["_links"]["related"]
            expected = {}
            if "owner_type" in ids:
                expected["owner_type"], expected["owner_id"] = owner_of(related["owner"])
                if ids["owner_type"] == "company":
                    expected["owner_type"] = "company"  # the company has no URL: its link is null
            for column, link in (("parent_tag_id", "parent_tag"), ("inbox_id", "inbox"),
                                 ("folder_id", "parent_folder"), ("replied_to_message_id", "message_replied_to"),
                                 ("replied_to_comment_id", "comment_replied_to")):
                if column in ids:
                    expected[column] = tail(related[link])
            assert ids == expected, (stream, record_id)
    owners = {stream: {c["owner_type"] for c in columns.values()} for stream, columns in link_ids.items()
              if stream not in ("messages", "comments")}
    assert owners["tags"] == {"company", "team", "teammate"}
    assert owners["rules"] == {"company", "team", "teammate"}
    assert owners["contacts"] == {None, "team", "teammate"}
    assert owners["channels"] == {"team", "teammate"} and owners["inboxes"] == owners["shifts"] == {"team"}
    assert owners["signatures"] == {"team", "teammate"}
    replies = [c["replied_to_comment_id"] for c in link_ids["comments"].values()]
    assert any(replies) and not all(replies)
    assert any(c["parent_tag_id"] for c in link_ids["tags"].values())


def test_tag_family_lists_the_right_subsets(front_tiny, front_http, truth):
    tags = truth["link_ids"]["tags"]
    assert [t["id"] for t in walk(front_http, front_tiny.base_url + "/tags", {"limit": 3})] == list(tags)
    company = walk(front_http, front_tiny.base_url + "/company/tags", {"limit": 2})
    assert [t["id"] for t in company] == [i for i, c in tags.items() if c["owner_type"] == "company"]
    for kind, owner_type in (("teams", "team"), ("teammates", "teammate")):
        for owner in truth[kind]:
            served = walk(front_http, f"{front_tiny.base_url}/{kind}/{owner['id']}/tags", {"limit": 2})
            assert [t["id"] for t in served] == [i for i, c in tags.items()
                                                 if (c["owner_type"], c["owner_id"]) == (owner_type, owner["id"])]
    records = by_id(truth["tags"])
    for tag_id in tags:
        children = get(front_http, front_tiny, f"/tags/{tag_id}/children")["_results"]
        assert [t["id"] for t in children] == [i for i, c in tags.items() if c["parent_tag_id"] == tag_id]
        assert all(t == records[t["id"]] for t in children)
        assert (records[tag_id]["_links"]["related"]["children"] is not None) == bool(children)


def followers_of(http, server, conversation_id):
    return [t["id"] for t in get(http, server, f"/conversations/{conversation_id}/followers")["_results"]]


def test_follow_and_unfollow_show_in_the_endpoint_and_the_truth_and_emit_nothing(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    before = server.truth()
    for kind in ("follow", "unfollow"):
        changed = control(front_http, server, "mutate", {"count": 3, "kinds": [kind]})["changed"]
        assert len(changed["conversation_followers"]) == 3
        assert not changed["events"] and not changed["conversations"]
        truth = server.truth()
        for conversation_id in changed["conversation_followers"]:
            old = {r["teammate_id"] for r in before["conversation_followers"] if r["conversation_id"] == conversation_id}
            new = {r["teammate_id"] for r in truth["conversation_followers"] if r["conversation_id"] == conversation_id}
            assert len(new - old if kind == "follow" else old - new) == 1 and len(new ^ old) == 1
            assert sorted(new) == followers_of(front_http, server, conversation_id)
        # No event, and the conversations are as they were.
        assert truth["events"] == before["events"] and truth["conversations"] == before["conversations"]
        before = truth
    assert server.app.scale_counts()["conversation_followers"] == len(before["conversation_followers"])


def test_a_note_shows_and_moves_its_contact(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    app = server.app
    changed = control(front_http, server, "mutate", {"count": 2, "kinds": ["note"]})["changed"]
    assert changed["contact_notes"] and changed["contact_notes"] == changed["contacts"]
    truth = server.truth()
    contacts = by_id(truth["contacts"])
    for contact_id in changed["contact_notes"]:
        notes = front_http.get(contacts[contact_id]["_links"]["related"]["notes"]).json()["_results"]
        assert notes[-1]["created_at"] == contacts[contact_id]["updated_at"] > app.anchor
        assert notes == [{k: v for k, v in n.items() if k != "contact_id"}
                         for n in truth["contact_notes"] if n["contact_id"] == contact_id]
    found = walk(front_http, server.base_url + "/contacts", {"q[updated_after]": app.anchor})
    assert sorted(c["id"] for c in found) == sorted(changed["contacts"])
    assert app.scale_counts()["contact_notes"] == len(truth["contact_notes"])


def test_move_changes_the_conversation_inbox(sandbox, front_http):
    server = sandbox("front", scale="tiny")
    changed = server.mutate(2, kinds=["move"])
    truth = server.truth()
    inbox_of = {r["conversation_id"]: r["inbox_id"] for r in truth["conversation_inboxes"]}
    events = [e for e in truth["events"] if e["id"] in changed["events"]]
    assert len(events) == 2 and all(e["type"] == "move" for e in events)
    for event in events:
        conversation_id, inbox = event["conversation"]["id"], event["target"]["data"]["id"]
        assert inbox_of[conversation_id] == inbox
        served = get(front_http, server, f"/conversations/{conversation_id}/inboxes")["_results"]
        assert [i["id"] for i in served] == [inbox]


def test_relations_are_deterministic_and_counted():
    first, second = make_app("front", seed=3, scale="tiny"), make_app("front", seed=3, scale="tiny")
    assert first.truth() == second.truth()
    other = make_app("front", seed=4, scale="tiny").truth()
    assert other["team_members"] != first.truth()["team_members"] or other["link_ids"] != first.truth()["link_ids"]
    truth, counts = first.truth(), first.scale_counts()
    assert {k: len(v) for k, v in truth.items() if k != "link_ids"} == counts


def test_link_ids_are_served_by_the_truth_control_route(front_tiny, front_http, truth):
    served = control(front_http, front_tiny, "truth?streams=link_ids")["streams"]
    assert served == {"link_ids": truth["link_ids"]}
