"""Mode's page-numbered HAL lists: the base class of every Mode stream and the one walker for
its lists."""
import json
import logging

from tap_engine.streams import Stream

LOGGER = logging.getLogger("tap_mode")
PER_PAGE = 30  # Mode silently caps per_page at 30
GONE = (403, 404)  # a freshly deleted collection answers 403, other deleted objects 404


def walk_pages(client, path, endpoint, embedded_key, params=None, key=("token",)):
    """Yield the record lists of one page-numbered list, surviving Mode's quirks: stop on an
    empty page (`"_embedded": {}` included), on a page identical to the previous one (lists
    that ignore `page`), when a `pagination` block says it was the last, or on a page that is
    both short and without `_links.next_page`. Neither sign alone ends a list: `per_page` is
    capped silently, and `next_page` is offered past the end; together they save the empty
    page that would otherwise follow nearly every list."""
    previous = None
    page = 1
    while True:
        body = client.get(path, params=dict(params or {}, page=page, per_page=PER_PAGE), endpoint=endpoint)
        records = (body.get("_embedded") or {}).get(embedded_key) or []
        if not records:
            return
        fingerprint = json.dumps([[r.get(k) for k in key] for r in records])
        if fingerprint == previous:
            return
        yield records
        previous = fingerprint
        pagination = body.get("pagination") or {}
        if pagination.get("total_pages") is not None and page >= pagination["total_pages"]:
            return
        if len(records) < PER_PAGE and "next_page" not in (body.get("_links") or {}):
            return
        page += 1


class ModeStream(Stream):
    """A Mode list. `path` is the endpoint template (also the metrics tag); children name the
    parent's token in it, e.g. `/reports/{report}/queries`."""

    schema_package = "tap_mode"
    key_properties = ("token",)
    embedded_key = None
    params = {}
    # Bookmark keys earlier versions removed once done, which Mage's shallow merge of the
    # STATEs brings back: a change tracker's "walk" (now "progress").
    retired_keys = ("walk",)

    def path_params(self, parent):
        """Values for the `{...}` placeholders of `path`, taken from the parent record."""
        return {}

    def pages(self, parent=None):
        path = self.path.format(**self.path_params(parent)).lstrip("/")
        return walk_pages(self.client, path, self.path, self.embedded_key, self.params, self.key_properties)

    def skippable(self, error):
        # One parent deleted while we walk (403 or 404) must not end the run.
        return self.parent is not None and error.status in GONE
