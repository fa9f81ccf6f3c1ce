"""The fewest requests a full sync of every Front stream can make, from the sandbox's truth and
Front's documented paging: `limit` at most 100 (events 15), `_pagination.next` until null (it
is null exactly at the end, so no page is wasted), and the sandbox's one deviation a client
cannot avoid: every third page holds half the limit (option `short_pages`).

Each list is read once: conversations through `/conversations` (one pass over all of them),
then messages and comments once per conversation. A conversation's record does not tell
whether its lists are empty or merged away, so every conversation costs one request for each.
An analytics day is one report: the POST, then polls until it is done (the sandbox answers
`running` `report_polls` times first)."""
import collections

MAX_LIMIT = 100
EVENTS_LIMIT = 15

# Lists that take `limit`; the others answer in one response.
PAGED = ("accounts", "tags", "links", "message_templates", "message_template_folders")
UNPAGED = ("channels", "inboxes", "teammates", "teams", "teammate_groups", "rules", "shifts",
           "contact_lists", "contact_groups", "statuses")
CUSTOM_FIELD_RESOURCES = ("accounts", "contacts", "conversations", "inboxes", "links", "teammates")


def pages(count, limit, short_pages=True):
    """Pages of a `count`-long list: page 1 full, then every third page half a limit."""
    number, left = 1, count
    while True:
        size = limit // 2 if short_pages and number >= 2 and number % 3 == 0 else limit
        if left <= size:
            return number
        left -= size
        number += 1


def minimum_requests(truth, report_polls=2, short_pages=True):
    """Per list, the requests of a full sync of every stream (keys name the endpoint)."""
    def paged(count, limit=MAX_LIMIT):
        return pages(count, limit, short_pages)

    out = {"/" + name: paged(len(truth[name])) for name in PAGED}
    out.update({"/" + name: 1 for name in UNPAGED})
    out["/company/statuses"] = out.pop("/statuses")
    out.update({"/{}/custom_fields".format(resource): 1 for resource in CUSTOM_FIELD_RESOURCES})
    out["/contacts"] = paged(len(truth["contacts"]))
    out["/events"] = paged(len(truth["events"]), EVENTS_LIMIT)
    out["/conversations"] = paged(len(truth["conversations"]))
    per_conversation = collections.Counter(m["conversation_id"] for m in truth["messages"])
    out["/conversations/{id}/messages"] = sum(paged(per_conversation[c["id"]]) for c in truth["conversations"])
    out["/conversations/{id}/comments"] = len(truth["conversations"])
    days = len(truth["analytics"])
    out["/analytics/reports"] = days
    out["/analytics/reports/{id}"] = days * (report_polls + 1)
    return out


def for_server(server):
    options = server.app.options
    return minimum_requests(server.truth(), options.get("report_polls", 2), options.get("short_pages", True))
