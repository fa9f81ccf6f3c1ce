"""Front's behaviour around the data: auth and scopes, merged conversations, ticketing,
determinism, timestamps, options, and the core's rate limits on real Front routes."""
import json

import pytest
from conftest import control, walk

from sandbox import make_app
from sandbox.front.ids import parse_instant


def test_missing_or_bad_token_is_a_401(front_tiny, http):
    assert http.get(front_tiny.base_url + "/me").status_code == 401
    response = http.get(front_tiny.base_url + "/contacts", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["_error"]["title"] == "Unauthorized"


def test_token_option(sandbox, http):
    server = sandbox("front", scale="tiny", app_options={"token": "s3cret"})
    assert http.get(server.base_url + "/me", headers={"Authorization": "Bearer s3cret"}).ok
    assert http.get(server.base_url + "/me", headers={"Authorization": "Bearer sandbox-token"}
                    ).status_code == 401


def test_missing_scopes_answer_403_naming_the_scope(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"missing_scopes": ["/contacts", "tags:read"]})
    contacts = front_http.get(server.base_url + "/contacts")
    assert contacts.status_code == 403 and "contacts:read" in contacts.json()["_error"]["message"]
    assert "tags:read" in front_http.get(server.base_url + "/tags").json()["_error"]["message"]
    assert front_http.get(server.base_url + "/me").ok  # no scope needed
    assert front_http.get(server.base_url + "/accounts").ok
    control(front_http, server, "options", {"missing_scopes": "events:*:read"})
    assert front_http.get(server.base_url + "/events").status_code == 403
    assert front_http.get(server.base_url + "/contacts").ok


def test_statuses_404_without_ticketing(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"ticketing": False})
    response = front_http.get(server.base_url + "/company/statuses")
    assert response.status_code == 404 and response.json()["_error"]["status"] == 404
    assert server.truth()["statuses"] == []
    conversation = walk(front_http, server.base_url + "/conversations")[0]
    assert "status_id" not in conversation and conversation["ticket_ids"] == []
    server.set_option("ticketing", True)
    assert front_http.get(server.base_url + "/company/statuses").ok


def test_merged_conversation_redirects_its_child_routes(front_tiny, front_http):
    merged = [c for c in front_tiny.truth()["conversations"] if c["status"] == "deleted"]
    assert merged
    base = f"{front_tiny.base_url}/conversations/{merged[0]['id']}"
    for child in ("messages", "comments"):
        response = front_http.get(f"{base}/{child}?limit=5", allow_redirects=False)
        assert response.status_code == 301
        location = response.headers["Location"]
        assert location.endswith(f"/{child}?limit=5") and merged[0]["id"] not in location
    followed = front_http.get(base + "/messages")
    assert followed.ok and followed.history[0].status_code == 301
    assert followed.json()["_results"][0]["_links"]["related"]["conversation"] != merged[0]["_links"]["self"]


def test_unknown_routes_and_methods(front_tiny, front_http):
    assert front_http.get(front_tiny.base_url + "/nothing").status_code == 404
    assert front_http.get(front_tiny.base_url + "/conversations/cnv_zz/messages").status_code == 404
    assert front_http.get(front_tiny.base_url + "/conversations/bad/messages").status_code == 404
    assert front_http.post(front_tiny.base_url + "/contacts", json={}).status_code == 405


def test_endpoint_templates(front_tiny):
    from sandbox.app import Request

    def template(path):
        return front_tiny.app.endpoint_of(Request("GET", path, {}, {}))

    assert template("/conversations/cnv_1/messages") == "/conversations/{id}/messages"
    assert template("/conversations/search/after:1 before:2") == "/conversations/search/{query}"
    assert template("/analytics/reports/abc") == "/analytics/reports/{id}"
    assert template("/teammates/custom_fields") == "/teammates/custom_fields"
    assert template("/whatever") == "/whatever"


def test_same_seed_same_data_other_seed_other_data():
    first = make_app("front", seed=3, scale="tiny").truth()
    assert first == make_app("front", seed=3, scale="tiny").truth()
    other = make_app("front", seed=4, scale="tiny").truth()
    assert [c["id"] for c in first["contacts"]] == [c["id"] for c in other["contacts"]]
    assert first["contacts"] != other["contacts"]


def test_timestamps_are_epoch_seconds_with_at_most_three_decimals(front_tiny):
    truth = front_tiny.truth()
    anchor = front_tiny.app.anchor

    def stamps(stream, field):
        return [r[field] for r in truth[stream] if r.get(field) is not None]

    values = (stamps("messages", "created_at") + stamps("events", "emitted_at")
              + stamps("contacts", "updated_at") + stamps("conversations", "updated_at")
              + stamps("comments", "posted_at") + stamps("accounts", "created_at"))
    assert all(isinstance(v, (int, float)) for v in values)
    assert all(round(v, 3) == v for v in values)
    assert max(values) < anchor
    activity = stamps("events", "emitted_at")
    assert max(activity) - min(activity) > 14 * 86400, "several weeks of data"


def test_anchor_option_moves_the_data():
    app = make_app("front", scale="tiny", anchor="2025-01-01T00:00:00Z")
    events = app.truth()["events"]
    assert max(e["emitted_at"] for e in events) < parse_instant("2025-01-01")
    with pytest.raises(ValueError):
        app.set_option("anchor", "2024-01-01")
    with pytest.raises(KeyError):
        app.set_option("colour", "red")
    with pytest.raises(ValueError):
        make_app("front", scale="tiny", colour="red")


def test_contact_groups_is_an_alias_of_contact_lists(front_tiny, front_http):
    lists = front_http.get(front_tiny.base_url + "/contact_lists").json()["_results"]
    groups = front_http.get(front_tiny.base_url + "/contact_groups").json()["_results"]
    assert lists == groups and lists


def test_contacts_without_updated_at(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"contact_updated_at": False})
    contact = front_http.get(server.base_url + "/contacts").json()["_results"][0]
    assert "updated_at" not in contact


def test_record_links_use_the_company_host(front_tiny, front_http):
    contact = front_http.get(front_tiny.base_url + "/contacts").json()["_results"][0]
    assert contact["_links"]["self"] == f"http://localhost:{front_tiny.port}/contacts/{contact['id']}"


def test_every_front_response_carries_rate_limit_headers(sandbox, front_http):
    server = sandbox("front", scale="tiny", rpm=100)
    for path in ("/me", "/contacts", "/nothing"):
        headers = front_http.get(server.base_url + path).headers
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(headers)


def test_search_has_its_own_share_of_the_budget(sandbox, front_http):
    server = sandbox("front", scale="tiny", rpm=10, burst=False)
    url = server.base_url + "/conversations/search/is:open"
    codes = [front_http.get(url).status_code for _ in range(5)]
    assert codes == [200] * 4 + [429]
    assert front_http.get(server.base_url + "/contacts").ok
    stats = server.stats()
    assert stats["endpoints"]["/conversations/search/{query}"]["rate_limited"] == 1


def test_burst_is_per_resource_template(sandbox, front_http):
    server = sandbox("front", scale="tiny", rpm=1000, clock=lambda: 1_800_000_000.0)
    conversations = walk(front_http, server.base_url + "/conversations", {"limit": 100})[:6]
    server.reset_stats()
    codes = [front_http.get(f"{server.base_url}/conversations/{c['id']}/comments").status_code
             for c in conversations]
    assert codes == [200] * 5 + [429]
    assert server.stats()["burst_limited"] == 1


def test_fault_on_one_front_endpoint(sandbox, front_http):
    server = sandbox("front", scale="tiny", faults="503:first=1@/conversations/{id}/messages")
    conversation = walk(front_http, server.base_url + "/conversations", {"limit": 100})[0]
    url = f"{server.base_url}/conversations/{conversation['id']}/messages"
    assert front_http.get(url).status_code == 503
    assert front_http.get(url).ok
    assert front_http.get(server.base_url + "/events").ok


def test_truth_over_http_matches_in_process(front_tiny, front_http):
    body = front_http.get(front_tiny.base_url + "/_sandbox/truth?streams=tags,analytics").json()
    assert set(body["streams"]) == {"tags", "analytics"}
    assert body["streams"]["tags"] == json.loads(json.dumps(front_tiny.truth()["tags"]))
