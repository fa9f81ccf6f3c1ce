"""Rate limiters in the style of each simulated API.

``front``: a per-minute budget shared by every endpoint, reported on every response through
``x-ratelimit-limit``/``-remaining``/``-reset`` (reset is a wall-clock UNIX timestamp); the search
endpoint may spend only a share of it; a burst tier caps each endpoint at a few requests per
second and answers 429 with ``x-front-tier: burst`` even while budget remains.

``mode``: a leaky bucket that holds ten seconds' worth of the per-minute rate; excess requests
get 429 with an integer ``Retry-After`` (which can be switched off).
"""
from __future__ import annotations

import collections
import math
import threading
import time
from dataclasses import dataclass, field

# With no rpm the front limiter still sends headers, with a budget nobody reaches.
UNLIMITED_RPM = 100000
FRONT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
SEARCH_ENDPOINT = "/conversations/search/{query}"


@dataclass
class Decision:
    allowed: bool
    headers: dict[str, str] = field(default_factory=dict)
    tier: str | None = None          # "budget", "burst" or "bucket" when refused
    message: str = ""


def format_seconds(seconds, integer=False):
    """Seconds rounded up (to whole seconds or to milliseconds), never below the unit.
    The small slack keeps float noise such as 0.34100000001 from rounding up."""
    if integer:
        return str(max(1, math.ceil(seconds - 1e-3)))
    millis = max(1, math.ceil(seconds * 1000 - 1e-3))
    whole, fraction = divmod(millis, 1000)
    return f"{whole}.{fraction:03d}".rstrip("0").rstrip(".")


class FrontRateLimiter:
    style = "front"

    def __init__(self, rpm=None, burst=True, burst_rps=5, search_share=0.4,
                 ratelimit_headers=True, retry_after=True, clock=time.time):
        self.rpm = rpm
        self.limit = int(rpm) if rpm else UNLIMITED_RPM
        self.burst = bool(burst) and rpm is not None
        self.burst_rps = int(burst_rps)
        self.search_limit = max(1, int(self.limit * float(search_share))) if rpm else self.limit
        self.header_names = self._header_names(ratelimit_headers)
        self.retry_after = retry_after
        self.clock = clock
        self._lock = threading.Lock()
        self._window_start = None
        self._used = 0
        self._search_used = 0
        self._recent = collections.defaultdict(collections.deque)  # endpoint -> times, last 1 s

    @staticmethod
    def _header_names(setting):
        if setting is True or setting is None:
            return FRONT_HEADERS
        if setting is False:
            return ()
        return tuple(name.lower() for name in setting)

    def check(self, endpoint) -> Decision:
        with self._lock:
            now = self.clock()
            if self._window_start is None or now >= self._window_start + 60:
                self._window_start, self._used, self._search_used = now, 0, 0
            reset_at = self._window_start + 60
            is_search = endpoint == SEARCH_ENDPOINT
            limit, used = (self.search_limit, self._search_used) if is_search else (self.limit, 0)
            over_budget = self._used >= self.limit or (is_search and used >= limit)
            if over_budget and self.rpm:
                headers = self._headers(limit, 0, reset_at)
                if self.retry_after:
                    headers["retry-after"] = format_seconds(reset_at - now, integer=True)
                return Decision(False, headers, "budget",
                                f"Rate limit exceeded: {limit} requests per minute")
            recent = self._recent[endpoint]
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if self.burst and len(recent) >= self.burst_rps:
                wait = format_seconds(recent[0] + 1.0 - now)
                headers = self._headers(limit, self._remaining(limit, is_search), reset_at)
                headers["x-front-tier"] = "burst"
                if self.retry_after:
                    headers["retry-after"] = wait
                return Decision(False, headers, "burst", "Burst limit exceeded, retry in "
                                f"{round(float(wait) * 1000)} milliseconds")
            recent.append(now)
            self._used += 1
            if is_search:
                self._search_used += 1
            remaining = self._remaining(limit, is_search)
            return Decision(True, self._headers(limit, remaining, reset_at))

    def _remaining(self, limit, is_search):
        left = self.limit - self._used
        if is_search:
            left = min(left, limit - self._search_used)
        return max(0, left)

    def _headers(self, limit, remaining, reset_at):
        values = {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": str(math.ceil(reset_at)),
        }
        return {name: values[name] for name in self.header_names if name in values}

    def describe(self):
        return {"style": self.style, "rpm": self.rpm, "burst": self.burst,
                "burst_rps": self.burst_rps, "search_limit": self.search_limit,
                "ratelimit_headers": list(self.header_names), "retry_after": self.retry_after}


class ModeRateLimiter:
    style = "mode"

    def __init__(self, rpm=None, retry_after=True, clock=time.monotonic, **_ignored):
        self.rpm = rpm
        self.rate = (rpm / 60.0) if rpm else None
        self.capacity = max(1.0, rpm / 6.0) if rpm else None
        self.retry_after = retry_after
        self.clock = clock
        self._lock = threading.Lock()
        self._level = 0.0
        self._last = None

    def check(self, endpoint) -> Decision:
        if not self.rpm:
            return Decision(True)
        with self._lock:
            now = self.clock()
            if self._last is not None:
                self._level = max(0.0, self._level - (now - self._last) * self.rate)
            self._last = now
            if self._level + 1 > self.capacity:
                headers = {}
                if self.retry_after:
                    wait = (self._level + 1 - self.capacity) / self.rate
                    headers["Retry-After"] = format_seconds(wait, integer=True)
                return Decision(False, headers, "bucket", "Too many requests, slow down")
            self._level += 1
            return Decision(True)

    def describe(self):
        return {"style": self.style, "rpm": self.rpm, "capacity": self.capacity,
                "retry_after": self.retry_after}


LIMITER_OPTIONS = ("burst", "burst_rps", "search_share", "ratelimit_headers", "retry_after")


def make_limiter(style, rpm=None, clock=None, **options):
    cls = ModeRateLimiter if style == "mode" else FrontRateLimiter
    if clock is not None:
        options["clock"] = clock
    if cls is ModeRateLimiter:
        options = {k: v for k, v in options.items() if k in ("retry_after", "clock")}
    return cls(rpm=rpm, **options)
