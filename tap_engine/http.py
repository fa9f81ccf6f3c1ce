"""The HTTP base both clients build on: one session, a timeout on every request, the shared
pacer, retries with backoff that never come sooner than Retry-After, singer request metrics per
endpoint template, and typed errors that never carry credentials."""
import email.utils
import logging
import random
import threading
import time
from urllib.parse import urlsplit

import backoff
import requests
from singer import metrics

from . import logs
from .accounting import Tally
from .errors import HTTPError, RetryableError, TransportError
from .pacing import Pacer

LOGGER = logging.getLogger("tap.http")
RETRY_STATUSES = {429, 500, 502, 503, 504}


def retry_after_seconds(value, now=None):
    """Retry-After as seconds: a number (fractions allowed) or an HTTP date; None if absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def backoff_waits(base=1.0, factor=2.0, cap=60.0, rng=random.random):
    """backoff wait generator: exponential with equal jitter, and never shorter than the
    `retry_after` the failed attempt's exception carries."""
    error = yield
    attempt = 0
    while True:
        ceiling = min(cap, base * factor ** attempt)
        delay = ceiling / 2 + rng() * ceiling / 2
        attempt += 1
        floor = getattr(error, "retry_after", None) or 0.0
        error = yield max(delay, floor)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _port(parts):
    return parts.port or (443 if parts.scheme == "https" else 80)


def _origins_of(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    names = _LOOPBACK if host in _LOOPBACK else (host,)
    return {(name, _port(parts)) for name in names}


# Causes a transport failure can have, most telling first: (exception class names in the
# chain of causes, what the one line says). Names, not classes: urllib3 and the socket module
# raise them from deep inside requests.
_CAUSES = (
    (("SSLError", "SSLCertVerificationError"), "TLS handshake failed"),
    (("ProxyError",), "the proxy refused or failed"),
    (("NameResolutionError", "gaierror"), "host name not resolved"),
    (("ConnectionRefusedError",), "connection refused"),
    (("ConnectTimeout", "ConnectTimeoutError"), "no connection in time"),
    (("ReadTimeout", "ReadTimeoutError", "Timeout"), "no answer in time"),
    (("ConnectionResetError", "RemoteDisconnected", "ProtocolError", "ChunkedEncodingError"),
     "connection reset"),
)


def _short(exc, url):
    """A transport exception as one line naming the host and the cause, without the URL (its
    query may carry values) or the library's long message."""
    names = set()
    seen = exc
    while seen is not None and len(names) < 50:
        names.add(type(seen).__name__)
        reason = getattr(seen, "reason", None)
        if isinstance(reason, BaseException):
            names.add(type(reason).__name__)
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args and isinstance(
            seen.args[0], BaseException) else None)
    cause = next((text for kinds, text in _CAUSES if names & set(kinds)), "connection failed")
    parts = urlsplit(url)
    return "{} to {}:{}: {}".format(type(exc).__name__, parts.hostname, _port(parts), cause)


class HttpClient:
    """Subclasses supply `auth_headers()`, declare their error classes and where an error body
    carries its message, and may refine `observe()` and `pace()`. A context manager that
    closes the session on exit."""

    # The exception an error answer raises: by status, then for any other 5xx, then for the
    # rest. A RetryableError class is retried, no sooner than the answer's Retry-After.
    error_classes = {status: RetryableError for status in RETRY_STATUSES}
    server_error_class = HTTPError
    default_error_class = HTTPError
    # Where a JSON error body carries its message: the keys leading to the object holding it,
    # then the keys tried in turn for its text. No keys: the status alone says it.
    error_message_path = ()
    error_message_keys = ()

    def __init__(self, base_url, timeout=300, user_agent=None, pacer=None, max_tries=10,
                 retry_base_seconds=1.0, retry_cap_seconds=60.0, trusted_suffixes=()):
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout or 300)
        self.pacer = pacer or Pacer()
        self.max_tries = max_tries
        self.retry_base_seconds = retry_base_seconds
        self.retry_cap_seconds = retry_cap_seconds
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if user_agent:
            self.session.headers["User-Agent"] = user_agent
        self.trusted_origins = _origins_of(self.base_url)
        self.trusted_suffixes = tuple(trusted_suffixes)
        self.tally = Tally()
        self.retries = 0
        self._accepted = threading.Event()
        self._first_answer = threading.Lock()
        self._rejection = None   # a 401 answer: the credentials are wrong for every thread
        self._masked = None

    @property
    def requests_sent(self):
        return self.tally.total

    # --- hooks -------------------------------------------------------------------------
    def auth_headers(self):
        return {}

    def observe(self, response):
        """Called with every response, before status handling (rate-limit headers)."""

    def pace(self, endpoint):
        """Block until a request to `endpoint` may go out (every attempt, retries included).
        Subclasses add per-endpoint limits (an API's burst tier, a search sub-budget)."""
        self.pacer.wait()

    def raise_for(self, response, endpoint):
        """Turn a non-2xx response into the exception declared for its status."""
        status = response.status_code
        cls = self.error_class(status)
        detail = self.error_detail(response)
        if issubclass(cls, RetryableError):
            raise cls(endpoint, status, detail, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        raise cls(endpoint, status, detail)

    def error_class(self, status):
        if status in self.error_classes:
            return self.error_classes[status]
        return self.server_error_class if status >= 500 else self.default_error_class

    def error_detail(self, response):
        """The message at `error_message_path` in a JSON error body, "" when there is none."""
        if not self.error_message_keys:
            return ""
        try:
            found = response.json()
        except ValueError:
            return ""
        for key in self.error_message_path:
            found = found.get(key) if isinstance(found, dict) else None
        if not isinstance(found, dict):
            return ""
        return str(next((found[key] for key in self.error_message_keys if found.get(key)), ""))

    # --- sending -----------------------------------------------------------------------
    def is_trusted(self, url):
        """Credentials go to the configured API origin (and its loopback aliases) or, over
        HTTPS, to hosts under the API's own domains; never to a host a link merely names."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if (host, _port(parts)) in self.trusted_origins:
            return True
        return parts.scheme == "https" and any(host == s.lstrip(".") or host.endswith(s) for s in self.trusted_suffixes)

    def absolute(self, path_or_url):
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.base_url + "/" + path_or_url.lstrip("/")

    def send(self, method, url, endpoint, params=None, json=None, headers=None, parse=True):
        """Send with retries; return the parsed JSON body (or the response when parse=False)."""
        retrying = backoff.on_exception(
            lambda: backoff_waits(self.retry_base_seconds, 2.0, self.retry_cap_seconds),
            RetryableError,
            max_tries=self.max_tries,
            jitter=None,
            on_backoff=self._log_retry,
        )(self._send_once)
        return retrying(method, self.absolute(url), endpoint, params, json, headers, parse)

    def _send_once(self, method, url, endpoint, params, json, headers, parse):
        if self._accepted.is_set():
            return self._exchange(method, url, endpoint, params, json, headers, parse)
        # Until an answer shows the credentials are accepted, one request at a time: threads
        # starting together cost a wrong token one request, not one each.
        with self._first_answer:
            if self._rejection is not None:
                self.raise_for(self._rejection, endpoint)
            return self._exchange(method, url, endpoint, params, json, headers, parse)

    def _exchange(self, method, url, endpoint, params, json, headers, parse):
        merged = dict(headers or {})
        if self.is_trusted(url):
            credentials = self.auth_headers()
            self._mask(credentials)
            merged.update(credentials)
        else:
            LOGGER.warning("%s: not sending credentials to untrusted host %s", endpoint, urlsplit(url).hostname)
        self.pace(endpoint)
        with metrics.http_request_timer(endpoint) as timer, self.tally.sending():
            try:
                response = self.session.request(method, url, params=params, json=json, headers=merged,
                                                timeout=self.timeout, allow_redirects=False)
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise TransportError(endpoint, _short(exc, url)) from None
            timer.tags[metrics.Tag.http_status_code] = response.status_code
        self.observe(response)
        if response.status_code == 401:
            self._rejection = response
        elif response.status_code < 400 or response.status_code in (403, 404):
            self._accepted.set()
        if response.status_code >= 300:
            self.raise_for(response, endpoint)
        if not parse:
            return response
        try:
            return response.json()
        except ValueError:
            # A body cut short or an HTML page from a proxy: the next attempt may be whole.
            raise TransportError(endpoint, "HTTP {} with a body that is not JSON".format(response.status_code)) from None

    def _mask(self, credentials):
        """Mask what goes on the wire too (Basic credentials are an encoding of the secrets,
        which the config's masking cannot know), should a library's error quote a header."""
        if self._masked != credentials:
            for value in credentials.values():
                logs.SECRETS.add(value)
                logs.SECRETS.add(value.split(" ", 1)[-1])
            self._masked = dict(credentials)

    def _log_retry(self, details):
        self.retries += 1
        error = details.get("exception")
        LOGGER.warning("%s; retry %d in %.1f s", error, details["tries"], details["wait"])
        # Every thread waits out a rate limit, not only the one that hit it.
        if isinstance(error, RetryableError) and error.status == 429:
            self.pacer.hold_for(details["wait"])

    def make_quick(self):
        """For connection checks: an orchestrator waits seconds, not minutes, for the verdict."""
        self.max_tries = 2
        self.timeout = min(self.timeout, 8.0)
        self.retry_cap_seconds = 1.0
        return self

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
