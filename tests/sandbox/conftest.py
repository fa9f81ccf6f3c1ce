"""Fixtures to run an in-process sandbox of either simulated API over real HTTP.

``sandbox`` is a factory: ``server = sandbox("front", scale="tiny", rpm=100)`` builds the app,
starts a ``SandboxServer`` on a free loopback port and stops it after the test.
``http`` is a ``requests.Session`` whose requests time out instead of hanging.
"""
import json
import os
import sys
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sandbox import make_app  # noqa: E402 - after the sys.path fix above
from sandbox.app import App, Response  # noqa: E402
from sandbox.server import SandboxServer  # noqa: E402

TIMEOUT = 10  # seconds; only reached when something is broken


class EchoApp(App):
    """A minimal app for testing the core alone: echoes each request back as JSON."""

    name = "echo"

    def __init__(self, seed=1, scale="tiny", style="front", **options):
        super().__init__(seed, scale, **options)
        self.rate_limit_style = style
        self.mutations = 0

    def handle(self, request):
        if request.path == "/big":
            return Response.json(200, {"items": ["x" * 50] * 200})
        return Response.json(200, {"method": request.method, "path": request.path,
                                   "query": request.query, "origin": request.origin,
                                   "body": request.body.decode()})

    def endpoint_of(self, request):
        parts = request.path.strip("/").split("/")
        return "/" + "/".join("{id}" if part.isdigit() else part for part in parts)

    def truth(self, streams=None):
        data = {"echo": [{"id": 1}], "other": []}
        return {name: data[name] for name in streams if name in data} if streams else data

    def mutate(self, count):
        self.mutations += count
        return {"echo": list(range(count))}

    def set_option(self, name, value):
        if name != "flavour":
            raise KeyError(name)
        self.options[name] = value


class _TimeoutSession(requests.Session):
    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, **kwargs)


@pytest.fixture
def http():
    with _TimeoutSession() as session:
        yield session


@pytest.fixture
def sandbox():
    """Factory fixture: ``sandbox(app, seed=1, scale="tiny", app_options=None, **server_opts)``.

    ``app`` is "front", "mode", "echo" or an ``App`` instance; the server is stopped at teardown.
    """
    servers = []

    def start(app="front", seed=1, scale="tiny", app_options=None, **server_options):
        if app == "echo":
            app = EchoApp(seed=seed, **(app_options or {}))
        elif isinstance(app, str):
            app = make_app(app, seed=seed, scale=scale, **(app_options or {}))
        server = SandboxServer(app, seed=seed, **server_options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def shared_api_dir():
    """The reference API material (not redistributed with the repo); skips when absent."""
    path = Path(os.environ.get("SHARED_API_DIR") or REPO.parent / "shared" / "api")
    if not path.is_dir():
        pytest.skip(f"reference API material not found at {path} (set SHARED_API_DIR)")
    return path


def control(http, server, route, payload=None):
    """Call a /_sandbox/ control route; POST when a payload is given."""
    url = server.base_url + "/_sandbox/" + route
    response = http.post(url, data=json.dumps(payload)) if payload is not None else http.get(url)
    response.raise_for_status()
    return response.json()


# -- Front helpers -------------------------------------------------------------------------
FRONT_TOKEN = "sandbox-token"
# Where the sandbox knowingly departs from Front's spec, to match the live API.
FRONT_SPEC_DEVIATIONS = {"MessageResponse": ["author"]}  # inbound messages: author is null
MAX_PAGES = 2000


@pytest.fixture
def front_http(http):
    """An HTTP session that sends the Front sandbox's default bearer token."""
    http.headers["Authorization"] = "Bearer " + FRONT_TOKEN
    return http


@pytest.fixture(scope="module")
def front_tiny():
    """A started tiny Front sandbox shared by a module's read-only tests (no mutations,
    no option changes)."""
    server = SandboxServer(make_app("front", seed=1, scale="tiny")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def front_spec(shared_api_dir):
    """Validators compiled from Front's OpenAPI spec, read at run time."""
    from openapi_schema import SpecValidators

    path = shared_api_dir / "front" / "core-api.json"
    if not path.is_file():
        pytest.skip(f"Front's OpenAPI spec not found at {path}")
    return SpecValidators.from_file(path, extra_nullable=FRONT_SPEC_DEVIATIONS)


def walk_pages(http, url, params=None):
    """Every page of a Front list, following ``_pagination.next`` until it is null."""
    pages = []
    response = http.get(url, params=params)
    while True:
        response.raise_for_status()
        body = response.json()
        pages.append(body)
        following = (body.get("_pagination") or {}).get("next")
        if not following:
            return pages
        assert len(pages) < MAX_PAGES, "pagination does not end"
        response = http.get(following)


def walk(http, url, params=None):
    return [record for page in walk_pages(http, url, params) for record in page["_results"]]
