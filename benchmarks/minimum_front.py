"""The fewest requests a Front sync can make under the tap's plan, from the sandbox's truth and
Front's documented paging: `limit` at most 100 (events 15), `_pagination.next` until null (it
is null exactly at the end, so no page is wasted), and the sandbox's one deviation a client
cannot avoid: every third page holds half the limit (option `short_pages`).

Full sync: each list read once. Conversations as one pass over all of them (`/conversations`;
the tap's search windows plus its pass over the deleted ones come to about as many pages).
Messages and comments once per conversation that has any: the conversations merged into
another have none left (their routes redirect), and the list of deleted conversations says
which those are. Events once, and the conversations' change feed one page from where their
backfill began (in a first sync the two walk apart, at once). An analytics
day is one report: the POST, then polls until it is done (the sandbox answers `running`
`report_polls` times first).

The organisation's lists (team members and inboxes, teammate groups' members, inbox access,
shift teammates, signatures, time off, views, knowledge bases, accounts' contacts) once per
parent record, paged where the list takes `limit`; each conversation's inboxes and followers
with its messages; each contact's notes once.

Incremental run (`incremental_requests`): the lists without a change filter again, whole;
contacts changed since the bookmark (`q[updated_after]`) and their notes; one walk of the events emitted since
the oldest cursor; messages of each conversation whose events added a message (or merged
another into it), comments of each that got a comment (or a merge), inboxes and followers of
each that has any new event; the list of deleted
conversations once per events page that merged one (the merged conversation has no event of its
own); the analytics days of the lookback window again."""
import collections
import time

from tap_engine.timefmt import parse_utc

MAX_LIMIT = 100
EVENTS_LIMIT = 15
DAY = 86400

# Lists that take `limit`; the others answer in one response.
PAGED = ("accounts", "tags", "links", "message_templates", "message_template_folders")
UNPAGED = ("channels", "inboxes", "teammates", "teams", "teammate_groups", "rules", "shifts",
           "contact_lists", "contact_groups", "statuses")
CUSTOM_FIELD_RESOURCES = ("accounts", "contacts", "conversations", "inboxes", "links", "teammates")
MESSAGE_EVENTS = ("inbound", "outbound", "out_reply")
MERGED = "conversations_merged"


def page_sizes(count, limit, short_pages=True):
    """Sizes of the pages of a `count`-long list: page 1 full, then every third page half a
    limit; an empty list is one empty page."""
    sizes, number, left = [], 1, count
    while True:
        size = limit // 2 if short_pages and number >= 2 and number % 3 == 0 else limit
        sizes.append(min(size, left))
        if left <= size:
            return sizes
        left -= size
        number += 1


def pages(count, limit, short_pages=True):
    return len(page_sizes(count, limit, short_pages))


# Lists of each record of a parent list, read whole every run: (endpoint, parent stream) for
# those in one answer, and (endpoint, parent stream, child stream, its column naming the
# parent) for those that take `limit`.
UNPAGED_CHILDREN = (
    ("/teams/{id}", "teams"), ("/teams/{id}/inboxes", "teams"), ("/teams/{id}/signatures", "teams"),
    ("/teammates/{id}/signatures", "teammates"), ("/teammate_groups/{id}/teammates", "teammate_groups"),
    ("/teammate_groups/{id}/teams", "teammate_groups"), ("/teammate_groups/{id}/inboxes", "teammate_groups"),
    ("/inboxes/{id}/teammates", "inboxes"), ("/shifts/{id}/teammates", "shifts"),
)
PAGED_CHILDREN = (
    ("/teams/{id}/views", "teams", "views", "team_id"),
    ("/teammates/{id}/time_offs", "teammates", "teammate_time_offs", "teammate_id"),
    ("/accounts/{id}/contacts", "accounts", "account_contacts", "account_id"),
    ("/knowledge_bases/{id}/categories", "knowledge_bases", "knowledge_base_categories", "knowledge_base_id"),
    ("/knowledge_bases/{id}/articles", "knowledge_bases", "knowledge_base_articles", "knowledge_base_id"),
)
# Signatures belong to teammates or teams: the stream reads those two lists itself.
SIGNATURE_OWNERS = ("/teammates", "/teams")


def _every_run(truth, short_pages):
    """The lists a run reads whole whatever changed (no change filter), per endpoint."""
    out = {"/" + name: pages(len(truth[name]), MAX_LIMIT, short_pages) for name in PAGED}
    out.update({"/" + name: 1 for name in UNPAGED})
    out["/company/statuses"] = out.pop("/statuses")
    out.update({"/{}/custom_fields".format(resource): 1 for resource in CUSTOM_FIELD_RESOURCES})
    out["/knowledge_bases"] = 1
    for owners in SIGNATURE_OWNERS:
        out[owners] += 1
    out.update({endpoint: len(truth[parent]) for endpoint, parent in UNPAGED_CHILDREN})
    for endpoint, parent, child, column in PAGED_CHILDREN:
        per_parent = collections.Counter(row[column] for row in truth[child])
        out[endpoint] = sum(pages(per_parent[record["id"]], MAX_LIMIT, short_pages) for record in truth[parent])
    return out


def _analytics(days, report_polls):
    return {"/analytics/reports": days, "/analytics/reports/{id}": days * (report_polls + 1)}


def minimum_requests(truth, report_polls=2, short_pages=True):
    """Per list, the requests of a full sync of every stream (keys name the endpoint)."""
    def paged(count, limit=MAX_LIMIT):
        return pages(count, limit, short_pages)

    out = _every_run(truth, short_pages)
    out["/contacts"] = paged(len(truth["contacts"]))
    # Events read their history on their own while conversations backfill by search (the two
    # walks run at once); the conversations' change feed then starts where the backfill began:
    # one page.
    out["/events"] = paged(len(truth["events"]), EVENTS_LIMIT) + 1
    out["/conversations"] = paged(len(truth["conversations"]))
    per_conversation = collections.Counter(m["conversation_id"] for m in truth["messages"])
    having = set(per_conversation) | {c["conversation_id"] for c in truth["comments"]}
    out["/conversations/{id}/messages"] = sum(paged(per_conversation[c]) for c in having)
    for endpoint in ("/conversations/{id}/comments", "/conversations/{id}/inboxes", "/conversations/{id}/followers"):
        out[endpoint] = len(having)
    out["/contacts/{id}/notes"] = len(truth["contacts"])
    out.update(_analytics(len(truth["analytics"]), report_polls))
    return out


def incremental_requests(truth, changed, since, analytics_days, report_polls=2, short_pages=True):
    """Per list, the requests of a run of every stream after the changes `changed` (ids per
    stream, as the sandbox's mutations report them), from a state whose oldest cursor of the
    conversations' tree and events is `since` (epoch seconds, the overlap included)."""
    out = _every_run(truth, short_pages)
    out["/contacts"] = pages(len(set(changed.get("contacts", ()))), MAX_LIMIT, short_pages)
    feed = sorted((e for e in truth["events"] if e["emitted_at"] > since), key=lambda e: (e["emitted_at"], e["id"]))
    out["/events"] = pages(len(feed), EVENTS_LIMIT, short_pages)
    merges, at = 0, 0
    for size in page_sizes(len(feed), EVENTS_LIMIT, short_pages):
        merges += any(e["type"] == MERGED for e in feed[at:at + size])
        at += size
    out["/conversations"] = merges
    new = set(changed.get("events", ()))
    with_messages, with_comments = set(), set()
    for event in feed:
        if event["id"] in new:
            conversation = event["conversation"]["id"]
            if event["type"] in MESSAGE_EVENTS or event["type"] == MERGED:
                with_messages.add(conversation)
            if event["type"] in ("comment", MERGED):
                with_comments.add(conversation)
    per_conversation = collections.Counter(m["conversation_id"] for m in truth["messages"])
    out["/conversations/{id}/messages"] = sum(pages(per_conversation[c], MAX_LIMIT, short_pages)
                                              for c in with_messages)
    out["/conversations/{id}/comments"] = len(with_comments)
    # Inboxes and followers: any change may move or follow a conversation.
    touched = {event["conversation"]["id"] for event in feed if event["id"] in new}
    out["/conversations/{id}/inboxes"] = out["/conversations/{id}/followers"] = len(touched)
    out["/contacts/{id}/notes"] = len(set(changed.get("contacts", ())))
    out.update(_analytics(analytics_days, report_polls))
    return {endpoint: n for endpoint, n in out.items() if n}


def for_server(server):
    options = server.app.options
    return minimum_requests(server.truth(), options.get("report_polls", 2), options.get("short_pages", True))


def incremental_for_server(server, changed, state, config, truth=None):
    """`incremental_requests` for a run of every stream from `state` (the previous run's last
    STATE) with `config` (its overlap and analytics lookback)."""
    options = server.app.options
    truth = truth or server.truth()
    bookmarks = state["bookmarks"]
    cursors = [bookmarks[s].get("updated_at") for s in ("conversations", "messages", "comments") if s in bookmarks]
    cursors.append(bookmarks["events"].get("emitted_at"))
    since = min(parse_utc(c).timestamp() for c in cursors if c) - float(config.get("overlap_seconds", 60))
    lookback = config.get("lookback_window")
    end = parse_utc(bookmarks["analytics"]["end_time"]).timestamp() - DAY * (7 if lookback is None else lookback)
    days = int((time.time() - (end - end % DAY)) // DAY) + 1
    return incremental_requests(truth, changed, since, days, options.get("report_polls", 2),
                                options.get("short_pages", True))
