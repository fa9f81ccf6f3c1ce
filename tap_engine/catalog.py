"""Discovery and selection: streams declared once as classes become a singer Catalog, and a
Catalog (ours or a user's) tells which streams and fields to sync."""
from singer import metadata
from singer.catalog import Catalog, CatalogEntry
from singer.schema import Schema

from .errors import ConfigError


def discover(stream_classes):
    entries = [_entry(cls) for cls in sorted(stream_classes, key=lambda c: c.name)]
    return Catalog(entries)


def _entry(cls):
    schema = cls.load_schema()
    keys = list(cls.key_properties)
    replication_keys = [cls.replication_key] if cls.replication_key else None
    mdata = metadata.to_map(
        metadata.get_standard_metadata(
            schema=schema,
            key_properties=keys,
            valid_replication_keys=replication_keys,
            replication_method=cls.replication_method,
        )
    )
    mdata = metadata.write(mdata, (), "selected-by-default", cls.selected_by_default)
    if cls.parent:
        mdata = metadata.write(mdata, (), "parent-tap-stream-id", cls.parent)
    for field in (cls.replication_key,) if cls.replication_key else ():
        mdata = metadata.write(mdata, ("properties", field), "inclusion", "automatic")
    return CatalogEntry(
        tap_stream_id=cls.name,
        stream=cls.name,
        schema=Schema.from_dict(schema),
        key_properties=keys,
        metadata=metadata.to_list(mdata),
        replication_key=cls.replication_key,
        replication_method=cls.replication_method,
    )


def parse_catalog(data, known_streams):
    """A user's catalog as a singer Catalog, checked against the streams this tap has."""
    if not isinstance(data, dict) or not isinstance(data.get("streams"), list):
        raise ConfigError("catalog must be a JSON object with a 'streams' list")
    try:
        catalog = Catalog.from_dict(data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError("catalog is not a valid Singer catalog: {}".format(exc)) from None
    for entry, raw in zip(catalog.streams, data["streams"]):
        entry.raw = raw  # keeps keys singer's CatalogEntry drops (Mage's unique_constraints, ...)
        if entry.tap_stream_id not in known_streams:
            raise ConfigError("catalog names stream {!r}, which this tap does not have (it has: {})"
                              .format(entry.tap_stream_id, ", ".join(sorted(known_streams))))
    return catalog


class Selection:
    """What one catalog entry asks for: is the stream selected, which fields, which method."""

    def __init__(self, entry):
        self.entry = entry
        self.mdata = metadata.to_map(entry.metadata or [])

    @property
    def selected(self):
        root = self.mdata.get((), {})
        if "selected" in root:
            return bool(root["selected"])
        # Older catalogs put the flag on the schema instead of the metadata.
        return bool(getattr(self.entry.schema, "selected", False))

    @property
    def replication_method(self):
        root = self.mdata.get((), {})
        return (self.entry.replication_method or root.get("replication-method")
                or root.get("forced-replication-method") or "FULL_TABLE")

    def fields(self, schema):
        """The top-level properties to emit: automatic ones always, the rest unless
        deselected (fields a catalog says nothing about are kept, as new columns appear)."""
        chosen = []
        for name in schema.get("properties", {}):
            field = self.mdata.get(("properties", name), {})
            inclusion = field.get("inclusion", "available")
            if inclusion == "unsupported":
                continue
            if inclusion == "automatic" or field.get("selected", field.get("selected-by-default", True)):
                chosen.append(name)
        return chosen


def select_all(catalog):
    """Mark every stream selected; used by tests, the demo and `--select-all`-like callers."""
    for entry in catalog.streams:
        mdata = metadata.to_map(entry.metadata)
        mdata = metadata.write(mdata, (), "selected", True)
        entry.metadata = metadata.to_list(mdata)
    return catalog
