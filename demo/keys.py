"""Record keys compared between the API's truth and what a target received: a timestamp in a
key is an epoch number in Front's truth and RFC 3339 text once emitted, so both sides become
the same instant."""
from tap_engine.timefmt import parse_utc


def timestamp_fields(schema):
    return {name for name, prop in ((schema or {}).get("properties") or {}).items()
            if prop.get("format") == "date-time"}


def key_part(value, timestamp):
    if not timestamp or value is None:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 3)
    return round(parse_utc(value).timestamp(), 3)


def record_key(record, keys, timestamps=()):
    return tuple(key_part(record.get(k), k in timestamps) for k in keys)
