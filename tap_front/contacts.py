"""Contacts, incremental on `updated_at` through Front's own filter (`q[updated_after]`, oldest
change first), so a run asks only for what changed; their notes, read only for the contacts
walked (a new note moves its contact's `updated_at`); and which contacts each account has."""
from .base import FrontStream
from .cursor import advance, end_of_range, now, query_number, seconds
from .cursor import overlap as overlap_seconds

CURSOR = "updated_at"


class Contacts(FrontStream):
    name = "contacts"
    path = "/contacts"
    scope = "contacts:read"
    owned = True
    replication_method = "INCREMENTAL"
    replication_key = CURSOR
    page_limit = 100
    context_keys = {"contact_id": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._started_at = None
        self._saw_updated_at = False

    def _holders(self):
        return [stream.bookmark for stream in self.served()]

    def _start(self, bookmark):
        cursor = bookmark.get(CURSOR)
        return seconds(cursor) - overlap_seconds(self.config) if cursor else None

    def params(self):
        params = dict(super().params(), sort_by="updated_at", sort_order="asc")
        starts = [self._start(bookmark) for bookmark in self._holders()]
        # Contacts are people, not activity: a first run takes all of them, whatever start_date.
        if starts and None not in starts:
            params["q[updated_after]"] = query_number(min(starts))
        if self.config.get("end_date"):
            params["q[updated_before]"] = query_number(end_of_range(self.config))
        return params

    def pages(self, context=None):
        self._started_at = now()
        return super().pages(context)

    def keep(self, record):
        # Read from earlier for a child's sake: what this stream had already is not sent again.
        start = self._start(self.bookmark)
        updated = record.get("updated_at")
        return start is None or updated is None or float(updated) >= start

    def on_emitted(self, records):
        # Oldest change first: the last dated record of a page is as far as the run has come.
        for record in reversed(records):
            updated = record.get("updated_at")
            if updated is not None:
                self._saw_updated_at = True
                for bookmark in self._holders():
                    advance(bookmark, CURSOR, updated)
                return

    def finish(self):
        # Contacts without `updated_at` (the spec shows none): everything changed before the
        # run started has been read.
        if not self._saw_updated_at and self._started_at is not None:
            for bookmark in self._holders():
                advance(bookmark, CURSOR, self._started_at - overlap_seconds(self.config))


class ContactNotes(FrontStream):
    """Notes carry no id: a note is its contact and its creation time. The bookmark holds the
    contacts' `updated_at` through which this stream is complete."""

    name = "contact_notes"
    parent = "contacts"
    path = "/contacts/{contact_id}/notes"
    scope = "contacts:read"
    key_properties = ("contact_id", "created_at")
    replication_method = "INCREMENTAL"
    skip_parent_on = (404,)   # a contact deleted while the run reads it

    @classmethod
    def timestamp_keys(cls):
        return (CURSOR,)

    def accept_parent(self, contact):
        cursor = self.bookmark.get(CURSOR)
        updated = contact.get("updated_at")
        return not cursor or updated is None or float(updated) >= seconds(cursor) - overlap_seconds(self.config)


class AccountContacts(FrontStream):
    """Which contacts each account has (contacts carry no account id). Front cannot say which
    accounts' contacts changed, so every run reads one list per account: opt-in."""

    name = "account_contacts"
    selected_by_default = False
    parent = "accounts"
    path = "/accounts/{account_id}/contacts"
    scope = "contacts:read"
    page_limit = 100
    key_properties = ("account_id", "contact_id")
    link_key = "contact_id"
