"""Company-wide lists, read whole on every run (FULL_TABLE): small, and with no change filter."""
import logging

from .base import FrontStream
from .client import FrontNotFoundError

LOGGER = logging.getLogger("tap_front")


class Accounts(FrontStream):
    name = "accounts"
    path = "/accounts"
    scope = "accounts:read"
    context_keys = {"account_id": "id"}
    page_limit = 100


class Channels(FrontStream):
    name = "channels"
    path = "/channels"
    scope = "channels:read"
    related_ids = {"inbox_id": "inbox"}
    owned = True


class Inboxes(FrontStream):
    name = "inboxes"
    path = "/inboxes"
    scope = "inboxes:read"
    context_keys = {"inbox_id": "id"}
    owned = True


class ContactLists(FrontStream):
    name = "contact_lists"
    path = "/contact_lists"
    scope = "contacts:read"


class ContactGroups(FrontStream):
    """Deprecated by Front in favour of contact lists (same objects): read from whichever
    endpoint the API still answers."""

    name = "contact_groups"
    path = "/contact_groups"
    fallback_path = "/contact_lists"
    scope = "contacts:read"

    def pages(self, context=None):
        pages = self.list_pages(self.path, self.params())
        try:
            first = next(pages)
        except FrontNotFoundError:
            LOGGER.info("contact_groups: %s is gone, reading %s instead", self.path, self.fallback_path)
            yield from self.list_pages(self.fallback_path, self.params())
            return
        yield first
        yield from pages


class Tags(FrontStream):
    name = "tags"
    path = "/tags"
    scope = "tags:read"
    related_ids = {"parent_tag_id": "parent_tag"}
    owned = "company"
    page_limit = 100   # accepted although the spec shows no paging for tags


class Teammates(FrontStream):
    name = "teammates"
    path = "/teammates"
    scope = "teammates:read"
    context_keys = {"teammate_id": "id"}


class Teams(FrontStream):
    name = "teams"
    path = "/teams"
    scope = "teams:read"
    context_keys = {"team_id": "id"}


class TeammateGroups(FrontStream):
    name = "teammate_groups"
    path = "/teammate_groups"
    scope = "teammate_groups:read"
    context_keys = {"teammate_group_id": "id"}


class Rules(FrontStream):
    name = "rules"
    path = "/rules"
    scope = "rules:read"
    owned = "company"


class MessageTemplates(FrontStream):
    name = "message_templates"
    path = "/message_templates"
    scope = "message_templates:read"
    related_ids = {"folder_id": "parent_folder"}
    owned = "company"


class MessageTemplateFolders(FrontStream):
    name = "message_template_folders"
    path = "/message_template_folders"
    scope = "message_templates:read"


class Links(FrontStream):
    name = "links"
    path = "/links"
    scope = "links:read"
    page_limit = 100


class Shifts(FrontStream):
    name = "shifts"
    path = "/shifts"
    scope = "shifts:read"
    context_keys = {"shift_id": "id"}
    owned = True


class Statuses(FrontStream):
    """Ticket statuses; a company without ticketing answers 404: an empty stream."""

    name = "statuses"
    path = "/company/statuses"
    scope = "statuses:read"

    def pages(self, context=None):
        try:
            yield from super().pages()
        except FrontNotFoundError as error:
            LOGGER.info("statuses: none (%s); ticketing is probably off", error.detail or error)


class CustomFields(FrontStream):
    """Custom field definitions of every resource kind, each record naming its kind."""

    name = "custom_fields"
    path = "/{resource}/custom_fields"
    key_properties = ("resource", "id")
    scope = "custom_fields:read"
    resources = ("accounts", "contacts", "conversations", "inboxes", "links", "teammates")

    def pages(self, context=None):
        for resource in self.resources:
            try:
                for page in self.list_pages(self.path_for({"resource": resource}), {}, endpoint=self.path):
                    for field in page:
                        field["resource"] = resource
                    yield page
            except FrontNotFoundError:
                LOGGER.info("custom_fields: Front has no custom fields for %s", resource)
