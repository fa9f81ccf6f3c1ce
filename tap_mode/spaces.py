"""Spaces and what lives in them: reports, datasets and space memberships."""
from .incremental import REPORT_CHANGE_FIELDS, ChangedSinceBookmark
from .paging import ModeStream


class Spaces(ModeStream):
    """Each space is its own page, so that the STATE after it records the space as done: a run
    killed mid-walk and restarted from its last STATE skips the spaces whose whole subtree was
    already emitted, and redoes at most the space it was in."""

    name = "spaces"
    path = "/spaces"
    embedded_key = "spaces"
    params = {"filter": "all"}  # without it a workspace token sees only its own spaces (none)

    def pages(self, parent=None):
        done = set(self.bookmark.get("done", ()))
        for page in super().pages(parent):
            for space in page:
                if space["token"] not in done:
                    yield [space]

    def child_context(self, record):
        return {"space_token": record["token"]}

    def on_emitted(self, records):
        self.bookmark.setdefault("done", []).extend(r["token"] for r in records)

    def finish(self):
        self.bookmark.pop("done", None)


class SpaceChild(ModeStream):
    parent = "spaces"

    def path_params(self, parent):
        return {"space": parent["token"]}


class SpaceMemberships(SpaceChild):
    name = "space_memberships"
    path = "/spaces/{space}/memberships"
    embedded_key = "space_memberships"


class Reports(ChangedSinceBookmark, SpaceChild):
    name = "reports"
    path = "/spaces/{space}/reports"
    embedded_key = "reports"
    change_fields = REPORT_CHANGE_FIELDS

    def child_context(self, record):
        return {"report_token": record["token"]}


class Datasets(ChangedSinceBookmark, SpaceChild):
    name = "datasets"
    path = "/spaces/{space}/datasets"
    embedded_key = "reports"  # datasets are report objects, listed under the same key
    change_fields = REPORT_CHANGE_FIELDS

    def child_context(self, record):
        return {"dataset_token": record["token"]}
