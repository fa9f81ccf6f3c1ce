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
    changed_by_any_event = False   # True for lists no event type names (a move, a follower)
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
                 if self.changed_by(event) and self.feed.is_new(event)]
        if not times:
            return False
        # Once per run, unless an event may be newer than the list fetched (clocks differ by
        # up to the overlap).
        fetched = self._fetched.get(conversation["id"])
        if fetched is not None and max(times) < fetched - overlap(self.config):
            return False
        self._fetched[conversation["id"]] = now()
        return True

    def changed_by(self, event):
        """Whether an event of the feed may have changed this list of its conversation."""
        return self.changed_by_any_event or self.name in lists_changed(event)



class Messages(ConversationChild):
    name = "messages"
    path = "/conversations/{conversation_id}/messages"
    scope = "messages:read"
    related_ids = {"replied_to_message_id": "message_replied_to"}
    page_limit = 100


class Comments(ConversationChild):
    name = "comments"
    path = "/conversations/{conversation_id}/comments"
    scope = "comments:read"
    related_ids = {"replied_to_comment_id": "comment_replied_to"}


class ConversationInboxes(ConversationChild):
    """The conversation-to-inbox link. Any event may come with a move (Front's events name the
    inbox they happened in, not a move as such), so the list is read again on every change."""

    name = "conversation_inboxes"
    path = "/conversations/{conversation_id}/inboxes"
    scope = "inboxes:read"
    key_properties = ("conversation_id", "inbox_id")
    link_key = "inbox_id"
    changed_by_any_event = True


class ConversationFollowers(ConversationChild):
    """Teammates following a conversation. Following makes no event of its own: the list is
    read again whenever the conversation changes."""

    name = "conversation_followers"
    path = "/conversations/{conversation_id}/followers"
    scope = "teammates:read"
    key_properties = ("conversation_id", "teammate_id")
    link_key = "teammate_id"
    changed_by_any_event = True
