"""Audit logs: a cursor (`next_token`) inside `start_timestamp`/`end_timestamp` windows, plain
JSON only. The bookmark is the end of the last window read whole."""
import datetime

from tap_engine.timefmt import parse_utc, rfc3339

from .paging import ModeStream

PLAIN_JSON = {"Accept": "application/json"}  # application/hal+json answers 406 here


def windows(start, end, days):
    """[start, end) cut into consecutive windows of `days` days; at least one window."""
    step = datetime.timedelta(days=days)
    while True:
        stop = min(start + step, end)
        yield start, stop
        if stop >= end:
            return
        start = stop


class AuditLogs(ModeStream):
    name = "audit_logs"
    path = "/audit_logs"
    embedded_key = "audit_logs"
    key_properties = ("id",)
    replication_method = "INCREMENTAL"
    replication_key = "timestamp"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._window_done = None

    def pages(self, parent=None):
        saved = self.bookmark.get("timestamp")
        start = parse_utc(saved) if saved else self.config["start_date"]
        now = datetime.datetime.now(datetime.timezone.utc)
        for low, high in windows(start, max(now, start), self.config["audit_logs_window_days"]):
            yield from self._window(low, high)

    def _window(self, low, high):
        params = {"start_timestamp": rfc3339(low), "end_timestamp": rfc3339(high)}
        cursor = None
        while True:
            body = self.client.get(self.path.lstrip("/"), endpoint=self.path, headers=PLAIN_JSON,
                                   params=dict(params, next_token=cursor) if cursor else params)
            records = (body.get("_embedded") or {}).get(self.embedded_key) or []
            following = body.get("next_token")
            if following == cursor:
                following = None  # a cursor that does not move would loop forever
            if not following:
                self._window_done = rfc3339(high)
            yield records  # empty windows too: their STATE moves the bookmark
            if not following:
                return
            cursor = following

    def on_emitted(self, records):
        if self._window_done:
            self.bookmark["timestamp"] = self._window_done
            self._window_done = None

    def stream_unavailable(self, error):
        # Audit logs need a workspace API token; personal tokens get 401 or 403.
        return error.status in (401, 403)
