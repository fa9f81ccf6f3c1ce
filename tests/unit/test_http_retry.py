"""The HTTP base against a scripted loopback server: retries, Retry-After, typed errors,
credentials only to trusted origins; and the error classes each client declares."""
import json

import pytest
import requests

from tap_engine.errors import HTTPError, RetryableError, TransportError
from tap_engine.http import HttpClient, backoff_waits, retry_after_seconds
from tap_front import client as front
from tap_mode import client as mode
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


# --- error classes ----------------------------------------------------------------------
def answer(status, body=b"", retry_after=None):
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def raised(client, response):
    with pytest.raises(HTTPError) as caught:
        client.raise_for(response, "/things")
    return caught.value


@pytest.mark.parametrize("status, cls", [
    (429, RetryableError), (500, RetryableError), (502, RetryableError), (503, RetryableError),
    (504, RetryableError), (501, HTTPError), (400, HTTPError), (404, HTTPError), (301, HTTPError),
])
def test_base_client_errors(status, cls):
    error = raised(HttpClient("http://127.0.0.1:1"), answer(status, {"message": "not read"}, retry_after="2"))
    assert type(error) is cls and error.detail == ""
    assert getattr(error, "retry_after", None) == (2.0 if cls is RetryableError else None)


class Gone(HTTPError):
    pass


class Slow(RetryableError):
    pass


class Broken(RetryableError):
    pass


class Refused(HTTPError):
    pass


class Declared(HttpClient):
    error_classes = {404: Gone, 429: Slow}
    server_error_class = Broken
    default_error_class = Refused
    error_message_path = ("error",)
    error_message_keys = ("message", "title")


@pytest.mark.parametrize("status, cls", [(404, Gone), (429, Slow), (507, Broken), (418, Refused)])
def test_declared_classes_by_status_then_server_error_then_default(status, cls):
    error = raised(Declared("http://127.0.0.1:1"), answer(status, retry_after="2"))
    assert type(error) is cls
    assert getattr(error, "retry_after", None) == (2.0 if issubclass(cls, RetryableError) else None)


@pytest.mark.parametrize("body, detail", [
    ({"error": {"message": "M", "title": "T"}}, "M"),
    ({"error": {"message": "", "title": "T"}}, "T"),
    ({"error": "flat"}, ""),
    ({"message": "M"}, ""),
    ([1, 2], ""),
    (b"<html>proxy</html>", ""),
])
def test_declared_message_path_and_keys(body, detail):
    assert raised(Declared("http://127.0.0.1:1"), answer(418, body)).detail == detail


@pytest.mark.parametrize("status, cls", [
    (401, front.FrontAuthError), (403, front.FrontScopeError), (404, front.FrontNotFoundError),
    (301, front.FrontMovedError), (423, front.MetricsRateLimitException), (429, front.RateLimitException),
    (503, front.RateLimitException), (500, front.FrontServerError), (504, front.FrontServerError),
    (400, front.FrontError),
])
def test_front_errors(status, cls):
    body = {"_error": {"status": status, "title": "Title", "message": "Unknown conversation"}}
    error = raised(front.Client({"token": "t"}), answer(status, body, retry_after="0.5"))
    assert type(error) is cls and isinstance(error, front.FrontError)
    assert str(error) == "/things answered HTTP {}: Unknown conversation".format(status)
    assert getattr(error, "retry_after", None) == (0.5 if issubclass(cls, RetryableError) else None)


def test_front_error_falls_back_to_title():
    error = raised(front.Client({"token": "t"}), answer(404, {"_error": {"title": "Not found"}}))
    assert error.detail == "Not found"


@pytest.mark.parametrize("status, cls", [
    (400, mode.ModeBadRequestError), (401, mode.ModeUnauthorizedError), (402, mode.ModePaymentRequiredError),
    (403, mode.ModeForbiddenError), (404, mode.ModeNotFoundError), (405, mode.ModeMethodNotAllowedError),
    (406, mode.ModeNotAcceptableError), (408, mode.ModeRequestTimeoutError), (409, mode.ModeConflictError),
    (415, mode.ModeUnsupportedMediaTypeError), (422, mode.ModeUnprocessableEntityError),
    (423, mode.ModeLockedError), (429, mode.ModeRateLimitError), (500, mode.ModeInternalServiceError),
    (504, mode.ModeInternalServiceError), (418, mode.ModeError),
])
def test_mode_errors(status, cls):
    error = raised(mode.ModeClient("a", "p", "w", 5), answer(status, {"id": "slug", "message": "Report gone"}, "1"))
    assert type(error) is cls and isinstance(error, mode.ModeError)
    assert str(error) == "/things answered HTTP {}: Report gone".format(status)
    assert getattr(error, "retry_after", None) == (1.0 if issubclass(cls, RetryableError) else None)


def test_mode_error_falls_back_to_id():
    assert raised(mode.ModeClient("a", "p", "w", 5), answer(404, {"id": "not_found"})).detail == "not_found"


def test_mode_client_verifies_the_token_on_entry():
    with ScriptedServer([(401, {}, {"id": "unauthorized", "message": "Bad token"})]) as server:
        client = mode.ModeClient("a", "p", "w", 5, base_url=server.url, retry_base_seconds=0)
        with pytest.raises(mode.ModeUnauthorizedError):
            client.__enter__()
    with ScriptedServer() as server:
        with mode.ModeClient("a", "p", "w", 5, base_url=server.url) as client:
            assert client.requests_sent == 1
        assert server.requests[0]["path"].startswith("/api/w/spaces?")


def test_client_closes_its_session_on_exit(monkeypatch):
    closed = []
    client = front.Client({"token": "t"})
    monkeypatch.setattr(client.session, "close", lambda: closed.append(True))
    with client as entered:
        assert entered is client
    assert closed == [True]
