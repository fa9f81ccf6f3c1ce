"""tap-mode against the Mode sandbox over real HTTP: fixtures to start it, configs that keep
retries quick, and the comparison of a run's output with the sandbox's ground truth."""
import pytest

from sandbox import make_app
from sandbox.server import SandboxServer
from tap_mode.client import ModeClient
from tap_mode.tap import ModeTap
from tests.support.truth import assert_stream_matches, validator

STREAMS = {cls.name: cls for cls in ModeTap.stream_classes}
# What the schemas leave out on purpose: HAL plumbing and values that change on every request.
DROPS = ("_links", "_forms", "web_preview_image", "flamingo_signature")
START_DATE = "2020-01-01T00:00:00Z"


@pytest.fixture(autouse=True)
def no_mode_ceiling(monkeypatch):
    """Mode's 1000 requests/minute ceiling would make a small sync take minutes; the pacer
    itself is covered by the unit tests."""
    monkeypatch.setattr(ModeClient, "RATE_CEILING", None)


def start_sandbox(scale="small", seed=1, app=None, **options):
    app_options = {k: options.pop(k) for k in list(options) if k in ("deleted_space", "unpaged", "token_type")}
    app = app or make_app("mode", seed=seed, scale=scale, **app_options)
    return SandboxServer(app, seed=seed, **options).start()


@pytest.fixture
def sandbox():
    """Factory: `sandbox(scale="tiny", faults=..., deleted_space=True)`; stopped at teardown."""
    servers = []

    def start(**kwargs):
        servers.append(start_sandbox(**kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def mode_config(server, **extra):
    config = {"access_token": "sandbox-token", "password": "sandbox-secret", "workspace": "acme",
              "base_url": server.base_url, "start_date": START_DATE, "retry_base_seconds": 0.001,
              "request_timeout": 5, "max_workers": 4}
    config.update(extra)
    return config


def assert_matches_truth(records, truth, streams=None):
    """Every stream's output equals the truth, and every record is valid against its schema."""
    for name in streams or truth:
        cls = STREAMS[name]
        schema = cls.load_schema()
        emitted = records.get(name, [])
        assert_stream_matches(name, emitted, truth[name], schema, key=cls.key_properties, drops=DROPS)
        check = validator(schema)
        for record in emitted:
            check(record)


def requests_by_endpoint(server):
    return {name: entry["requests"] for name, entry in server.stats()["endpoints"].items()}
