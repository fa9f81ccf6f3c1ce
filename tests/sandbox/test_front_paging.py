"""Front's pagination quirks: page caps, absolute next links on the other host carrying the
original query, short and empty pages, filters and sort orders."""
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import walk, walk_pages


def ids(records):
    return [r["id"] for r in records]


def test_the_16th_event_needs_a_second_request(front_tiny, front_http):
    first = front_http.get(front_tiny.base_url + "/events").json()
    assert len(first["_results"]) == 15
    assert first["_pagination"]["next"]
    second = front_http.get(first["_pagination"]["next"]).json()
    assert second["_results"][0]["id"] not in ids(first["_results"])


@pytest.mark.parametrize("path,limit", [("/events", 16), ("/contacts", 101), ("/accounts", 0),
                                        ("/conversations", "many")])
def test_limit_over_the_cap_is_a_400_with_a_front_error(front_tiny, front_http, path, limit):
    response = front_http.get(front_tiny.base_url + path, params={"limit": limit})
    assert response.status_code == 400
    error = response.json()["_error"]
    assert error["status"] == 400 and error["title"] == "Bad Request" and "limit" in error["message"]


def test_next_link_is_absolute_on_the_other_host_and_keeps_the_query(front_tiny, front_http):
    port = front_tiny.port
    page = front_http.get(f"http://127.0.0.1:{port}/contacts",
                          params={"limit": 10, "sort_by": "updated_at", "sort_order": "asc"}).json()
    following = urlsplit(page["_pagination"]["next"])
    assert (following.scheme, following.hostname, following.port) == ("http", "localhost", port)
    query = parse_qs(following.query)
    assert query["limit"] == ["10"] and query["sort_by"] == ["updated_at"]
    assert query["sort_order"] == ["asc"] and query["page_token"]
    assert page["_links"]["self"].startswith(f"http://localhost:{port}/contacts?limit=10")
    back = front_http.get(page["_pagination"]["next"]).json()
    assert back["_pagination"]["next"].startswith(f"http://127.0.0.1:{port}/contacts?")


def test_link_host_option_points_links_anywhere(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"link_host": "http://evil.example:9"})
    page = front_http.get(server.base_url + "/events").json()
    assert page["_pagination"]["next"].startswith("http://evil.example:9/events?page_token=")


def test_walking_contacts_yields_each_exactly_once_despite_short_pages(front_tiny, front_http):
    pages = walk_pages(front_http, front_tiny.base_url + "/contacts", {"limit": 20})
    sizes = [len(p["_results"]) for p in pages]
    assert 10 in sizes[:-1], "a short page in the middle of the walk"
    got = ids(r for p in pages for r in p["_results"])
    assert len(got) == len(set(got)) == len(front_tiny.truth()["contacts"]) > 100


def test_empty_pages_still_lead_on(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"empty_pages": True})
    pages = walk_pages(front_http, server.base_url + "/contacts", {"limit": 10})
    empty = [i for i, p in enumerate(pages) if not p["_results"]]
    assert empty and empty[0] < len(pages) - 1
    assert len({r["id"] for p in pages for r in p["_results"]}) == server.app.world.contacts.count


def test_short_pages_can_be_switched_off(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"short_pages": False})
    sizes = [len(p["_results"]) for p in walk_pages(front_http, server.base_url + "/contacts",
                                                     {"limit": 20})]
    assert set(sizes[:-1]) == {20}


def test_last_page_has_null_next(front_tiny, front_http):
    pages = walk_pages(front_http, front_tiny.base_url + "/accounts", {"limit": 5})
    assert pages[-1]["_pagination"]["next"] is None and pages[-1]["_results"]
    assert all(p["_pagination"]["next"] for p in pages[:-1])


def test_tags_accept_limit_and_page_token(front_tiny, front_http):
    pages = walk_pages(front_http, front_tiny.base_url + "/tags", {"limit": 3})
    assert len(pages) > 2
    assert ids(r for p in pages for r in p["_results"]) == ids(front_tiny.truth()["tags"])


def test_long_conversation_needs_two_pages_of_100_messages(front_tiny, front_http):
    longest = max(front_tiny.app.timelines.items, key=lambda c: c.n_messages)
    assert longest.n_messages > 100
    url = f"{front_tiny.base_url}/conversations/{front_tiny.truth()['conversations'][longest.index]['id']}/messages"
    pages = walk_pages(front_http, url, {"limit": 100})
    assert [len(p["_results"]) for p in pages] == [100, longest.n_messages - 100]
    times = [m["created_at"] for p in pages for m in p["_results"]]
    assert times == sorted(times, reverse=True), "newest first"
    ascending = walk(front_http, url, {"limit": 100, "sort_order": "asc"})
    assert [m["created_at"] for m in ascending] == sorted(times)


def test_events_window_is_strict_and_sort_order_applies(front_tiny, front_http):
    events = front_tiny.truth()["events"]
    after, before = events[10]["emitted_at"], events[40]["emitted_at"]
    got = walk(front_http, front_tiny.base_url + "/events",
               {"q[after]": after, "q[before]": before, "sort_by": "created_at", "sort_order": "asc"})
    assert ids(got) == ids(events[11:40])
    newest_first = walk(front_http, front_tiny.base_url + "/events", {"q[after]": after, "q[before]": before})
    assert ids(newest_first) == ids(reversed(events[11:40]))


def test_event_ids_are_base36_of_a_growing_sequence(front_tiny, front_http):
    events = walk(front_http, front_tiny.base_url + "/events", {"sort_order": "asc"})
    numbers = [int(e["id"][4:], 36) for e in events]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    times = [e["emitted_at"] for e in events]
    assert times == sorted(times)
    assert all(e["conversation"]["id"].startswith("cnv_") for e in events)


def test_event_type_filter(front_tiny, front_http):
    got = walk(front_http, front_tiny.base_url + "/events", {"q[types][]": ["comment", "assign"]})
    assert got and {e["type"] for e in got} == {"comment", "assign"}
    assert len(got) == sum(e["type"] in ("comment", "assign") for e in front_tiny.truth()["events"])
    assert front_http.get(front_tiny.base_url + "/events", params={"q[types][]": "nope"}).status_code == 400


def test_contacts_updated_filter_and_sort(front_tiny, front_http):
    contacts = sorted(front_tiny.truth()["contacts"], key=lambda c: c["updated_at"])
    pivot = contacts[60]["updated_at"]
    got = walk(front_http, front_tiny.base_url + "/contacts",
               {"q[updated_after]": pivot, "sort_by": "updated_at", "sort_order": "asc", "limit": 25})
    assert ids(got) == ids(c for c in contacts if c["updated_at"] > pivot)
    before = walk(front_http, front_tiny.base_url + "/contacts", {"q[updated_before]": pivot})
    assert set(ids(before)) == {c["id"] for c in contacts if c["updated_at"] < pivot}
    bad = front_http.get(front_tiny.base_url + "/contacts", params={"q[updated_after]": "soon"})
    assert bad.status_code == 400


def test_accounts_sort_by_updated_at(front_tiny, front_http):
    got = walk(front_http, front_tiny.base_url + "/accounts", {"sort_by": "updated_at", "sort_order": "asc"})
    assert [a["updated_at"] for a in got] == sorted(a["updated_at"] for a in got)
    assert front_http.get(front_tiny.base_url + "/accounts", params={"sort_by": "name"}).status_code == 400


def test_conversations_newest_activity_first_and_status_filter(front_tiny, front_http):
    got = walk(front_http, front_tiny.base_url + "/conversations", {"limit": 7})
    assert len(got) == len(front_tiny.truth()["conversations"])
    times = [c["updated_at"] for c in got]
    assert times == sorted(times, reverse=True)
    archived = walk(front_http, front_tiny.base_url + "/conversations", {"q[statuses][]": "archived"})
    assert archived and {c["status"] for c in archived} == {"archived"}


SEARCHED = ("inbound", "out_reply", "comment")  # a message or a comment was created


def test_search_window_is_inclusive_newest_first_with_total(front_tiny, front_http):
    truth = front_tiny.truth()
    event = [e for e in truth["events"][100:] if e["type"] in SEARCHED][0]
    at = event["emitted_at"]
    query = f"after:{at} before:{at}"
    pages = walk_pages(front_http, f"{front_tiny.base_url}/conversations/search/{query}")
    found = [c for p in pages for c in p["_results"]]
    assert ids(found) == [event["conversation"]["id"]]
    assert pages[0]["_total"] == 1
    day = f"after:{at - 86400} before:{at}"
    wide = walk_pages(front_http, f"{front_tiny.base_url}/conversations/search/{day}", {"limit": 5})
    found = [c for p in wide for c in p["_results"]]
    assert wide[0]["_total"] == len(found) > 1
    times = [c["updated_at"] for c in found]
    assert times == sorted(times, reverse=True)
    active = {e["conversation"]["id"] for e in truth["events"]
              if at - 86400 <= e["emitted_at"] <= at and e["type"] in SEARCHED}
    assert active == {c["id"] for c in found}


def test_search_window_ignores_changes_without_a_message(front_tiny, front_http):
    events = front_tiny.truth()["events"]
    quiet = [e for e in events if e["type"] not in SEARCHED]
    assert quiet
    for event in quiet[:10]:
        at = event["emitted_at"]
        found = walk(front_http, f"{front_tiny.base_url}/conversations/search/after:{at} before:{at}")
        assert event["conversation"]["id"] not in ids(found), event["type"]


def test_bad_page_token_is_a_400(front_tiny, front_http):
    response = front_http.get(front_tiny.base_url + "/contacts", params={"page_token": "!!"})
    assert response.status_code == 400 and response.json()["_error"]["status"] == 400


def test_links_type_filter(front_tiny, front_http):
    got = walk(front_http, front_tiny.base_url + "/links", {"q[types][]": "web"})
    assert got and {link["type"] for link in got} == {"web"}


def test_event_inbox_filter(front_tiny, front_http):
    app = front_tiny.app
    inbox_of = {c["id"]: app.world.inboxes[item.inbox]["id"]
                for c, item in zip(front_tiny.truth()["conversations"], app.timelines.items)}
    inbox = app.world.inboxes[1]["id"]
    got = walk(front_http, front_tiny.base_url + "/events", {"q[inboxes][]": inbox})
    expected = [e["id"] for e in front_tiny.truth()["events"] if inbox_of[e["conversation"]["id"]] == inbox]
    assert got and sorted(ids(got)) == sorted(expected)


def test_search_terms_for_inbox_tag_and_state(front_tiny, front_http):
    world, items = front_tiny.app.world, front_tiny.app.timelines.items
    inbox = world.inboxes[0]["id"]
    found = walk(front_http, f"{front_tiny.base_url}/conversations/search/inbox:{inbox}")
    assert sorted(ids(found)) == sorted(
        c["id"] for c, item in zip(front_tiny.truth()["conversations"], items) if item.inbox == 0)
    tag = world.tags[1]["id"]
    tagged = walk(front_http, f"{front_tiny.base_url}/conversations/search/tag:{tag}")
    assert tagged and all(tag in [t["id"] for t in c["tags"]] for c in tagged)
    archived = walk(front_http, f"{front_tiny.base_url}/conversations/search/is:archived")
    assert archived and {c["status"] for c in archived} == {"archived"}
    bad = front_http.get(f"{front_tiny.base_url}/conversations/search/after:yesterday")
    assert bad.status_code == 400


def test_company_origin_swaps_loopback_names():
    from sandbox.front.paging import company_origin

    assert company_origin("http://127.0.0.1:8080") == "http://localhost:8080"
    assert company_origin("http://localhost:8080") == "http://127.0.0.1:8080"
    assert company_origin("http://[::1]:8080") == "http://[::1]:8080"
    assert company_origin("http://127.0.0.1:1", "evil.example") == "http://evil.example"
