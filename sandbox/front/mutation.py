"""``mutate``: fresh changes stamped with the real current time, newer than all data."""
import random
import time

from .conversations import COMMENT, INBOUND, OUTBOUND
from .ids import event_id, make_id, stamp
from .render import comment_id, conversation_id, message_id


class _Clock:
    """Real time, but strictly increasing and never before the data's anchor."""

    def __init__(self, app):
        self.app = app

    def __call__(self):
        last = getattr(self.app, "_last_mutation_at", 0.0)
        at = stamp(max(time.time(), self.app.anchor + 1, last + 0.001))
        self.app._last_mutation_at = at
        return at


def mutate(app, count):
    """Update contacts, add messages and comments to existing conversations, start new
    conversations, and emit the matching events. Returns the ids changed per stream."""
    world, timelines = app.world, app.timelines
    rng = getattr(app, "_mutation_rng", None)
    if rng is None:
        rng = app._mutation_rng = random.Random(f"{app.seed}:mutations")
    clock = _Clock(app)
    n = max(1, int(count))
    changed = {"contacts": [], "conversations": [], "messages": [], "comments": [], "events": []}

    table = world.contacts
    for index in rng.sample(range(table.count), min(table.count, max(1, n // 4))):
        table.updated[index] = clock()
        changed["contacts"].append(make_id("crd", index + 1))
    table.version += 1

    def record(conv, activity, sequence):
        if conversation_id(conv.index) not in changed["conversations"]:
            changed["conversations"].append(conversation_id(conv.index))
        if activity.kind == COMMENT:
            changed["comments"].append(comment_id(conv, activity.ordinal))
        else:
            changed["messages"].append(message_id(conv, activity.ordinal))
        changed["events"].append(event_id(sequence))

    live = [c for c in timelines.items if c.merged_into is None]
    teammates = world.counts["teammates"]
    for conv in rng.sample(live, min(len(live), max(1, n // 4))):
        if conv.last_is_inbound:
            responder = conv.assignee if conv.assignee >= 0 else rng.randrange(teammates)
            record(conv, *timelines.append(conv, OUTBOUND, responder, clock()))
        else:
            record(conv, *timelines.append(conv, INBOUND, -1, clock()))
    for conv in rng.sample(live, min(len(live), max(1, n // 8))):
        record(conv, *timelines.append(conv, COMMENT, rng.randrange(teammates), clock()))
    for _ in range(max(1, n // 8)):
        conv = timelines.new_conversation(rng.randrange(world.counts["inboxes"]),
                                          rng.randrange(table.count), -1, rng.randrange(1 << 30))
        record(conv, *timelines.append(conv, INBOUND, -1, clock()))
    return changed
