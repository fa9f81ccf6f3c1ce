"""What the sync writes, serialized: records, schemas and STATE go out under one lock, and so
do the stream hooks that move bookmarks (`on_emitted`, `finish`, `accept_parent`, `keep`,
`child_context`), so a STATE never shows a bookmark ahead of the records written, however many
threads fetch."""
import datetime
import threading

from .timefmt import rfc3339


class Emission:
    def __init__(self, state, output, progress=None):
        self.state = state
        self.output = output
        self.progress = progress
        self.lock = threading.RLock()

    def schemas(self, root):
        for node in root.subtree():
            if node.stream.selected:
                self.output.schema(node.name, node.schema, node.stream.key_properties,
                                   [node.stream.replication_key] if node.stream.replication_key else None,
                                   _schema_extras(node.entry))

    def records(self, node, records):
        emitted = 0
        if node.stream.selected and records:
            now = rfc3339(datetime.datetime.now(datetime.timezone.utc))
            shape, keep = node.shape, node.stream.keep
            emitted = self.output.records(node.name, (shape(r) for r in records if keep(r)), now)
        if self.progress:
            self.progress.tick(node.name, emitted)

    def child_list(self, child, context, records):
        """One parent's list of a child stream, each record carrying the parent's context."""
        for record in records:
            record.update(context)
        self.records(child, records)

    def write_state(self):
        self.output.state(self.state.to_dict())


def _schema_extras(entry):
    """Keys Mage's destinations read from SCHEMA messages, echoed from the catalog entry."""
    if entry is None:
        return {}
    raw = getattr(entry, "raw", None) or {}
    extras = {}
    for key in ("replication_method", "unique_constraints", "unique_conflict_method", "partition_keys"):
        if raw.get(key) is not None:
            extras[key] = raw[key]
    return extras
