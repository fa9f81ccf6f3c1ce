"""tap-front: settings, client and connection check; the streams live in streams.py."""
import contextlib
import logging

from tap_engine.settings import Setting, common_settings
from tap_engine.tap import Tap

from .client import Client
from .streams import STREAMS

LOGGER = logging.getLogger("tap_front")

SETTINGS = (
    Setting("token", "password", "Front API token (Settings > Developers > API tokens).", required=True),
    Setting("end_date", "date-time", "Latest data to sync (UTC); defaults to now."),
) + common_settings(Client.BASE_URL)


class FrontTap(Tap):
    name = "tap-front"
    description = "Singer tap for the Front API (conversations, messages, events, contacts, analytics, ...)."
    settings = SETTINGS
    stream_classes = STREAMS

    @contextlib.contextmanager
    def open_client(self):
        with Client(self.config, LOGGER) as client:
            yield client

    def check_connection(self, client):
        client.get("/me", endpoint="/me")
