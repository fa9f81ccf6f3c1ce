"""tap-mode: settings, client and connection check; the streams are listed in streams.py."""
import contextlib

from tap_engine.settings import Setting, common_settings
from tap_engine.tap import Tap

from .client import BASE_HOST, ModeClient
from .streams import STREAMS

SETTINGS = (
    Setting("access_token", "password", "Mode API token (Workspace settings > API keys).", required=True),
    Setting("password", "password", "The API token's secret.", required=True),
    Setting("workspace", "string", "Workspace username as in app.mode.com/<workspace> (lowercase).",
            required=True),
    Setting("max_workers", "integer", "Parallel requests for child lists (all under one rate limit).",
            default=4, minimum=1),
    Setting("audit_logs_window_days", "number",
            "Days of audit logs asked for at once; the bookmark moves after each window.",
            default=30, minimum=0.001),
) + common_settings(BASE_HOST)


class ModeTap(Tap):
    name = "tap-mode"
    description = "Singer tap for the Mode Analytics API (spaces, reports, queries, charts, runs, ...)."
    settings = SETTINGS
    stream_classes = STREAMS

    def make_client(self):
        c = self.config
        return ModeClient(c["access_token"], c["password"], c["workspace"], c.get("request_timeout"),
                          user_agent=c.get("user_agent"), base_url=c.get("base_url"),
                          max_requests_per_minute=c.get("max_requests_per_minute"),
                          retry_base_seconds=c.get("retry_base_seconds"))

    @contextlib.contextmanager
    def open_client(self):
        with self.make_client() as client:
            yield client

    def test_connection(self):
        # `GET /api/verify` alone: entering the client would also list spaces.
        client = self.make_client().make_quick()
        try:
            client.verify()
        finally:
            client.close()

    def max_workers(self):
        return self.config.get("max_workers") or 4
