"""Audit logs: a cursor (`next_token`) inside `start_timestamp`/`end_timestamp` windows, plain
JSON only. The bookmark is the end of the last window read whole."""
import datetime

from tap_engine.paging import Paginator
from tap_engine.timefmt import parse_utc, rfc3339

from .base import ModeStream

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


class NextToken(Paginator):
    """A cursor list: each answer names the `next_token` to ask with; none ends the list."""

    def __init__(self, client, endpoint, embedded_key):
        super().__init__(client, endpoint, PLAIN_JSON)
        self.embedded_key = embedded_key

    def records(self, body):
        return (body.get("_embedded") or {}).get(self.embedded_key) or []

    def following(self, request, body, records):
        path, params = request
        token = body.get("next_token")
        return (path, dict(params, next_token=token)) if token else None


class AuditLogs(ModeStream):
    name = "audit_logs"
    path = "/audit_logs"
    embedded_key = "audit_logs"
    key_properties = ("id",)
    replication_method = "INCREMENTAL"
    replication_key = "timestamp"
    unavailable_on = (401, 403)   # audit logs need a workspace API token; personal tokens get these

    def pages(self, context=None):
        saved = self.bookmark.get("timestamp")
        start = parse_utc(saved) if saved else self.config["start_date"]
        now = datetime.datetime.now(datetime.timezone.utc)
        for low, high in windows(start, max(now, start), self.config["audit_logs_window_days"]):
            params = {"start_timestamp": rfc3339(low), "end_timestamp": rfc3339(high)}
            for page in NextToken(self.client, self.path, self.embedded_key).pages(self.path, params):
                if page.last:
                    page.checkpoint = rfc3339(high)
                yield page  # empty windows too: their STATE moves the bookmark

    def on_emitted(self, records):
        if records.checkpoint:
            self.bookmark["timestamp"] = records.checkpoint
