"""Workspace-wide lists: definitions, data sources, members and groups."""
import logging

from .client import ModeNotFoundError
from .incremental import ChangedSinceBookmark
from .paging import ModeStream, walk_pages

LOGGER = logging.getLogger("tap_mode")


class Definitions(ChangedSinceBookmark):
    name = "definitions"
    path = "/definitions"
    embedded_key = "definitions"
    change_fields = ("updated_at", "last_saved_at")


class DataSources(ChangedSinceBookmark):
    name = "data_sources"
    path = "/data_sources"
    embedded_key = "data_sources"


class Memberships(ModeStream):
    """Workspace members. Some workspaces answer `/memberships` with 404 and serve the same
    members, with fewer fields, at `/memberships/lite`."""

    name = "memberships"
    path = "/memberships"
    embedded_key = "memberships"
    key_properties = ("member_token",)
    lite_path = "/memberships/lite"

    def pages(self, parent=None):
        pages = super().pages(parent)
        try:
            first = next(pages, None)
        except ModeNotFoundError:
            LOGGER.info("memberships: %s answered 404, reading %s instead", self.path, self.lite_path)
            yield from walk_pages(self.client, self.lite_path.lstrip("/"), self.lite_path, self.embedded_key,
                                  key=self.key_properties)
            return
        if first is not None:
            yield first
            yield from pages


class Groups(ModeStream):
    name = "groups"
    path = "/groups"
    embedded_key = "groups"

    def child_context(self, record):
        return {"group_token": record["token"]}


class GroupMemberships(ModeStream):
    name = "group_memberships"
    parent = "groups"
    path = "/groups/{group}/memberships"
    embedded_key = "group_memberships"

    def path_params(self, parent):
        return {"group": parent["token"]}
