"""The company's relationships: who owns what, who belongs where, who follows which
conversation, which message or comment answers which.

Each relationship is drawn from its own seeded generator (``world.rng`` with a part name of its
own), after every record exists, so no draw of the records themselves changes. An owner is a
``(kind, index)`` pair: ``("teammate", i)``, ``("team", i)`` or ``("company", None)``; ``None`` is
no owner. Renderers turn these into ``_links.related`` URLs and the truth into ids; both read
them from here, never from each other.
"""
from .ids import make_id

TEAMMATE, TEAM, COMPANY = "teammate", "team", "company"
COMPANY_OWNER = (COMPANY, None)
OWNER_PREFIX = {TEAMMATE: ("teammates", "tea"), TEAM: ("teams", "tim")}


def generate_relations(world):
    n_teammates, n_teams = len(world.teammates), len(world.teams)
    world.team_members = _team_members(world, n_teammates, n_teams)
    world.team_inboxes = sorted((team, inbox) for inbox, team in enumerate(world.team_of_inbox))
    world.inbox_teammates = _inbox_access(world, n_teammates)
    groups = [_group(world, g, n_teammates, n_teams) for g in range(len(world.teammate_groups))]
    world.group_teammates = [(g, t) for g, (mates, _) in enumerate(groups) for t in mates]
    world.group_teams = [(g, k) for g, (_, teams) in enumerate(groups) for k in teams]
    inboxes_of_team = {}
    for team, inbox in world.team_inboxes:
        inboxes_of_team.setdefault(team, []).append(inbox)
    # A group's members reach the inboxes of the group's teams.
    world.group_inboxes = [(g, i) for g, (_, teams) in enumerate(groups)
                           for i in sorted({i for k in teams for i in inboxes_of_team.get(k, ())})]
    world.shift_teammates = _shift_teammates(world, n_teammates)
    world.inbox_owners = [(TEAM, team) for team in world.team_of_inbox]
    world.channel_owners = _channel_owners(world, n_teammates)
    world.tag_owners = _tag_owners(world, n_teammates, n_teams)
    world.rule_owners = [_spread_owner(world.rng("rule-owner", i), i % 3, n_teammates, n_teams)
                         for i in range(len(world.rules))]
    world.template_owners = [_spread_owner(world.rng("template-owner", i), (0, 0, 1, 2)[i % 4],
                                           n_teammates, n_teams)
                             for i in range(len(world.message_templates))]
    world.shift_owners = [(TEAM, i % n_teams) for i in range(len(world.shifts))]
    world.contact_owners = _contact_owners(world, n_teammates, n_teams)


def _team_members(world, n_teammates, n_teams):
    """Every teammate is in one team (round robin), some in a second one too."""
    rng = world.rng("team-members")
    pairs = set()
    for t in range(n_teammates):
        pairs.add((t % n_teams, t))
        if n_teams > 1 and rng.random() < 0.3:
            pairs.add(((t % n_teams + rng.randrange(1, n_teams)) % n_teams, t))
    return sorted(pairs)


def _inbox_access(world, n_teammates):
    """An inbox's team's members have access, plus a teammate or two from elsewhere."""
    members = {}
    for team, teammate in world.team_members:
        members.setdefault(team, set()).add(teammate)
    pairs = []
    for inbox, team in enumerate(world.team_of_inbox):
        rng = world.rng("inbox-access", inbox)
        extra = rng.sample(range(n_teammates), rng.choice((0, 1, 1, 2)))
        pairs += [(inbox, t) for t in sorted(members.get(team, set()) | set(extra))]
    return pairs


def _group(world, g, n_teammates, n_teams):
    rng = world.rng("teammate-group-members", g)
    teammates = sorted(rng.sample(range(n_teammates), rng.randint(min(2, n_teammates), min(5, n_teammates))))
    teams = sorted(rng.sample(range(n_teams), rng.randint(1, min(2, n_teams))))
    return teammates, teams


def _shift_teammates(world, n_teammates):
    pairs = []
    for s in range(len(world.shifts)):
        rng = world.rng("shift-teammates", s)
        pairs += [(s, t) for t in sorted(rng.sample(range(n_teammates), rng.randint(1, min(4, n_teammates))))]
    return pairs


def _channel_owners(world, n_teammates):
    """A channel of a team's inbox is the team's; the unrouted one is a teammate's."""
    owners = []
    for i in range(len(world.channels)):
        if i < len(world.inboxes):
            owners.append(world.inbox_owners[i])
        else:
            owners.append((TEAMMATE, world.rng("channel-owner", i).randrange(n_teammates)))
    return owners


def _spread_owner(rng, turn, n_teammates, n_teams):
    """The company's (turn 0), a team's (1) or a teammate's (2)."""
    if turn == 0:
        return COMPANY_OWNER
    if turn == 1:
        return (TEAM, rng.randrange(n_teams))
    return (TEAMMATE, rng.randrange(n_teammates))


def _tag_owners(world, n_teammates, n_teams):
    """Half the tags are the company's, a quarter a team's, a quarter a teammate's; a child
    tag has its parent's owner."""
    owners = []
    for i, tag in enumerate(world.tags):
        if tag["_parent"] is not None:
            owners.append(owners[tag["_parent"]])
        else:
            owners.append(_spread_owner(world.rng("tag-owner", i), (0, 0, 1, 2)[i % 4], n_teammates, n_teams))
    return owners


def _contact_owners(world, n_teammates, n_teams):
    """Most contacts have no owner; some are a teammate's, a few a team's."""
    rng = world.rng("contact-owners")
    pool_none, owners = None, []
    for _ in range(world.contacts.count):
        draw = rng.random()
        if draw < 0.7:
            owners.append(pool_none)
        elif draw < 0.88:
            owners.append((TEAMMATE, rng.randrange(n_teammates)))
        else:
            owners.append((TEAM, rng.randrange(n_teams)))
    return owners


# -- reading -------------------------------------------------------------------------------
def owner_id(world, owner):
    """The owner's id (None for the company and for no owner)."""
    if owner is None or owner[0] == COMPANY:
        return None
    return make_id(OWNER_PREFIX[owner[0]][1], owner[1] + 1)


def owner_columns(world, owner):
    return {"owner_type": owner[0] if owner is not None else None, "owner_id": owner_id(world, owner)}


def owned_by(owners, kind, index):
    """Positions whose owner is ``(kind, index)``, ascending."""
    wanted = (kind, index)
    return [i for i, owner in enumerate(owners) if owner == wanted]


def message_replied_to(ordinal):
    """The ordinal of the message a message answers: the one before it in its conversation
    (the first message answers none)."""
    return ordinal - 1 if ordinal > 0 else None


def comment_replied_to(world, conversation_index, ordinal):
    """Some comments answer an earlier comment of their conversation."""
    if ordinal <= 0:
        return None
    rng = world.rng("comment-reply", conversation_index, ordinal)
    return rng.randrange(ordinal) if rng.random() < 0.35 else None


def followers(world, conv):
    """Teammates following a conversation, ascending: as changed by mutations, else as drawn
    (its first assignee and up to two others)."""
    if conv.followers is not None:
        return conv.followers
    rng = world.rng("conversation-followers", conv.index)
    drawn = set(rng.sample(range(len(world.teammates)), rng.choice((0, 0, 1, 1, 2))))
    if conv.first_assignee >= 0:
        drawn.add(conv.first_assignee)
    return tuple(sorted(drawn))


def contacts_of_account(world, account):
    """Indices of the contacts that belong to the account (each contact to at most one)."""
    index = getattr(world, "_contacts_of_account", None)
    if index is None:
        index = world._contacts_of_account = {}
        for i in range(world.contacts.count):
            owner = world.contacts.account_of(i)
            if owner is not None:
                index.setdefault(owner, []).append(i)
    return index.get(account, [])
