"""What a report is made of: queries, their charts, filters, schedules and subscriptions. Mode
has no way to ask for changes, so on an incremental run they are read only for reports that
changed since the stream's own bookmark (a stream selected later still gets its backfill)."""
from .base import ModeStream
from .incremental import REPORT_CHANGE_FIELDS
from .tracking import ChangeTracker, latest

EDIT_FIELDS = ("updated_at", "edited_at", "last_saved_at")
# Charts and filters change only in the report editor, and saving moves these; a run moves
# `updated_at` too, and a workspace's scheduled runs would otherwise re-read them every sync.
SAVE_FIELDS = ("edited_at", "last_saved_at")


class SavedPart:
    """A part that changes only when the report is saved; a report never saved is judged by
    its other timestamps."""

    def changed_at(self, report):
        return latest(report, SAVE_FIELDS) or latest(report, EDIT_FIELDS + ("created_at",))


class ReportPart(ModeStream):
    """Bookmark: the report change time up to which this stream is complete."""

    parent = "reports"
    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    bookmark_key = "report_changed_at"
    change_fields = EDIT_FIELDS  # the report fields that move when this part changes

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracker = ChangeTracker(self.bookmark, self.bookmark_key, self.config["start_date"])
        self._reports_wanted = set()     # reports this stream itself needs read
        self._only_for_children = set()  # reports read for the streams below, not for this one

    def changed_at(self, report):
        return latest(report, self.change_fields)

    def needs_report(self, report):
        """Whether this (selected) stream needs `report`'s parts read in this run."""
        changed = self.changed_at(report)
        self.tracker.observe(changed)
        if self.tracker.is_new(changed):
            self._reports_wanted.add(report["token"])
            return True
        return False

    def accept_parent(self, parent):
        own = self.selected and self.needs_report(parent)
        # Every stream below is asked (no short cut): each one tracks its own bookmark.
        below = [child.needs_report(parent) for child in self.child_streams]
        if not own and any(below):
            self._only_for_children.add(parent["token"])
        return own or any(below)

    def keep(self, record):
        return record.get("report_token") not in self._only_for_children



class Queries(ReportPart):
    name = "queries"
    path = "/reports/{report_token}/queries"
    embedded_key = "queries"
    change_fields = REPORT_CHANGE_FIELDS  # a run moves each query's last_run_id
    context_keys = {"report_token": "report_token", "query_token": "token"}


class Charts(SavedPart, ReportPart):
    """Below queries, but its bookmark too is on the report's changes."""

    name = "charts"
    parent = "queries"
    path = "/reports/{report_token}/queries/{query_token}/charts"
    embedded_key = "charts"

    def accept_parent(self, parent):
        return parent["report_token"] in self._reports_wanted


class ReportFilters(SavedPart, ReportPart):
    name = "report_filters"
    path = "/reports/{report_token}/filters"
    embedded_key = "report_filters"


class ReportSchedules(ReportPart):
    name = "report_schedules"
    path = "/reports/{report_token}/schedules"
    embedded_key = "report_schedules"
    change_fields = REPORT_CHANGE_FIELDS  # a scheduled run moves last_run_at, next_scheduled_run


class ReportSubscriptions(ReportPart):
    name = "report_subscriptions"
    path = "/reports/{report_token}/subscriptions"
    embedded_key = "report_subscriptions"
