"""The base of every Mode stream, and Mode's page-numbered HAL lists."""
import json
import logging

from tap_engine.paging import Paginator
from tap_engine.streams import Stream

LOGGER = logging.getLogger("tap_mode")
PER_PAGE = 30  # Mode silently caps per_page at 30


class PageNumbers(Paginator):
    """A page-numbered list, surviving Mode's quirks: it ends on an empty page (`"_embedded":
    {}` included), on a page identical to the previous one (lists that ignore `page`), when a
    `pagination` block says it was the last, or on a page that is both short and without
    `_links.next_page`. Neither sign alone ends a list: `per_page` is capped silently, and
    `next_page` is offered past the end; together they save the empty page that would
    otherwise follow nearly every list."""

    def __init__(self, client, endpoint, embedded_key, key=("token",), headers=None):
        super().__init__(client, endpoint, headers)
        self.embedded_key = embedded_key
        self.key = key
        self._previous = None

    def first(self, path, params):
        return path, dict(params or {}, page=1, per_page=PER_PAGE)

    def records(self, body):
        return (body.get("_embedded") or {}).get(self.embedded_key) or []

    def ends_before(self, records):
        fingerprint = json.dumps([[r.get(k) for k in self.key] for r in records])
        repeated, self._previous = fingerprint == self._previous, fingerprint
        return not records or repeated

    def following(self, request, body, records):
        path, params = request
        pagination = body.get("pagination") or {}
        if pagination.get("total_pages") is not None and params["page"] >= pagination["total_pages"]:
            return None
        if len(records) < PER_PAGE and "next_page" not in (body.get("_links") or {}):
            return None
        return path, dict(params, page=params["page"] + 1)


class ModeStream(Stream):
    """A Mode list. `path` is the endpoint template (also the metrics tag); a child's names
    its parent's context keys, e.g. `/reports/{report_token}/queries`."""

    schema_package = "tap_mode"
    key_properties = ("token",)
    embedded_key = None
    params = {}
    skip_parent_on = (403, 404)  # a freshly deleted collection answers 403, other deleted objects 404
    tracker = None               # the bookmark keeper of a stream whose bookmark moves at the end
    # Bookmark keys earlier versions removed once done, which Mage's shallow merge of the
    # STATEs brings back: a change tracker's "walk" (now "progress").
    retired_keys = ("walk",)

    def pages(self, context=None):
        return self.list_pages(self.path_for(context))

    def list_pages(self, path, endpoint=None):
        return PageNumbers(self.client, endpoint or self.path, self.embedded_key, self.key_properties).pages(
            path, self.params)

    def finish(self):
        if self.selected and self.tracker is not None:
            self.tracker.commit()
