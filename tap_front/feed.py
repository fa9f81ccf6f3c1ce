"""Front's change feed: `/events`, oldest first from a little before a cursor. Every change to
a conversation is an event (a search window sees only messages and comments), and each event
embeds the whole conversation as it now is.

A `FeedCursor` is one stream's position in the feed, kept in that stream's own bookmark: the
newest event time through which it has taken every event, and the ids of the events it took
within the overlap before that time (events can be indexed late, so that stretch is read again
and what was already taken is recognised by id)."""
from .cursor import advance, bookmark_text, overlap, resume_from, seconds

EVENTS_PATH = "/events"
EVENTS_LIMIT = 15   # the most /events gives
MERGED = "conversations_merged"
# Event types that add or change a message or a comment, for events without a target type.
MESSAGE_TYPES = frozenset(("inbound", "outbound", "out_reply", "forward", "sending_error", "message_bounce_error"))
COMMENT_TYPES = frozenset(("comment", "mention"))


def emitted_at(event):
    return float(event["emitted_at"])


def lists_changed(event):
    """The child lists ("messages", "comments") of its conversation that an event changes:
    a new message or comment, or a merge (the merged conversation's messages and comments
    move to the survivor). Tags, assignments, archiving and the like change none."""
    kind = event.get("type")
    if kind == MERGED:
        return ("messages", "comments")
    target = ((event.get("target") or {}).get("_meta") or {}).get("type")
    if target == "message" or (target is None and kind in MESSAGE_TYPES):
        return ("messages",)
    if target == "comment" or (target is None and kind in COMMENT_TYPES):
        return ("comments",)
    return ()


def merged_ids(event):
    """The conversations a `conversations_merged` event merged into its conversation. The
    spec gives the target's data as an object (`{"ids": [...]}`); a bare list (or one id) is
    taken too."""
    data = (event.get("target") or {}).get("data")
    if isinstance(data, dict):
        data = data.get("ids", data.get("id"))
    if isinstance(data, str):
        data = [data]
    if not isinstance(data, list):
        return []
    return [item if isinstance(item, str) else (item or {}).get("id") for item in data
            if isinstance(item, str) or isinstance(item, dict)]


class FeedCursor:
    """One stream's position in the change feed, in its bookmark under `time_key` (RFC 3339)
    and `ids_key` ({event id: emitted_at as text}: state tools read numbers as decimals they
    cannot write back)."""

    def __init__(self, bookmark, config, time_key, ids_key):
        self.bookmark = bookmark
        self.config = config
        self.time_key = time_key
        self.ids_key = ids_key
        self._recent = {eid: seconds(at) for eid, at in (bookmark.get(ids_key) or {}).items()}

    def start(self):
        """Where this cursor needs the feed to start: a little before it, or the start date."""
        return resume_from(self.bookmark.get(self.time_key), self.config)

    def is_new(self, event):
        """Not taken yet: at or after the start and not among the ids taken in the overlap."""
        return event["id"] not in self._recent and emitted_at(event) >= self.start()

    def advance(self, events):
        """Every one of `events` (a feed page, all taken): the cursor moves to the newest."""
        if not events:
            return
        advance(self.bookmark, self.time_key, max(emitted_at(event) for event in events))
        floor = seconds(self.bookmark[self.time_key]) - overlap(self.config)
        for event in events:
            if emitted_at(event) >= floor:
                self._recent[event["id"]] = emitted_at(event)
        self._recent = {eid: at for eid, at in self._recent.items() if at >= floor}
        self.bookmark[self.ids_key] = {eid: bookmark_text(at) for eid, at in self._recent.items()}
