"""Concurrency of the sync walk: sibling child lists of the same parents are fetched together
(an API that limits each endpoint's rate is not read one endpoint at a time), each stream's
records still come out in parent order, a stream that keeps bookmarks gets its chunk's records
together, and a stream the credentials cannot read is dropped alone."""
import io
import json
import threading

from tap_engine.catalog import discover, select_all
from tap_engine.errors import HTTPError
from tap_engine.output import Output
from tap_engine.state import State
from tap_engine.streams import Context, Stream
from tap_engine.sync import Runner, build_tree
from tap_engine.workers import WorkerPool

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}, "owner": {"type": "integer"}}}


class Owners(Stream):
    name = "owners"

    @classmethod
    def load_schema(cls):
        return SCHEMA

    def pages(self, context=None):
        yield [{"id": str(n)} for n in range(1, 6)]

    def child_context(self, record):
        return Context({"owner": int(record["id"])}, record)


class Letters(Owners):
    """Waits, for each owner, until the sibling stream's request for that owner is out."""
    name = "letters"
    parent = "owners"
    sibling_seen = None   # owner id -> threading.Event, shared by both child streams
    overlapped = None

    def pages(self, context=None):
        parent = context.record
        arrived = self.sibling_seen.setdefault(parent["id"], threading.Event())
        self.overlapped.append(arrived.wait(timeout=2))
        yield [{"id": "{}-letter".format(parent["id"])}]


class Parcels(Owners):
    name = "parcels"
    parent = "owners"
    unavailable_on = (403,)
    missing_scope = False

    def pages(self, context=None):
        parent = context.record
        if self.missing_scope:
            raise HTTPError("/parcels", 403, "missing scope")
        Letters.sibling_seen.setdefault(parent["id"], threading.Event()).set()
        yield [{"id": "{}-parcel".format(parent["id"])}]



def _run(workers=2):
    Letters.sibling_seen, Letters.overlapped = {}, []
    buffer = io.StringIO()
    streams = (Owners, Letters, Parcels)
    state = State()
    roots = build_tree(streams, select_all(discover(streams)), state, client=None, config={})
    pool = WorkerPool(workers)
    try:
        Runner(roots, state, Output(buffer), pool).run()
    finally:
        pool.close()
    messages = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return [(m["stream"], m["record"]["id"]) for m in messages if m["type"] == "RECORD"]


def test_sibling_child_lists_are_in_flight_together():
    emitted = _run()
    # Each letters request found the parcels request of its owner already under way.
    assert Letters.overlapped == [True] * 5
    letters = [r for r in emitted if r[0] == "letters"]
    parcels = [r for r in emitted if r[0] == "parcels"]
    assert [r[1] for r in letters] == ["{}-letter".format(n) for n in range(1, 6)]
    assert [r[1] for r in parcels] == ["{}-parcel".format(n) for n in range(1, 6)]


def test_a_child_with_bookmarks_gets_its_chunk_in_parent_order(monkeypatch):
    seen = []
    monkeypatch.setattr(Parcels, "on_emitted", lambda self, records: seen.append([r["id"] for r in records]),
                        raising=False)
    emitted = _run()
    assert seen == [["{}-parcel".format(n) for n in range(1, 6)]]
    parcels = [r[1] for r in emitted if r[0] == "parcels"]
    assert parcels == seen[0]


def test_unreadable_child_stream_is_dropped_and_its_sibling_still_read(monkeypatch):
    monkeypatch.setattr(Parcels, "missing_scope", True)
    monkeypatch.setattr(Letters, "pages", lambda self, context=None: iter([[{"id": context.record["id"] + "-letter"}]]))
    emitted = _run()
    assert [r for r in emitted if r[0] == "parcels"] == []
    assert [r[1] for r in emitted if r[0] == "letters"] == ["{}-letter".format(n) for n in range(1, 6)]


class Ticks(Stream):
    """A root with a bookmark, three pages; `partner_started` lets two roots prove they overlap."""
    name = "ticks"
    replication_method = "INCREMENTAL"
    replication_key = "n"
    partner = None            # the other root's name
    started = None            # root name -> threading.Event, set when its first page is asked
    overlapped = None
    fail_on_page = None

    @classmethod
    def load_schema(cls):
        return {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}

    def pages(self, context=None):
        Ticks.started.setdefault(self.name, threading.Event()).set()
        partner = Ticks.started.setdefault(self.partner, threading.Event())
        Ticks.overlapped.append(partner.wait(timeout=2))
        since = self.bookmark.get("n", 0)
        for n in range(1, 4):
            if n == self.fail_on_page:
                raise RuntimeError("{} broke".format(self.name))
            if n > since:
                yield [{"id": "{}-{}".format(self.name, n), "n": n}]

    def on_emitted(self, records):
        self.bookmark["n"] = max(r["n"] for r in records)


class Tocks(Ticks):
    name = "tocks"


def _run_roots(parallel, state=None):
    Ticks.partner, Tocks.partner = "tocks", "ticks"
    Ticks.started, Ticks.overlapped = {}, []
    buffer = io.StringIO()
    streams = (Ticks, Tocks)
    state = State(state)
    roots = build_tree(streams, select_all(discover(streams)), state, client=None, config={})
    error = None
    try:
        Runner(roots, state, Output(buffer), WorkerPool(1), parallel=parallel).run()
    except RuntimeError as exc:
        error = exc
    return [json.loads(line) for line in buffer.getvalue().splitlines()], error


def _check_states_follow_records(messages):
    """Every STATE holds, for each stream, no bookmark beyond the records already written."""
    written = {}
    for message in messages:
        if message["type"] == "RECORD":
            written[message["stream"]] = max(written.get(message["stream"], 0), message["record"]["n"])
        elif message["type"] == "STATE":
            for stream, bookmark in message["value"]["bookmarks"].items():
                assert bookmark.get("n", 0) <= written.get(stream, 0), (stream, bookmark, written)


def test_parallel_roots_overlap_and_states_never_run_ahead():
    messages, error = _run_roots(parallel=2)
    assert error is None
    assert Ticks.overlapped == [True, True]
    records = sorted(m["record"]["id"] for m in messages if m["type"] == "RECORD")
    assert records == ["ticks-1", "ticks-2", "ticks-3", "tocks-1", "tocks-2", "tocks-3"]
    _check_states_follow_records(messages)
    final = messages[-1]["value"]
    assert final == {"bookmarks": {"ticks": {"n": 3}, "tocks": {"n": 3}}, "currently_syncing": None}
    # SCHEMA before each stream's first record.
    firsts = {}
    for index, message in enumerate(messages):
        firsts.setdefault((message["type"], message.get("stream")), index)
    for stream in ("ticks", "tocks"):
        assert firsts[("SCHEMA", stream)] < firsts[("RECORD", stream)]


def test_one_root_at_a_time_by_default():
    messages, error = _run_roots(parallel=1)
    assert error is None
    assert Ticks.overlapped == [False, True]   # the second root found the first one finished
    assert [m["stream"] for m in messages if m["type"] == "RECORD"] == ["ticks"] * 3 + ["tocks"] * 3


def test_a_failing_root_ends_the_run_and_its_last_state_resumes_without_gaps(monkeypatch):
    monkeypatch.setattr(Tocks, "fail_on_page", 2)
    messages, error = _run_roots(parallel=2)
    assert str(error) == "tocks broke"
    _check_states_follow_records(messages)
    last_state = [m["value"] for m in messages if m["type"] == "STATE"][-1]
    # The unfinished root is where a resumed run starts.
    assert last_state["currently_syncing"] in ("ticks", "tocks")
    monkeypatch.setattr(Tocks, "fail_on_page", None)
    resumed, error = _run_roots(parallel=2, state=last_state)
    assert error is None
    emitted = {m["record"]["id"] for m in messages + resumed if m["type"] == "RECORD"}
    assert emitted == {"ticks-1", "ticks-2", "ticks-3", "tocks-1", "tocks-2", "tocks-3"}
