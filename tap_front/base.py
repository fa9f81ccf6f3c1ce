"""The base of every Front stream: lists paged by their `_pagination.next` links, and the
scope check that turns a 403 into a skipped stream."""
import logging

from tap_engine.paging import Paginator
from tap_engine.streams import Stream

from .links import add_link_columns

LOGGER = logging.getLogger("tap_front")


class NextLinks(Paginator):
    """`next` is followed verbatim (it carries the query and may name another host of the
    company) until it is null; a short or empty page is not the end."""

    def __init__(self, client, endpoint, results_key="_results"):
        super().__init__(client, endpoint)
        self.results_key = results_key

    def records(self, body):
        return body.get(self.results_key) or []

    def following(self, request, body, records):
        link = (body.get("_pagination") or {}).get("next")
        return (link, None) if link else None


class FrontStream(Stream):
    schema_package = "tap_front"
    scope = None          # the token scope the endpoint needs (the spec's x-required-scopes)
    page_limit = None     # `limit` to send, for the lists that take one
    unavailable_on = (403,)
    results_key = "_results"   # where a body holds its records
    # Id columns from `_links.related`: {column: link name}; `owned` adds owner_type and
    # owner_id ("company": a null owner link means the company owns the record).
    related_ids = {}
    owned = False
    # A list kept as links: each record becomes {link_key: its id} (beside the parent's id).
    link_key = None

    @classmethod
    def link_columns(cls):
        """The columns this stream reads from its records' links."""
        return tuple(cls.related_ids) + (("owner_type", "owner_id") if cls.owned else ())

    def params(self):
        """The query of the first request; `next` links carry it on."""
        return {"limit": self.page_limit} if self.page_limit else {}

    def pages(self, context=None):
        return self.list_pages(self.path_for(context), self.params(), endpoint=self.path)

    def list_pages(self, path, params, endpoint=None):
        """Every page of one list; `endpoint`, the template that names it in metrics, pacing
        and errors, is `path` itself unless given."""
        pages = NextLinks(self.client, endpoint or path, self.results_key).pages(path, params)
        if not (self.related_ids or self.owned or self.link_key):
            return pages
        return (self._with_link_columns(page) for page in pages)

    def _with_link_columns(self, page):
        for index, record in enumerate(page):
            if self.link_key:
                page[index] = {self.link_key: record.get("id")}
            else:
                add_link_columns(record, self.related_ids, self.owned)
        return page

    def on_unavailable(self, error):
        LOGGER.warning("stream %s skipped: the API token lacks the scope %s (%s). Grant the scope "
                       "to the token, or deselect the stream.", self.name, self.scope, error.detail or error)
