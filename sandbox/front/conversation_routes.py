"""The Front API's conversation handlers: the list, search, messages, comments and events."""
from urllib.parse import unquote, urlencode

from .conversations import COMMENT, EVENT_TYPES, MESSAGE_KINDS, SEARCHED_KINDS, SPEC_EVENT_TYPES
from .ids import make_id
from .paging import float_arg, list_arg, paginate, parse_limit, sort_ascending, sort_field, unpaginated
from .responses import ApiError

EVENTS_MAX_LIMIT = 15


def _conversation_keys(app):
    timelines = app.timelines
    return app.sorted_keys(("conversations", timelines.version),
                           lambda: sorted((c.updated_at, c.index) for c in timelines.listed()))


def conversations(app, request, params):
    limit = parse_limit(request)
    keys = _conversation_keys(app)
    items = app.timelines.items
    # ``trashed`` is how the filter names what conversations show as status ``deleted``.
    wanted = {"deleted" if s == "trashed" else s for s in list_arg(request, "statuses")}
    accept = None
    if wanted:
        accept = lambda p: items[keys[p][1]].status in wanted  # noqa: E731
    return paginate(request, app.options, keys, limit, sort_ascending(request),
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


def search(app, request, params):
    query = params["query"]
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


def child_conversation(app, request, conv_id, child):
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


def messages(app, request, params):
    conv = child_conversation(app, request, params["id"], "messages")
    limit = parse_limit(request)
    sort_field(request, ("created_at",), "created_at")
    found = app.timelines.thread(conv, MESSAGE_KINDS)
    return paginate(request, app.options, range(len(found)), limit, sort_ascending(request),
                    lambda p: app.renderer.message(found[p][0], found[p][1], conv))


def comments(app, request, params):
    conv = child_conversation(app, request, params["id"], "comments")
    return unpaginated(request, [app.renderer.comment(owner, a, conv)
                                 for owner, a in app.timelines.thread(conv, (COMMENT,))])


def events(app, request, params):
    limit = parse_limit(request, default=EVENTS_MAX_LIMIT, maximum=EVENTS_MAX_LIMIT)
    sort_field(request, ("created_at",), "created_at")
    timelines = app.timelines
    lo, hi = timelines.rows_between(float_arg(request, "q[after]"), float_arg(request, "q[before]"))
    types = set(list_arg(request, "types"))
    unknown = types - set(SPEC_EVENT_TYPES)
    if unknown:
        raise ApiError(400, f"unknown event types: {', '.join(sorted(unknown))}")
    inboxes = set(list_arg(request, "inboxes"))
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
                    sort_ascending(request), app.renderer.event, lo=lo, hi=hi, accept=accept)
