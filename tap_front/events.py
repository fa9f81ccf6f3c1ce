"""Events, incremental on `emitted_at`: asked for oldest first from a little before the
bookmark (events can be indexed late), with the events already emitted in that overlap
dropped by id.

When the conversations walk runs too (conversations, messages or comments selected), it reads
`/events` anyway, as its change feed: events are then a child of conversations for the run
and come from its pages, each conversation's events with it, so `/events` is walked once. The
conversations walk moves this stream's bookmark after each page. Alone, events are a list of
their own."""
from .base import FrontStream
from .cursor import end_of_range, query_number
from .feed import EVENTS_LIMIT, EVENTS_PATH, FeedCursor
from .holders import TREE, backfilling


class Events(FrontStream):
    name = "events"
    path = EVENTS_PATH
    scope = "events:*:read"
    replication_method = "INCREMENTAL"
    replication_key = "emitted_at"
    page_limit = EVENTS_LIMIT
    feed_parent = "conversations"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids emitted within the overlap before the cursor, with their times.
        self.feed = FeedCursor(self.bookmark, self.config, self.replication_key, "recent_ids")

    @classmethod
    def parent_for(cls, selected, bookmarks):
        """Under conversations once this stream and the conversations walk all read the feed
        from where they stand. In a first sync events read their whole history while the
        conversations backfill by search: apart, the two walks run at once (Front limits each
        endpoint's rate), and the conversations' own feed is then a page or two."""
        holders = TREE & set(selected)
        if not holders or not (bookmarks.get(cls.name) or {}).get(cls.replication_key):
            return None
        return None if any(backfilling(bookmarks.get(name) or {}) for name in holders) else cls.feed_parent

    def params(self):
        params = dict(super().params(), sort_by="created_at", sort_order="asc")
        params["q[after]"] = query_number(self.feed.start())
        if self.config.get("end_date"):
            params["q[before]"] = query_number(end_of_range(self.config))
        return params

    def pages(self, context=None):
        if context is not None:
            # A conversation of the feed: its events in that page, those not taken yet.
            return [[event for event in context.record.get("_events") or () if self.feed.is_new(event)]]
        return self._own_pages()

    def _own_pages(self):
        for page in super().pages():
            yield [event for event in page if self.feed.is_new(event)]

    def accept_parent(self, parent):
        return any(self.feed.is_new(event) for event in parent.get("_events") or ())

    def on_emitted(self, records):
        if self.parent is None:
            self.feed.advance(records)
