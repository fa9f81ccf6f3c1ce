"""Fixtures for tap-front's sandbox tests."""
import pytest

from .support import start_front


@pytest.fixture
def front():
    """Factory: `front(scale, app_options, **server_options)`; servers stop after the test."""
    servers = []

    def start(scale="tiny", app_options=None, **server_options):
        server = start_front(scale, app_options, **server_options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
