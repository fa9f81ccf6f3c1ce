"""Every Front stream, in one tuple for discovery and sync."""
from . import lists
from .analytics import Analytics
from .contacts import Contacts
from .conversation_children import Comments, Messages
from .conversations import Conversations
from .events import Events

STREAMS = (
    lists.Accounts, lists.Channels, lists.ContactGroups, lists.ContactLists, lists.CustomFields,
    lists.Inboxes, lists.Links, lists.MessageTemplateFolders, lists.MessageTemplates, lists.Rules,
    lists.Shifts, lists.Statuses, lists.Tags, lists.TeammateGroups, lists.Teammates, lists.Teams,
    Contacts, Conversations, Messages, Comments, Events, Analytics,
)

