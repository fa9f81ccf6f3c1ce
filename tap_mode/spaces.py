"""Spaces and what lives in them: reports, datasets and space memberships."""
from .base import ModeStream
from .incremental import REPORT_CHANGE_FIELDS, ChangedSinceBookmark

DONE_KEY = "spaces_done"


class Spaces(ModeStream):
    """Spaces go out in small groups (one per worker, so that their lists are read in
    parallel), each followed by a STATE that records them as done (`spaces_done`) in the
    bookmark of every selected stream of the subtree, as each stream may be synced alone: a run
    killed mid-walk and restarted from its last STATE skips the spaces done for all of them and
    redoes at most the group it was in. A complete walk empties the lists."""

    name = "spaces"
    path = "/spaces"
    embedded_key = "spaces"
    params = {"filter": "all"}  # without it a workspace token sees only its own spaces (none)
    retired_keys = ModeStream.retired_keys + ("done",)   # the done list's earlier place
    context_keys = {"space_token": "token"}

    def _holders(self):
        return [stream for stream in self.subtree() if stream.selected]

    def pages(self, context=None):
        lists = [set(stream.bookmark.get(DONE_KEY) or ()) for stream in self._holders()]
        done = set.intersection(*lists) if lists else set()
        group = []
        for page in super().pages(context):
            for space in page:
                if space["token"] not in done:
                    group.append(space)
                if len(group) == self.workers:
                    yield group
                    group = []
        if group:
            yield group

    def on_emitted(self, records):
        for stream in self._holders():
            done = stream.bookmark.get(DONE_KEY) or []
            stream.bookmark[DONE_KEY] = done + [r["token"] for r in records if r["token"] not in done]

    def finish(self):
        for stream in self._holders():
            stream.bookmark[DONE_KEY] = []


class SpaceChild(ModeStream):
    parent = "spaces"


class SpaceMemberships(SpaceChild):
    name = "space_memberships"
    path = "/spaces/{space_token}/memberships"
    embedded_key = "space_memberships"


class Reports(ChangedSinceBookmark, SpaceChild):
    name = "reports"
    path = "/spaces/{space_token}/reports"
    embedded_key = "reports"
    change_fields = REPORT_CHANGE_FIELDS
    context_keys = {"report_token": "token"}


class Datasets(ChangedSinceBookmark, SpaceChild):
    name = "datasets"
    path = "/spaces/{space_token}/datasets"
    embedded_key = "reports"  # datasets are report objects, listed under the same key
    change_fields = REPORT_CHANGE_FIELDS
    context_keys = {"dataset_token": "token"}
