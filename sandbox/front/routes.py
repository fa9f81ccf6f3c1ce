"""The Front API's read endpoints: one handler per route, and the route table."""
import re
from urllib.parse import unquote, urlencode

from ..app import Response
from .conversations import COMMENT, EVENT_TYPES, MESSAGE_KINDS, SEARCHED_KINDS, SPEC_EVENT_TYPES
from .ids import make_id
from .paging import ApiError, list_links, paginate, parse_limit
from .world import CUSTOM_FIELD_RESOURCES

EVENTS_MAX_LIMIT = 15


def _float_arg(request, name):
    text = request.arg(name)
    if text in (None, ""):
        return None
    try:
        return float(text)
    except ValueError:
        raise ApiError(400, f"{name} must be a timestamp in seconds, got {text!r}") from None


def _list_arg(request, name):
    """Values of ``q[name][]`` (or ``q[name]``), comma-separated lists accepted."""
    values = request.query.get(f"q[{name}][]", []) + request.query.get(f"q[{name}]", [])
    return [v for value in values for v in value.split(",") if v]


def _order(request, default="desc"):
    order = request.arg("sort_order") or default
    if order not in ("asc", "desc"):
        raise ApiError(400, "sort_order must be asc or desc")
    return order == "asc"


def _sort_field(request, allowed, default):
    field = request.arg("sort_by") or default
    if field not in allowed:
        raise ApiError(400, f"sort_by must be one of {', '.join(allowed)}")
    return field


def unpaginated(request, results):
    return {"_links": {"self": list_links(request, {})[0]}, "_results": results}


# -- simple lists ----------------------------------------------------------------------------
def me(app, request):
    return app.renderer.me()


def static_list(kind):
    def handler(app, request):
        return unpaginated(request, app.renderer.static(kind))
    handler.__name__ = kind
    return handler


def custom_fields(resource):
    def handler(app, request):
        return unpaginated(request, app.renderer.custom_fields(resource))
    handler.__name__ = "custom_fields_" + resource
    return handler


def statuses(app, request):
    if not app.options["ticketing"]:
        raise ApiError(404, "Ticketing is not enabled, therefore, there are no ticket statuses.")
    return unpaginated(request, app.renderer.static("statuses"))


def paginated_static(kind):
    """Lists kept in id order that accept ``limit``/``page_token`` (tags, links, templates)."""
    def handler(app, request):
        limit = parse_limit(request)
        records = app.renderer.static(kind)
        accept = None
        if kind == "links" and _list_arg(request, "types"):
            types = set(_list_arg(request, "types"))
            accept = lambda p: records[p]["type"] in types  # noqa: E731 - tiny predicate
        return paginate(request, app.options, range(len(records)), limit,
                        _order(request, "asc"), records.__getitem__, accept=accept)
    handler.__name__ = kind
    return handler


def accounts(app, request):
    limit = parse_limit(request)
    field = _sort_field(request, ("created_at", "updated_at"), "created_at")
    records = app.renderer.static("accounts")
    keys = app.sorted_keys(("accounts", field),
                           lambda: sorted((r[field], i) for i, r in enumerate(records)))
    return paginate(request, app.options, keys, limit, _order(request),
                    lambda p: records[keys[p][1]])


def contacts(app, request):
    limit = parse_limit(request)
    field = _sort_field(request, ("created_at", "updated_at"), "created_at")
    table = app.world.contacts
    column = table.updated if field == "updated_at" else table.created
    keys = app.sorted_keys(("contacts", field, table.version),
                           lambda: sorted(zip(column, range(table.count))))
    after = _float_arg(request, "q[updated_after]")
    before = _float_arg(request, "q[updated_before]")
    accept = None
    if after is not None or before is not None:
        updated = table.updated

        def accept(p):
            value = updated[keys[p][1]]
            return (after is None or value > after) and (before is None or value < before)
    return paginate(request, app.options, keys, limit, _order(request),
                    lambda p: app.renderer.contact(keys[p][1]), accept=accept)


# -- conversations ---------------------------------------------------------------------------
def _conversation_keys(app):
    timelines = app.timelines
    return app.sorted_keys(("conversations", timelines.version),
                           lambda: sorted((c.updated_at, c.index) for c in timelines.listed()))


def conversations(app, request):
    limit = parse_limit(request)
    keys = _conversation_keys(app)
    items = app.timelines.items
    # ``trashed`` is how the filter names what conversations show as status ``deleted``.
    wanted = {"deleted" if s == "trashed" else s for s in _list_arg(request, "statuses")}
    accept = None
    if wanted:
        accept = lambda p: items[keys[p][1]].status in wanted  # noqa: E731
    return paginate(request, app.options, keys, limit, _order(request),
                    lambda p: app.renderer.conversation(items[keys[p][1]]), accept=accept)


def parse_search(text):
    terms = {}
    for token in text.split():
        name, sep, value = token.partition(":")
        if sep and name in ("after", "before", "inbox", "tag", "is"):
            terms.setdefault(name, []).append(value)
    for bound in ("after", "before"):
        if bound in terms:
            try:
                terms[bound] = float(terms[bound][-1])
            except ValueError:
                raise ApiError(400, f"{bound}: takes a timestamp in seconds") from None
    return terms


def search(app, request, query):
    limit = parse_limit(request)
    terms = parse_search(unquote(query))
    keys = app.sorted_keys(("search", query, app.timelines.version),
                           lambda: sorted(_search_matches(app, terms)))
    items = app.timelines.items
    envelope = paginate(request, app.options, keys, limit, False,
                        lambda p: app.renderer.conversation(items[keys[p][1]]))
    envelope["_total"] = len(keys)
    return envelope


def _search_matches(app, terms):
    """(last activity, index) of the conversations a search finds.

    ``after:``/``before:`` (inclusive) match, as on Front, conversations with a message or a
    comment created in the window, nothing else: an archive, a tag, an assignment, a move or
    a custom field edit moves ``updated_at`` but no window finds it. Messages of a conversation
    merged into another count for the one they live in now."""
    timelines = app.timelines
    after, before = terms.get("after"), terms.get("before")
    items = timelines.items
    if after is None and before is None:
        candidates = {c.index for c in timelines.listed()}
    else:
        lo, hi = timelines.rows_between(after, before, inclusive=True)
        searched = set(SEARCHED_KINDS)
        found = {c for c, k in zip(timelines.ev_conv[lo:hi], timelines.ev_kind[lo:hi]) if k in searched}
        candidates = set()
        for index in found:
            host = timelines.host(items[index])
            if not host.deleted:
                candidates.add(host.index)
    world = app.world
    inbox_ids = set(terms.get("inbox", ()))
    tag_ids = set(terms.get("tag", ()))
    states = set(terms.get("is", ()))
    matches = []
    for index in candidates:
        conv = timelines.items[index]
        if inbox_ids and world.inboxes[conv.inbox]["id"] not in inbox_ids:
            continue
        if tag_ids and not tag_ids.intersection(world.tags[t]["id"] for t in conv.tags):
            continue
        if states and not _has_state(conv, states):
            continue
        matches.append((conv.updated_at, index))
    return matches


def _has_state(conv, states):
    open_now = conv.status in ("assigned", "unassigned")
    return any((s == "open" and open_now) or s == conv.status for s in states)


def _child_conversation(app, request, conv_id, child):
    conv = app.conversation_by_id(conv_id)
    if conv.merged_into is not None:
        survivor = app.timelines.host(conv)
        if survivor.deleted:
            raise ApiError(404, f"No conversation {conv_id}")
        location = (f"{request.origin}/conversations/{make_id('cnv', survivor.index + 1)}/{child}")
        if request.query:
            location += "?" + urlencode([(k, v) for k, vs in request.query.items() for v in vs])
        raise ApiError(301, "This conversation was merged", {"Location": location})
    return conv


def messages(app, request, conv_id):
    conv = _child_conversation(app, request, conv_id, "messages")
    limit = parse_limit(request)
    _sort_field(request, ("created_at",), "created_at")
    found = app.timelines.thread(conv, MESSAGE_KINDS)
    return paginate(request, app.options, range(len(found)), limit, _order(request),
                    lambda p: app.renderer.message(found[p][0], found[p][1], conv))


def comments(app, request, conv_id):
    conv = _child_conversation(app, request, conv_id, "comments")
    return unpaginated(request, [app.renderer.comment(owner, a, conv)
                                 for owner, a in app.timelines.thread(conv, (COMMENT,))])


def events(app, request):
    limit = parse_limit(request, default=EVENTS_MAX_LIMIT, maximum=EVENTS_MAX_LIMIT)
    _sort_field(request, ("created_at",), "created_at")
    timelines = app.timelines
    lo, hi = timelines.rows_between(_float_arg(request, "q[after]"), _float_arg(request, "q[before]"))
    types = set(_list_arg(request, "types"))
    unknown = types - set(SPEC_EVENT_TYPES)
    if unknown:
        raise ApiError(400, f"unknown event types: {', '.join(sorted(unknown))}")
    inboxes = set(_list_arg(request, "inboxes"))
    accept = None
    if types or inboxes or timelines.deleted:
        kinds = {EVENT_TYPES.index(t) for t in types if t in EVENT_TYPES}
        inbox_of = [inbox["id"] for inbox in app.world.inboxes]

        def accept(row):
            if types and timelines.ev_kind[row] not in kinds:
                return False
            if not timelines.row_visible(row):
                return False
            return not inboxes or inbox_of[timelines.items[timelines.ev_conv[row]].inbox] in inboxes
    return paginate(request, app.options, range(len(timelines.ev_time)), limit,
                    _order(request), app.renderer.event, lo=lo, hi=hi, accept=accept)


# -- the table -------------------------------------------------------------------------------
class Route:
    def __init__(self, method, template, handler, scope=None, auth=True):
        self.method = method
        self.template = template
        self.handler = handler
        self.scope = scope
        self.auth = auth
        pattern = re.escape(template).replace(r"\{id\}", "([^/]+)").replace(r"\{query\}", "(.+)")
        self.regex = re.compile(pattern + "$")


def build_routes(analytics):
    """All routes; ``analytics`` provides the report, export and download handlers."""
    routes = [
        Route("GET", "/me", me),
        Route("GET", "/accounts", accounts, "accounts:read"),
        Route("GET", "/channels", static_list("channels"), "channels:read"),
        Route("GET", "/inboxes", static_list("inboxes"), "inboxes:read"),
        Route("GET", "/contacts", contacts, "contacts:read"),
        Route("GET", "/contact_lists", static_list("contact_lists"), "contacts:read"),
        Route("GET", "/contact_groups", static_list("contact_lists"), "contacts:read"),
        Route("GET", "/conversations", conversations, "conversations:read"),
        Route("GET", "/conversations/search/{query}", search, "conversations:read"),
        Route("GET", "/conversations/{id}/messages", messages, "messages:read"),
        Route("GET", "/conversations/{id}/comments", comments, "comments:read"),
        Route("GET", "/events", events, "events:*:read"),
        Route("GET", "/tags", paginated_static("tags"), "tags:read"),
        Route("GET", "/teammates", static_list("teammates"), "teammates:read"),
        Route("GET", "/teams", static_list("teams"), "teams:read"),
        Route("GET", "/teammate_groups", static_list("teammate_groups"), "teammate_groups:read"),
        Route("GET", "/rules", static_list("rules"), "rules:read"),
        Route("GET", "/company/rules", static_list("rules"), "rules:read"),
        Route("GET", "/message_templates", paginated_static("message_templates"),
              "message_templates:read"),
        Route("GET", "/message_template_folders", paginated_static("message_template_folders"),
              "message_templates:read"),
        Route("GET", "/links", paginated_static("links"), "links:read"),
        Route("GET", "/shifts", static_list("shifts"), "shifts:read"),
        Route("GET", "/company/statuses", statuses, "statuses:read"),
        Route("GET", "/custom_fields", custom_fields("contacts"), "custom_fields:read"),
        Route("POST", "/analytics/reports", analytics.create_report, "analytics:read"),
        Route("GET", "/analytics/reports/{id}", analytics.get_report, "analytics:read"),
        Route("POST", "/analytics/exports", analytics.create_export, "analytics:read"),
        Route("GET", "/analytics/exports/{id}", analytics.get_export, "analytics:read"),
        # Export files come from a signed URL, as from a storage bucket: no token needed.
        Route("GET", "/downloads/exports/{id}", analytics.download, auth=False),
    ]
    routes += [Route("GET", f"/{resource}/custom_fields", custom_fields(resource),
                     "custom_fields:read") for resource in CUSTOM_FIELD_RESOURCES]
    return routes


def respond(result):
    return result if isinstance(result, Response) else Response.json(200, result)
