"""The HTTP base against a scripted loopback server: retries, Retry-After, typed errors,
credentials only to trusted origins."""
import pytest

from tap_engine.errors import HTTPError, RetryableError, TransportError
from tap_engine.http import HttpClient, backoff_waits, retry_after_seconds
from tests.support.scripted_http import ScriptedServer


class TokenClient(HttpClient):
    def auth_headers(self):
        return {"Authorization": "Bearer s3cret-token"}


def make_client(url, **kwargs):
    kwargs.setdefault("retry_base_seconds", 0.001)
    kwargs.setdefault("max_tries", 4)
    return TokenClient(url, **kwargs)


def test_429_with_retry_after_waits_at_least_that_long():
    answers = [(429, {"Retry-After": "0.05"}, {}), (200, {}, {"n": 1})]
    with ScriptedServer(answers) as server:
        client = make_client(server.url)
        waits = []
        original = client._log_retry
        client._log_retry = lambda details: (waits.append(details["wait"]), original(details))
        assert client.send("GET", "/x", "/x") == {"n": 1}
    assert len(server.requests) == 2
    assert waits and waits[0] >= 0.05


def test_429_without_retry_after_uses_exponential_backoff():
    answers = [(429, {}, {}), (429, {}, {}), (200, {}, {"ok": 1})]
    with ScriptedServer(answers) as server:
        client = make_client(server.url)
        assert client.send("GET", "/x", "/x") == {"ok": 1}
        assert client.retries == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(status):
    with ScriptedServer([(status, {}, {}), (200, {}, {"ok": 1})]) as server:
        assert make_client(server.url).send("GET", "/x", "/x") == {"ok": 1}
        assert len(server.requests) == 2


def test_persistent_error_gives_up_after_max_tries_with_endpoint_and_status():
    with ScriptedServer([(502, {}, {})] * 10) as server:
        client = make_client(server.url, max_tries=3)
        with pytest.raises(RetryableError) as caught:
            client.send("GET", "/things/123", "/things/{id}")
        assert len(server.requests) == 3
    assert "/things/{id}" in str(caught.value) and "502" in str(caught.value)


def test_client_errors_are_not_retried():
    with ScriptedServer([(404, {}, {})]) as server:
        with pytest.raises(HTTPError) as caught:
            make_client(server.url).send("GET", "/x", "/x")
        assert len(server.requests) == 1
    assert caught.value.status == 404 and not isinstance(caught.value, RetryableError)


def test_timeout_is_retried_then_reported_without_url():
    import socket
    # A listening socket that never answers: every attempt times out.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        url = "http://127.0.0.1:{}".format(silent.getsockname()[1])
        client = make_client(url, timeout=0.2, max_tries=2)
        with pytest.raises(TransportError) as caught:
            client.send("GET", "/slow?token=abc", "/slow")
        assert client.retries == 1
        assert "abc" not in str(caught.value) and "/slow" in str(caught.value)
    finally:
        silent.close()


def test_connection_reset_is_retried():
    with ScriptedServer([("reset", {}, {}), (200, {}, {"ok": 1})]) as server:
        assert make_client(server.url).send("GET", "/x", "/x") == {"ok": 1}


def test_body_that_is_not_json_is_retried():
    with ScriptedServer([(200, {}, b'{"_results": [1, 2'), (200, {}, {"ok": 1})]) as server:
        assert make_client(server.url).send("GET", "/x", "/x") == {"ok": 1}


def test_credentials_sent_to_own_origin_only():
    with ScriptedServer([(200, {}, {})] * 3) as own, ScriptedServer([(200, {}, {})]) as foreign:
        client = make_client(own.url)
        client.send("GET", own.url + "/a", "/a")
        client.send("GET", own.url.replace("127.0.0.1", "localhost") + "/b", "/b")
        client.send("GET", foreign.url + "/c", "/c")
    assert own.requests[0]["headers"].get("Authorization") == "Bearer s3cret-token"
    assert own.requests[1]["headers"].get("Authorization") == "Bearer s3cret-token"
    assert "Authorization" not in foreign.requests[0]["headers"]


def test_https_suffix_trust():
    client = HttpClient("https://api2.example.com", trusted_suffixes=(".api.example.com",))
    assert client.is_trusted("https://acme.api.example.com/x")
    assert not client.is_trusted("http://acme.api.example.com/x")
    assert not client.is_trusted("https://evil.example.org/x")
    assert not client.is_trusted("https://api.example.com.evil.org/x")


def test_retry_after_forms():
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("0.341") == pytest.approx(0.341)
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == pytest.approx(10)
    assert retry_after_seconds("soon") is None


def test_backoff_waits_grow_and_respect_floor():
    gen = backoff_waits(base=1.0, factor=2.0, cap=8.0, rng=lambda: 1.0)
    next(gen)
    waits = [gen.send(None) for _ in range(5)]
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0]

    class Limited(Exception):
        retry_after = 30.0
    gen = backoff_waits(base=1.0, rng=lambda: 0.0)
    next(gen)
    assert gen.send(Limited()) == 30.0
