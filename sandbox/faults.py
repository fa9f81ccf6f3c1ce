"""Fault injection: which requests fail, and how.

A spec is a comma-separated list of rules; for each request the first rule that fires wins::

    RULE     = KIND (":" OPTION)* ["@" ENDPOINT]
    KIND     = 429 | 429-bare | 429-frac | burst | 500 | 502 | 503 | 504 | 423
             | reset | stall | truncated | html
    OPTION   = FRACTION      fire on that share of matching requests, e.g. 0.1 (seeded)
             | every=N       fire on matching requests N, 2N, 3N, ...
             | first=N       fire on the first N matching requests
             | after=N       let the first N matching requests through before the trigger applies
             | times=N       fire at most N times in all
             | retry=S       Retry-After seconds (429, 429-frac, burst, 503)
             | seconds=S     how long `stall` holds the response (default 30)
    ENDPOINT = an endpoint template, e.g. /conversations/{id}/messages; `*` is a wildcard

A rule without FRACTION, every= or first= fires on every matching request; several triggers
on one rule must all hold. Examples::

    500:0.1                              10% of all requests answer 500
    429:0.05@/conversations/{id}/messages
    stall:every=50:seconds=5             every 50th request hangs for 5 s, then answers
    reset:first=2@/events                the first two /events requests lose their connection
"""
from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field

from .app import Response
from .errors import error_response
from .ratelimit import format_seconds

KINDS = (
    "429", "429-bare", "429-frac", "burst", "500", "502", "503", "504", "423",
    "reset", "stall", "truncated", "html",
)
DEFAULT_STALL_SECONDS = 30.0
DEFAULT_RETRY = {"429": 1.0, "429-frac": 0.3, "burst": 0.341}


class FaultSpecError(ValueError):
    pass


@dataclass
class FaultRule:
    kind: str
    fraction: float | None = None
    every: int | None = None
    first: int | None = None
    after: int = 0
    times: int | None = None
    retry: float | None = None
    seconds: float | None = None
    endpoint: str | None = None
    seen: int = 0
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, endpoint):
        return self.endpoint is None or fnmatch.fnmatchcase(endpoint, self.endpoint)

    def observe(self):
        """Count one matching request and say whether the rule fires on it."""
        self.seen += 1
        # Draw on every request so one rule's outcome never depends on another's.
        draw = self.rng.random()
        n = self.seen - self.after
        if n <= 0 or (self.times is not None and self.fired >= self.times):
            return False
        fires = (
            (self.fraction is None or draw < self.fraction)
            and (self.every is None or n % self.every == 0)
            and (self.first is None or n <= self.first)
        )
        if fires:
            self.fired += 1
        return fires


@dataclass(frozen=True)
class Fault:
    kind: str
    retry: float | None = None
    seconds: float = DEFAULT_STALL_SECONDS


def _number(text, option, cast):
    try:
        value = cast(text)
    except ValueError:
        raise FaultSpecError(f"fault option {option!r} needs a number, got {text!r}") from None
    if value < 0:
        raise FaultSpecError(f"fault option {option!r} must not be negative")
    return value


def parse_rule(text):
    body, _, endpoint = text.strip().partition("@")
    parts = body.split(":")
    kind = parts[0].strip()
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r} (known: {', '.join(KINDS)})")
    rule = FaultRule(kind=kind, endpoint=endpoint.strip() or None)
    for option in parts[1:]:
        name, eq, value = option.strip().partition("=")
        if not eq:
            rule.fraction = _number(name, "fraction", float)
            if rule.fraction > 1:
                raise FaultSpecError(f"fault fraction must be between 0 and 1, got {name!r}")
        elif name in ("every", "first", "after", "times"):
            setattr(rule, name, _number(value, name, int))
        elif name in ("retry", "seconds"):
            setattr(rule, name, _number(value, name, float))
        else:
            raise FaultSpecError(f"unknown fault option {name!r} in {text!r}")
    if rule.every == 0:
        raise FaultSpecError("every= must be at least 1")
    return rule


def parse_spec(spec):
    return [parse_rule(part) for part in (spec or "").split(",") if part.strip()]


class FaultInjector:
    """Decides, request by request, whether to inject a fault. Thread-safe and seeded."""

    def __init__(self, spec="", seed=1):
        self.spec = spec or ""
        self.rules: list[FaultRule] = parse_spec(self.spec)
        for index, rule in enumerate(self.rules):
            rule.rng.seed(f"{seed}:{index}:{rule.kind}")
        self._lock = threading.Lock()

    def pick(self, endpoint) -> Fault | None:
        if not self.rules:
            return None
        chosen = None
        with self._lock:
            for rule in self.rules:
                if rule.matches(endpoint) and rule.observe() and chosen is None:
                    chosen = rule
        if chosen is None:
            return None
        retry = chosen.retry if chosen.retry is not None else DEFAULT_RETRY.get(chosen.kind)
        seconds = chosen.seconds if chosen.seconds is not None else DEFAULT_STALL_SECONDS
        return Fault(chosen.kind, retry, seconds)

    def describe(self):
        with self._lock:
            return {
                "spec": self.spec,
                "rules": [
                    {"kind": r.kind, "endpoint": r.endpoint, "seen": r.seen, "fired": r.fired}
                    for r in self.rules
                ],
            }


_HTML_PAGE = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
              b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
_MESSAGES = {
    423: "The resource is being computed, retry later",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def fault_response(fault, style, limiter_headers):
    """The response for a fault that answers with a status (every kind but reset, stall and
    truncated, which the server applies to the connection or to the real response)."""
    headers = dict(limiter_headers or {})
    if fault.kind == "html":
        headers["Content-Type"] = "text/html"
        return Response(502, _HTML_PAGE, headers)
    if fault.kind in ("429", "429-bare", "429-frac", "burst"):
        if fault.kind != "burst" and "x-ratelimit-remaining" in headers:
            headers["x-ratelimit-remaining"] = "0"
        if fault.kind == "burst":
            headers["x-front-tier"] = "burst"
        if fault.kind != "429-bare":
            name = "Retry-After" if style == "mode" else "retry-after"
            headers[name] = format_seconds(fault.retry)
        return error_response(style, 429, "Too many requests (injected)", headers)
    status = int(fault.kind)
    if status == 503 and fault.retry is not None:
        headers["retry-after"] = format_seconds(fault.retry, integer=True)
    return error_response(style, status, _MESSAGES.get(status, "Error") + " (injected)", headers)
