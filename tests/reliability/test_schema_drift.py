"""Schema drift: API objects with unknown fields, documented fields missing, or numbers sent as
strings. Property-based over every stream's real schema: shaping never fails, keeps only the
schema's properties, leaves missing fields missing, mends numbers sent as text to what the
undrifted object gives, and its output is valid against the schema. Then whole syncs against
a sandbox whose every listed record drifts on the wire."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tap_engine.shaping import compile_shaper
from tests.support.truth import validator

from .drift import DriftingWire, drifted
from .profiles import FRONT, MODE
from .runs import last_line, sync
from .tables import add_row

STREAMS = [(profile, cls) for profile in (FRONT, MODE) for cls in profile.tap_cls.stream_classes]
SHAPERS = {}


def _compiled(cls):
    if cls not in SHAPERS:
        schema = cls.load_schema()
        SHAPERS[cls] = (schema, compile_shaper(schema), validator(schema))
    return SHAPERS[cls]


@pytest.mark.parametrize("profile,cls", STREAMS, ids=["{}-{}".format(p.name, c.name) for p, c in STREAMS])
@settings(max_examples=25)
@given(data=st.data())
def test_shaping_a_drifted_object_never_fails_and_gives_a_valid_record(profile, cls, data):
    schema, shape, check = _compiled(cls)
    original, record, changes = data.draw(drifted(schema))
    out = shape(record)
    assert set(out) <= set(schema["properties"])
    assert not changes["extra"] & set(out)
    assert not changes["removed"] & set(out)
    expected = shape(original)
    for name, value in out.items():
        assert value == expected[name], name   # numbers sent as text mended to the same value
    check(out)


# Fields dropped from every listed record, fields left alone (keys), and the streams synced;
# every other number on the wire, timestamps and cursors included, comes as a string.
WIRE = {
    "front": (("name", "description", "subject", "blurb"), ("id",),
              tuple(s for s in FRONT.core_streams if s != "contacts")),   # contacts: see below
    "mode": (("name", "description"), ("token",), MODE.core_streams),
}


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_sync_of_drifted_objects_completes_with_the_truth(profile, sandbox, tmp_path):
    drop, keep, streams = WIRE[profile.name]
    server = sandbox(profile)
    wire = DriftingWire(server, drop, keep)
    run = sync(profile, tmp_path, profile.config(server), profile.catalog(streams))
    add_row("Schema drift on the wire (an unknown field added, documented fields dropped, numbers as strings)",
            ("tap", "fields dropped", "records drifted", "exit", "records emitted", "last line"),
            (profile.name, "/".join(drop), wire.drifted, run.code, sum(len(v) for v in run.records.values()),
             last_line(run.stderr)[:100]))
    assert run.code == 0, last_line(run.stderr)
    truth = server.truth(streams)
    names = [s for s in streams if s in truth]
    assert profile.emitted_keys(run.records, names) == profile.truth_keys(truth, names)
    # Values as the undrifted API sends them, less the dropped fields.
    undrifted = {name: [{k: v for k, v in r.items() if k not in drop} for r in truth[name]] for name in names}
    profile.assert_values(run.records, undrifted, names)
    for name in names:
        check = validator(profile.classes[name].load_schema())
        for record in run.records.get(name, []):
            check(record)


def test_front_contacts_with_updated_at_as_text(sandbox, tmp_path):
    server = sandbox(FRONT)
    DriftingWire(server, drop=(), keep=("id",))
    run = sync(FRONT, tmp_path, FRONT.config(server), FRONT.catalog(("contacts",)))
    assert run.code == 0, last_line(run.stderr)
    assert FRONT.emitted_keys(run.records, ["contacts"]) == FRONT.truth_keys(server.truth(["contacts"]), ["contacts"])
