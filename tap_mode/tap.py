"""tap-mode: settings, client and connection check; the streams are listed in streams.py."""
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
        return ModeClient(c["access_token"], c["password"], c["workspace"], c["request_timeout"],
                          user_agent=c["user_agent"], base_url=c["base_url"],
                          max_requests_per_minute=c["max_requests_per_minute"],
                          retry_base_seconds=c["retry_base_seconds"])

    def open_client(self):
        # Entering it verifies the token with one call on the workspace's spaces.
        return self.make_client()

    def test_connection(self):
        # `GET /api/verify` alone: entering the client would also list spaces.
        client = self.make_client().make_quick()
        try:
            client.verify()
        finally:
            client.close()

    def max_workers(self):
        # Mode answers slowly, so child lists are fetched by several threads under its one
        # shared rate limit.
        return self.config["max_workers"]
