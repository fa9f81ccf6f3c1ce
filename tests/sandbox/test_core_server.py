"""The HTTP core around a minimal echo app: lifecycle, control routes, stats, options."""
import gzip
import json
import threading

import pytest
import requests
from conftest import EchoApp, control

from sandbox.server import SandboxServer


def test_serves_requests_and_reports_origin(sandbox, http):
    server = sandbox("echo")
    assert server.base_url.startswith("http://127.0.0.1:")
    body = http.get(server.base_url + "/things/7?a=1&a=2&b=").json()
    assert body["path"] == "/things/7"
    assert body["query"] == {"a": ["1", "2"], "b": [""]}
    assert body["origin"] == server.base_url
    posted = http.post(server.base_url + "/things", data=b'{"x": 1}').json()
    assert posted["method"] == "POST" and posted["body"] == '{"x": 1}'


def test_keeps_connections_alive(sandbox, http):
    server = sandbox("echo")
    for _ in range(5):
        assert http.get(server.base_url + "/ping").status_code == 200
    assert len(server._connections) == 1


def test_context_manager_stops_and_frees_the_port(http):
    with SandboxServer(EchoApp()) as server:
        url = server.base_url
        assert http.get(url + "/ping").status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/ping", timeout=2)


def test_stats_count_per_endpoint_template(sandbox, http):
    server = sandbox("echo")
    for path in ("/items/1", "/items/2", "/items", "/items/3"):
        http.get(server.base_url + path)
    stats = control(http, server, "stats")
    assert stats["total"] == 4 and stats["rate_limited"] == 0 and stats["faults"] == 0
    assert stats["endpoints"]["/items/{id}"]["requests"] == 3
    assert stats["endpoints"]["/items/{id}"]["statuses"] == {"200": 3}
    assert stats["endpoints"]["/items"]["requests"] == 1
    control(http, server, "stats/reset", {})
    assert control(http, server, "stats")["total"] == 0


def test_control_routes_are_never_counted_limited_or_faulted(sandbox, http):
    server = sandbox("echo", rpm=1, faults="500")
    for _ in range(3):
        control(http, server, "stats")
        control(http, server, "truth")
    assert server.stats()["total"] == 0


def test_truth_and_mutate_routes(sandbox, http):
    server = sandbox("echo")
    assert control(http, server, "truth") == {"streams": {"echo": [{"id": 1}], "other": []}}
    only = http.get(server.base_url + "/_sandbox/truth?streams=other").json()
    assert only == {"streams": {"other": []}}
    assert control(http, server, "mutate", {"count": 3}) == {"changed": {"echo": [0, 1, 2]}}
    assert server.app.mutations == 3
    assert server.mutate(2) == {"echo": [0, 1]}


def test_options_route_sets_core_and_app_options(sandbox, http):
    server = sandbox("echo")
    options = control(http, server, "options",
                      {"rpm": 30, "latency_ms": 0, "jitter_ms": 0, "flavour": "mint"})
    assert options["rpm"] == 30 and options["limiter"]["rpm"] == 30
    assert server.app.options["flavour"] == "mint"
    bad = http.post(server.base_url + "/_sandbox/options", data=json.dumps({"nope": 1}))
    assert bad.status_code == 400 and "nope" in bad.json()["error"]
    with pytest.raises(KeyError):
        server.set_option("nope", 1)


def test_faults_route_sets_spec_and_rejects_bad_ones(sandbox, http):
    server = sandbox("echo")
    described = control(http, server, "faults", {"spec": "500:every=2"})
    assert described["spec"] == "500:every=2"
    assert [http.get(server.base_url + "/x").status_code for _ in range(4)] == [200, 500] * 2
    bad = http.post(server.base_url + "/_sandbox/faults", data=json.dumps({"spec": "418"}))
    assert bad.status_code == 400 and "unknown fault kind" in bad.json()["error"]


def test_unknown_control_route_is_404(sandbox, http):
    server = sandbox("echo")
    assert http.get(server.base_url + "/_sandbox/nothing").status_code == 404


def test_gzip_when_asked_for_and_large_enough(sandbox, http):
    server = sandbox("echo")
    raw = http.get(server.base_url + "/big", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw.raw.read()))["items"][0] == "x" * 50
    plain = http.get(server.base_url + "/big", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    small = http.get(server.base_url + "/ping", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
    server.set_option("gzip", False)
    off = http.get(server.base_url + "/big", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in off.headers


class _RecordingEvent:
    """Stands in for the server's stop event to see the latency it sleeps, without sleeping."""

    def __init__(self):
        self.waits = []

    def wait(self, seconds):
        self.waits.append(seconds)
        return False

    def set(self):
        pass


def test_latency_and_jitter_are_slept_per_request(sandbox, http):
    server = sandbox("echo", latency_ms=40, jitter_ms=20)
    server._stopping = recorder = _RecordingEvent()
    for _ in range(20):
        http.get(server.base_url + "/x")
    assert len(recorder.waits) == 20
    assert all(0.040 <= w <= 0.060 for w in recorder.waits)
    assert len(set(recorder.waits)) > 1
    server.set_latency(0, 0)
    http.get(server.base_url + "/x")
    assert len(recorder.waits) == 20


def test_concurrent_clients_are_all_served_and_counted(sandbox):
    server = sandbox("echo")
    failures = []

    def client():
        with requests.Session() as session:
            for i in range(25):
                response = session.get(server.base_url + f"/c/{i}", timeout=10)
                if response.status_code != 200:
                    failures.append(response.status_code)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    assert server.stats()["endpoints"]["/c/{id}"]["requests"] == 200


def test_app_exception_becomes_a_500_in_the_api_style(sandbox, http, capsys):
    class Broken(EchoApp):
        def handle(self, request):
            raise RuntimeError("boom")

    server = sandbox(Broken())
    response = http.get(server.base_url + "/x")
    assert response.status_code == 500
    assert response.json()["_error"]["status"] == 500
    assert "boom" in capsys.readouterr().err


def test_bad_content_length_is_a_400(sandbox):
    import socket

    server = sandbox("echo")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 400")


def test_broken_control_route_answers_500(sandbox, http, capsys):
    class BrokenTruth(EchoApp):
        def truth(self, streams=None):
            raise RuntimeError("no truth today")

    server = sandbox(BrokenTruth())
    assert http.get(server.base_url + "/_sandbox/truth").status_code == 500
    assert "no truth today" in capsys.readouterr().err
