"""The contract between the sandbox's HTTP core and each simulated API.

The core (``sandbox.server``) owns sockets, latency, rate limits, faults, request
statistics and the ``/_sandbox/`` control routes. An ``App`` owns one API's data and
routes and knows nothing of HTTP plumbing.
"""
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass
class Request:
    method: str                      # "GET", "POST", ...
    path: str                        # path without query string, e.g. "/conversations"
    query: Dict[str, List[str]]      # parsed query string, every value a list
    headers: Dict[str, str]          # header names lower-cased
    body: bytes = b""
    origin: str = ""                 # scheme://host:port as the client addressed the server

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status, obj, headers=None):
        merged = {"Content-Type": "application/json"}
        merged.update(headers or {})
        return cls(status, json.dumps(obj).encode(), merged)


class App:
    """One simulated API. Subclasses fill in every method."""

    name = ""                  # "front" or "mode"
    rate_limit_style = ""      # "front": x-ratelimit-* headers; "mode": leaky bucket, 429 only

    def __init__(self, seed: int = 1, scale: str = "small", **options):
        self.seed = seed
        self.scale = scale
        self.options = options

    def handle(self, request: Request) -> Response:
        """Answer one API request, authentication included."""
        raise NotImplementedError

    def endpoint_of(self, request: Request) -> str:
        """The path template a request belongs to, for statistics and per-endpoint faults,
        e.g. "/conversations/{id}/messages"."""
        raise NotImplementedError

    def truth(self, streams=None) -> Dict[str, list]:
        """Every stream's records (or only the named ones), keyed by stream name (see
        sandbox/README.md)."""
        raise NotImplementedError

    def mutate(self, count: int) -> Dict[str, list]:
        """Change or add about ``count`` records with fresh timestamps; return the keys changed
        per stream."""
        raise NotImplementedError

    def bound(self, base_url: str) -> None:
        """Called by the core once it listens, with its base URL (e.g. to build links)."""

    def set_option(self, name: str, value) -> None:
        """Runtime switches such as a token's missing scope; unknown names raise KeyError."""
        raise KeyError(name)

    def scale_counts(self) -> Optional[Dict[str, int]]:
        """Record counts per stream at this scale, for documentation."""
        return None
