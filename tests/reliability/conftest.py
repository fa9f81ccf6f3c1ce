"""Fixtures for the reliability suite: sandboxes of either API that stop after the test."""
import pytest


@pytest.fixture
def sandbox():
    """Factory: `sandbox(profile, faults="", app_options=None, **server_options)`."""
    servers = []

    def start(profile, faults="", app_options=None, **server_options):
        servers.append(profile.start(faults, app_options, **server_options))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def pytest_terminal_summary(terminalreporter, config):
    from .tables import TABLES, render

    if not TABLES or (config.option.verbose < 1 and config.option.capture != "no"):
        return
    for title, (columns, rows) in TABLES.items():
        terminalreporter.write_line("")
        for line in render(title, columns, rows).splitlines():
            terminalreporter.write_line(line)
