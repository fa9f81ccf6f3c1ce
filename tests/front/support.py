"""Helpers for tap-front's sandbox tests: a server whose data ends just before the test
starts (so the tap's default end, now, covers it and mutations come right after), a config
pointing at it, catalogs, and comparisons with the sandbox's ground truth."""
import itertools
import time

from benchmarks.minimum_front import page_sizes, pages
from sandbox import make_app
from sandbox.server import SandboxServer
from tap_engine.timefmt import epoch_to_rfc3339, parse_utc
from tap_front.streams import STREAMS
from tap_front.tap import FrontTap
from tests.support.runner import full_catalog, run_tap
from tests.support.truth import assert_stream_matches, validator

DAY = 86400
TOKEN = "sandbox-token"
SCHEMAS = {cls.name: cls.load_schema() for cls in STREAMS}
KEYS = {cls.name: tuple(cls.key_properties) for cls in STREAMS}
VALIDATORS = {name: validator(schema) for name, schema in SCHEMAS.items()}
_runs = itertools.count(1)


def start_front(scale="tiny", app_options=None, **server_options):
    # Data ends two minutes ago: older than any overlap a run reads again, newer than the
    # first day the tap asks for.
    anchor = int(time.time()) - 120
    app = make_app("front", seed=1, scale=scale, anchor=anchor, **(app_options or {}))
    return SandboxServer(app, **server_options).start()


def config_for(server, **overrides):
    """The first day of data as start date, no end date (now), fast polls and retries."""
    world = server.app.world
    config = {
        "token": TOKEN,
        "base_url": server.base_url,
        "start_date": epoch_to_rfc3339(world.start - world.start % DAY),
        "analytics_poll_seconds": 0.01,
        "retry_base_seconds": 0.01,
    }
    config.update(overrides)
    return config


def catalog(*names):
    """The full catalog with only `names` selected (all streams when none given)."""
    data = full_catalog(FrontTap)
    if names:
        unknown = set(names) - set(SCHEMAS)
        assert not unknown, unknown
        for entry in data["streams"]:
            if entry["tap_stream_id"] not in names:
                for item in entry["metadata"]:
                    if not item["breadcrumb"]:
                        item["metadata"]["selected"] = False
    return data


def sync(server, tmp_path, config=None, streams=(), state=None):
    """Run the tap's CLI in-process; every run gets its own folder for its files."""
    folder = tmp_path / "run{}".format(next(_runs))
    folder.mkdir()
    return run_tap(FrontTap, folder, config or config_for(server), catalog(*streams), state)


# Columns the tap reads from `_links.related`: the truth has them apart (`link_ids`).
LINK_COLUMNS = {cls.name: cls.link_columns() for cls in STREAMS if cls.link_columns()}


def assert_matches_truth(stream, emitted, truth):
    """Records equal the truth's; the link columns are checked against `link_ids` apart
    (test_relations.py)."""
    check = VALIDATORS[stream]
    for record in emitted:
        check(record)
    columns = LINK_COLUMNS.get(stream, ())
    if columns:
        emitted = [{k: v for k, v in record.items() if k not in columns} for record in emitted]
    assert_stream_matches(stream, emitted, truth, SCHEMAS[stream], key=KEYS[stream])


def analytics_truth_rows(truth_days):
    """The sandbox's daily truth as the rows the tap emits."""
    rows = {}
    for day in truth_days:
        row = {"end_time": epoch_to_rfc3339(day["end"])}
        row.update({m["id"]: m["value"] for m in day["metrics"]})
        rows[epoch_to_rfc3339(day["start"])] = row
    return rows


def assert_analytics_match(emitted, truth_days):
    """Every day of data emitted with all 25 metrics as the report for that day says."""
    expected = analytics_truth_rows(truth_days)
    got = {row["start_time"]: row for row in emitted}
    missing = sorted(set(expected) - set(got))
    assert not missing, "analytics days not emitted: {}".format(missing[:5])
    check = VALIDATORS["analytics"]
    for start, want in expected.items():
        row = got[start]
        check(row)
        assert set(row) == set(SCHEMAS["analytics"]["properties"]), start
        for name, value in want.items():
            assert row[name] == value, "{} {}: {!r} != {!r}".format(start, name, row[name], value)


def endpoint_requests(stats, endpoint):
    return stats["endpoints"].get(endpoint, {}).get("requests", 0)


# --- the change feed: what an incremental run must read, from the truth ------------------------
EVENTS_PAGE = 15
MESSAGE_EVENTS = ("inbound", "outbound", "out_reply")
TREE = ("conversations", "messages", "comments")


def message_pages(count):
    return pages(count, 100)


def _instant(text):
    return parse_utc(text).timestamp() if text else None


def feed_events(truth, state, overlap=60.0):
    """The events the change feed reads from `state`: after the oldest cursor of the selected
    streams of the conversations walk, less the overlap, oldest first."""
    bookmarks = state["bookmarks"]
    cursors = [_instant((bookmarks.get(stream) or {}).get("updated_at")) for stream in TREE if stream in bookmarks]
    if "events" in bookmarks:
        cursors.append(_instant(bookmarks["events"].get("emitted_at")))
    start = min(c for c in cursors if c is not None) - overlap
    return sorted((e for e in truth["events"] if e["emitted_at"] > start), key=lambda e: (e["emitted_at"], e["id"]))


def feed_pages(events):
    """The events pages of one walk over `events`."""
    pages, at = [], 0
    for size in page_sizes(len(events), EVENTS_PAGE):
        pages.append(events[at:at + size])
        at += size
    return pages


def lists_changed(truth, event_ids):
    """(conversations that got a message, conversations that got a comment) by these events;
    a merge moves messages and comments to the survivor: both."""
    wanted = set(event_ids)
    messages, comments = set(), set()
    for event in truth["events"]:
        if event["id"] not in wanted:
            continue
        conversation = event["conversation"]["id"]
        if event["type"] in MESSAGE_EVENTS or event["type"] == "conversations_merged":
            messages.add(conversation)
        if event["type"] in ("comment", "conversations_merged"):
            comments.add(conversation)
    return messages, comments


def messages_per_conversation(truth):
    counts = {}
    for message in truth["messages"]:
        counts[message["conversation_id"]] = counts.get(message["conversation_id"], 0) + 1
    return counts


def without_deleted(stream, records, deleted):
    """Records that still exist: those of conversations deleted for good are gone from Front."""
    if stream == "conversations":
        return [r for r in records if r["id"] not in deleted]
    if stream == "events":
        return [r for r in records if (r.get("conversation") or {}).get("id") not in deleted]
    return [r for r in records if r.get("conversation_id") not in deleted]


def assert_events_match(emitted, truth):
    """Events equal the truth but for their embedded conversation, which the truth shows as it
    is now (later changes move it); the conversations stream carries that."""
    schema = dict(SCHEMAS["events"], properties={k: v for k, v in SCHEMAS["events"]["properties"].items()
                                                  if k != "conversation"})
    assert_stream_matches("events", emitted, truth, schema, key=KEYS["events"], drops=("_links", "conversation"))


def assert_run_delivers(run, stats, truth, state, changed, streams):
    """What the run emitted is what changed, as it is now; what it asked for is one walk of
    the feed and the children of the conversations that got a message or a comment."""
    records = run.records
    events = feed_events(truth, state)
    new_events = set(changed["events"])
    got_messages, got_comments = lists_changed(truth, new_events)
    if "conversations" in streams:
        emitted = records.get("conversations", [])
        assert sorted(r["id"] for r in emitted) == sorted(set(changed["conversations"])), "conversations"
        current = {r["id"]: r for r in truth["conversations"]}
        assert_matches_truth("conversations", emitted, [current[r["id"]] for r in emitted])
    else:
        assert "conversations" not in records
    counts = messages_per_conversation(truth)
    for stream, touched in (("messages", got_messages), ("comments", got_comments)):
        endpoint = "/conversations/{id}/" + stream
        if stream not in streams:
            assert stream not in records and endpoint_requests(stats, endpoint) == 0, stream
            continue
        emitted = records.get(stream, [])
        assert set(changed[stream]) <= {r["id"] for r in emitted}, stream
        # Whole lists of the conversations touched, nothing else, each as it is now.
        assert {r["conversation_id"] for r in emitted} <= touched, stream
        current = {r["id"]: r for r in truth[stream]}
        assert_matches_truth(stream, emitted, [current[r["id"]] for r in emitted])
        expected = sum(message_pages(counts.get(c, 0)) for c in touched) if stream == "messages" else len(touched)
        assert endpoint_requests(stats, endpoint) == expected, (stream, endpoint_requests(stats, endpoint), expected)
    if "events" in streams:
        emitted = records.get("events", [])
        assert sorted(r["id"] for r in emitted) == sorted(new_events), "events"
        current = {r["id"]: r for r in truth["events"]}
        assert_events_match(emitted, [current[r["id"]] for r in emitted])
    else:
        assert "events" not in records
    # One walk of the feed from the oldest cursor (less the overlap); no search.
    pages = feed_pages(events)
    assert endpoint_requests(stats, "/events") == len(pages)
    assert endpoint_requests(stats, "/conversations/search/{query}") == 0
    # The deleted list, once per page of the feed that merged a conversation (and only when
    # conversations are emitted).
    merges = sum(1 for page in pages if any(e["type"] == "conversations_merged" and e["id"] in new_events
                                            for e in page))
    assert endpoint_requests(stats, "/conversations") == (merges if "conversations" in streams else 0)
