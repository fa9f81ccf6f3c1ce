"""Workspace-wide lists: definitions, data sources, members and groups."""
import logging

from .base import ModeStream
from .client import ModeNotFoundError
from .incremental import ChangedSinceBookmark

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

    def pages(self, context=None):
        pages = super().pages(context)
        try:
            first = next(pages, None)
        except ModeNotFoundError:
            LOGGER.info("memberships: %s answered 404, reading %s instead", self.path, self.lite_path)
            yield from self.list_pages(self.lite_path, endpoint=self.lite_path)
            return
        if first is not None:
            yield first
            yield from pages


class Groups(ModeStream):
    name = "groups"
    path = "/groups"
    embedded_key = "groups"
    context_keys = {"group_token": "token"}


class GroupMemberships(ModeStream):
    name = "group_memberships"
    parent = "groups"
    path = "/groups/{group_token}/memberships"
    embedded_key = "group_memberships"
