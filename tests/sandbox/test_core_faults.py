"""Fault injection: the spec grammar, its triggers, and what each kind does on the wire."""
import json
import socket

import pytest
import requests

from sandbox.faults import FaultInjector, FaultSpecError, parse_spec


def fired(injector, endpoint, count):
    return [i + 1 for i in range(count) if injector.pick(endpoint) is not None]


def test_grammar_parses_every_option():
    rule, = parse_spec("stall:every=50:after=2:times=3:seconds=1.5@/conversations/{id}/messages")
    assert (rule.kind, rule.every, rule.after, rule.times, rule.seconds) == ("stall", 50, 2, 3, 1.5)
    assert rule.endpoint == "/conversations/{id}/messages"
    rules = parse_spec(" 500:0.1 , 429-frac:retry=0.7 ,")
    assert [(r.kind, r.fraction, r.retry) for r in rules] == [("500", 0.1, None),
                                                             ("429-frac", None, 0.7)]
    assert parse_spec("") == [] and parse_spec(None) == []


@pytest.mark.parametrize("spec,message", [
    ("418", "unknown fault kind"), ("500:often", "needs a number"), ("500:1.5", "between 0"),
    ("500:every=0", "at least 1"), ("500:colour=red", "unknown fault option"),
    ("500:first=-1", "negative"),
])
def test_grammar_rejects_bad_specs(spec, message):
    with pytest.raises(FaultSpecError, match=message):
        parse_spec(spec)


def test_schedules_every_first_after_times():
    assert fired(FaultInjector("500:every=3"), "/a", 10) == [3, 6, 9]
    assert fired(FaultInjector("500:first=2"), "/a", 10) == [1, 2]
    assert fired(FaultInjector("500:first=2:after=3"), "/a", 10) == [4, 5]
    assert fired(FaultInjector("500:every=2:times=2"), "/a", 10) == [2, 4]
    assert fired(FaultInjector("500"), "/a", 3) == [1, 2, 3]


def test_fractions_are_seeded_and_roughly_right():
    first = fired(FaultInjector("500:0.2", seed=7), "/a", 1000)
    again = fired(FaultInjector("500:0.2", seed=7), "/a", 1000)
    other = fired(FaultInjector("500:0.2", seed=8), "/a", 1000)
    assert first == again and first != other
    assert 150 < len(first) < 250


def test_endpoint_scoping_and_wildcards():
    injector = FaultInjector("500@/conversations/{id}/messages")
    assert injector.pick("/conversations") is None
    assert injector.pick("/conversations/{id}/messages").kind == "500"
    wildcard = FaultInjector("503@/conversations/*")
    assert wildcard.pick("/conversations/{id}/comments").kind == "503"
    assert wildcard.pick("/contacts") is None


def test_first_firing_rule_wins_and_rules_count_independently():
    injector = FaultInjector("500:every=2,502:every=3")
    kinds = [getattr(injector.pick("/a"), "kind", None) for _ in range(6)]
    assert kinds == [None, "500", "502", "500", None, "500"]


def test_faults_set_in_process_and_counted_apart_from_rate_limits(sandbox, http):
    server = sandbox("echo", rpm=1000, burst=False)
    server.set_faults("500:first=1,503:first=1@/b")
    assert http.get(server.base_url + "/a").status_code == 500
    assert http.get(server.base_url + "/a").status_code == 200
    assert http.get(server.base_url + "/b").status_code == 503
    stats = server.stats()
    assert stats["faults"] == 2 and stats["rate_limited"] == 0 and stats["total"] == 3
    assert stats["endpoints"]["/a"] == {"requests": 2, "statuses": {"500": 1, "200": 1},
                                        "rate_limited": 0, "burst_limited": 0, "faults": 1}


@pytest.mark.parametrize("kind,status", [("500", 500), ("502", 502), ("503", 503),
                                         ("504", 504), ("423", 423)])
def test_status_faults_answer_with_a_front_error_body(sandbox, http, kind, status):
    server = sandbox("echo", faults=kind)
    response = http.get(server.base_url + "/a")
    assert response.status_code == status
    assert response.json()["_error"]["status"] == status


def test_status_faults_use_the_mode_body_for_mode_apps(sandbox, http):
    server = sandbox("echo", app_options={"style": "mode"}, faults="504")
    assert http.get(server.base_url + "/a").json()["id"] == "gateway_timeout"


def test_429_kinds_and_their_retry_after(sandbox, http):
    server = sandbox("echo", rpm=100, burst=False, faults="429:first=1")
    plain = http.get(server.base_url + "/a")
    assert plain.status_code == 429 and plain.headers["retry-after"] == "1"
    assert plain.headers["x-ratelimit-remaining"] == "0"
    assert plain.json()["_error"]["title"] == "Too Many Requests"
    server.set_faults("429:retry=3:first=1")
    assert http.get(server.base_url + "/a").headers["retry-after"] == "3"
    server.set_faults("429-bare:first=1")
    bare = http.get(server.base_url + "/a")
    assert bare.status_code == 429 and "retry-after" not in bare.headers
    server.set_faults("429-frac:first=1")
    assert http.get(server.base_url + "/a").headers["retry-after"] == "0.3"
    server.set_faults("burst:first=1")
    burst = http.get(server.base_url + "/a")
    assert burst.status_code == 429 and burst.headers["x-front-tier"] == "burst"
    assert float(burst.headers["retry-after"]) < 1
    assert int(burst.headers["x-ratelimit-remaining"]) > 0
    assert server.stats()["rate_limited"] == 0 and server.stats()["faults"] == 5


def test_mode_429_fault_has_integer_retry_after(sandbox, http):
    server = sandbox("echo", app_options={"style": "mode"}, faults="429:retry=2")
    response = http.get(server.base_url + "/a")
    assert response.headers["Retry-After"] == "2"
    assert response.json()["id"] == "too_many_requests"


def test_html_fault_is_a_502_page(sandbox, http):
    server = sandbox("echo", faults="html")
    response = http.get(server.base_url + "/a")
    assert response.status_code == 502
    assert response.headers["Content-Type"] == "text/html"
    assert response.text.startswith("<html>")
    with pytest.raises(ValueError):
        response.json()


def test_reset_drops_the_connection_without_a_response(sandbox, http):
    server = sandbox("echo", faults="reset:first=1")
    with pytest.raises(requests.ConnectionError):
        http.get(server.base_url + "/a")
    assert http.get(server.base_url + "/a").status_code == 200
    assert server.stats()["endpoints"]["/a"]["statuses"] == {"reset": 1, "200": 1}


def test_reset_sends_no_bytes_at_all(sandbox):
    server = sandbox("echo", faults="reset")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            data = sock.recv(1024)
        except ConnectionResetError:
            data = b""
    assert data == b""


def test_stall_outlasts_a_client_timeout(sandbox):
    server = sandbox("echo", faults="stall:first=1:seconds=30")
    with requests.Session() as session:
        with pytest.raises(requests.Timeout):
            session.get(server.base_url + "/a", timeout=0.2)
        assert session.get(server.base_url + "/a", timeout=10).status_code == 200
    # stop() wakes the stalled handler thread at teardown instead of waiting 30 s.


def test_short_stall_then_answers_normally(sandbox, http):
    server = sandbox("echo", faults="stall:first=1:seconds=0.01")
    response = http.get(server.base_url + "/a")
    assert response.status_code == 200 and response.json()["path"] == "/a"
    assert server.stats()["faults"] == 1


def test_truncated_is_a_200_with_half_a_json_body(sandbox, http):
    server = sandbox("echo", faults="truncated:first=1")
    response = http.get(server.base_url + "/big", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert int(response.headers["Content-Length"]) == len(response.content) > 0
    with pytest.raises(ValueError):
        json.loads(response.content)
    whole = http.get(server.base_url + "/big")
    assert len(whole.content) == 2 * len(response.content) or \
        len(whole.content) == 2 * len(response.content) + 1
