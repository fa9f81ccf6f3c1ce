"""The bookmark of each stream the conversations walk serves (conversations, messages,
comments): `updated_at`, complete through this time (window by window in a backfill, event by
event in the feed); `changes_from`, where the change feed starts once the backfill is done (the
time the backfill began, kept across resumed runs); `recent_event_ids`, the events taken within
the overlap before `updated_at`. A bookmark with only `updated_at` (an earlier version's) goes
on from it through the feed."""
from dataclasses import dataclass, field
from typing import List, Optional

from .cursor import advance, bookmark_text, resume_from, seconds
from .feed import FeedCursor

# Streams that put the conversations walk in a run: `events` then comes from its feed pages.
TREE = frozenset(("conversations", "messages", "comments", "conversation_inboxes", "conversation_followers"))

# What a record of the walk came from (`_via`): a backfill search window, the pass over the
# deleted conversations, the change feed, or search windows standing in for the feed when the
# token cannot read events.
BACKFILL, DELETED_PASS, FEED, SEARCH = "backfill", "deleted", "feed", "search"


@dataclass
class Progress:
    """A page's checkpoint: where its records came from, and what the page completes: a
    window (or the deleted pass) through `end`, or, in the feed, `events`, all taken."""

    via: str
    end: Optional[float] = None
    events: List[dict] = field(default_factory=list)


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
        advance(self.bookmark, self.cursor_key, end)
