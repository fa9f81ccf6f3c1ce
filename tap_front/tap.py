"""tap-front: settings, client and connection check; the streams live in streams.py."""
import contextlib
import logging

from tap_engine.errors import ConfigError
from tap_engine.settings import Setting, common_settings
from tap_engine.tap import Tap

from .client import MAX_WORKERS, PARALLEL_STREAMS, Client
from .streams import STREAMS

LOGGER = logging.getLogger("tap_front")

INCREMENTAL_RANGES = ("daily", "hourly")

SETTINGS = (
    Setting("token", "password", "Front API token (Settings > Developers > API tokens).", required=True),
    Setting("end_date", "date-time", "Latest data to sync (UTC); defaults to now."),
    Setting("incremental_range", "string",
            "Analytics row size: 'daily' or 'hourly'. Front's reports cover whole days, so "
            "'hourly' falls back to daily rows with a warning.", default="daily"),
    Setting("lookback_window", "integer",
            "Days of analytics re-pulled on every run, as metrics change while conversations "
            "close.", default=7, minimum=0),
    Setting("overlap_seconds", "number",
            "Seconds before each bookmark that events, contacts and conversations are read "
            "again, for activity Front indexes late (events already emitted are dropped).",
            default=60, minimum=0),
    Setting("conversation_window_days", "number",
            "Days per conversation search window on a first run; a checkpoint follows each.",
            default=30, minimum=0.001),
    Setting("analytics_poll_seconds", "number",
            "First wait before polling an analytics report; waits grow by half up to 30 s.",
            default=2, minimum=0.001),
) + common_settings(Client.BASE_URL)


class FrontTap(Tap):
    name = "tap-front"
    description = "Singer tap for the Front API (conversations, messages, events, contacts, analytics, ...)."
    settings = SETTINGS
    stream_classes = STREAMS

    def __init__(self, config):
        super().__init__(config)
        if (config.get("incremental_range") or "daily") not in INCREMENTAL_RANGES:
            raise ConfigError("config key 'incremental_range' must be one of {}, got {!r}".format(
                ", ".join(INCREMENTAL_RANGES), config.get("incremental_range")))

    @contextlib.contextmanager
    def open_client(self):
        with Client(self.config, LOGGER) as client:
            yield client

    def check_connection(self, client):
        client.get("/me", endpoint="/me")

    def max_workers(self):
        return MAX_WORKERS

    def max_parallel_streams(self):
        return PARALLEL_STREAMS
