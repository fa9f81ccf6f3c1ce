"""Handlers of the routes that list what a record is related to: a team and its members,
inboxes, group members, inbox access, shift teammates, a conversation's inboxes and
followers, an account's contacts, a contact's notes, signatures, time offs, views, knowledge
bases and the tag family. Unknown ids answer 404 with Front's error body."""
from ..app import Response
from .conversation_routes import child_conversation
from .ids import index_of
from .paging import float_arg, paginate, parse_limit, sort_ascending, sort_field, unpaginated
from .relations import COMPANY, TEAM, TEAMMATE, contacts_of_account, followers, owned_by
from .responses import ApiError

RESOURCES = {
    # world list: (id prefix, name in errors)
    "teams": ("tim", "team"), "teammates": ("tea", "teammate"),
    "teammate_groups": ("tgr", "teammate group"), "inboxes": ("inb", "inbox"),
    "shifts": ("shf", "shift"), "accounts": ("acc", "account"), "tags": ("tag", "tag"),
    "knowledge_bases": ("knb", "knowledge base"),
}


def find(app, kind, text):
    prefix, name = RESOURCES[kind]
    index = index_of(prefix, text, len(getattr(app.world, kind)))
    if index is None:
        raise ApiError(404, f"No {name} {text}")
    return index


def pair_list(kind, pairs, target):
    """Unpaginated: the ``target`` records paired with the record of ``kind`` in the path,
    ``pairs`` naming the world's ``(record, target)`` list."""
    def handler(app, request, params):
        index = find(app, kind, params["id"])
        records = app.renderer.static(target)
        return unpaginated(request, [records[b] for a, b in getattr(app.world, pairs) if a == index])
    handler.__name__ = f"{kind}_{target}"
    return handler


def paged(app, request, positions, records, accept=None):
    """A subset of a list kept in id order (``positions`` ascending), with ``limit`` and
    ``page_token`` as ``/tags`` takes them."""
    return paginate(request, app.options, positions, parse_limit(request), sort_ascending(request, "asc"),
                    lambda p: records[positions[p]], accept=accept)


def team(app, request, params):
    return app.renderer.team(find(app, "teams", params["id"]))


def signatures(kind, owner_kind):
    def handler(app, request, params):
        owner = (owner_kind, find(app, kind, params["id"]))
        records = app.renderer.static("signatures")
        return unpaginated(request, [records[i] for i, s in enumerate(app.world.signatures)
                                     if s["_owner"] == owner])
    handler.__name__ = f"{kind}_signatures"
    return handler


def time_offs(app, request, params):
    """A teammate's time offs; ``q[active_from]``/``q[active_until]`` (inclusive) keep those
    active at some moment of the window (an open-ended one lasts for ever)."""
    teammate = find(app, "teammates", params["id"])
    world = app.world
    positions = [i for i, r in enumerate(world.time_offs) if r["_teammate"] == teammate]
    active_from, active_until = float_arg(request, "q[active_from]"), float_arg(request, "q[active_until]")
    accept = None
    if active_from is not None or active_until is not None:
        def accept(p):
            record = world.time_offs[positions[p]]
            return ((active_from is None or record["end_at"] is None or record["end_at"] >= active_from)
                    and (active_until is None or record["start_at"] <= active_until))
    return paged(app, request, positions, app.renderer.static("time_offs"), accept)


def views(app, request, params):
    index = find(app, "teams", params["id"])
    positions = [i for i, r in enumerate(app.world.views) if r["_team"] == index]
    return paged(app, request, positions, app.renderer.static("views"))


def knowledge_base_children(kind):
    def handler(app, request, params):
        kb = find(app, "knowledge_bases", params["id"])
        positions = [i for i, r in enumerate(getattr(app.world, kind)) if r["_kb"] == kb]
        return paged(app, request, positions, app.renderer.static(kind))
    handler.__name__ = kind
    return handler


def owned_tags(kind, owner_kind):
    """Tags of the company, of a team or of a teammate, in id order (paginated like /tags)."""
    def handler(app, request, params):
        index = find(app, kind, params["id"]) if kind else None
        positions = owned_by(app.world.tag_owners, owner_kind, index)
        return paged(app, request, positions, app.renderer.static("tags"))
    handler.__name__ = f"{owner_kind}_tags"
    return handler


def tag_children(app, request, params):
    index = find(app, "tags", params["id"])
    records = app.renderer.static("tags")
    return unpaginated(request, [records[i] for i, t in enumerate(app.world.tags) if t["_parent"] == index])


def conversation_inboxes(app, request, params):
    """The inbox the conversation is in now (a move changes it); merged: 301, deleted: 404."""
    conv = child_conversation(app, request, params["id"], "inboxes")
    return unpaginated(request, [app.renderer.static("inboxes")[conv.inbox]])


def conversation_followers(app, request, params):
    conv = child_conversation(app, request, params["id"], "followers")
    teammates = app.renderer.static("teammates")
    return unpaginated(request, [teammates[t] for t in followers(app.world, conv)])


def account_contacts(app, request, params):
    """An account's contacts, paginated and sorted as ``/contacts`` (no ``q`` filter)."""
    account = find(app, "accounts", params["id"])
    limit = parse_limit(request)
    field = sort_field(request, ("created_at", "updated_at"), "created_at")
    table = app.world.contacts
    column = table.updated if field == "updated_at" else table.created
    members = contacts_of_account(app.world, account)
    keys = app.sorted_keys(("account_contacts", account, field, table.version),
                           lambda: sorted((column[i], i) for i in members))
    return paginate(request, app.options, keys, limit, sort_ascending(request),
                    lambda p: app.renderer.contact(keys[p][1]))


def contact_notes(app, request, params):
    """The spec answers this list with 202 (not 200): so does the sandbox."""
    index = index_of("crd", params["id"], app.world.contacts.count)
    if index is None:
        raise ApiError(404, f"No contact {params['id']}")
    return Response.json(202, unpaginated(request, app.renderer.notes(index)))


def knowledge_bases(app, request, params):
    return unpaginated(request, app.renderer.static("knowledge_bases"))


ROUTES = (
    # (template, handler, scope), all GET
    ("/teams/{id}", team, "teams:read"),
    ("/teams/{id}/inboxes", pair_list("teams", "team_inboxes", "inboxes"), "inboxes:read"),
    ("/teams/{id}/signatures", signatures("teams", TEAM), "signatures:read"),
    ("/teams/{id}/views", views, "views:read"),
    ("/teams/{id}/tags", owned_tags("teams", TEAM), "tags:read"),
    ("/teammates/{id}/signatures", signatures("teammates", TEAMMATE), "signatures:read"),
    ("/teammates/{id}/time_offs", time_offs, "time_off:read"),
    ("/teammates/{id}/tags", owned_tags("teammates", TEAMMATE), "tags:read"),
    ("/teammate_groups/{id}/teammates", pair_list("teammate_groups", "group_teammates", "teammates"),
     "teammates:read"),
    ("/teammate_groups/{id}/teams", pair_list("teammate_groups", "group_teams", "teams"), "teams:read"),
    ("/teammate_groups/{id}/inboxes", pair_list("teammate_groups", "group_inboxes", "inboxes"),
     "inboxes:read"),
    ("/inboxes/{id}/teammates", pair_list("inboxes", "inbox_teammates", "teammates"), "teammates:read"),
    ("/shifts/{id}/teammates", pair_list("shifts", "shift_teammates", "teammates"), "teammates:read"),
    ("/conversations/{id}/inboxes", conversation_inboxes, "inboxes:read"),
    ("/conversations/{id}/followers", conversation_followers, "teammates:read"),
    ("/accounts/{id}/contacts", account_contacts, "contacts:read"),
    ("/contacts/{id}/notes", contact_notes, "contacts:read"),
    ("/company/tags", owned_tags(None, COMPANY), "tags:read"),
    ("/tags/{id}/children", tag_children, "tags:read"),
    ("/knowledge_bases", knowledge_bases, "knowledge_bases:read"),
    ("/knowledge_bases/{id}/categories", knowledge_base_children("knowledge_base_categories"),
     "knowledge_bases:read"),
    ("/knowledge_bases/{id}/articles", knowledge_base_children("knowledge_base_articles"),
     "knowledge_bases:read"),
)
