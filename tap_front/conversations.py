"""Conversations and what hangs off them.

`/conversations` has no time filter, so changes are found through search windows
(`after:`/`before:`, inclusive, on activity): a first run backfills from `start_date` window by
window with a checkpoint after each, later runs search from a little before the cursor to now.
A conversation found in several windows is emitted once per run, and its messages and
comments are fetched once, and only when it changed since the child stream's own cursor: a
child selected later widens the search back to where it has to start.
"""
import math
from urllib.parse import quote

from .client import SEARCH_ENDPOINT, FrontMovedError, FrontNotFoundError
from .cursor import bookmark_text, end_of_range, overlap, resume_from, seconds
from .paging import FrontStream, Page

DAY = 86400.0
DEFAULT_WINDOW_DAYS = 30


class Conversations(FrontStream):
    name = "conversations"
    path = SEARCH_ENDPOINT
    scope = "conversations:read"
    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    page_limit = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seen = set()   # ids emitted this run: windows overlap, conversations recur

    def _cursor_holders(self):
        """Streams whose cursor this walk must serve: this one when emitted, and every
        child still readable."""
        holders = [self] if self.selected else []
        return holders + [child for child in self.child_streams if getattr(child, "available", True)]

    def _start(self):
        starts = [resume_from(stream.bookmark.get(self.replication_key), self.config)
                  for stream in self._cursor_holders()]
        return min(starts) if starts else None

    def windows(self):
        """(low, high) search windows up to the end of the range, planned lazily: a child
        skipped for a missing scope no longer holds the start back."""
        size = float(self.config.get("conversation_window_days") or DEFAULT_WINDOW_DAYS) * DAY
        end = end_of_range(self.config)
        low = None
        while True:
            start = self._start()
            if start is None:
                return
            low = start if low is None else max(low, start)
            if low >= end:
                return
            high = min(low + size, end)
            yield low, high
            low = high

    def pages(self, parent=None):
        for low, high in self.windows():
            # Whole seconds, widened outwards: search bounds are plain timestamps, and a
            # conversation found twice is emitted once.
            query = "after:{} before:{}".format(math.floor(low), math.ceil(high))
            path = "/conversations/search/" + quote(query, safe="")
            for page in self.walk(path, self.params(), endpoint=SEARCH_ENDPOINT):
                fresh = Page(c for c in page if c["id"] not in self._seen)
                self._seen.update(c["id"] for c in fresh)
                if page.last:
                    fresh.window_end = high
                yield fresh

    def on_emitted(self, records):
        end = getattr(records, "window_end", None)
        if end is None:
            return
        # The window is complete, children included: every cursor this walk serves moves.
        for stream in self._cursor_holders():
            current = seconds(stream.bookmark.get(self.replication_key))
            if current is None or end > current:
                stream.bookmark[self.replication_key] = bookmark_text(end)

    def child_context(self, record):
        return {"conversation_id": record["id"]}


class ConversationChild(FrontStream):
    """A per-conversation list, fetched for conversations changed since this stream's cursor
    (which the conversations walk advances window by window)."""

    parent = "conversations"
    replication_method = "INCREMENTAL"
    # No replication key of its own: the bookmark holds the conversations' `updated_at`
    # through which this stream is complete.
    cursor_key = Conversations.replication_key

    def wants_children_of(self, conversation):
        cursor = self.bookmark.get(self.cursor_key)
        if not cursor:
            return True
        updated = conversation.get("updated_at")
        return updated is None or float(updated) >= seconds(cursor) - overlap(self.config)

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
