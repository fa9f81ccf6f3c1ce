"""Ground truth: every stream's records exactly as the list endpoints serve them, the
relationship streams (truth_links.py) and ``link_ids``."""
import json

from .analytics import daily_truth
from .conversations import COMMENT, MESSAGE_KINDS
from .ids import comment_id, conversation_id, message_id
from .truth_links import comment_link_ids, link_counts, link_tables, message_link_ids, static_link_ids
from .world import CUSTOM_FIELD_RESOURCES

STATIC_STREAMS = ("accounts", "channels", "inboxes", "teammates", "teams", "teammate_groups",
                  "rules", "tags", "links", "message_templates", "message_template_folders",
                  "shifts", "contact_lists")


def build_truth(app):
    renderer, timelines = app.renderer, app.timelines
    data = {kind: renderer.static(kind) for kind in STATIC_STREAMS}
    data["contact_groups"] = renderer.static("contact_lists")
    data["statuses"] = renderer.static("statuses") if app.options["ticketing"] else []
    data["custom_fields"] = [dict(field, resource=resource)
                             for resource in CUSTOM_FIELD_RESOURCES
                             for field in renderer.custom_fields(resource)]
    data["contacts"] = [renderer.contact(i) for i in range(app.world.contacts.count)]
    data["conversations"] = [renderer.conversation(c) for c in timelines.listed()]
    messages, comments = [], []
    link_ids = static_link_ids(app.world)
    message_links, comment_links = link_ids["messages"], link_ids["comments"] = {}, {}
    for conv in timelines.live():
        # A conversation's messages and comments include those of conversations merged into it.
        parent = conversation_id(conv.index)
        for owner, activity in timelines.thread(conv, MESSAGE_KINDS + (COMMENT,)):
            if activity.kind == COMMENT:
                comments.append(dict(renderer.comment(owner, activity, conv), conversation_id=parent))
                comment_links[comment_id(owner, activity.ordinal)] = comment_link_ids(app.world, owner, activity)
            else:
                messages.append(dict(renderer.message(owner, activity, conv), conversation_id=parent))
                message_links[message_id(owner, activity.ordinal)] = message_link_ids(app.world, owner, activity)
    data["messages"] = messages
    data["comments"] = comments
    data["events"] = [renderer.event(row) for row in range(len(timelines.ev_time))
                      if timelines.row_visible(row)]
    data["analytics"] = daily_truth(app.world, timelines)
    data.update(link_tables(app))
    # Not a stream: {stream: {record id: {column: id}}}, the ids behind ``_links.related``.
    data["link_ids"] = link_ids
    # A deep copy: callers may change what they get without touching the app's caches.
    return json.loads(json.dumps(data))


def stream_counts(app):
    world, timelines = app.world, app.timelines
    kept = [c for c in timelines.items if not timelines.gone(c)]  # merged ones: in their host
    deleted = timelines.deleted
    counts = {kind: len(getattr(world, kind)) for kind in STATIC_STREAMS}
    counts.update({
        "contact_groups": len(world.contact_lists),
        "statuses": len(world.statuses) if app.options["ticketing"] else 0,
        "custom_fields": sum(len(f) for f in world.custom_fields.values()),
        "contacts": world.contacts.count,
        "conversations": len(timelines.items) - len(deleted),
        "messages": sum(c.n_messages for c in kept),
        "comments": sum(c.n_comments for c in kept),
        "events": len(timelines.ev_time) - (sum(1 for c in timelines.ev_conv if c in deleted)
                                             if deleted else 0),
        "analytics": int((world.anchor - world.start) // 86400) + 1,
    })
    counts.update(link_counts(app))
    return counts
