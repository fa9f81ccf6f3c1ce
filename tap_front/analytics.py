"""Company-wide analytics: one row per UTC day with every metric as a column.

Front computes reports asynchronously: `POST /analytics/reports` starts one, its `_links.self`
is polled until `done` (or `failed`). A few reports run at once, polled at a growing interval.
Metrics of recent days change as conversations close, so every run re-pulls the last
`lookback_window` days. A failed report fails the run once the other streams are done, naming
its window; the bookmark never passes it, so the next run asks again.
"""
import logging
import time

from tap_engine.errors import DeferredFailure
from tap_engine.paging import Page

from .base import FrontStream
from .client import MetricsRateLimitException
from .cursor import advance, bookmark_text, end_of_range, now, seconds

LOGGER = logging.getLogger("tap_front")

DAY = 86400
METRICS = (
    "avg_csat_survey_response", "avg_first_response_time", "avg_handle_time",
    "avg_replies_to_resolution", "avg_resolution_time", "avg_response_time",
    "avg_sla_breach_time", "avg_total_reply_time", "new_segments_count",
    "num_active_segments_full", "num_archived_segments", "num_archived_segments_with_reply",
    "num_csat_survey_response", "num_messages_received", "num_messages_sent", "num_sla_breach",
    "pct_csat_survey_satisfaction", "pct_resolved_on_first_reply", "pct_tagged_conversations",
    "num_closed_segments", "num_open_segments_start", "num_open_segments_end",
    "num_resolved_segments", "num_unresolved_active_segments", "num_workload_segments",
)
REPORTS_AT_ONCE = 5
MAX_POLL_SECONDS = 30.0
REPORT_TIMEOUT_SECONDS = 3600.0


class ReportsFailed(DeferredFailure):
    """Reports Front could not compute; reported once the other streams are done."""

    def __init__(self, reports):
        self.reports = reports
        super().__init__(Analytics.path, "failed")

    def _compose(self):
        where = "stream {}: ".format(self.stream) if self.stream else ""
        windows = ", ".join(r.window for r in self.reports[:5])
        more = " and {} more".format(len(self.reports) - 5) if len(self.reports) > 5 else ""
        return ("{}Front could not compute {} analytics report(s), for {}{}; the next run asks for "
                "them again".format(where, len(self.reports), windows, more))


class Report:
    """One report job: its window and its latest answer."""

    def __init__(self, start, end, body):
        self.start = start
        self.end = end
        self.body = body

    @property
    def status(self):
        return self.body.get("status")

    @property
    def window(self):
        return "{} to {}".format(bookmark_text(self.start), bookmark_text(self.end))

    def row(self):
        values = {scalar.get("id"): scalar.get("value") for scalar in self.body.get("metrics") or []}
        row = {"start_time": self.start, "end_time": self.end}
        for metric in METRICS:
            row[metric] = _numeric(values.get(metric))
        return row


def _numeric(value):
    # Scalar metrics are numbers; anything else (a resource object) has no place in a column.
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, (int, float, str)) else None


class Analytics(FrontStream):
    name = "analytics"
    path = "/analytics/reports"
    scope = "analytics:read"
    poll_endpoint = "/analytics/reports/{id}"
    key_properties = ("start_time",)
    replication_method = "INCREMENTAL"
    replication_key = "end_time"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._failed = []
        self._contiguous = True   # every window so far is done: the bookmark may follow

    def windows(self):
        """UTC days from the resume point to the end of the range (the last one may still be
        in progress). Reports cover whole days, so hourly rows are not available."""
        if self.config["incremental_range"] == "hourly":
            LOGGER.warning("analytics: Front's reports cover whole days; emitting daily rows "
                           "although incremental_range is 'hourly'")
        lookback = int(self.config["lookback_window"])
        start = seconds(self.config.get("start_date"))
        cursor = seconds(self.bookmark.get(self.replication_key))
        if cursor is not None:
            start = max(start, cursor - lookback * DAY)
        day = start - start % DAY
        end = end_of_range(self.config)
        while day < end:
            yield day, day + DAY
            day += DAY

    def pages(self, context=None):
        windows = list(self.windows())
        for at in range(0, len(windows), REPORTS_AT_ONCE):
            reports = [self._create(start, end) for start, end in windows[at:at + REPORTS_AT_ONCE]]
            self._await(reports)
            for report in reports:
                if report.status == "done":
                    # A day still under way is complete only up to now.
                    through = min(report.end, max(report.start, now())) if self._contiguous else None
                    yield Page([report.row()], checkpoint=through)
                else:
                    self._contiguous = False
                    self._failed.append(report)
        if self._failed:
            raise ReportsFailed(self._failed)

    def _create(self, start, end):
        body = self.client.post(self.path, data={"start": start, "end": end, "metrics": list(METRICS),
                                                 "timezone": "Etc/UTC"}, endpoint=self.path)
        return Report(start, end, body)

    def _await(self, reports):
        """Poll the running reports until each is done or failed, waiting longer each round."""
        interval = float(self.config["analytics_poll_seconds"])
        deadline = time.monotonic() + REPORT_TIMEOUT_SECONDS
        while True:
            running = [r for r in reports if r.status not in ("done", "failed")]
            if not running:
                return
            if time.monotonic() > deadline:
                for report in running:
                    report.body = dict(report.body, status="failed")
                    LOGGER.warning("analytics: report for %s still running after %d s", report.window,
                                   REPORT_TIMEOUT_SECONDS)
                return
            time.sleep(interval)
            interval = min(interval * 1.5, MAX_POLL_SECONDS)
            for report in running:
                report.body = self._poll(report)

    def _poll(self, report):
        url = (report.body.get("_links") or {}).get("self")
        if not url:
            url = self.client.url("/analytics/reports/" + str(report.body.get("uid")))
        try:
            return self.client.get(url=url, endpoint=self.poll_endpoint)
        except MetricsRateLimitException:
            # Still "not ready" after the client's whole retry budget: report the day as failed
            # (the run fails after the other streams) rather than poll for an hour.
            LOGGER.warning("analytics: report for %s still answers 423 after every retry", report.window)
            return dict(report.body, status="failed")

    def on_emitted(self, records):
        if records.checkpoint is not None:
            advance(self.bookmark, self.replication_key, records.checkpoint)
