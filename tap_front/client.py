"""Front API client: the seed's interface (`Client(config, logger)`, `url`, `request`, `get`,
`post`) on the shared HTTP base, pacing from Front's own rate-limit headers."""
import threading
import time
from urllib.parse import urlsplit

from tap_engine.errors import HTTPError, RetryableError
from tap_engine.http import HttpClient
from tap_engine.pacing import Pacer


class FrontError(HTTPError):
    """Front answered with an error; the message carries Front's `_error.message`."""


class FrontAuthError(FrontError):
    """401: the token is wrong or revoked."""


class FrontScopeError(FrontError):
    """403: the token lacks the scope this endpoint needs."""


class FrontNotFoundError(FrontError):
    """404: gone, or a feature (ticketing) that is off."""


class FrontMovedError(FrontError):
    """301: a merged conversation's child route."""


class RateLimitException(RetryableError, FrontError):
    """429 or 503: wait (at least Retry-After) and try again."""


class MetricsRateLimitException(RetryableError, FrontError):
    """423: analytics not computed yet; try again later."""


class FrontServerError(RetryableError, FrontError):
    """5xx other than 503."""


# Pacing keeps the requests still awaiting their answers, and this many more, out of the
# budget it spreads: an answer's `remaining` does not count them yet.
RESERVE_MARGIN = 2

SEARCH_ENDPOINT = "/conversations/search/{query}"
SEARCH_SHARE = 0.4   # search may use only this share of the company budget

# Front's burst tier answers 429 beyond about 5 requests per second to one endpoint, even with
# budget left; we send at most 4 per 1.1 s (the margin absorbs network jitter, as the server
# counts arrivals). A budget far above any Front plan (50-200 rpm) means no such limit is in
# force (a local stand-in), and the guard would only slow the run down.
BURST_CALLS, BURST_SECONDS = 4, 1.1
BURST_GUARD_MAX_RPM = 3000


class Client(HttpClient):
    BASE_URL = "https://api2.frontapp.com"

    error_classes = {401: FrontAuthError, 403: FrontScopeError, 404: FrontNotFoundError,
                     301: FrontMovedError, 423: MetricsRateLimitException,
                     429: RateLimitException, 503: RateLimitException}
    server_error_class = FrontServerError
    default_error_class = FrontError
    # {"_error": {"status": 404, "title": "Not found", "message": "Unknown conversation"}}
    error_message_path = ("_error",)
    error_message_keys = ("message", "title")

    def __init__(self, config, logger=None):
        """`logger` is accepted for the seed's signature, and not used."""
        self._token = config["token"]
        super().__init__(
            config.get("base_url") or self.BASE_URL,
            timeout=config.get("request_timeout") or 300,
            user_agent=config.get("user_agent"),
            pacer=Pacer(per_minute=config.get("max_requests_per_minute")),
            max_tries=10,
            retry_base_seconds=config.get("retry_base_seconds", 1.0),
            trusted_suffixes=(".api.frontapp.com", "api2.frontapp.com"),
        )
        self.search_pacer = Pacer()
        self._burst_pacers = {}
        self._burst_lock = threading.Lock()
        self._company_limit = None   # x-ratelimit-limit of ordinary endpoints, once seen

    # --- the seed's interface ----------------------------------------------------------
    def url(self, path):
        return self.absolute(path)

    def request(self, method, path=None, url=None, endpoint=None, **kwargs):
        target = url or self.url(path)
        return self.send(method, target, endpoint or path or _template_of(target), **kwargs)

    def get(self, path=None, url=None, **kwargs):
        return self.request("GET", path, url, **kwargs)

    def post(self, path=None, url=None, data=None, **kwargs):
        return self.request("POST", path, url, json=data, **kwargs)

    # --- HttpClient hooks ----------------------------------------------------------------
    def auth_headers(self):
        return {"Authorization": "Bearer " + self._token}

    def pace(self, endpoint):
        if self._burst_guarded():
            self._burst_pacer(endpoint).wait()
        if endpoint == SEARCH_ENDPOINT:
            self.search_pacer.wait()
        self.pacer.wait()

    def _burst_guarded(self):
        return self._company_limit is None or self._company_limit <= BURST_GUARD_MAX_RPM

    def _burst_pacer(self, endpoint):
        with self._burst_lock:
            pacer = self._burst_pacers.get(endpoint)
            if pacer is None:
                pacer = self._burst_pacers[endpoint] = Pacer(ceiling=(BURST_CALLS, BURST_SECONDS))
            return pacer

    def observe(self, response):
        """Spread what is left of the budget over what is left of the window; when it is
        spent, every thread waits for the reset. Search answers report (and spend) the
        search share, so they pace search alone. Any header may be missing."""
        headers = response.headers
        limit = _number(headers.get("x-ratelimit-limit"))
        remaining = _number(headers.get("x-ratelimit-remaining"))
        reset_at = _number(headers.get("x-ratelimit-reset"))
        is_search = _is_search(response)
        if limit is not None and not is_search:
            self._company_limit = limit
        if remaining is None or reset_at is None:
            return
        if response.status_code == 429:
            # A refusal says itself how long to wait (Retry-After, else the backoff), and every
            # thread waits it out; its `remaining: 0` would hold them to the window's end even
            # when Front asks for far less.
            return
        # x-ratelimit-reset is a UNIX timestamp: compare with the wall clock. Clamp so a
        # skewed clock can neither stall the run nor remove the pacing.
        window_left = min(max(reset_at - time.time(), 0.0), 60.0)
        pacer = self.search_pacer if is_search else self.pacer
        reserve = self.tally.in_flight + RESERVE_MARGIN
        if remaining <= reserve:
            pacer.hold_for(window_left)
            interval = 0.0
        else:
            interval = window_left / (remaining - reserve)
        if is_search and self._company_limit:
            # Whatever the headers say, search stays within its share of the company budget.
            interval = max(interval, 60.0 / max(1.0, SEARCH_SHARE * self._company_limit - 1))
        pacer.set_adaptive_interval(interval)


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _template_of(url):
    return urlsplit(url).path or "/"


def _is_search(response):
    request = getattr(response, "request", None)
    path = getattr(request, "path_url", None) or ""
    return path.startswith("/conversations/search/")
