"""Fixtures for running the taps with the real programs around them: Singer targets, singer-tools,
Meltano and mage-ai (each in its own cached venv, see demo/toolenv.py), a throwaway PostgreSQL server,
and sandbox APIs. Every test here carries the `ecosystem` mark (`pytest -m ecosystem`)."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from demo.sandboxes import Sandbox
from demo.toolenv import TOOLS, ToolEnv

from .postgres import PostgresUnavailable, TempPostgres
from .postgres import free_port as pick_free_port

HERE = os.path.dirname(os.path.abspath(__file__))

# Fixture name -> tool it needs (demo.toolenv.TOOLS).
TOOL_FIXTURES = {
    "target_jsonl": "target-jsonl",
    "target_csv": "target-csv",
    "target_postgres": "target-postgres",
    "singer_tools": "singer-tools",
    "meltano": "meltano",
    "mage_ai": "mage-ai",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "ecosystem: runs the taps with real targets, Meltano, Mage-style "
                                       "calls and singer-tools (installs those in .venv-targets/)")


@pytest.hookimpl(tryfirst=True)  # before `-m` selection looks at the marks
def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if str(item.path).startswith(HERE)]
    for item in ours:
        item.add_marker(pytest.mark.ecosystem)
    # Last, so that the tool installs started at collection time overlap the other tests.
    items[:] = [item for item in items if not str(item.path).startswith(HERE)] + ours


def pytest_collection_finish(session):
    needed = {TOOL_FIXTURES[name] for item in session.items for name in getattr(item, "fixturenames", ())
              if name in TOOL_FIXTURES}
    if needed and not session.config.option.collectonly:
        session.config._ecosystem_toolbox = ToolBox(sorted(needed)).start()


class ToolBox:
    """Installs every tool the selected tests need at once, in the background from the end of
    collection: pip spends its time waiting on the network, so five installs side by side take
    about as long as the slowest, and the rest of the suite runs meanwhile."""

    def __init__(self, names):
        self.envs = {name: ToolEnv(TOOLS[name]) for name in names}
        self._futures = {}
        self._lock = threading.Lock()
        self._pool = None

    def start(self):
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=max(1, len(self.envs)))
                for key, env in self.envs.items():
                    self._futures[key] = self._pool.submit(env.ensure)
        return self

    def get(self, name):
        return self.start()._futures[name].result()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def toolbox(request):
    box = getattr(request.config, "_ecosystem_toolbox", None)
    if box is None:
        box = request.config._ecosystem_toolbox = ToolBox(sorted(TOOLS))
    yield box
    box.close()


def _tool_fixture(fixture_name, tool_name):
    @pytest.fixture(scope="session", name=fixture_name)
    def fixture(toolbox):
        return toolbox.get(tool_name)
    return fixture


for _fixture, _tool in TOOL_FIXTURES.items():
    globals()[_fixture] = _tool_fixture(_fixture, _tool)


def pytest_terminal_summary(terminalreporter, config):
    box = getattr(config, "_ecosystem_toolbox", None)
    if not box:
        return
    lines = []
    for name, env in box.envs.items():
        if env.install_seconds is not None:
            lines.append("{:<16} {:<36} installed in {:.0f} s".format(name, env.tool.requirement, env.install_seconds))
        elif env.ready():
            lines.append("{:<16} {:<36} cached ({})".format(name, env.tool.requirement, env.path.name))
    if lines:
        terminalreporter.write_sep("-", "ecosystem tool venvs")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def postgres():
    try:
        server = TempPostgres()
    except PostgresUnavailable as reason:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI: {}".format(reason))
        pytest.skip(str(reason))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox():
    """Factory: `sandbox("front")` starts a tiny sandbox API, stopped at teardown."""
    started = []

    def start(app, scale="tiny", seed=1):
        started.append(Sandbox(app, scale=scale, seed=seed).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def free_port():
    """A loopback port nothing listens on (it was free a moment ago)."""
    return pick_free_port()
