"""Concurrency of the sync walk: sibling child lists of the same parents are fetched together
(an API that limits each endpoint's rate is not read one endpoint at a time), while output
stays grouped per child stream and a stream the credentials cannot read is dropped alone."""
import io
import json
import threading

from tap_engine.catalog import discover, select_all
from tap_engine.errors import HTTPError
from tap_engine.output import Output
from tap_engine.state import State
from tap_engine.streams import Stream
from tap_engine.sync import Runner, build_tree
from tap_engine.workers import WorkerPool

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}, "owner": {"type": "integer"}}}


class Owners(Stream):
    name = "owners"

    @classmethod
    def load_schema(cls):
        return SCHEMA

    def pages(self, parent=None):
        yield [{"id": str(n)} for n in range(1, 6)]

    def child_context(self, record):
        return {"owner": int(record["id"])}


class Letters(Owners):
    """Waits, for each owner, until the sibling stream's request for that owner is out."""
    name = "letters"
    parent = "owners"
    sibling_seen = None   # owner id -> threading.Event, shared by both child streams
    overlapped = None

    def pages(self, parent=None):
        arrived = self.sibling_seen.setdefault(parent["id"], threading.Event())
        self.overlapped.append(arrived.wait(timeout=2))
        yield [{"id": "{}-letter".format(parent["id"])}]


class Parcels(Owners):
    name = "parcels"
    parent = "owners"
    unavailable = False

    def pages(self, parent=None):
        if self.unavailable:
            raise HTTPError("/parcels", 403, "missing scope")
        Letters.sibling_seen.setdefault(parent["id"], threading.Event()).set()
        yield [{"id": "{}-parcel".format(parent["id"])}]

    def stream_unavailable(self, error):
        return error.status == 403


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
    # Still grouped per child stream within a chunk of parents, in the parents' order.
    children = [r for r in emitted if r[0] != "owners"]
    assert children == letters + parcels


def test_unreadable_child_stream_is_dropped_and_its_sibling_still_read(monkeypatch):
    monkeypatch.setattr(Parcels, "unavailable", True)
    monkeypatch.setattr(Letters, "pages", lambda self, parent=None: iter([[{"id": parent["id"] + "-letter"}]]))
    emitted = _run()
    assert [r for r in emitted if r[0] == "parcels"] == []
    assert [r[1] for r in emitted if r[0] == "letters"] == ["{}-letter".format(n) for n in range(1, 6)]
