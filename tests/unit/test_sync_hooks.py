"""Engine hooks for streams that filter on the client: `keep` (walked but not emitted) and
`child_streams` (a parent sees the streams under it, to fetch for their needs)."""
import io
import json

from tap_engine.catalog import discover, select_all
from tap_engine.output import Output
from tap_engine.state import State
from tap_engine.streams import Stream
from tap_engine.sync import Runner, build_tree
from tap_engine.workers import WorkerPool


class Boxes(Stream):
    name = "boxes"

    @classmethod
    def load_schema(cls):
        return {"type": "object", "properties": {"id": {"type": "integer"}, "box_id": {"type": "integer"}}}

    def pages(self, context=None):
        yield [{"id": 1}, {"id": 2}, {"id": 3}]

    def keep(self, record):
        return record["id"] != 2  # unchanged: walked for the items below, not emitted

    context_keys = {"box_id": "id"}


class Items(Boxes):
    name = "items"
    parent = "boxes"

    def pages(self, context=None):
        yield [{"id": context["box_id"] * 10}]

    def keep(self, record):
        return True


def test_kept_records_emitted_all_walked_and_children_linked():
    buffer = io.StringIO()
    state = State()
    roots = build_tree((Boxes, Items), select_all(discover((Boxes, Items))), state, client=None, config={})
    (boxes,) = roots
    assert [type(s) for s in boxes.stream.child_streams] == [Items]
    Runner(roots, state, Output(buffer), WorkerPool(1)).run()
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    emitted = [(m["stream"], m["record"]["id"]) for m in records if m["type"] == "RECORD"]
    assert ("boxes", 2) not in emitted
    assert [i for s, i in emitted if s == "items"] == [10, 20, 30]
