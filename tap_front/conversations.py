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

Each stream served keeps its own bookmark: `updated_at`, complete through this time (window
by window in a backfill, event by event in the feed); `changes_from`, where the change feed
starts once the backfill is done (the time the backfill began, kept across resumed runs);
`recent_event_ids`, the events taken within the overlap before `updated_at`. A bookmark with
only `updated_at` (an earlier version's) goes on from it through the feed.
"""
import logging
import math
from urllib.parse import quote

from tap_engine.errors import HTTPError

from .client import SEARCH_ENDPOINT, FrontMovedError, FrontNotFoundError, FrontScopeError
from .cursor import bookmark_text, end_of_range, now, overlap, query_number, resume_from, seconds
from .feed import EVENTS_LIMIT, EVENTS_PATH, MERGED, FeedCursor, emitted_at, lists_changed, merged_ids
from .paging import FrontStream, Page

LOGGER = logging.getLogger("tap_front")

DAY = 86400.0
DEFAULT_WINDOW_DAYS = 30
LIST_PATH = "/conversations"
DELETED = {"limit": 100, "q[statuses][]": "trashed"}   # trashed and merged: status `deleted`
# Streams that put the conversations walk in a run: `events` then comes from its feed pages.
TREE = frozenset(("conversations", "messages", "comments"))

# What a record of the walk came from (`_via`): a backfill search window, the pass over the
# deleted conversations, the change feed, or search windows standing in for the feed when the
# token cannot read events.
BACKFILL, DELETED_PASS, FEED, SEARCH = "backfill", "deleted", "feed", "search"


def backfilling(bookmark):
    """Whether a stream served by the conversations walk is still in its backfill (see
    ChangeHolder), from its bookmark."""
    done = seconds(bookmark.get(ChangeHolder.cursor_key))
    target = seconds(bookmark.get(ChangeHolder.target_key))
    return done is None or (target is not None and done < target)


class ChangeHolder:
    """A stream the conversations walk serves (conversations itself, messages, comments):
    its bookmark says whether it is still backfilling and where it is in the change feed."""

    cursor_key = "updated_at"
    target_key = "changes_from"
    feed_ids_key = "recent_event_ids"

    def _init_holder(self):
        self.feed = FeedCursor(self.bookmark, self.config, self.cursor_key, self.feed_ids_key)

    @classmethod
    def timestamp_keys(cls):
        return (cls.cursor_key, cls.target_key)

    def backfilling(self):
        return backfilling(self.bookmark)

    def backfill_target(self, default):
        target = seconds(self.bookmark.get(self.target_key))
        return default if target is None else target

    def backfill_start(self):
        return resume_from(self.bookmark.get(self.cursor_key), self.config)

    def window_done(self, end, run_end):
        """A backfill window (or the deleted pass) is complete through `end`; the backfill
        ends where it began, `changes_from`, from where the change feed takes over."""
        target = self.backfill_target(run_end)
        if self.bookmark.get(self.target_key) is None:
            self.bookmark[self.target_key] = bookmark_text(target)
        self._advance(min(end, target))

    def searched_through(self, end):
        """A search window standing in for the feed is complete through `end`."""
        self._advance(end)

    def _advance(self, end):
        current = seconds(self.bookmark.get(self.cursor_key))
        if current is None or end > current:
            self.bookmark[self.cursor_key] = bookmark_text(end)


class Conversations(ChangeHolder, FrontStream):
    name = "conversations"
    path = SEARCH_ENDPOINT
    scope = "conversations:read"
    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    page_limit = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_holder()
        self._seen = set()      # found by a search window this run: windows overlap
        self._listed = set()    # emitted from the deleted pass this run
        self._fed = {}          # id -> updated_at, emitted from the feed this run
        self._run_end = None    # this run's end: where a backfill begun now ends

    # --- who this walk serves ----------------------------------------------------------
    def _holders(self):
        """This stream when emitted, and every child still readable."""
        holders = [self] if self.selected else []
        return holders + [child for child in self.child_streams if getattr(child, "available", True)]

    def _backfilling(self):
        return [h for h in self._holders() if isinstance(h, ChangeHolder) and h.backfilling()]

    def _feed_cursors(self):
        return [h.feed for h in self._holders() if not (isinstance(h, ChangeHolder) and h.backfilling())]

    # --- the walk -----------------------------------------------------------------------
    def pages(self, parent=None):
        self._run_end = end_of_range(self.config)
        if self.selected and self.backfilling() and self.bookmark.get(self.cursor_key) is None:
            yield from self._deleted_pass()
        yield from self._search(BACKFILL)
        yield from self._changes()

    def _deleted_pass(self):
        """Deleted conversations (trashed, or merged into another): a merged one has no
        message left of its own, so no search window finds it."""
        start = seconds(self.config.get("start_date"))
        for page in self.walk(LIST_PATH, dict(DELETED), endpoint=LIST_PATH):
            out = Page(dict(c, _via=DELETED_PASS) for c in page
                       if c.get("updated_at") is None or float(c["updated_at"]) >= start)
            out.kind = DELETED_PASS
            if page.last:
                out.window_end = start
            yield out

    def _windows(self, via):
        """(low, high) search windows, planned lazily: a holder whose backfill is done, or a
        child skipped for a missing scope, no longer holds the start back."""
        size = float(self.config.get("conversation_window_days") or DEFAULT_WINDOW_DAYS) * DAY
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
            for page in self.walk(path, self.params(), endpoint=SEARCH_ENDPOINT):
                fresh = Page(c for c in page if c["id"] not in self._seen)
                self._seen.update(c["id"] for c in fresh)
                for conversation in fresh:
                    conversation["_via"] = via
                fresh.kind = via
                if page.last:
                    fresh.window_end = high
                yield fresh

    def _changes(self):
        cursors = self._feed_cursors()
        if not cursors:
            return
        params = {"limit": EVENTS_LIMIT, "sort_by": "created_at", "sort_order": "asc",
                  "q[after]": query_number(min(c.start() for c in cursors))}
        if self.config.get("end_date"):
            params["q[before]"] = query_number(self._run_end)
        pages = self.walk(EVENTS_PATH, params, endpoint=EVENTS_PATH)
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
                        child.stream_unavailable(error)   # says so, and stops serving it
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
        page = Page(records.values())
        if merges:
            self._add_merged(page, records, merges)
        if orphans:
            # Events of no conversation: still events; no conversation to emit.
            page.append({"id": None, "_via": FEED, "_events": orphans, "_orphan": True})
        page.kind = FEED
        page.feed_events = list(events)
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
        for listed in self.walk(LIST_PATH, dict(DELETED), endpoint=LIST_PATH) if wanted else ():
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
        kind = getattr(records, "kind", None)
        if kind == FEED:
            # The page is out, children and events included: every cursor served moves.
            for cursor in self._feed_cursors():
                cursor.advance(records.feed_events)
            return
        end = getattr(records, "window_end", None)
        if end is None:
            return
        if kind == DELETED_PASS:
            self.window_done(end, self._run_end)
        elif kind == SEARCH:
            for holder in self._holders():
                if isinstance(holder, ChangeHolder):
                    holder.searched_through(end)
        else:
            # The window is complete, children included: every backfill it serves moves.
            for holder in self._backfilling():
                holder.window_done(end, self._run_end)

    def child_context(self, record):
        return {"conversation_id": record["id"]}


class ConversationChild(ChangeHolder, FrontStream):
    """A per-conversation list, fetched in a backfill for the conversations found since this
    stream's cursor, and afterwards only for conversations whose events added to it."""

    parent = "conversations"
    replication_method = "INCREMENTAL"
    # No replication key of its own: the bookmark holds the conversations' `updated_at`
    # through which this stream is complete.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_holder()
        self._fetched = {}   # conversation id -> when its list was fetched from the feed this run

    def wants_children_of(self, conversation):
        via = conversation.get("_via")
        if via == FEED:
            return self._changed_in_feed(conversation)
        if via == DELETED_PASS or (via == BACKFILL and not self.backfilling()):
            return False
        cursor = self.bookmark.get(self.cursor_key)
        if not cursor:
            return True
        updated = conversation.get("updated_at")
        return updated is None or float(updated) >= seconds(cursor) - overlap(self.config)

    def _changed_in_feed(self, conversation):
        if conversation.get("_orphan") or self.backfilling():
            return False
        times = [emitted_at(event) for event in conversation["_events"]
                 if self.name in lists_changed(event) and self.feed.is_new(event)]
        if not times:
            return False
        # Once per run, unless an event may be newer than the list fetched (clocks differ by
        # up to the overlap).
        fetched = self._fetched.get(conversation["id"])
        if fetched is not None and max(times) < fetched - overlap(self.config):
            return False
        self._fetched[conversation["id"]] = now()
        return True

    def pages(self, parent=None):
        path = self.path.replace("{id}", quote(parent["id"], safe=""))
        return self.walk(path, self.params())

    def skippable(self, error):
        # A merged conversation's routes answer 301, a deleted one's 404: nothing to read.
        return isinstance(error, (FrontMovedError, FrontNotFoundError))


class Messages(ConversationChild):
    name = "messages"
    path = "/conversations/{id}/messages"
    scope = "messages:read"
    page_limit = 100


class Comments(ConversationChild):
    name = "comments"
    path = "/conversations/{id}/comments"
    scope = "comments:read"
