"""Conversations and what hangs off them, found in two ways.

Backfill (a stream's first run): search windows (`after:`/`before:`, inclusive) from
`start_date` to the time the backfill began, window by window with a checkpoint after each,
plus one pass over the deleted conversations (`/conversations?q[statuses][]=trashed`), which
search cannot find once they were merged away. A conversation found in several windows is
emitted once, its messages and comments fetched once.

Changes (every later run, and the end of a first one): the change feed. Search finds only
conversations with a new message or comment, while every change (archive, reopen, tags,
assignment, inbox, custom fields, trash, merge, messages, comments) is an event embedding the
whole conversation, and `/events` filters on time server-side. So the walk reads `/events`
oldest first from a little before the oldest cursor it serves, and yields per events page the
conversations it touched, in their latest state, each carrying that page's events of it
(`_events`, a key no schema has). A conversation is emitted when it has an event its cursor has
not taken; its messages (comments) are fetched only when such an event added one (or merged
another conversation into it). When `events` is selected it takes its records from these same
pages: one walk of `/events` per run.

Each stream served keeps its own bookmark (holders.py).
"""
import logging
import math
from urllib.parse import quote

from tap_engine.errors import HTTPError
from tap_engine.paging import Page

from .base import FrontStream
from .client import SEARCH_ENDPOINT, FrontScopeError
from .cursor import end_of_range, overlap, query_number, seconds
from .feed import EVENTS_LIMIT, EVENTS_PATH, MERGED, emitted_at, merged_ids
from .holders import BACKFILL, DELETED_PASS, FEED, SEARCH, ChangeHolder, Progress

LOGGER = logging.getLogger("tap_front")

DAY = 86400.0
LIST_PATH = "/conversations"
DELETED = {"limit": 100, "q[statuses][]": "trashed"}   # trashed and merged: status `deleted`


class Conversations(ChangeHolder, FrontStream):
    name = "conversations"
    path = SEARCH_ENDPOINT
    scope = "conversations:read"
    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    page_limit = 100
    context_keys = {"conversation_id": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_holder()
        self._seen = set()      # found by a search window this run: windows overlap
        self._listed = set()    # emitted from the deleted pass this run
        self._fed = {}          # id -> updated_at, emitted from the feed this run
        self._run_end = None    # this run's end: where a backfill begun now ends

    # --- who this walk serves ----------------------------------------------------------
    def _holders(self):
        return self.served()

    def _backfilling(self):
        return [h for h in self._holders() if isinstance(h, ChangeHolder) and h.backfilling()]

    def _feed_cursors(self):
        return [h.feed for h in self._holders() if not (isinstance(h, ChangeHolder) and h.backfilling())]

    # --- the walk -----------------------------------------------------------------------
    def pages(self, context=None):
        self._run_end = end_of_range(self.config)
        if self.selected and self.backfilling() and self.bookmark.get(self.cursor_key) is None:
            yield from self._deleted_pass()
        yield from self._search(BACKFILL)
        yield from self._changes()

    def _deleted_pass(self):
        """Deleted conversations (trashed, or merged into another): a merged one has no
        message left of its own, so no search window finds it."""
        start = seconds(self.config.get("start_date"))
        for page in self.list_pages(LIST_PATH, dict(DELETED)):
            yield Page((dict(c, _via=DELETED_PASS) for c in page
                        if c.get("updated_at") is None or float(c["updated_at"]) >= start),
                       Progress(DELETED_PASS, start if page.last else None))

    def _windows(self, via):
        """(low, high) search windows, planned lazily: a holder whose backfill is done, or a
        child skipped for a missing scope, no longer holds the start back."""
        size = float(self.config["conversation_window_days"]) * DAY
        low = None
        while True:
            if via == BACKFILL:
                holders = self._backfilling()
                end = max((h.backfill_target(self._run_end) for h in holders), default=None)
            else:
                holders = [h for h in self._holders() if isinstance(h, ChangeHolder)]
                end = self._run_end
            if not holders:
                return
            start = min(h.backfill_start() for h in holders)
            low = start if low is None else max(low, start)
            if low >= end:
                return
            high = min(low + size, end)
            yield low, high
            low = high

    def _search(self, via):
        for low, high in self._windows(via):
            # Whole seconds, widened outwards: search bounds are plain timestamps, and a
            # conversation found twice is emitted once.
            query = "after:{} before:{}".format(math.floor(low), math.ceil(high))
            path = "/conversations/search/" + quote(query, safe="")
            for page in self.list_pages(path, self.params(), endpoint=SEARCH_ENDPOINT):
                fresh = Page((c for c in page if c["id"] not in self._seen), Progress(via, high if page.last else None))
                self._seen.update(c["id"] for c in fresh)
                for conversation in fresh:
                    conversation["_via"] = via
                yield fresh

    def _changes(self):
        cursors = self._feed_cursors()
        if not cursors:
            return
        params = {"limit": EVENTS_LIMIT, "sort_by": "created_at", "sort_order": "asc",
                  "q[after]": query_number(min(c.start() for c in cursors))}
        if self.config.get("end_date"):
            params["q[before]"] = query_number(self._run_end)
        pages = self.list_pages(EVENTS_PATH, params)
        while True:
            try:
                events = next(pages)
            except StopIteration:
                return
            except FrontScopeError as error:
                LOGGER.warning("conversations: the API token cannot read events (%s), so changes without a "
                               "message or comment (archive, tags, assignment, inbox, custom fields, merges) "
                               "are not seen; grant the token the scope events:*:read. Searching for new "
                               "messages and comments instead.", error.detail or error)
                for child in self.child_streams:
                    if child.name == "events":
                        child.unavailable(error)   # says so, and stops serving it
                yield from self._search(SEARCH)
                return
            except HTTPError as error:
                raise error.in_stream(self._feed_readers()) from None
            yield self._feed_page(events)

    def _feed_readers(self):
        """Who the change feed is read for, as a failure names them."""
        served = [h.name for h in self._holders() if h.selected]
        others = ", ".join(n for n in served if n != "events") or self.name
        if "events" in served:
            return "events (and the change feed of {})".format(others)
        return "{} (change feed)".format(others)

    def _feed_page(self, events):
        """The conversations one page of events touched, in their latest state (a later
        event embeds a later state), each with that page's events of it."""
        records, orphans, merges = {}, [], []
        for event in events:
            embedded = event.get("conversation")
            cid = embedded.get("id") if isinstance(embedded, dict) else None
            if not cid:
                orphans.append(event)
                continue
            before = records.get(cid)
            record = dict(embedded, _via=FEED, _events=before["_events"] if before else [])
            record["_events"].append(event)
            records[cid] = record
            if event.get("type") == MERGED and self._wants_merged(event):
                merges.append(event)
        page = Page(records.values(), Progress(FEED, events=list(events)))
        if merges:
            self._add_merged(page, records, merges)
        if orphans:
            # Events of no conversation: still events; no conversation to emit.
            page.append({"id": None, "_via": FEED, "_events": orphans, "_orphan": True})
        page.last = events.last
        return page

    def _wants_merged(self, event):
        return self.selected and not self.backfilling() and self.feed.is_new(event)

    def _add_merged(self, page, records, merges):
        """The conversations these events merged away, as Front now lists them (status
        `deleted`; their own routes redirect to the survivor): newest first among the deleted
        ones, so the list is read only down to the merges' time."""
        wanted = {mid: event for event in merges for mid in merged_ids(event) if mid}
        oldest = min(emitted_at(event) for event in merges) - overlap(self.config)
        for listed in self.list_pages(LIST_PATH, dict(DELETED)) if wanted else ():
            for conversation in listed:
                event = wanted.pop(conversation.get("id"), None)
                if event is None:
                    continue
                record = records.get(conversation["id"])
                if record is None:
                    page.append(dict(conversation, _via=FEED, _events=[], _merged_by=[event]))
                else:
                    record.update(conversation, _merged_by=[event])
            times = [float(c["updated_at"]) for c in listed if c.get("updated_at") is not None]
            if not wanted or (times and min(times) < oldest):
                break
        if wanted:
            LOGGER.info("conversations: merged conversation(s) %s not listed among the deleted ones; their last "
                        "state stays as it was", ", ".join(sorted(wanted)[:5]))

    # --- hooks ----------------------------------------------------------------------------
    def keep(self, record):
        via = record.get("_via")
        if via == FEED:
            if record.get("_orphan") or self.backfilling():
                return False
            changes = record["_events"] + record.get("_merged_by", [])
            if not any(self.feed.is_new(event) for event in changes):
                return False    # only events this stream took before (the overlap, or events' own start)
            updated = record.get("updated_at")
            if self._fed.get(record["id"], object()) == updated:
                return False    # emitted from an earlier page of this run, in this same state
            self._fed[record["id"]] = updated
            return True
        if via == SEARCH or via is None:
            return True
        if not self.backfilling():
            return False        # a child's backfill: this stream gets its changes from the feed
        if via == DELETED_PASS:
            self._listed.add(record["id"])
            return True
        return record["id"] not in self._listed

    def on_emitted(self, records):
        progress = records.checkpoint
        if progress.via == FEED:
            # The page is out, children and events included: every cursor served moves.
            for cursor in self._feed_cursors():
                cursor.advance(progress.events)
        elif progress.end is None:
            return
        elif progress.via == DELETED_PASS:
            self.window_done(progress.end, self._run_end)
        elif progress.via == SEARCH:
            for holder in self._holders():
                if isinstance(holder, ChangeHolder):
                    holder.searched_through(progress.end)
        else:
            # The window is complete, children included: every backfill it serves moves.
            for holder in self._backfilling():
                holder.window_done(progress.end, self._run_end)


