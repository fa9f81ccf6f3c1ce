"""Analytics: metrics computed from the generated data, and the asynchronous report and
export jobs that serve them.

Every metric is computed per window by one pass over the activity index, so a report for one
day equals the truth's entry for that day, and for the count metrics in ``ADDITIVE`` a
multi-day window equals the sum of its days. Values are integers (seconds for durations, 0-100
for percentages), or null when there is nothing to average.
"""
import bisect
import csv
import io
import time
from datetime import datetime, timedelta

from .conversations import EVENT_TYPES, INBOUND, OUTBOUND, SLA_SECONDS, TAG, actor_teammate
from .ids import DAY, conversation_id, day_floor, event_id

METRIC_IDS = (
    "avg_csat_survey_response", "avg_first_response_time", "avg_handle_time",
    "avg_replies_to_resolution", "avg_resolution_time", "avg_response_time",
    "avg_sla_breach_time", "avg_total_reply_time", "new_segments_count",
    "num_active_segments_full", "num_archived_segments", "num_archived_segments_with_reply",
    "num_csat_survey_response", "num_messages_received", "num_messages_sent", "num_sla_breach",
    "pct_csat_survey_satisfaction", "pct_resolved_on_first_reply", "pct_tagged_conversations",
    "num_closed_segments", "num_open_segments_start", "num_open_segments_end",
    "num_resolved_segments", "num_unresolved_active_segments", "num_workload_segments",
)
DURATIONS = ("avg_first_response_time", "avg_handle_time", "avg_resolution_time",
             "avg_response_time", "avg_sla_breach_time", "avg_total_reply_time")
ADDITIVE = ("new_segments_count", "num_archived_segments", "num_archived_segments_with_reply",
            "num_csat_survey_response", "num_messages_received", "num_messages_sent",
            "num_sla_breach", "num_closed_segments", "num_resolved_segments")
FILTER_KINDS = ("tag_ids", "teammate_ids", "channel_ids", "inbox_ids", "team_ids", "account_ids")


def metric_type(metric):
    if metric in DURATIONS:
        return "duration"
    return "percentage" if metric.startswith("pct_") else "number"


def handle_time(row):
    """A reply's handling time: 1 to 15 minutes, fixed per event."""
    return 60 + (row * 7919) % 840


# -- filters ---------------------------------------------------------------------------------
def conversation_filter(world, filters):
    """A predicate on conversations: AND across filter kinds, OR within one."""
    if not filters:
        return None
    if not isinstance(filters, dict) or set(filters) - set(FILTER_KINDS):
        raise ValueError(f"filters takes only {', '.join(FILTER_KINDS)}")
    index_of = {}
    for kind, records in (("tag_ids", world.tags), ("teammate_ids", world.teammates),
                          ("channel_ids", world.channels), ("inbox_ids", world.inboxes),
                          ("team_ids", world.teams), ("account_ids", world.accounts)):
        index_of[kind] = {r["id"]: i for i, r in enumerate(records)}
    wanted = {kind: {index_of[kind].get(v, -2) for v in values}
              for kind, values in filters.items()}
    contacts = world.contacts

    def accept(conv):
        checks = (
            ("tag_ids", lambda ids: any(t in ids for t in conv.tags)),
            ("teammate_ids", lambda ids: conv.assignee in ids),
            ("channel_ids", lambda ids: conv.inbox in ids),  # one channel per inbox
            ("inbox_ids", lambda ids: conv.inbox in ids),
            ("team_ids", lambda ids: world.team_of_inbox[conv.inbox] in ids),
            ("account_ids", lambda ids: contacts.account_of(conv.contact) in ids),
        )
        return all(test(wanted[kind]) for kind, test in checks if kind in wanted)

    return accept


# -- computation -----------------------------------------------------------------------------
class _Bin:
    __slots__ = ("active", "counts", "sums")

    def __init__(self):
        self.counts = dict.fromkeys(ADDITIVE, 0)
        self.sums = {}
        self.active = set()

    def add(self, name, value):
        total, n = self.sums.get(name, (0.0, 0))
        self.sums[name] = (total + value, n + 1)

    def mean(self, name):
        total, n = self.sums.get(name, (0.0, 0))
        return int(round(total / n)) if n else None


def _pct(numerator, denominator):
    return int(round(100.0 * numerator / denominator)) if denominator else None


def compute(timelines, bounds, accept=None):
    """Metric values for consecutive windows ``[bounds[i], bounds[i + 1])``: a list of dicts."""
    n_bins = len(bounds) - 1
    bins = [_Bin() for _ in range(n_bins)]
    convs = [c for c in timelines.live() if accept is None or accept(c)]
    chosen = bytearray(len(timelines.items))
    for conv in convs:
        chosen[conv.index] = 1

    def bin_of(t):
        if t is None or t < bounds[0] or t >= bounds[-1]:
            return None
        return bisect.bisect_right(bounds, t) - 1

    lo, hi = timelines.rows_between(bounds[0], bounds[-1], inclusive=True)
    ev_time, ev_conv, ev_kind, ev_value = (timelines.ev_time, timelines.ev_conv,
                                           timelines.ev_kind, timelines.ev_value)
    for row in range(lo, hi):
        conv_index = ev_conv[row]
        kind = ev_kind[row]
        if not chosen[conv_index] or kind not in (INBOUND, OUTBOUND) or ev_time[row] >= bounds[-1]:
            continue
        b = bins[bisect.bisect_right(bounds, ev_time[row]) - 1]
        if kind in (INBOUND, OUTBOUND):
            b.active.add(conv_index)
        if kind == INBOUND:
            b.counts["num_messages_received"] += 1
        elif kind == OUTBOUND:
            b.counts["num_messages_sent"] += 1
            b.add("avg_response_time", ev_value[row])
            b.add("avg_handle_time", handle_time(row))

    created, archived = [], []
    by_index = {}
    for conv in convs:
        by_index[conv.index] = conv
        created.append(conv.created_at)
        if conv.archived_at is not None:
            archived.append(conv.archived_at)
        k = bin_of(conv.created_at)
        if k is not None:
            bins[k].counts["new_segments_count"] += 1
        k = bin_of(conv.archived_at)
        if k is not None:
            b = bins[k]
            b.counts["num_archived_segments"] += 1
            b.counts["num_closed_segments"] += 1
            b.add("avg_resolution_time", conv.archived_at - conv.created_at)
            b.add("avg_replies_to_resolution", conv.n_replies)
            if conv.n_replies:
                b.counts["num_archived_segments_with_reply"] += 1
            if not conv.last_is_inbound:
                b.counts["num_resolved_segments"] += 1
                b.add("resolved_first_reply", 1 if conv.n_replies == 1 else 0)
            if conv.csat is not None:
                b.counts["num_csat_survey_response"] += 1
                b.add("avg_csat_survey_response", conv.csat)
                b.add("csat_satisfied", 1 if conv.csat >= 4 else 0)
        k = bin_of(conv.first_reply_at)
        if k is not None:
            b = bins[k]
            delay = conv.first_reply_at - conv.created_at
            b.add("avg_first_response_time", delay)
            b.add("avg_total_reply_time", conv.total_reply_time)
            if delay > SLA_SECONDS:
                b.counts["num_sla_breach"] += 1
                b.add("avg_sla_breach_time", delay - SLA_SECONDS)
    created.sort()
    archived.sort()

    def open_at(t):
        return bisect.bisect_left(created, t) - bisect.bisect_left(archived, t)

    results = []
    for k, b in enumerate(bins):
        start, end = bounds[k], bounds[k + 1]
        active = [by_index[i] for i in b.active]
        values = dict(b.counts)
        values.update({name: b.mean(name) for name in DURATIONS})
        values["avg_replies_to_resolution"] = b.mean("avg_replies_to_resolution")
        values["avg_csat_survey_response"] = b.mean("avg_csat_survey_response")
        values["pct_csat_survey_satisfaction"] = _pct(
            b.sums.get("csat_satisfied", (0, 0))[0], b.sums.get("csat_satisfied", (0, 0))[1])
        values["pct_resolved_on_first_reply"] = _pct(
            b.sums.get("resolved_first_reply", (0, 0))[0], b.sums.get("resolved_first_reply", (0, 0))[1])
        values["pct_tagged_conversations"] = _pct(sum(1 for c in active if c.tags), len(active))
        values["num_active_segments_full"] = len(active)
        values["num_unresolved_active_segments"] = sum(
            1 for c in active if c.archived_at is None or c.archived_at >= end)
        values["num_open_segments_start"] = open_at(start)
        values["num_open_segments_end"] = open_at(end)
        values["num_workload_segments"] = (bisect.bisect_left(created, end)
                                           - bisect.bisect_left(archived, start))
        results.append(values)
    return results


def scalars(values, metrics):
    return [{"id": m, "type": metric_type(m), "value": values[m]} for m in metrics]


def daily_truth(world, timelines):
    """One entry per UTC day from the first day of data to the anchor's day."""
    first = day_floor(world.start)
    last = day_floor(world.anchor)
    bounds = [int(first) + k * DAY for k in range(int((last - first) // DAY) + 2)]
    values = compute(timelines, bounds)
    return [{"start": bounds[k], "end": bounds[k + 1], "metrics": scalars(v, METRIC_IDS)}
            for k, v in enumerate(values)]


# -- windows ---------------------------------------------------------------------------------
def _zone(name):
    if not name or name in ("UTC", "Etc/UTC"):
        return None
    try:
        from zoneinfo import ZoneInfo  # standard library from Python 3.9
        return ZoneInfo(name)
    except (ImportError, KeyError, ValueError, OSError):
        raise ValueError(f"unknown timezone {name!r}") from None


def whole_days(start, end, timezone=None):
    """``start`` rounded down and ``end`` rounded up to midnights in ``timezone``."""
    zone = _zone(timezone)
    if zone is None:
        low = day_floor(start)
        high = day_floor(end)
        return low, (high if high == end else high + DAY)
    low = datetime.fromtimestamp(start, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    high_point = datetime.fromtimestamp(end, zone)
    high = high_point.replace(hour=0, minute=0, second=0, microsecond=0)
    if high != high_point:
        high += timedelta(days=1)  # aware arithmetic is wall-clock: the next midnight
    return low.timestamp(), high.timestamp()


def read_window(body, timezone_key="timezone"):
    try:
        start, end = float(body["start"]), float(body["end"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("start and end are required, as epoch seconds") from None
    if end <= start:
        raise ValueError("end must be after start")
    return whole_days(start, end, body.get(timezone_key))


# -- exports ---------------------------------------------------------------------------------
MESSAGE_COLUMNS = ("Message ID", "Conversation ID", "Direction", "Inbox", "Inbox API ID",
                   "Message date", "Author", "Contact handle", "Subject", "Tags", "Tag API IDs",
                   "Message API ID", "Conversation API ID")
EVENT_COLUMNS = ("Activity ID", "Type", "Conversation ID", "Message date", "Inbox", "Author",
                 "Activity API ID", "Conversation API ID", "Tags")


def export_csv(renderer, kind, start, end, columns=None, accept=None, timezone=None):
    """The CSV an export of ``kind`` ("messages" or "events") over ``[start, end)`` produces."""
    timelines, world = renderer.timelines, renderer.world
    columns = list(columns or (MESSAGE_COLUMNS if kind == "messages" else EVENT_COLUMNS))
    zone = _zone(timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    lo, hi = timelines.rows_between(start, end, inclusive=True)
    for row in range(lo, hi):
        if timelines.ev_time[row] >= end:
            break
        owner = timelines.items[timelines.ev_conv[row]]
        conv = timelines.host(owner)  # merged: reported under the conversation it joined
        if conv.deleted:
            continue
        activity = timelines.activities(owner)[timelines.ev_act[row]]
        if kind == "messages" and activity.kind not in (INBOUND, OUTBOUND):
            continue
        if accept is not None and not accept(conv):
            continue
        if zone is None:
            moment = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(activity.at))
        else:
            moment = datetime.fromtimestamp(activity.at, zone).strftime("%Y-%m-%d %H:%M:%S")
        tags = [world.tags[t] for t in conv.tags]
        author = ""
        if activity.kind not in (INBOUND, TAG):  # a tag's source may be a rule
            author = world.teammates[actor_teammate(activity)]["email"]
        message = (renderer.message(owner, activity, conv)
                   if activity.kind in (INBOUND, OUTBOUND) else None)
        cells = {
            "Message ID": message["id"] if message else "",
            "Message API ID": message["id"] if message else "",
            "Conversation ID": conversation_id(conv.index),
            "Conversation API ID": conversation_id(conv.index),
            "Activity ID": f"{row + 1}",
            "Activity API ID": event_id(row + 1),
            "Type": EVENT_TYPES[activity.kind],
            "Direction": ("Inbound" if activity.kind == INBOUND else "Outbound") if message else "",
            "Inbox": world.inboxes[conv.inbox]["name"],
            "Inbox API ID": world.inboxes[conv.inbox]["id"],
            "Message date": moment,
            "Author": author,
            "Contact handle": world.contacts.email(conv.contact),
            "Subject": renderer.subject(conv),
            "Tags": ", ".join(t["name"] for t in tags),
            "Tag API IDs": ", ".join(t["id"] for t in tags),
            "Status": conv.status,
        }
        writer.writerow([cells.get(column, "") for column in columns])
    return out.getvalue().encode()


def now():
    return round(time.time(), 3)
