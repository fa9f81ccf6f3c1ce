"""Incremental lists Mode cannot filter: the tap walks them whole and emits what changed."""
from .base import ModeStream
from .tracking import ChangeTracker, latest

# A report's record changes with edits and with runs (last_run_at, runs_count, ...).
REPORT_CHANGE_FIELDS = ("updated_at", "edited_at", "last_saved_at", "last_run_at", "last_successfully_run_at")


class ChangedSinceBookmark(ModeStream):
    """An incremental list Mode cannot filter: every record is walked (children may need it),
    only those changed since the bookmark are emitted, and the bookmark moves at the end."""

    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    change_fields = ("updated_at",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracker = ChangeTracker(self.bookmark, self.replication_key, self.config["start_date"])

    def keep(self, record):
        return self.tracker.is_new(latest(record, self.change_fields))

    def on_emitted(self, records):
        if self.selected:
            for record in records:
                self.tracker.observe(latest(record, self.change_fields))
