"""Records are shaped once, by a function compiled per stream from its schema: keep the
selected properties, turn timestamps into RFC 3339 UTC, and mend scalars that arrive as the
wrong type (a number sent as a string) where that is cheap and lossless."""
from .timefmt import to_rfc3339


def _types(schema):
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _number_from_text(integer):
    def convert(value):
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return value
            if integer:
                return int(number) if number.is_integer() else value
            return int(number) if number.is_integer() and "." not in value else number
        if integer and isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    return convert


def _boolean_from_text(value):
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _to_text(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def compile_converter(schema):
    """A function that shapes one value of this schema, or None when values pass as they are."""
    types = _types(schema)
    if schema.get("format") == "date-time":
        return to_rfc3339
    if "object" in types and schema.get("properties"):
        return _object_converter(schema)
    if "array" in types and isinstance(schema.get("items"), dict):
        item = compile_converter(schema["items"])
        if item is None:
            return None
        return lambda values: [item(v) if v is not None else None for v in values] if isinstance(values, list) else values
    if "integer" in types:
        return _number_from_text(integer=True)
    if "number" in types:
        return _number_from_text(integer=False)
    if "boolean" in types:
        return _boolean_from_text
    if types == {"string"} or types == {"null", "string"}:
        return _to_text
    return None


def _unchanged_types(schema):
    """Value types this schema's converter returns as they are: the hot loop skips the call
    for them (most values already have their schema's type)."""
    types = _types(schema)
    if schema.get("format") == "date-time" or "object" in types or "array" in types:
        return frozenset((type(None),))
    if "integer" in types:
        kinds = (int,)
    elif "number" in types:
        kinds = (int, float)
    elif "boolean" in types:
        kinds = (bool,)
    elif types == {"string"} or types == {"null", "string"}:
        kinds = (str,)
    else:
        kinds = ()
    return frozenset(kinds + (type(None),))


def _object_converter(schema, fields=None):
    names = fields if fields is not None else list(schema["properties"])
    plan = tuple((name, compile_converter(schema["properties"][name]), _unchanged_types(schema["properties"][name]))
                 for name in names)
    missing = object()

    def shape(obj):
        if not isinstance(obj, dict):
            return obj
        out = {}
        for name, convert, unchanged in plan:
            value = obj.get(name, missing)
            if value is missing:
                continue
            # Exact classes: a bool is not taken for an int here, it goes through the converter.
            out[name] = value if convert is None or value.__class__ in unchanged else convert(value)
        return out

    return shape


def compile_shaper(schema, fields=None):
    """A function raw record -> emitted record for a stream, with only `fields` kept (all
    schema properties when None). Properties absent from the API object stay absent."""
    return _object_converter(schema, fields)
