"""Per-conversation lists: messages and comments."""
from .base import FrontStream
from .cursor import now, overlap, seconds
from .feed import emitted_at, lists_changed
from .holders import BACKFILL, DELETED_PASS, FEED, ChangeHolder


class ConversationChild(ChangeHolder, FrontStream):
    """A per-conversation list, fetched in a backfill for the conversations found since this
    stream's cursor, and afterwards only for conversations whose events added to it."""

    parent = "conversations"
    replication_method = "INCREMENTAL"
    skip_parent_on = (301, 404)   # a merged conversation's routes answer 301, a deleted one's 404
    # No replication key of its own: the bookmark holds the conversations' `updated_at`
    # through which this stream is complete.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_holder()
        self._fetched = {}   # conversation id -> when its list was fetched from the feed this run

    def accept_parent(self, conversation):
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



class Messages(ConversationChild):
    name = "messages"
    path = "/conversations/{conversation_id}/messages"
    scope = "messages:read"
    page_limit = 100


class Comments(ConversationChild):
    name = "comments"
    path = "/conversations/{conversation_id}/comments"
    scope = "comments:read"
