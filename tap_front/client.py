"""Front API client: the seed's interface (`Client(config, logger)`, `url`, `request`, `get`,
`post`) on the shared HTTP base, pacing from Front's own rate-limit headers."""
import logging
import time

from tap_engine.errors import HTTPError, RetryableError
from tap_engine.http import HttpClient, retry_after_seconds
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


_BY_STATUS = {401: FrontAuthError, 403: FrontScopeError, 404: FrontNotFoundError,
              301: FrontMovedError, 423: MetricsRateLimitException,
              429: RateLimitException, 503: RateLimitException}

# Keep a little of the company-wide budget for whoever else shares it.
_RESERVE = 1


class Client(HttpClient):
    BASE_URL = "https://api2.frontapp.com"

    def __init__(self, config, logger=None):
        self.logger = logger or logging.getLogger("tap_front")
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

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

    def observe(self, response):
        """Spread what is left of the budget over what is left of the window; when it is
        spent, every thread waits for the reset. Any header may be missing."""
        headers = response.headers
        remaining = _number(headers.get("x-ratelimit-remaining"))
        reset_at = _number(headers.get("x-ratelimit-reset"))
        if remaining is None or reset_at is None:
            return
        # x-ratelimit-reset is a UNIX timestamp: compare with the wall clock. Clamp so a
        # skewed clock can neither stall the run nor remove the pacing.
        window_left = min(max(reset_at - time.time(), 0.0), 60.0)
        if remaining <= _RESERVE:
            self.pacer.hold_for(window_left)
            self.pacer.set_adaptive_interval(0.0)
        else:
            self.pacer.set_adaptive_interval(window_left / (remaining - _RESERVE))

    def error_detail(self, response):
        try:
            body = response.json()
        except ValueError:
            return ""
        error = body.get("_error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return str(error.get("message") or error.get("title") or "")
        return ""

    def raise_for(self, response, endpoint):
        status = response.status_code
        detail = self.error_detail(response)
        cls = _BY_STATUS.get(status)
        if cls is None:
            cls = FrontServerError if status >= 500 else FrontError
        if issubclass(cls, RetryableError):
            raise cls(endpoint, status, detail, retry_after=retry_after_seconds(response.headers.get("retry-after")))
        raise cls(endpoint, status, detail)


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _template_of(url):
    from urllib.parse import urlsplit
    return urlsplit(url).path or "/"
