"""Ground truth of the relationships: link tables (one row per link, keyed by both ids), the
records that hang off others (with their parent's id), and ``link_ids``, the ids behind every
record's ``_links.related`` URLs. All of it from the world's relationship data (relations.py),
never from the rendered URLs."""
from .ids import comment_id, conversation_id, make_id, message_id
from .relations import comment_replied_to, contacts_of_account, followers, message_replied_to, owner_columns

# link table: (world pairs, (first column, id prefix), (second column, id prefix))
PAIR_TABLES = {
    "team_members": ("team_members", ("team_id", "tim"), ("teammate_id", "tea")),
    "team_inboxes": ("team_inboxes", ("team_id", "tim"), ("inbox_id", "inb")),
    "teammate_group_teammates": ("group_teammates", ("teammate_group_id", "tgr"), ("teammate_id", "tea")),
    "teammate_group_teams": ("group_teams", ("teammate_group_id", "tgr"), ("team_id", "tim")),
    "teammate_group_inboxes": ("group_inboxes", ("teammate_group_id", "tgr"), ("inbox_id", "inb")),
    "inbox_teammates": ("inbox_teammates", ("inbox_id", "inb"), ("teammate_id", "tea")),
    "shift_teammates": ("shift_teammates", ("shift_id", "shf"), ("teammate_id", "tea")),
}
# stream: (world list, private key of the parent, parent column, parent world list)
CHILD_STREAMS = {
    "teammate_time_offs": ("time_offs", "_teammate", "teammate_id", "teammates"),
    "views": ("views", "_team", "team_id", "teams"),
    "knowledge_base_categories": ("knowledge_base_categories", "_kb", "knowledge_base_id", "knowledge_bases"),
    "knowledge_base_articles": ("knowledge_base_articles", "_kb", "knowledge_base_id", "knowledge_bases"),
}
LINK_STREAMS = tuple(PAIR_TABLES) + ("conversation_inboxes", "conversation_followers", "account_contacts",
                                     "contact_notes", "signatures", "knowledge_bases") + tuple(CHILD_STREAMS)


def link_tables(app):
    """Every relationship stream: ``{stream: [row, ...]}``."""
    world, renderer = app.world, app.renderer
    data = {}
    for stream, (pairs, (first, first_prefix), (second, second_prefix)) in PAIR_TABLES.items():
        data[stream] = [{first: make_id(first_prefix, a + 1), second: make_id(second_prefix, b + 1)}
                        for a, b in getattr(world, pairs)]
    live = app.timelines.live()
    data["conversation_inboxes"] = [{"conversation_id": conversation_id(c.index),
                                     "inbox_id": world.inboxes[c.inbox]["id"]} for c in live]
    data["conversation_followers"] = [{"conversation_id": conversation_id(c.index),
                                       "teammate_id": world.teammates[t]["id"]}
                                      for c in live for t in followers(world, c)]
    data["account_contacts"] = [{"account_id": account["id"], "contact_id": make_id("crd", i + 1)}
                                for a, account in enumerate(world.accounts)
                                for i in contacts_of_account(world, a)]
    data["contact_notes"] = [dict(renderer.note(i, note), contact_id=make_id("crd", i + 1))
                             for i in sorted(world.contact_notes) for note in world.contact_notes[i]]
    data["signatures"] = renderer.static("signatures")
    data["knowledge_bases"] = renderer.static("knowledge_bases")
    for stream, (kind, key, column, parents) in CHILD_STREAMS.items():
        parent_list = getattr(world, parents)
        data[stream] = [dict(rendered, **{column: parent_list[raw[key]]["id"]})
                        for raw, rendered in zip(getattr(world, kind), renderer.static(kind))]
    return data


def link_counts(app):
    world = app.world
    live = app.timelines.live()
    counts = {stream: len(getattr(world, pairs)) for stream, (pairs, _, _) in PAIR_TABLES.items()}
    counts.update({
        "conversation_inboxes": len(live),
        "conversation_followers": sum(len(followers(world, c)) for c in live),
        "account_contacts": sum(len(contacts_of_account(world, a)) for a in range(len(world.accounts))),
        "contact_notes": sum(len(notes) for notes in world.contact_notes.values()),
        "signatures": len(world.signatures),
        "knowledge_bases": len(world.knowledge_bases),
    })
    counts.update({stream: len(getattr(world, kind)) for stream, (kind, _, _, _) in CHILD_STREAMS.items()})
    return counts


def static_link_ids(world):
    """``link_ids`` of the records other than messages and comments."""
    def ids(records, columns):
        return {r["id"]: columns(i, r) for i, r in enumerate(records)}

    def owners(owner_list):
        return lambda i, r: owner_columns(world, owner_list[i])

    n_inboxes = len(world.inboxes)
    return {
        "tags": ids(world.tags, lambda i, r: dict(
            parent_tag_id=world.tags[r["_parent"]]["id"] if r["_parent"] is not None else None,
            **owner_columns(world, world.tag_owners[i]))),
        "channels": ids(world.channels, lambda i, r: dict(
            inbox_id=world.inboxes[i]["id"] if i < n_inboxes else None,
            **owner_columns(world, world.channel_owners[i]))),
        "contacts": {make_id("crd", i + 1): owner_columns(world, owner)
                     for i, owner in enumerate(world.contact_owners)},
        "inboxes": ids(world.inboxes, owners(world.inbox_owners)),
        "rules": ids(world.rules, owners(world.rule_owners)),
        "message_templates": ids(world.message_templates, lambda i, r: dict(
            owner_columns(world, world.template_owners[i]),
            folder_id=(world.message_template_folders[r["_folder"]]["id"]
                       if r["_folder"] is not None else None))),
        "shifts": ids(world.shifts, owners(world.shift_owners)),
        "signatures": ids(world.signatures, lambda i, r: owner_columns(world, r["_owner"])),
    }


def message_link_ids(world, owner, activity):
    """``link_ids`` of one message of conversation ``owner`` (where it was written)."""
    replied_to = message_replied_to(activity.ordinal)
    return {"replied_to_message_id": message_id(owner, replied_to) if replied_to is not None else None}


def comment_link_ids(world, owner, activity):
    replied_to = comment_replied_to(world, owner.index, activity.ordinal)
    return {"replied_to_comment_id": comment_id(owner, replied_to) if replied_to is not None else None}
