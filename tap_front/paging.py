"""The base of every Front stream: list envelopes walked by `_pagination.next`, and the scope
check that turns a 403 into a skipped stream."""
import logging

from tap_engine.streams import Stream

from .client import FrontScopeError

LOGGER = logging.getLogger("tap_front")


class Page(list):
    """One page of raw records. `last` says the list ends here; streams that checkpoint
    per window set `window_end` on the page that completes a window."""

    last = False
    window_end = None


class FrontStream(Stream):
    schema_package = "tap_front"
    scope = None          # the token scope the endpoint needs (the spec's x-required-scopes)
    page_limit = None     # `limit` to send, for the lists that take one
    available = True      # False once the stream was skipped for a missing scope

    def params(self):
        """The query of the first request; `next` links carry it on."""
        return {"limit": self.page_limit} if self.page_limit else {}

    def pages(self, parent=None):
        return self.walk(self.path, self.params())

    def walk(self, path, params, endpoint=None):
        """Every page of one list: `next` is followed verbatim (it carries the query and may
        name another host of the company) until it is null; a short or empty page is not
        the end."""
        endpoint = endpoint or self.path
        body = self.client.get(path, endpoint=endpoint, params=params)
        while True:
            page = Page(body.get("_results") or [])
            next_url = (body.get("_pagination") or {}).get("next")
            page.last = not next_url
            yield page
            if page.last:
                return
            body = self.client.get(url=next_url, endpoint=endpoint)

    def stream_unavailable(self, error):
        if isinstance(error, FrontScopeError):
            LOGGER.warning("stream %s skipped: the API token lacks the scope %s (%s). Grant the scope "
                           "to the token, or deselect the stream.", self.name, self.scope, error.detail or error)
            self.available = False
            return True
        return False
