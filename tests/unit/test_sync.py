"""The sync walk with in-memory streams: selection, field selection, parent/child fan-out,
STATE after each page, currently_syncing, and resuming from the last STATE without gaps."""
import io
import json

import pytest
from singer import metadata

from tap_engine.catalog import Selection, discover, select_all
from tap_engine.errors import HTTPError, TapError
from tap_engine.output import Output
from tap_engine.state import State
from tap_engine.streams import Stream
from tap_engine.sync import Runner, build_tree
from tap_engine.workers import WorkerPool

PARENTS = [
    [{"id": 1, "updated_at": 10, "name": "a", "secret": "x"}, {"id": 2, "updated_at": 20, "name": "b", "secret": "x"}],
    [{"id": 3, "updated_at": 30, "name": "c", "secret": "x"}],
    [{"id": 4, "updated_at": 40, "name": "d", "secret": "x"}],
]
KIDS = {pid: [{"id": "{}-{}".format(pid, n), "at": 1700000000.5 + n} for n in range(pid)] for pid in range(1, 5)}


class Parents(Stream):
    name = "parents"
    replication_method = "INCREMENTAL"
    replication_key = "updated_at"
    fail_after_pages = None

    @classmethod
    def load_schema(cls):
        return {"type": "object", "properties": {"id": {"type": "integer"}, "updated_at": {"type": "integer"},
                                                 "name": {"type": ["null", "string"]},
                                                 "secret": {"type": ["null", "string"]}}}

    def pages(self, context=None):
        since = self.bookmark.get("updated_at") or 0
        for number, page in enumerate(PARENTS):
            if self.fail_after_pages is not None and number >= self.fail_after_pages:
                raise HTTPError("/parents", 502, "persistent")
            records = [dict(r) for r in page if r["updated_at"] > since]
            if records:
                yield records

    context_keys = {"parent_id": "id"}

    def on_emitted(self, records):
        self.bookmark["updated_at"] = max([self.bookmark.get("updated_at") or 0] + [r["updated_at"] for r in records])


class Kids(Stream):
    name = "kids"
    parent = "parents"
    fetched = []

    @classmethod
    def load_schema(cls):
        return {"type": "object", "properties": {"id": {"type": "string"}, "parent_id": {"type": "integer"},
                                                 "at": {"type": ["null", "string"], "format": "date-time"}}}

    def pages(self, context=None):
        Kids.fetched.append(context["parent_id"])
        yield [dict(r) for r in KIDS[context["parent_id"]]]


class Flat(Stream):
    name = "flat"

    @classmethod
    def load_schema(cls):
        return {"type": "object", "properties": {"id": {"type": "integer"}}}

    def pages(self, context=None):
        yield [{"id": 1}, {"id": 2}]


STREAMS = (Parents, Kids, Flat)


def catalog_with(selected, deselect_fields=()):
    catalog = discover(STREAMS)
    for entry in catalog.streams:
        mdata = metadata.to_map(entry.metadata)
        mdata = metadata.write(mdata, (), "selected", entry.tap_stream_id in selected)
        for field in deselect_fields:
            if ("properties", field) in mdata:
                mdata = metadata.write(mdata, ("properties", field), "selected", False)
        entry.metadata = metadata.to_list(mdata)
    return catalog


def run(catalog, state, workers=1):
    buffer = io.StringIO()
    Kids.fetched = []
    roots = build_tree(STREAMS, catalog, state, client=None, config={})
    try:
        Runner(roots, state, Output(buffer), WorkerPool(workers)).run()
        error = None
    except TapError as exc:
        error = exc
    messages = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return messages, error


def records_of(messages, stream):
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


@pytest.fixture(autouse=True)
def no_failures():
    Parents.fail_after_pages = None


def test_discovery_metadata():
    catalog = discover(STREAMS)
    assert [e.tap_stream_id for e in catalog.streams] == ["flat", "kids", "parents"]
    parents = metadata.to_map(catalog.get_stream("parents").metadata)
    assert parents[()]["table-key-properties"] == ["id"]
    assert parents[()]["forced-replication-method"] == "INCREMENTAL"
    assert parents[()]["valid-replication-keys"] == ["updated_at"]
    assert parents[()]["selected-by-default"] is True
    assert parents[("properties", "id")]["inclusion"] == "automatic"
    assert parents[("properties", "updated_at")]["inclusion"] == "automatic"
    assert parents[("properties", "name")]["inclusion"] == "available"
    kids = metadata.to_map(catalog.get_stream("kids").metadata)
    assert kids[()]["parent-tap-stream-id"] == "parents"


def test_full_run_emits_everything_in_order_with_states():
    messages, error = run(select_all(discover(STREAMS)), State())
    assert error is None
    assert [r["id"] for r in records_of(messages, "parents")] == [1, 2, 3, 4]
    kids = records_of(messages, "kids")
    assert len(kids) == sum(len(v) for v in KIDS.values())
    assert kids[0] == {"id": "1-0", "parent_id": 1, "at": "2023-11-14T22:13:20.500Z"}
    # A STATE follows each parent page, after that page's children.
    types = [(m["type"], m.get("stream")) for m in messages]
    last_kid_of_page_1 = max(i for i, m in enumerate(messages) if m.get("record", {}).get("parent_id") == 2)
    first_state_after = next(i for i, t in enumerate(types) if i > last_kid_of_page_1 and t[0] == "STATE")
    assert messages[first_state_after]["value"]["bookmarks"]["parents"]["updated_at"] == 20
    final = messages[-1]
    assert final["type"] == "STATE" and final["value"]["currently_syncing"] is None
    assert final["value"]["bookmarks"]["parents"] == {"updated_at": 40}


def test_only_child_selected_walks_parent_without_emitting_it():
    messages, _ = run(catalog_with({"kids"}), State())
    assert records_of(messages, "parents") == []
    assert len(records_of(messages, "kids")) == 10
    assert {m["stream"] for m in messages if m["type"] == "SCHEMA"} == {"kids"}


def test_unselected_fields_dropped_automatic_kept():
    messages, _ = run(catalog_with({"parents"}, deselect_fields=("secret", "updated_at")), State())
    record = records_of(messages, "parents")[0]
    assert record == {"id": 1, "updated_at": 10, "name": "a"}
    schema = next(m for m in messages if m["type"] == "SCHEMA" and m["stream"] == "parents")
    assert "secret" not in schema["schema"]["properties"]


def test_incremental_second_run_takes_only_newer_and_children_only_for_them():
    state = State({"bookmarks": {"parents": {"updated_at": 20}}})
    messages, _ = run(select_all(discover(STREAMS)), state)
    assert [r["id"] for r in records_of(messages, "parents")] == [3, 4]
    assert Kids.fetched == [3, 4]


def test_failure_leaves_state_that_resumes_without_gaps():
    Parents.fail_after_pages = 2
    messages, error = run(select_all(discover(STREAMS)), State())
    assert error is not None and "parents" in str(error) and "502" in str(error)
    first = records_of(messages, "parents")
    last_state = [m for m in messages if m["type"] == "STATE"][-1]["value"]
    assert last_state["currently_syncing"] == "parents"
    Parents.fail_after_pages = None
    messages, error = run(select_all(discover(STREAMS)), State(last_state))
    assert error is None
    second = records_of(messages, "parents")
    assert {r["id"] for r in first} | {r["id"] for r in second} == {1, 2, 3, 4}
    assert not {r["id"] for r in first} & {r["id"] for r in second}
    # The interrupted stream is resumed first.
    assert next(m for m in messages if m["type"] == "SCHEMA")["stream"] == "parents"


def test_workers_keep_order():
    messages, _ = run(select_all(discover(STREAMS)), State(), workers=4)
    assert [r["parent_id"] for r in records_of(messages, "kids")] == [1, 2, 2, 3, 3, 3, 4, 4, 4, 4]


def test_selection_reads_replication_method_default():
    entry = select_all(discover(STREAMS)).get_stream("parents")
    assert Selection(entry).replication_method == "INCREMENTAL"


def test_catalog_full_table_overrides_incremental_bookmark():
    catalog = select_all(discover(STREAMS))
    catalog.get_stream("parents").replication_method = "FULL_TABLE"
    messages, _ = run(catalog, State({"bookmarks": {"parents": {"updated_at": 30}}}))
    assert [r["id"] for r in records_of(messages, "parents")] == [1, 2, 3, 4]


# --- state as orchestrators keep it (Mage: one stream per process, shallow merges) ----------

def states_of(messages):
    return [m["value"] for m in messages if m["type"] == "STATE"]


def shallow_merge(states):
    merged = {}
    for state in states:
        for stream, bookmark in state["bookmarks"].items():
            merged[stream] = dict(merged.get(stream, {}), **bookmark)
    return merged


def test_a_child_selected_alone_names_only_itself_in_the_state():
    state = State({"bookmarks": {"flat": {"kept": 1}}})
    messages, _ = run(catalog_with({"kids"}), state)
    assert len(records_of(messages, "kids")) == 10 and not records_of(messages, "parents")
    assert all(set(s["bookmarks"]) == {"kids"} for s in states_of(messages))


def test_a_full_table_override_keeps_the_bookmark_keys_as_nulls():
    catalog = select_all(discover(STREAMS))
    catalog.get_stream("parents").replication_method = "FULL_TABLE"
    messages, _ = run(catalog, State({"bookmarks": {"parents": {"updated_at": 30, "other": "x"}}}))
    states = states_of(messages)
    assert states[0]["bookmarks"]["parents"] == {"updated_at": None, "other": None}
    assert shallow_merge(states) == states[-1]["bookmarks"]


class Retiring(Flat):
    name = "flat"
    retired_keys = ("old",)
    seen = None

    def pages(self, context=None):
        Retiring.seen = dict(self.bookmark)
        yield [{"id": 1}]


def test_retired_bookmark_keys_read_as_absent_and_are_written_null():
    catalog = select_all(discover((Retiring,)))
    state = State({"bookmarks": {"flat": {"old": ["stale"], "kept": 1}}})
    buffer = io.StringIO()
    Runner(build_tree((Retiring,), catalog, state, None, {}), state, Output(buffer), WorkerPool(1)).run()
    assert Retiring.seen == {"old": None, "kept": 1}
    last = [json.loads(line) for line in buffer.getvalue().splitlines()][-1]
    assert last["value"]["bookmarks"] == {"flat": {"old": None, "kept": 1}}
