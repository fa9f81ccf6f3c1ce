"""Record shaping: field selection, timestamps to RFC 3339 UTC, cheap scalar mending."""
from hypothesis import given
from hypothesis import strategies as st

from tap_engine.shaping import compile_shaper
from tap_engine.timefmt import epoch_to_rfc3339, iso_to_rfc3339

SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "count": {"type": ["null", "integer"]},
        "ratio": {"type": ["null", "number"]},
        "flag": {"type": ["null", "boolean"]},
        "created_at": {"type": ["null", "string"], "format": "date-time"},
        "author": {"type": ["null", "object"], "properties": {"seen_at": {"type": ["null", "string"], "format": "date-time"}}},
        "tags": {"type": ["null", "array"],
                 "items": {"type": "object", "properties": {"at": {"type": ["null", "string"], "format": "date-time"}}}},
        "blob": {"type": ["null", "object"]},
    },
}


def test_timestamps_and_nesting():
    shape = compile_shaper(SCHEMA)
    out = shape({"id": "a", "created_at": 1731600573.116, "author": {"seen_at": "2021-12-10T20:55:24.316+00:00", "x": 1},
                 "tags": [{"at": 0}], "blob": {"deep": {"created_at": 5}}, "_links": {"self": "u"}})
    assert out == {"id": "a", "created_at": "2024-11-14T16:09:33.116Z", "author": {"seen_at": "2021-12-10T20:55:24.316Z"},
                   "tags": [{"at": "1970-01-01T00:00:00.000Z"}], "blob": {"deep": {"created_at": 5}}}


def test_field_selection_and_absent_fields():
    shape = compile_shaper(SCHEMA, ["id", "count"])
    assert shape({"id": "a", "count": 3, "ratio": 1.5}) == {"id": "a", "count": 3}
    assert shape({"id": "a"}) == {"id": "a"}


def test_scalar_mending():
    shape = compile_shaper(SCHEMA)
    assert shape({"id": 7, "count": "12", "ratio": "0.5", "flag": "true"}) == {"id": "7", "count": 12, "ratio": 0.5, "flag": True}
    assert shape({"count": "many"}) == {"count": "many"}  # not mendable: kept, not lost
    assert shape({"count": None, "created_at": None}) == {"count": None, "created_at": None}


def test_iso_offsets_converted_to_utc():
    assert iso_to_rfc3339("2021-12-10T22:55:24.316+02:00") == "2021-12-10T20:55:24.316000Z"
    assert iso_to_rfc3339("2021-12-10T20:55:24.123456Z") == "2021-12-10T20:55:24.123456Z"
    assert iso_to_rfc3339("not a date") == "not a date"


@given(st.integers(min_value=0, max_value=4102444800000))
def test_epoch_millis_round_trip(millis):
    import datetime
    text = epoch_to_rfc3339(millis / 1000)
    parsed = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    assert round(parsed.timestamp() * 1000) == millis


@given(st.dictionaries(st.sampled_from(list(SCHEMA["properties"]) + ["extra"]),
                       st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(), st.booleans(),
                                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(), st.integers(), max_size=2))))
def test_shaping_never_crashes_on_drifted_records(record):
    out = compile_shaper(SCHEMA)(record)
    assert set(out) <= set(SCHEMA["properties"])


SCALARS = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8), st.booleans(),
                    st.sampled_from(["12", "0.5", "true", "False", "2021-12-10T20:55:24.316+00:00", "x"]))


@given(st.dictionaries(st.sampled_from(["id", "count", "ratio", "flag", "created_at"]), SCALARS))
def test_values_of_the_schema_type_skip_the_converter_with_the_same_result(record):
    from tap_engine.shaping import compile_converter
    expected = {}
    for name, value in record.items():
        convert = compile_converter(SCHEMA["properties"][name])
        expected[name] = value if value is None or convert is None else convert(value)
    out = compile_shaper(SCHEMA)(record)
    assert out == expected
    # bool is a subclass of int: same value and same type as the converter gives.
    assert {k: type(v) for k, v in out.items()} == {k: type(v) for k, v in expected.items()}
