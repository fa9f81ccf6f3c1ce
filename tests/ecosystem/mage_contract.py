"""The two-run sweep behind the Mage contract tests: every stream of a tap, each in a block
run of its own (one stream per source process, as Mage runs them), through one pipeline style,
against a tiny sandbox: a first run, changes made in the sandbox, a second run from the state
Mage saved. Plus what "only the changes" means per stream.

A sweep's runs go side by side on a thread pool; each run's config names its own User-Agent,
so that the sandbox's requests are counted per run (`Ledger`).
"""
import itertools
import json
import math
import threading
from concurrent.futures import ThreadPoolExecutor

from demo.sandboxes import Sandbox
from tap_engine.timefmt import parse_utc
from tests.reliability.profiles import FRONT, MODE

from .mage import BatchPipeline, IntegrationPipeline, Ledger

PROFILES = {"front": FRONT, "mode": MODE}
STREAMS = {app: sorted(profile.classes) for app, profile in PROFILES.items()}
# Mage's three ways to run a source: an integration pipeline run by an API trigger (null
# dates, `_limit` since Mage batches), the same on an @daily schedule (the day before the
# execution date as `_start_date`/`_end_date`, first run included), a batch pipeline's data
# integration block.
STYLES = ("integration", "scheduled", "batch")
# `batch_fetch_limit` is Mage's source setting behind `_limit` (and `_offset` = limit * batch
# index): a small one, which a tap honouring those keys would visibly obey.
FETCH_LIMIT = 3
MUTATIONS = 12
WORKERS = 3
# No overlap, no analytics lookback: a second run re-reads nothing older by design, so what it
# emits can be held to what changed.
TAP_SETTINGS = {"front": {"overlap_seconds": 0, "lookback_window": 0}, "mode": {}}

# Child stream -> (the field naming its parent's key, the parent stream in the sandbox's
# change list): a changed parent's children may be read again (the tap reads a child list
# only for parents that changed, and the API cannot filter a child list by time).
PARENT_LINKS = {
    "front": {**{name: ("conversation_id", "conversations") for name in
                 ("messages", "comments", "conversation_inboxes", "conversation_followers")},
              "contact_notes": ("contact_id", "contacts")},
    "mode": {name: ("report_token", "reports") for name in
             ("queries", "charts", "report_filters", "report_schedules", "report_subscriptions", "report_runs")},
}
PARENT_LINKS["mode"].update({"query_runs": ("report_run_token", "report_runs"),
                             "dataset_runs": ("dataset_token", "datasets")})
# Run streams keep runs not yet final in `pending` ({parent token: [run tokens]}), read again
# until they finish: those runs (query_runs: those runs' query runs) may come again.
PENDING_FIELD = {"report_runs": "token", "dataset_runs": "token", "query_runs": "report_run_token"}
DAY = 86400


def make_pipeline(style, mage, app, config, catalog, folder):
    if style == "integration":
        return IntegrationPipeline(mage, app, config, catalog, folder, last_block_run=False)
    if style == "scheduled":
        return IntegrationPipeline(mage, app, config, catalog, folder, schedule="@daily", last_block_run=False)
    if style == "batch":
        return BatchPipeline(mage, app, config, catalog, folder)
    raise ValueError(style)


def select_every_stream(catalog):
    catalog = json.loads(json.dumps(catalog))
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if not item["breadcrumb"]:
                item["metadata"]["selected"] = True
    return catalog


class Sweep:
    """Both runs of every stream of `app` through one pipeline style (see module docstring)."""

    def __init__(self, mage, app, style, catalog, folder):
        self.app, self.style = app, style
        self.profile = PROFILES[app]
        self.sandbox = Sandbox(app, scale="tiny").start()
        self.ledger = Ledger(self.sandbox.server)
        self.config = dict(self.sandbox.tap_config(), batch_fetch_limit=FETCH_LIMIT, **TAP_SETTINGS[app])
        self.pipeline = make_pipeline(style, mage, app, self.config, select_every_stream(catalog), folder)
        self.streams = [e["tap_stream_id"] for e in catalog["streams"]]
        self._agents = itertools.count(1)
        self.first = self.second = None

    def stop(self):
        self.sandbox.stop()

    def _run(self, stream, number):
        agent = "mage-contract/{}/{}/{}/{}".format(self.style, stream, number, next(self._agents))
        run = self.pipeline.run(stream, config=dict(self.config, user_agent=agent))
        run.requests = self.ledger.of(agent)
        return run

    def run(self):
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            self.truth_before = self.sandbox.truth()
            self.first = dict(zip(self.streams, pool.map(lambda s: self._run(s, 1), self.streams)))
            self.changed = self.sandbox.mutate(MUTATIONS)
            self.truth_after = self.sandbox.truth()
            self.second = dict(zip(self.streams, pool.map(lambda s: self._run(s, 2), self.streams)))
        return self

    def outputs(self):
        return [run.output for runs in (self.first, self.second) for run in runs.values()]

    # -- what a stream's records should be ---------------------------------------------------
    def keys(self, stream, records):
        return {self.profile.key_of(stream, r) for r in records}

    def truth_keys(self, truth, stream):
        return {self.profile.truth_key(stream, r) for r in truth.get(stream, [])}

    def changed_keys(self, stream, state_in=None):
        """What the sandbox changed or added in this stream (its change list; analytics: the
        day rows whose numbers moved, within the days a run pulls again)."""
        if stream == "analytics":
            before = {self.profile.truth_key(stream, r): r for r in self.truth_before["analytics"]}
            return {self.profile.truth_key(stream, r) for r in self.truth_after["analytics"]
                    if before.get(self.profile.truth_key(stream, r)) != r
                    and self._pulled_again(r["start"], state_in)}
        return {(key,) for key in self.changed.get(stream, [])}

    def _pulled_again(self, start, state_in):
        """Whether an analytics day (its start, epoch or RFC 3339) is in the window a run from
        `state_in` pulls again: from the bookmark's day, `lookback_window` days back."""
        bookmark = ((state_in or {}).get("bookmarks") or {}).get("analytics") or {}
        if not bookmark.get("end_time"):
            return True
        end = parse_utc(bookmark["end_time"]).timestamp()
        lookback = self.config.get("lookback_window", 7)
        day = start if isinstance(start, (int, float)) else parse_utc(start).timestamp()
        return day >= end - end % DAY - lookback * DAY

    def may_come_again(self, stream, record, state_in):
        """Whether a second run may emit this unchanged record by design (see PARENT_LINKS,
        PENDING_FIELD; analytics: the days a run pulls again)."""
        bookmark = ((state_in or {}).get("bookmarks") or {}).get(stream) or {}
        link = PARENT_LINKS.get(self.app, {}).get(stream)
        if link and record.get(link[0]) in set(self.changed.get(link[1], [])):
            return True
        if stream in PENDING_FIELD:
            waiting = {token for tokens in (bookmark.get("pending") or {}).values() for token in tokens}
            if record.get(PENDING_FIELD[stream]) in waiting:
                return True
        if stream == "analytics":
            return self._pulled_again(record["start_time"], state_in)
        return False

    def changed_parents(self, stream):
        """How many parents of `stream` changed (its child list may be read again for each)."""
        link = PARENT_LINKS.get(self.app, {}).get(stream)
        if not link:
            return None
        parents = set(self.changed.get(link[1], []))
        if stream == "charts":  # one chart list per query of a changed report
            return sum(1 for q in self.truth_after["queries"] if q["report_token"] in parents)
        return len(parents)


class SweepCache:
    """One Sweep per (app, style), run when a test first asks for it."""

    def __init__(self, mage, catalogs, tmp_path_factory):
        self.mage, self.catalogs, self.tmp = mage, catalogs, tmp_path_factory
        self._sweeps, self._lock = {}, threading.Lock()

    def get(self, app, style):
        with self._lock:
            if (app, style) not in self._sweeps:
                sweep = Sweep(self.mage, app, style, self.catalogs[app],
                              self.tmp.mktemp("sweep-{}-{}".format(app, style)))
                try:
                    sweep.run()
                finally:
                    sweep.stop()
                self._sweeps[app, style] = sweep
            return self._sweeps[app, style]


def pages_per_parent(requests, parents):
    return max(1, math.ceil(requests / max(1, parents)))
