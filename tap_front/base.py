"""The base of every Front stream: lists paged by their `_pagination.next` links, and the
scope check that turns a 403 into a skipped stream."""
import logging

from tap_engine.paging import Paginator
from tap_engine.streams import Stream

LOGGER = logging.getLogger("tap_front")


class NextLinks(Paginator):
    """`next` is followed verbatim (it carries the query and may name another host of the
    company) until it is null; a short or empty page is not the end."""

    def records(self, body):
        return body.get("_results") or []

    def following(self, request, body, records):
        link = (body.get("_pagination") or {}).get("next")
        return (link, None) if link else None


class FrontStream(Stream):
    schema_package = "tap_front"
    scope = None          # the token scope the endpoint needs (the spec's x-required-scopes)
    page_limit = None     # `limit` to send, for the lists that take one
    unavailable_on = (403,)
    available = True      # False once the stream was skipped for a missing scope

    def params(self):
        """The query of the first request; `next` links carry it on."""
        return {"limit": self.page_limit} if self.page_limit else {}

    def pages(self, context=None):
        return self.list_pages(self.path_for(context), self.params(), endpoint=self.path)

    def list_pages(self, path, params, endpoint=None):
        """Every page of one list; `endpoint`, the template that names it in metrics, pacing
        and errors, is `path` itself unless given."""
        return NextLinks(self.client, endpoint or path).pages(path, params)

    def on_unavailable(self, error):
        LOGGER.warning("stream %s skipped: the API token lacks the scope %s (%s). Grant the scope "
                       "to the token, or deselect the stream.", self.name, self.scope, error.detail or error)
        self.available = False
