"""Schema drift, generated: API objects for each of a tap's real schemas (hypothesis strategies
built from the JSON schema), and the drift an API ships without notice: unknown fields, missing
documented fields, numbers sent as strings. Also a sandbox wrapper that drifts every listed
record on the wire, for whole syncs."""
import datetime
import json
import random

from hypothesis import strategies as st

# Timestamps as the two APIs send them: epoch seconds (Front) or ISO 8601 text (Mode).
_EPOCH = st.one_of(st.integers(min_value=0, max_value=4102444800),
                   st.integers(min_value=0, max_value=4102444800000).map(lambda ms: ms / 1000))
_ISO = st.datetimes(min_value=datetime.datetime(1971, 1, 1), max_value=datetime.datetime(2099, 12, 31)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                     st.floats(allow_nan=False, allow_infinity=False))
_ANY = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=6)


def _types(schema):
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def from_schema(schema, depth=0):
    """Values valid for `schema` (the subset of JSON schema the taps' schemas use)."""
    options = []
    for kind in _types(schema) or ["string"]:
        if kind == "null":
            options.append(st.none())
        elif schema.get("format") == "date-time" and kind == "string":
            options.append(st.one_of(_EPOCH, _ISO))
        elif kind == "string":
            options.append(st.text(max_size=12))
        elif kind == "integer":
            options.append(st.integers(min_value=-2 ** 53, max_value=2 ** 53))
        elif kind == "number":
            options.append(st.one_of(st.integers(min_value=-10 ** 9, max_value=10 ** 9),
                                     st.floats(allow_nan=False, allow_infinity=False, width=32)))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "object" and schema.get("properties"):
            # Below the depth limit, the one value certain to be valid: an empty one.
            properties = {name: from_schema(sub, depth + 1) for name, sub in schema["properties"].items()}
            options.append(st.fixed_dictionaries({}, optional=properties) if depth < 3 else st.just({}))
        elif kind == "object":
            options.append(st.dictionaries(st.text(max_size=6), _SCALARS, max_size=3))
        elif kind == "array" and isinstance(schema.get("items"), dict):
            options.append(st.lists(from_schema(schema["items"], depth + 1), max_size=3) if depth < 3 else st.just([]))
        elif kind == "array":
            options.append(st.lists(_SCALARS, max_size=3))
    return st.one_of(options)


def as_text(value):
    """A number as an API sends it by mistake: its JSON text."""
    return json.dumps(value)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@st.composite
def drifted(draw, schema):
    """(original, drifted, what changed): an object for `schema` with unknown fields added,
    documented fields removed and top-level numbers turned into text."""
    original = draw(from_schema(schema).filter(lambda v: isinstance(v, dict)))
    record = dict(original)
    names = sorted(record)
    removed = set(draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))) if names else set()
    for name in removed:
        del record[name]
    as_strings = set()
    for name, value in list(record.items()):
        if is_number(value) and draw(st.booleans()):
            record[name] = as_text(value)
            as_strings.add(name)
    known = set(schema.get("properties", {}))
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in known), _ANY,
                                 max_size=4))
    record.update(extra)
    return original, record, {"removed": removed, "as_strings": as_strings, "extra": set(extra)}


class DriftingWire:
    """Wraps a sandbox app so that every record of a list answer drifts: an unknown field
    appears, the fields in `drop` disappear, and top-level numbers (timestamps included) come
    as strings. Fields in `keep` (keys, cursors the tap pages by) are left alone."""

    def __init__(self, server, drop, keep, seed=1):
        self._handle = server.app.handle
        server.app.handle = self._drift
        self.drop = set(drop)
        self.keep = set(keep)
        self.rng = random.Random(seed)
        self.drifted = 0

    def _drift(self, request):
        response = self._handle(request)
        if response.status != 200 or "json" not in response.headers.get("Content-Type", ""):
            return response
        body = json.loads(response.body)
        lists = [body.get("_results")] if isinstance(body, dict) else []
        embedded = body.get("_embedded") if isinstance(body, dict) else None
        if isinstance(embedded, dict):
            lists += list(embedded.values())
        for records in lists:
            for record in records if isinstance(records, list) else ():
                if isinstance(record, dict):
                    self._drift_record(record)
        response.body = json.dumps(body).encode()
        return response

    def _drift_record(self, record):
        self.drifted += 1
        for name in self.drop - self.keep:
            record.pop(name, None)
        for name, value in list(record.items()):
            if name not in self.keep and is_number(value):
                record[name] = as_text(value)
        record["x_field_added_later"] = {"nested": [1, "two", None], "flag": self.rng.random() < 0.5}
