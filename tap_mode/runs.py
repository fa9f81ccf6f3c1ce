"""Report runs, their query runs, and dataset runs. Run lists come newest first with real
`pagination` totals, so an incremental read stops paging at the bookmark; runs still pending,
enqueued or running are kept in the state and read again until they reach a final state."""
from .base import ModeStream
from .tracking import FINAL_RUN_STATES, RunTracker, instant


def _newest_first(page):
    stamps = [instant(r.get("created_at")) for r in page]
    return None not in stamps and all(a >= b for a, b in zip(stamps, stamps[1:]))


class RunList(ModeStream):
    """A run list under a report or dataset. It is read for its own bookmark and for the
    streams below it (query runs), each with its own RunTracker."""

    replication_method = "INCREMENTAL"
    replication_key = "created_at"
    embedded_key = "report_runs"
    parent_token = None  # the context key naming the parent: report_token, dataset_token

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracker = RunTracker(self.bookmark, self.config["start_date"])

    def trackers(self):
        """Everyone this list is read for: itself when selected, and the streams below."""
        return ([self.tracker] if self.selected else []) + [child.tracker for child in self.child_streams]

    def accept_parent(self, parent):
        trackers = self.trackers()
        # Every tracker is asked (no short cut): each one notes the walk for its bookmark.
        wanted = any([tracker.wants_parent(parent) for tracker in trackers])
        if wanted:
            for tracker in trackers:
                tracker.asked(parent["token"])
        return wanted

    def pages(self, context=None):
        token = context.record["token"]
        trackers = self.trackers()
        floor = min(tracker.since for tracker in trackers)
        awaited = set().union(*(tracker.pending_of(token) for tracker in trackers))
        for page in super().pages(context):
            wanted = [run for run in page if any(t.wants_run(run, token) for t in trackers)]
            awaited.difference_update(run.get("token") for run in page)
            if wanted:
                yield wanted
            # Newest first: once a page reaches the bookmark, older pages hold nothing new.
            if not awaited and _newest_first(page) and instant(page[-1]["created_at"]) <= floor:
                return

    def keep(self, record):
        return self.tracker.wants_run(record, record.get(self.parent_token))

    def on_emitted(self, records):
        if not self.selected:
            return
        for run in records:
            parent_token = run.get(self.parent_token)
            if self.tracker.wants_run(run, parent_token):
                self.tracker.observe(run.get("created_at"))
                self.tracker.settle(parent_token, run["token"], run.get("state") in FINAL_RUN_STATES)


class ReportRuns(RunList):
    name = "report_runs"
    parent = "reports"
    path = "/reports/{report_token}/runs"
    parent_token = "report_token"
    context_keys = {"report_token": "report_token", "report_run_token": "token"}


class DatasetRuns(RunList):
    name = "dataset_runs"
    parent = "datasets"
    path = "/datasets/{dataset_token}/runs"
    parent_token = "dataset_token"


class QueryRuns(ModeStream):
    """The query runs of each report run read for it: new runs, and runs whose query runs were
    not all final last time. Its RunTracker is consulted by report_runs when listing runs."""

    name = "query_runs"
    parent = "report_runs"
    path = "/reports/{report_token}/runs/{report_run_token}/query_runs"
    embedded_key = "query_runs"
    replication_method = "INCREMENTAL"
    replication_key = "created_at"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracker = RunTracker(self.bookmark, self.config["start_date"])

    def accept_parent(self, parent):
        if not self.tracker.wants_run(parent, parent["report_token"]):
            return False
        self.tracker.observe(parent.get("created_at"))
        return True

    def on_emitted(self, records):
        final = {}
        for query_run in records:
            run = (query_run["report_token"], query_run["report_run_token"])
            final[run] = final.get(run, True) and query_run.get("state") in FINAL_RUN_STATES
        for (report_token, run_token), done in final.items():
            self.tracker.settle(report_token, run_token, done)
