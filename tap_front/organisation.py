"""Who belongs where: teams, teammate groups, inboxes and shifts and their members, as link
tables (keyed by both ids), and the teammates' and teams' own settings (signatures, time off,
views). Read whole on every run: Front has no change filter for any of them."""
from .base import FrontStream, NextLinks


class TeamMembers(FrontStream):
    """A team's own resource lists its teammates (the spec has no list endpoint for them)."""

    name = "team_members"
    parent = "teams"
    path = "/teams/{team_id}"
    results_key = "members"
    scope = "teams:read"
    key_properties = ("team_id", "teammate_id")
    link_key = "teammate_id"


class TeamInboxes(FrontStream):
    name = "team_inboxes"
    parent = "teams"
    path = "/teams/{team_id}/inboxes"
    scope = "inboxes:read"
    key_properties = ("team_id", "inbox_id")
    link_key = "inbox_id"


class TeammateGroupTeammates(FrontStream):
    name = "teammate_group_teammates"
    parent = "teammate_groups"
    path = "/teammate_groups/{teammate_group_id}/teammates"
    scope = "teammates:read"
    key_properties = ("teammate_group_id", "teammate_id")
    link_key = "teammate_id"


class TeammateGroupTeams(FrontStream):
    name = "teammate_group_teams"
    parent = "teammate_groups"
    path = "/teammate_groups/{teammate_group_id}/teams"
    scope = "teams:read"
    key_properties = ("teammate_group_id", "team_id")
    link_key = "team_id"


class TeammateGroupInboxes(FrontStream):
    name = "teammate_group_inboxes"
    parent = "teammate_groups"
    path = "/teammate_groups/{teammate_group_id}/inboxes"
    scope = "inboxes:read"
    key_properties = ("teammate_group_id", "inbox_id")
    link_key = "inbox_id"


class InboxTeammates(FrontStream):
    """Inbox access: the teammates who can see an inbox."""

    name = "inbox_teammates"
    parent = "inboxes"
    path = "/inboxes/{inbox_id}/teammates"
    scope = "teammates:read"
    key_properties = ("inbox_id", "teammate_id")
    link_key = "teammate_id"


class ShiftTeammates(FrontStream):
    name = "shift_teammates"
    parent = "shifts"
    path = "/shifts/{shift_id}/teammates"
    scope = "teammates:read"
    key_properties = ("shift_id", "teammate_id")
    link_key = "teammate_id"


class TeammateTimeOffs(FrontStream):
    name = "teammate_time_offs"
    parent = "teammates"
    path = "/teammates/{teammate_id}/time_offs"
    scope = "time_off:read"
    page_limit = 100


class Views(FrontStream):
    """Shared views; the spec lists them per team only."""

    name = "views"
    parent = "teams"
    path = "/teams/{team_id}/views"
    scope = "views:read"
    page_limit = 100


class Signatures(FrontStream):
    """Every teammate's and every team's signatures, each with its owner. A signature has two
    kinds of parent, so this stream reads the two owner lists itself (a page each at most)."""

    name = "signatures"
    path = "/{owners}/{owner_id}/signatures"
    scope = "signatures:read"
    owned = True
    owner_lists = ("teammates", "teams")

    def pages(self, context=None):
        seen = set()
        for owners in self.owner_lists:
            for page in NextLinks(self.client, "/" + owners).pages("/" + owners, None):
                for owner in page:
                    path = self.path_for({"owners": owners, "owner_id": owner["id"]})
                    for signatures in self.list_pages(path, self.params(), endpoint=self.path):
                        fresh = [s for s in signatures if s.get("id") not in seen]
                        seen.update(s.get("id") for s in fresh)
                        yield fresh
