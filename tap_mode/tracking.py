"""Bookmarks for lists Mode cannot filter: the tap reads the whole list and decides itself what
is new. Values are kept in the API's own strings and compared as instants."""
import datetime
import functools

from tap_engine.bookmarks import advance
from tap_engine.timefmt import parse_utc, rfc3339

PROGRESS = "progress"
FINAL_RUN_STATES = frozenset(("succeeded", "failed", "cancelled", "completed"))


@functools.lru_cache(maxsize=16384)
def instant(text):
    """An API timestamp as epoch seconds; None when absent or not a timestamp."""
    if not text:
        return None
    try:
        return parse_utc(text).timestamp()
    except (ValueError, TypeError):
        return None


def latest(record, fields):
    """The newest of a record's timestamps `fields`, as the API's string (None if none)."""
    best, best_at = None, None
    for name in fields:
        value = record.get(name)
        at = instant(value)
        if at is not None and (best_at is None or at > best_at):
            best, best_at = value, at
    return best


def _now():
    return rfc3339(datetime.datetime.now(datetime.timezone.utc))


class ChangeTracker:
    """A bookmark `key` for an unsorted list: a record changed after `since` is new.

    The walk's newest value is kept in the state under "progress" as it grows and becomes the
    bookmark only in `commit()`, after a complete walk, capped at the time the walk started:
    a record changed while we walk (after we passed it) is then still new next time. A run
    resumed from a killed one keeps the killed run's "progress"; a complete one writes it null.
    Earlier versions kept it as "walk" and removed it at commit, which an orchestrator's
    shallow merge of the STATEs undoes: "walk" is retired (see ModeStream)."""

    def __init__(self, bookmark, key, start_date):
        self.bookmark = bookmark
        self.key = key
        self.has_bookmark = instant(bookmark.get(key)) is not None
        self.since = instant(bookmark.get(key)) if self.has_bookmark else start_date.timestamp()
        self._started = _now()

    def is_new(self, value):
        at = instant(value)
        return at is None or at > self.since  # no timestamp at all: emit rather than lose it

    def observe(self, value):
        progress = self.touch()
        if instant(value) is not None:
            advance(progress, "max", value, instant)

    def touch(self):
        """Note that a walk is under way (commit() then moves the bookmark)."""
        if self.bookmark.get(PROGRESS) is None:
            self.bookmark[PROGRESS] = {"started": self._started, "max": None}
        return self.bookmark[PROGRESS]

    def commit(self):
        progress = self.bookmark.get(PROGRESS)
        if progress is None:
            return
        self.bookmark[PROGRESS] = None
        started, newest = progress["started"], progress["max"]
        value = newest if newest and instant(newest) <= instant(started) else started
        if advance(self.bookmark, self.key, value, instant):
            self.since = instant(value)
            self.has_bookmark = True


class RunTracker(ChangeTracker):
    """Runs of one kind of parent (reports, datasets), newest first: a bookmark on `created_at`
    plus `pending`, per parent token the runs last seen in a non-final state, so that they are
    read again until they finish. Pending runs that have vanished from a parent's list are
    forgotten at the end of the walk."""

    def __init__(self, bookmark, start_date):
        super().__init__(bookmark, "created_at", start_date)
        # Only what pending lists need (a full sync meets every run: holding all of them
        # would grow with the workspace): parents that had pending runs and were listed in
        # this walk, and the pending runs met again.
        self._asked = set()
        self._met = set()

    def wants_parent(self, parent):
        """Whether the parent may have runs this stream has not emitted in final form."""
        self.touch()
        token = parent["token"]
        if token in self.pending or not self.has_bookmark:
            return True
        if "last_run_at" not in parent:
            return True  # nothing to go by
        last = parent["last_run_at"]
        if last is None:
            return parent.get("runs_count") != 0
        return instant(last) > self.since

    @property
    def pending(self):
        """{parent token: [run tokens]}, in the state once something was pending."""
        return self.bookmark.get("pending") or {}

    def asked(self, parent_token):
        if parent_token in self.pending:
            self._asked.add(parent_token)

    def pending_of(self, parent_token):
        return self.pending.get(parent_token, ())

    def wants_run(self, run, parent_token):
        return self.is_new(run.get("created_at")) or run.get("token") in self.pending_of(parent_token)

    def settle(self, parent_token, run_token, final):
        """Record the state a run was emitted in: non-final runs are read again next time."""
        before = self.pending_of(parent_token)
        if not final or run_token in before:
            self._met.add(run_token)
        waiting = [t for t in before if t != run_token]
        if not final:
            waiting.append(run_token)
        self._set_pending(parent_token, waiting)

    def _set_pending(self, parent_token, tokens):
        pending = self.pending
        if tokens:
            pending[parent_token] = tokens
        elif parent_token not in pending:
            return
        else:
            del pending[parent_token]
        self.bookmark["pending"] = pending

    def commit(self):
        for parent_token in self._asked:
            self._set_pending(parent_token, [t for t in self.pending_of(parent_token) if t in self._met])
        self._asked.clear()
        self._met.clear()
        super().commit()
