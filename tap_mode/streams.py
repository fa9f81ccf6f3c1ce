"""Mode streams, declared by attributes; one walker for Mode's page-numbered HAL lists."""
import json

from tap_engine.streams import Stream

PER_PAGE = 30  # Mode silently caps per_page at 30


class ModeStream(Stream):
    schema_package = "tap_mode"
    key_properties = ("token",)
    embedded_key = None
    params = {}

    def list_path(self, parent):
        return self.path.lstrip("/")

    def pages(self, parent=None):
        """Page-numbered walk that survives Mode's quirks: stop on an empty page, on a page
        identical to the previous one (collections that ignore `page`), or when the
        `pagination` block says it was the last; never because a page was short."""
        previous = None
        page = 1
        while True:
            params = dict(self.params, page=page, per_page=PER_PAGE)
            body = self.client.get(self.list_path(parent), params=params, endpoint=self.path)
            records = (body.get("_embedded") or {}).get(self.embedded_key) or []
            if not records:
                return
            fingerprint = json.dumps([r.get("token", r.get("id")) for r in records])
            if fingerprint == previous:
                return
            yield records
            previous = fingerprint
            pagination = body.get("pagination") or {}
            if pagination.get("total_pages") is not None and page >= pagination["total_pages"]:
                return
            page += 1


class Spaces(ModeStream):
    name = "spaces"
    path = "/spaces"
    embedded_key = "spaces"
    params = {"filter": "all"}


class Definitions(ModeStream):
    name = "definitions"
    path = "/definitions"
    embedded_key = "definitions"


STREAMS = (Definitions, Spaces)
