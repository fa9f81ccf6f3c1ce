"""The ground-truth comparator itself must catch what it is there to catch."""
import pytest

from tests.support.truth import assert_stream_matches

SCHEMA = {"type": "object", "properties": {
    "id": {"type": "string"}, "n": {"type": ["null", "integer"]},
    "at": {"type": ["null", "string"], "format": "date-time"}}}


def test_equal_output_passes():
    truth = [{"id": "a", "n": 1, "at": 1731600573.116, "_links": {}}]
    assert_stream_matches("s", [{"id": "a", "n": 1, "at": "2024-11-14T16:09:33.116Z"}], truth, SCHEMA)


@pytest.mark.parametrize("emitted, words", [
    ([], "missing"),
    ([{"id": "a", "n": 2, "at": "2024-11-14T16:09:33.116Z"}], "expected 1"),
    ([{"id": "a", "n": 1, "at": "2024-11-14T16:09:34.116Z"}], "not the instant"),
    ([{"id": "a", "n": 1}], "not emitted"),
    ([{"id": "a", "n": 1, "at": 1731600573.116}], "RFC 3339"),
])
def test_differences_fail(emitted, words):
    truth = [{"id": "a", "n": 1, "at": 1731600573.116}]
    with pytest.raises(AssertionError, match=words):
        assert_stream_matches("s", emitted, truth, SCHEMA)


def test_property_missing_from_schema_is_reported():
    truth = [{"id": "a", "surprise": 1}]
    with pytest.raises(AssertionError, match="not in the schema"):
        assert_stream_matches("s", [{"id": "a"}], truth, SCHEMA)
