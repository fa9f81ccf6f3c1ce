"""``mutate``: fresh changes stamped with the real current time, newer than all data.

Each change is one kind (``KINDS``, documented in sandbox/README.md). Changes to a conversation
move its ``updated_at`` and emit one event (``conversations_merged`` on the survivor for a
merge; nothing for a deletion, which takes the conversation's events with it). Only
``message``, ``comment`` and ``new_conversation`` create something a search window finds.
``follow``, ``unfollow`` and ``note`` (mutation_relations.py) emit no event.
"""
import random
import time

from .conversations import (
    ARCHIVE,
    ASSIGN,
    COMMENT,
    CUSTOM_FIELD,
    INBOUND,
    MESSAGE_KINDS,
    MOVE,
    OUTBOUND,
    REOPEN,
    RESTORE,
    TAG,
    TRASH,
    UNASSIGN,
    UNTAG,
)
from .ids import comment_id, conversation_id, event_id, make_id, message_id, stamp
from .mutation_relations import RELATION_CHANGES, follow, follow_applies, note

MESSAGE_CHANGES = ("message", "comment", "new_conversation")
# Changes without a message: they move updated_at and emit an event, and no search finds them.
QUIET_CHANGES = ("archive", "reopen", "tag", "untag", "assign", "unassign", "move", "custom_field")
REMOVALS = ("trash", "restore", "merge", "delete")
# Changes to relationships (mutation_relations.py); never in the default mix.
KINDS = ("contact",) + MESSAGE_CHANGES + QUIET_CHANGES + REMOVALS + RELATION_CHANGES
STREAMS = ("contacts", "conversations", "messages", "comments", "events")


class _Clock:
    """Real time, but strictly increasing and never before the data's anchor."""

    def __init__(self, app):
        self.app = app

    def __call__(self):
        last = getattr(self.app, "_last_mutation_at", 0.0)
        at = stamp(max(time.time(), self.app.anchor + 1, last + 0.001))
        self.app._last_mutation_at = at
        return at


def _active(conv):
    """Open or archived: neither trashed, merged nor deleted."""
    return conv.merged_into is None and not conv.deleted and conv.status != "deleted"


def _applies(kind, conv, world):
    counts = world.counts
    if kind in ("follow", "unfollow"):
        return _active(conv) and follow_applies(kind, conv, world)
    if kind in ("message", "comment", "custom_field", "trash", "merge"):
        return _active(conv)
    if kind == "archive":
        return _active(conv) and conv.status != "archived"
    if kind == "reopen":
        return _active(conv) and conv.status == "archived"
    if kind == "tag":
        return _active(conv) and len(conv.tags) < counts["tags"]
    if kind == "untag":
        return _active(conv) and bool(conv.tags)
    if kind == "assign":
        return _active(conv) and counts["teammates"] > (1 if conv.assignee >= 0 else 0)
    if kind == "unassign":
        return _active(conv) and conv.assignee >= 0
    if kind == "move":
        return _active(conv) and counts["inboxes"] > 1
    if kind == "restore":
        return conv.merged_into is None and not conv.deleted and conv.status == "deleted"
    if kind == "delete":
        return conv.merged_into is None and not conv.deleted
    raise ValueError(kind)  # pragma: no cover - contact and new_conversation need no target


class _Mutation:
    def __init__(self, app):
        self.app = app
        self.world, self.timelines = app.world, app.timelines
        rng = getattr(app, "_mutation_rng", None)
        if rng is None:
            rng = app._mutation_rng = random.Random(f"{app.seed}:mutations")
        self.rng = rng
        self.clock = _Clock(app)
        self.changed = {stream: [] for stream in STREAMS}
        self.touched = set()  # conversations changed by this call

    # -- recording ---------------------------------------------------------------------------
    def _conversation(self, conv):
        self.touched.add(conv.index)
        cid = conversation_id(conv.index)
        if cid not in self.changed["conversations"]:
            self.changed["conversations"].append(cid)

    def _record(self, conv, activity, sequence):
        self._conversation(conv)
        if activity.kind == COMMENT:
            self.changed["comments"].append(comment_id(conv, activity.ordinal))
        elif activity.kind in MESSAGE_KINDS:
            self.changed["messages"].append(message_id(conv, activity.ordinal))
        self.changed["events"].append(event_id(sequence))

    # -- choosing ----------------------------------------------------------------------------
    def pick(self, kind, exclude=None):
        """A conversation ``kind`` applies to and this call did not change yet, or None."""
        items = self.timelines.items

        def fits(conv):
            return conv.index not in self.touched and conv is not exclude and \
                _applies(kind, conv, self.world)
        for _ in range(32):
            conv = items[self.rng.randrange(len(items))]
            if fits(conv):
                return conv
        start = self.rng.randrange(len(items))
        for step in range(len(items)):
            conv = items[(start + step) % len(items)]
            if fits(conv):
                return conv
        return None

    def teammate(self):
        return self.rng.randrange(self.world.counts["teammates"])

    # -- changes -----------------------------------------------------------------------------
    def contact(self):
        table = self.world.contacts
        index = self.rng.randrange(table.count)
        table.updated[index] = self.clock()
        table.version += 1
        cid = make_id("crd", index + 1)
        if cid not in self.changed["contacts"]:
            self.changed["contacts"].append(cid)
        return True

    def new_conversation(self):
        world, rng = self.world, self.rng
        conv = self.timelines.new_conversation(rng.randrange(world.counts["inboxes"]),
                                               rng.randrange(world.contacts.count), -1,
                                               rng.randrange(1 << 30))
        self._record(conv, *self.timelines.append(conv, INBOUND, -1, self.clock()))
        return True

    def apply(self, kind, conv):
        """Make one change of ``kind`` to ``conv`` (for which ``_applies`` holds)."""
        timelines, rng, counts = self.timelines, self.rng, self.world.counts
        if kind == "merge":
            survivor = self.pick("merge", exclude=conv)
            if survivor is None:
                return False
            moved = timelines.thread(conv, MESSAGE_KINDS + (COMMENT,))
            activity, sequence = timelines.merge(conv, survivor, self.clock(), self.teammate())
            self._conversation(conv)
            self._record(survivor, activity, sequence)
            for owner, item in moved:  # they now belong to the survivor
                if item.kind == COMMENT:
                    self.changed["comments"].append(comment_id(owner, item.ordinal))
                else:
                    self.changed["messages"].append(message_id(owner, item.ordinal))
            return True
        if kind == "delete":
            for index in timelines.delete(conv):  # with those merged into it
                self.touched.add(index)
                self.changed.setdefault("deleted_conversations", []).append(conversation_id(index))
            return True
        if kind in ("follow", "unfollow"):
            return follow(self, conv, kind == "follow")
        at, by = self.clock(), self.teammate()
        if kind == "message":
            if conv.last_is_inbound:
                responder = conv.assignee if conv.assignee >= 0 else self.teammate()
                change = (OUTBOUND, responder)
            else:
                change = (INBOUND, -1)
            self._record(conv, *timelines.append(conv, change[0], change[1], at))
            return True
        if kind == "comment":
            self._record(conv, *timelines.append(conv, COMMENT, by, at))
            return True
        if kind == "archive":
            change = (ARCHIVE, by)
        elif kind == "reopen":
            change = (REOPEN, by)
        elif kind == "trash":
            change = (TRASH, by)
        elif kind == "restore":
            change = (RESTORE, by)
        elif kind == "tag":
            change = (TAG, rng.choice([t for t in range(counts["tags"]) if t not in conv.tags]))
        elif kind == "untag":
            change = (UNTAG, rng.choice(conv.tags))
        elif kind == "assign":
            change = (ASSIGN, rng.choice([t for t in range(counts["teammates"]) if t != conv.assignee]))
        elif kind == "unassign":
            change = (UNASSIGN, conv.assignee)
        elif kind == "move":
            change = (MOVE, rng.choice([i for i in range(counts["inboxes"]) if i != conv.inbox]))
        elif kind == "custom_field":
            change = (CUSTOM_FIELD, self._edit_field(conv))
        else:  # pragma: no cover - KINDS is checked before
            raise ValueError(kind)
        self._record(conv, *timelines.append(conv, change[0], change[1], at, by))
        return True

    def _edit_field(self, conv):
        """Give one of the conversation's custom fields a new value; returns the field's index."""
        world = self.world
        fields = world.custom_fields["conversations"]
        index = self.rng.randrange(len(fields))
        field = fields[index]
        values = dict(conv.fields if conv.fields is not None
                      else world.conversation_field_values(conv.index))
        value = values.get(field["name"])
        for _ in range(16):
            value = world.field_value(field, self.rng)
            if value != values.get(field["name"]):
                break
        values[field["name"]] = value
        conv.fields = values
        return index

    def one(self, kind):
        if kind == "contact":
            return self.contact()
        if kind == "new_conversation":
            return self.new_conversation()
        if kind == "note":
            return note(self)
        conv = self.pick(kind)
        return conv is not None and self.apply(kind, conv)


def mutate(app, count, kinds=None):
    """Make about ``count`` changes and return the ids changed per stream.

    Without ``kinds``, the mix: about ``count/4`` contacts, a message in about ``count/4``
    conversations, a comment in about ``count/8``, about ``count/8`` new conversations, and
    about ``count/2`` other conversations changed without a message (archive, reopen, tag,
    untag, assign, unassign, move, custom field, in turn). With ``kinds`` (names from
    ``KINDS``): ``count`` changes, the kinds in turn, each on a conversation this call has not
    changed yet (a kind that applies to no conversation is skipped).
    """
    n = max(1, int(count))
    run = _Mutation(app)
    if kinds is not None:
        if isinstance(kinds, str):
            kinds = [k for k in kinds.split(",") if k]
        kinds = list(kinds)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise ValueError(f"unknown mutation kinds {unknown}; known: {', '.join(KINDS)}")
        for i in range(n):
            run.one(kinds[i % len(kinds)])
        return run.changed

    world, timelines, rng = app.world, app.timelines, run.rng
    table = world.contacts
    for index in rng.sample(range(table.count), min(table.count, max(1, n // 4))):
        table.updated[index] = run.clock()
        run.changed["contacts"].append(make_id("crd", index + 1))
    table.version += 1

    live = [c for c in timelines.items if _active(c)]
    for conv in rng.sample(live, min(len(live), max(1, n // 4))):
        run.apply("message", conv)
    for conv in rng.sample(live, min(len(live), max(1, n // 8))):
        run.apply("comment", conv)
    for _ in range(max(1, n // 8)):
        run.new_conversation()
    # As many again change without a message: no search window finds these.
    quiet = [c for c in live if c.index not in run.touched]
    turn = rng.randrange(len(QUIET_CHANGES))
    for conv in rng.sample(quiet, min(len(quiet), max(1, n // 2))):
        for step in range(len(QUIET_CHANGES)):
            kind = QUIET_CHANGES[(turn + step) % len(QUIET_CHANGES)]
            if _applies(kind, conv, world):
                run.apply(kind, conv)
                break
        turn += 1
    return run.changed
