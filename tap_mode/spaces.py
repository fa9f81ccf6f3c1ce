"""Spaces and what lives in them: reports, datasets and space memberships."""
from .incremental import REPORT_CHANGE_FIELDS, ChangedSinceBookmark
from .paging import ModeStream


class Spaces(ModeStream):
    """Spaces go out in small groups (one per worker, so that their lists are read in
    parallel), each followed by a STATE that records them as done: a run killed mid-walk and
    restarted from its last STATE skips the spaces whose whole subtree was emitted and redoes
    at most the group it was in."""

    name = "spaces"
    path = "/spaces"
    embedded_key = "spaces"
    params = {"filter": "all"}  # without it a workspace token sees only its own spaces (none)

    def pages(self, parent=None):
        done = set(self.bookmark.get("done", ()))
        size = max(1, int(self.config.get("max_workers") or 1))
        group = []
        for page in super().pages(parent):
            for space in page:
                if space["token"] not in done:
                    group.append(space)
                if len(group) == size:
                    yield group
                    group = []
        if group:
            yield group

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
