"""Every Front stream, in one tuple for discovery and sync."""
from . import knowledge_bases, lists, organisation
from .analytics import Analytics
from .contacts import AccountContacts, ContactNotes, Contacts
from .conversation_children import Comments, ConversationFollowers, ConversationInboxes, Messages
from .conversations import Conversations
from .events import Events

STREAMS = (
    lists.Accounts, lists.Channels, lists.ContactGroups, lists.ContactLists, lists.CustomFields,
    lists.Inboxes, lists.Links, lists.MessageTemplateFolders, lists.MessageTemplates, lists.Rules,
    lists.Shifts, lists.Statuses, lists.Tags, lists.TeammateGroups, lists.Teammates, lists.Teams,
    organisation.TeamMembers, organisation.TeamInboxes, organisation.TeammateGroupTeammates,
    organisation.TeammateGroupTeams, organisation.TeammateGroupInboxes, organisation.InboxTeammates,
    organisation.ShiftTeammates, organisation.TeammateTimeOffs, organisation.Views, organisation.Signatures,
    knowledge_bases.KnowledgeBases, knowledge_bases.KnowledgeBaseCategories, knowledge_bases.KnowledgeBaseArticles,
    Contacts, ContactNotes, AccountContacts,
    Conversations, Messages, Comments, ConversationInboxes, ConversationFollowers, Events, Analytics,
)
