"""tap-front: settings, client and connection check, and how much of a sync runs at once
(Front limits each endpoint's rate as well as the company's); the streams live in streams.py."""
from tap_engine.settings import Setting, common_settings
from tap_engine.tap import Tap

from .client import Client
from .streams import STREAMS

SETTINGS = (
    Setting("token", "password", "Front API token (Settings > Developers > API tokens).", required=True),
    Setting("end_date", "date-time", "Latest data to sync (UTC); defaults to now."),
    Setting("incremental_range", "string",
            "Analytics row size. Front's reports cover whole days, so 'hourly' falls back to "
            "daily rows with a warning.", default="daily", choices=("daily", "hourly")),
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
    workers = 4            # each conversation's messages and comments, a few at once
    # One endpoint alone may use only a fraction of the budget (the burst tier of about 5
    # requests a second, the search share): a few root streams at once.
    parallel_streams = 3

    def open_client(self):
        return Client(self.config)

    def check_connection(self, client):
        client.get("/me", endpoint="/me")
