"""Compare what a tap emitted with the sandbox's ground truth (raw API objects).

The comparison is written independently of the taps' shaping code: timestamps are compared as
instants (epoch numbers or ISO strings in the truth, RFC 3339 UTC strings in the output), and
every property the API sent must either arrive or be one the stream deliberately drops."""
import datetime
import json

import fastjsonschema

RFC3339_UTC = "%Y-%m-%dT%H:%M:%S.%fZ"


def _instant(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = value.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(_pad_fraction(text)).timestamp()


def _pad_fraction(text):
    # fromisoformat on Python 3.9/3.10 wants 3 or 6 fractional digits.
    if "." not in text:
        return text
    head, rest = text.split(".", 1)
    digits = rest[:len(rest) - len(rest.lstrip("0123456789"))]  # the fraction only, not the zone's digits
    zone = rest[len(digits):]
    return "{}.{}{}".format(head, (digits + "000000")[:6], zone)


def _types(schema):
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def compare(emitted, raw, schema, path, problems, drops=frozenset()):
    if raw is None:
        if emitted is not None:
            problems.append("{}: expected null, got {!r}".format(path, emitted))
        return
    if schema.get("format") == "date-time":
        if not (isinstance(emitted, str) and emitted.endswith("Z")):
            problems.append("{}: expected an RFC 3339 UTC string, got {!r}".format(path, emitted))
            return
        if abs(_instant(emitted) - _instant(raw)) > 0.0005:
            problems.append("{}: {!r} is not the instant {!r}".format(path, emitted, raw))
        return
    types = _types(schema)
    if "object" in types and schema.get("properties") and isinstance(raw, dict):
        if not isinstance(emitted, dict):
            problems.append("{}: expected an object, got {!r}".format(path, emitted))
            return
        compare_object(emitted, raw, schema, path, problems, drops)
        return
    if "array" in types and isinstance(schema.get("items"), dict) and isinstance(raw, list):
        if not isinstance(emitted, list) or len(emitted) != len(raw):
            problems.append("{}: expected {} items, got {!r}".format(path, len(raw), emitted))
            return
        for index, (e, r) in enumerate(zip(emitted, raw)):
            compare(e, r, schema["items"], "{}[{}]".format(path, index), problems, drops)
        return
    if emitted != raw and not _mended(emitted, raw):
        problems.append("{}: expected {!r}, got {!r}".format(path, raw, emitted))


def _mended(emitted, raw):
    """A scalar the tap mended to its schema type (a number sent as text) is the same value."""
    try:
        return isinstance(raw, str) and float(raw) == float(emitted)
    except (TypeError, ValueError):
        return False


def compare_object(emitted, raw, schema, path, problems, drops=frozenset()):
    properties = schema.get("properties", {})
    for name, value in raw.items():
        where = "{}.{}".format(path, name)
        if name not in properties:
            if name not in drops and name.split(".")[-1] not in drops:
                problems.append("{}: sent by the API but not in the schema (data lost)".format(where))
            continue
        if name not in emitted:
            problems.append("{}: sent by the API but not emitted".format(where))
            continue
        compare(emitted[name], value, properties[name], where, problems, drops)
    for name in emitted:
        if name not in raw:
            problems.append("{}.{}: emitted but not sent by the API".format(path, name))


def record_key(record, key, schema):
    """A record's key; a timestamp in it is an epoch number in the truth and RFC 3339 text
    when emitted, so it is compared as an instant."""
    return tuple(round(_instant(record[k]), 3)
                 if record.get(k) is not None and schema["properties"].get(k, {}).get("format") == "date-time"
                 else record.get(k) for k in key)


def assert_stream_matches(stream, emitted, truth, schema, key=("id",), drops=("_links",)):
    """Same keys, same values; `drops` are property names a stream leaves out on purpose."""
    def key_of(record):
        return record_key(record, key, schema)

    emitted_by_key = {}
    for record in emitted:
        emitted_by_key[key_of(record)] = record
    truth_by_key = {key_of(r): r for r in truth}
    missing = sorted(map(str, set(truth_by_key) - set(emitted_by_key)))[:5]
    extra = sorted(map(str, set(emitted_by_key) - set(truth_by_key)))[:5]
    assert not missing and not extra, "{}: missing {} extra {} (of {} expected, {} emitted)".format(
        stream, missing, extra, len(truth_by_key), len(emitted_by_key))
    problems = []
    for k, raw in truth_by_key.items():
        compare_object(emitted_by_key[k], raw, schema, "{}[{}]".format(stream, k), problems, frozenset(drops))
        if len(problems) > 20:
            break
    assert not problems, "\n".join(problems[:20])


def validator(schema):
    """A strict JSON-schema check of emitted records (date-time formats included)."""
    return fastjsonschema.compile(json.loads(json.dumps(schema)))


def read_messages(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def records_by_stream(messages):
    out = {}
    for message in messages:
        if message.get("type") == "RECORD":
            out.setdefault(message["stream"], []).append(message["record"])
    return out
