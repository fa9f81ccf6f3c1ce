"""Conversations and everything that happens in them, as one timeline per conversation.

Each conversation's timeline (messages, comments, assignment, tags, archive) is drawn from a
generator seeded by its index, so it can be re-drawn on demand instead of being kept in memory.
Only a compact global index of all activities, in time order, is kept: it is what ``/events``,
search and analytics walk. Mutations append activities newer than everything else: messages
and comments, and changes without a message (archive, reopen, tag, untag, assign, unassign,
move, custom field edits, trash, restore, merge), each of which moves the conversation's
``updated_at`` and is one event. Search time filters see only messages and comments.
"""
import bisect
import collections
from array import array

from .ids import DAY, stamp

(INBOUND, OUTBOUND, COMMENT, ASSIGN, TAG, ARCHIVE, UNASSIGN, UNTAG, REOPEN, MOVE, CUSTOM_FIELD,
 TRASH, RESTORE, MERGE) = range(14)
# The event ``type`` of each kind, from the spec's enum (``EventResponse.type``).
EVENT_TYPES = ("inbound", "out_reply", "comment", "assign", "tag", "archive", "unassign", "untag",
               "reopen", "move", "custom_field_updated", "trash", "restore",
               "conversations_merged")
# Every type the spec knows: ``q[types][]`` accepts them all (those never generated match nothing).
SPEC_EVENT_TYPES = (
    "assign", "unassign", "archive", "reopen", "trash", "restore", "reminder", "comment",
    "mention", "inbound", "outbound", "out_reply", "move", "forward", "tag", "untag",
    "sending_error", "message_bounce_error", "conversations_merged", "link_added",
    "link_removed", "custom_field_updated", "macro_triggered", "topic_identified",
    "ticket_status_update", "call_started", "call_abandoned", "call_queued", "call_on_hold",
    "call_parked", "call_resumed", "call_connected", "call_missed", "call_hangup",
    "call_transferred", "call_transcript_added", "call_voicemail_transcript_added",
)
MESSAGE_KINDS = (INBOUND, OUTBOUND)
# What search's ``after:``/``before:`` match: a message or a comment created in the window.
SEARCHED_KINDS = (INBOUND, OUTBOUND, COMMENT)
SLA_SECONDS = 4 * 3600

Activity = collections.namedtuple("Activity", "at kind actor ordinal by", defaults=(-1,))
# actor: teammate index (outbound, comment, assign, archive, reopen, trash, restore; unassign:
#        the teammate unassigned), tag index (tag, untag), inbox index (move: the new inbox),
#        custom field index (custom_field), conversation index (merge: the one merged in),
#        -1 (inbound)
# ordinal: the message's or comment's number within its conversation, else -1
# by: the teammate who made a change without a message; -1 when that is ``actor``


class Conversation:
    """What is kept per conversation: enough to list it and compute analytics."""

    __slots__ = (
        "absorbed", "archived_at", "assignee", "contact", "created_at", "csat", "deleted", "extra",
        "fields", "first_assignee", "first_reply_at", "followers", "generated", "inbox",
        "inbox_moves", "index",
        "last_is_inbound", "links", "merged_into", "n_comments", "n_messages", "n_replies",
        "status", "subject_seed", "tags", "total_reply_time", "trashed_from", "updated_at",
        "version", "waiting_since",
    )

    def __init__(self, index):
        self.index = index
        self.generated = True
        self.extra = []
        self.merged_into = None
        self.absorbed = ()        # indices of the conversations merged into this one
        self.deleted = False      # deleted for good: gone from every list, its routes 404
        self.fields = None        # custom field values once edited (else drawn from the seed)
        self.first_assignee = -1  # the assignee as drawn: it follows the conversation
        self.followers = None     # follower teammates once changed (else drawn, relations.py)
        self.inbox_moves = ()     # (when, inbox before) per move, oldest first
        self.trashed_from = None  # the status before a trash, for restore
        self.version = 0
        self.archived_at = None
        self.first_reply_at = None
        self.csat = None
        self.waiting_since = None
        self.n_messages = self.n_comments = self.n_replies = 0
        self.total_reply_time = 0.0
        self.last_is_inbound = True


def _increasing(activities):
    """Round to milliseconds and make times strictly increasing within a conversation."""
    result, last = [], None
    for activity in activities:
        at = stamp(activity.at)
        if last is not None and at <= last:
            at = stamp(last + 0.001)
        result.append(activity._replace(at=at))
        last = at
    return result


def draw_timeline(world, index, long_messages=0):
    """The conversation's attributes and its base timeline; the same for the same index."""
    rng = world.rng("conversation", index)
    counts = world.counts
    conv = Conversation(index)
    end = world.anchor - 60
    if long_messages:
        created = world.start + rng.uniform(0, DAY)
    else:
        created = world.start + rng.uniform(0, end - world.start - 3600)
    conv.inbox = rng.randrange(counts["inboxes"])
    conv.contact = rng.randrange(counts["contacts"])
    conv.subject_seed = rng.randrange(1 << 30)
    conv.assignee = rng.randrange(counts["teammates"]) if rng.random() < 0.75 else -1
    conv.first_assignee = conv.assignee
    conv.tags = tuple(sorted(rng.sample(range(counts["tags"]), rng.choice((0, 0, 1, 1, 2, 3)))))
    conv.links = (rng.randrange(counts["links"]),) if counts["links"] and rng.random() < 0.15 else ()
    acts = [Activity(created, INBOUND, -1, 0)]
    t = created
    for tag in conv.tags:
        t += rng.uniform(1, 120)
        acts.append(Activity(t, TAG, tag, -1, max(conv.assignee, 0)))
    if conv.assignee >= 0:
        t += rng.uniform(30, 1800)
        acts.append(Activity(t, ASSIGN, conv.assignee, -1))
    if long_messages:
        rounds = long_messages // 2
        gap = (end - t) / (long_messages + 2)
    else:
        rounds = rng.choice((0, 1, 1, 1, 2, 2, 3, 4))
        gap = None
    messages, comments = 1, 0
    for r in range(rounds):
        responder = conv.assignee if conv.assignee >= 0 else rng.randrange(counts["teammates"])
        t += gap * rng.uniform(0.5, 1.0) if gap else 60 + rng.expovariate(1 / 5400.0)
        acts.append(Activity(t, OUTBOUND, responder, messages))
        messages += 1
        if rng.random() < 0.25:
            t += gap * 0.1 if gap else rng.uniform(30, 900)
            acts.append(Activity(t, COMMENT, rng.randrange(counts["teammates"]), comments))
            comments += 1
        if r < rounds - 1 or rng.random() < 0.3:
            t += gap * rng.uniform(0.5, 1.0) if gap else 300 + rng.expovariate(1 / 14400.0)
            acts.append(Activity(t, INBOUND, -1, messages))
            messages += 1
    if rng.random() < 0.6:
        closer = conv.assignee if conv.assignee >= 0 else rng.randrange(counts["teammates"])
        t += rng.uniform(60, 6 * 3600)
        acts.append(Activity(t, ARCHIVE, closer, -1))
    csat_draw = rng.random()
    acts = [a for a in _increasing(acts) if a.at < end]
    conv.csat = rng.randint(1, 5) if csat_draw < 0.3 else None
    summarize(conv, acts)
    return conv, acts


def summarize(conv, acts, reset=True):
    """Derive the conversation's listing and analytics attributes from its timeline."""
    if reset:
        conv.n_messages = conv.n_comments = conv.n_replies = 0
        conv.total_reply_time = 0.0
        conv.first_reply_at = conv.archived_at = None
        conv.created_at = acts[0].at
    waiting = None if reset else conv.waiting_since
    for activity in acts:
        if not reset:
            _change(conv, activity)
        if activity.kind == INBOUND:
            conv.n_messages += 1
            conv.last_is_inbound = True
            waiting = activity.at if waiting is None else waiting
        elif activity.kind == OUTBOUND:
            conv.n_messages += 1
            conv.n_replies += 1
            conv.last_is_inbound = False
            if conv.first_reply_at is None:
                conv.first_reply_at = activity.at
            if waiting is not None:
                conv.total_reply_time += activity.at - waiting
            waiting = None
        elif activity.kind == COMMENT:
            conv.n_comments += 1
        elif activity.kind == ARCHIVE:
            conv.archived_at = activity.at
    conv.updated_at = acts[-1].at
    conv.waiting_since = waiting
    if reset:
        # A drawn timeline ends with its archive, if it has one.
        conv.status = "archived" if conv.archived_at is not None else open_status(conv)
    if conv.archived_at is None:
        conv.csat = None


def open_status(conv):
    return "assigned" if conv.assignee >= 0 else "unassigned"


def _change(conv, activity):
    """What an activity appended later (a mutation) does to the conversation's state."""
    kind, actor = activity.kind, activity.actor
    is_open = conv.status in ("assigned", "unassigned")
    if kind == INBOUND and conv.status == "archived":
        conv.status = open_status(conv)  # a new inbound message reopens the conversation
    elif kind == ARCHIVE:
        conv.status = "archived"
    elif kind == REOPEN:
        conv.status = open_status(conv)
    elif kind == ASSIGN:
        conv.assignee = actor
        conv.status = "assigned" if is_open else conv.status
    elif kind == UNASSIGN:
        conv.assignee = -1
        conv.status = "unassigned" if is_open else conv.status
    elif kind == TAG:
        conv.tags = tuple(sorted(set(conv.tags) | {actor}))
    elif kind == UNTAG:
        conv.tags = tuple(t for t in conv.tags if t != actor)
    elif kind == MOVE:
        conv.inbox_moves = tuple(conv.inbox_moves) + ((activity.at, conv.inbox),)
        conv.inbox = actor
    elif kind == TRASH:
        conv.trashed_from = conv.status
        conv.status = "deleted"
    elif kind == RESTORE:
        conv.status = "archived" if conv.trashed_from == "archived" else open_status(conv)
        conv.trashed_from = None
    # CUSTOM_FIELD: the mutation sets ``conv.fields``; MERGE: ``Timelines.merge`` does the rest.


def inbox_at(conv, at):
    """The inbox that held the conversation at ``at`` (moves change it from then on)."""
    inbox = conv.inbox
    for moved_at, before in reversed(conv.inbox_moves):
        if at >= moved_at:
            break
        inbox = before
    return inbox


def actor_teammate(activity):
    """The teammate who made a change without a message (or wrote the reply or comment)."""
    return activity.by if activity.by >= 0 else activity.actor


def response_times(acts):
    """Per activity: for a reply, the time since the first message it answers; else 0."""
    values, waiting = [], None
    for activity in acts:
        value = 0.0
        if activity.kind == INBOUND and waiting is None:
            waiting = activity.at
        elif activity.kind == OUTBOUND:
            value = activity.at - waiting if waiting is not None else 0.0
            waiting = None
        values.append(value)
    return values


class Timelines:
    """Every conversation plus the global, time-ordered index of their activities."""

    CACHE_SIZE = 4096

    def __init__(self, world):
        self.world = world
        counts = world.counts
        self.items = []
        self._cache = collections.OrderedDict()
        n_long = counts["long_conversations"]
        n_merged = min(counts["merged"], max(0, counts["conversations"] - n_long - 1))
        first_merged = counts["conversations"] - n_merged
        entries = []
        for index in range(counts["conversations"]):
            if index >= first_merged:
                conv = self._merged(index, first_merged)
                self.items.append(conv)
                continue
            long_messages = counts["long_messages"] if index < n_long else 0
            conv, acts = draw_timeline(world, index, long_messages)
            self.items.append(conv)
            entries.extend((a.at, index, j, a.kind, value)
                           for j, (a, value) in enumerate(zip(acts, response_times(acts))))
        entries.sort()
        # The event index: one row per activity, in emission order (row + 1 is the sequence).
        self.ev_time = array("d", (e[0] for e in entries))
        self.ev_conv = array("l", (e[1] for e in entries))
        self.ev_act = array("l", (e[2] for e in entries))
        self.ev_kind = array("b", (e[3] for e in entries))
        self.ev_value = array("d", (e[4] for e in entries))  # a reply's response time
        del entries
        self.version = 0
        self.deleted = set()  # indices of conversations deleted for good

    def _merged(self, index, first_merged):
        """A conversation merged into another: listed as deleted, its routes redirect."""
        rng = self.world.rng("merged", index)
        conv = Conversation(index)
        conv.generated = False
        conv.merged_into = rng.randrange(self.world.counts["long_conversations"], first_merged)
        conv.inbox = rng.randrange(self.world.counts["inboxes"])
        conv.contact = rng.randrange(self.world.counts["contacts"])
        conv.subject_seed = rng.randrange(1 << 30)
        conv.assignee, conv.tags, conv.links = -1, (), ()
        conv.created_at = stamp(self.world.start + rng.uniform(0, self.world.anchor - self.world.start - DAY))
        conv.updated_at = stamp(conv.created_at + rng.uniform(600, 6 * 3600))
        conv.status = "deleted"
        return conv

    # -- reading -----------------------------------------------------------------------------
    def activities(self, conv):
        if not conv.generated:
            return conv.extra
        acts = self._cache.get(conv.index)
        if acts is None:
            n_long = self.world.counts["long_conversations"]
            long_messages = self.world.counts["long_messages"] if conv.index < n_long else 0
            acts = draw_timeline(self.world, conv.index, long_messages)[1]
            self._cache[conv.index] = acts
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(conv.index)
        return acts + conv.extra if conv.extra else acts

    def messages(self, conv):
        """The conversation's own messages (without those of conversations merged into it)."""
        return [a for a in self.activities(conv) if a.kind in MESSAGE_KINDS]

    def comments(self, conv):
        return [a for a in self.activities(conv) if a.kind == COMMENT]

    def thread(self, conv, kinds):
        """``(owner, activity)`` of the given kinds as the conversation's routes list them:
        its own and those of every conversation merged into it, oldest first."""
        found = [(conv, a) for a in self.activities(conv) if a.kind in kinds]
        if conv.absorbed:
            for index in conv.absorbed:
                found += self.thread(self.items[index], kinds)
            found.sort(key=lambda pair: (pair[1].at, pair[0].index, pair[1].ordinal))
        return found

    def host(self, conv):
        """Where a conversation's messages live now: itself, or the one it was merged into."""
        while conv.merged_into is not None:
            conv = self.items[conv.merged_into]
        return conv

    def gone(self, conv):
        """Deleted for good, or merged into a conversation that was."""
        return self.host(conv).deleted

    def rows_between(self, after=None, before=None, inclusive=False):
        """Index rows whose time is in the window (strict bounds unless ``inclusive``)."""
        times = self.ev_time
        if after is None:
            lo = 0
        else:
            lo = bisect.bisect_left(times, after) if inclusive else bisect.bisect_right(times, after)
        if before is None:
            hi = len(times)
        else:
            hi = bisect.bisect_right(times, before) if inclusive else bisect.bisect_left(times, before)
        return lo, max(lo, hi)

    def listed(self):
        """Conversations the API lists: all but those deleted for good."""
        if not self.deleted:
            return self.items
        return [c for c in self.items if not c.deleted]

    def live(self):
        """Conversations that were neither merged away nor deleted."""
        return [c for c in self.items if c.merged_into is None and not c.deleted]

    def row_visible(self, row):
        """Events of a conversation deleted for good are gone with it."""
        return not self.deleted or self.ev_conv[row] not in self.deleted

    # -- writing (mutations) -----------------------------------------------------------------
    def append(self, conv, kind, actor, at, by=-1):
        """Add an activity at ``at`` (newer than every other) and index it as an event."""
        acts = list(self.activities(conv))  # a copy: for some conversations it is conv.extra
        ordinal = -1
        if kind in MESSAGE_KINDS:
            ordinal = conv.n_messages
        elif kind == COMMENT:
            ordinal = conv.n_comments
        activity = Activity(stamp(at), kind, actor, ordinal, by)
        conv.extra.append(activity)
        summarize(conv, [activity], reset=False)
        if not conv.generated and len(acts) == 0:
            conv.created_at = activity.at
        conv.version += 1
        self.ev_time.append(activity.at)
        self.ev_conv.append(conv.index)
        self.ev_act.append(len(acts))
        self.ev_kind.append(kind)
        self.ev_value.append(response_times(acts + [activity])[-1])
        self.version += 1
        return activity, len(self.ev_time)

    def merge(self, conv, survivor, at, by):
        """Merge ``conv`` into ``survivor``: one ``conversations_merged`` event on the survivor;
        ``conv`` is listed as deleted, its messages and comments move to the survivor and its
        child routes redirect there."""
        activity, sequence = self.append(survivor, MERGE, conv.index, at, by)
        conv.merged_into = survivor.index
        conv.status = "deleted"
        conv.updated_at = activity.at
        conv.version += 1
        survivor.absorbed = tuple(survivor.absorbed) + (conv.index,)
        return activity, sequence

    def delete(self, conv):
        """Delete a conversation for good, with those merged into it: no list, search or event
        shows them any more. Returns the indices deleted."""
        gone = [conv.index]
        conv.deleted = True
        self.deleted.add(conv.index)
        conv.version += 1
        for index in conv.absorbed:
            gone += self.delete(self.items[index])
        self.version += 1
        return gone

    def new_conversation(self, inbox, contact, assignee, subject_seed):
        conv = Conversation(len(self.items))
        conv.generated = False
        conv.inbox, conv.contact, conv.assignee = inbox, contact, assignee
        conv.subject_seed = subject_seed
        conv.tags, conv.links = (), ()
        conv.followers = ()
        conv.status = "unassigned"
        self.items.append(conv)
        return conv
