"""This run's streams as a forest: the selected streams and the ancestors they need, each a
node with its schema and its compiled shaper."""
from typing import List

from .catalog import Selection
from .errors import ConfigError
from .shaping import compile_shaper


class Node:
    def __init__(self, stream, entry, selection):
        self.stream = stream
        self.name = stream.name
        self.entry = entry
        self.children: List["Node"] = []
        schema = type(stream).load_schema()
        fields = selection.fields(schema) if selection else list(schema.get("properties", {}))
        self.schema = dict(schema, properties={f: schema["properties"][f] for f in fields})
        self.shape = compile_shaper(schema, fields)

    def subtree(self):
        yield self
        for child in self.children:
            yield from child.subtree()


def build_tree(stream_classes, catalog, state, client, config, workers=1) -> List[Node]:
    """Nodes for the selected streams and the ancestors they need, as a forest of roots."""
    by_name = {cls.name: cls for cls in stream_classes}
    selections = {e.tap_stream_id: Selection(e) for e in catalog.streams}
    wanted = {name for name, sel in selections.items() if sel.selected}
    parent_of = {name: cls.parent_for(frozenset(wanted), state.bookmarks) for name, cls in by_name.items()}
    needed = set(wanted)
    for name in wanted:
        parent = parent_of[name]
        while parent:
            needed.add(parent)
            parent = parent_of[parent]
    nodes = {}
    for name in sorted(needed):
        cls = by_name[name]
        selection = selections.get(name)
        if name in wanted and selection.replication_method == "FULL_TABLE" and cls.replication_method != "FULL_TABLE":
            # The catalog asks for the whole stream every run: no bookmark carries over.
            state.start_over(name)
        stream = _make_stream(cls, client, config, state, selected=name in wanted)
        stream.parent = parent_of[name]
        stream.workers = workers
        entry = selection.entry if selection else None
        nodes[name] = Node(stream, entry, selection if name in wanted else None)
    state.synced = wanted
    roots = []
    for name in sorted(nodes):
        parent = parent_of[name]
        (nodes[parent].children if parent else roots).append(nodes[name])
        if parent:
            # A parent may fetch for its children's needs (a child selected later needs a backfill).
            nodes[parent].stream.child_streams += (nodes[name].stream,)
    return roots


def _make_stream(cls, client, config, state, selected):
    had_bookmark = selected and bool(state.bookmarks.get(cls.name))
    # A parent read only for its children keeps nothing in the state: what a child needs to
    # resume lives in the child's bookmark (Mage keeps only the selected stream's).
    bookmark = state.bookmark(cls.name) if selected else {}
    for key in cls.retired_keys:
        if bookmark.get(key) is not None:
            bookmark[key] = None
    try:
        return cls(client, config, bookmark, selected=selected)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if not had_bookmark:
            raise
        # A bookmark of another shape (an older version's, a hand edit): refused before any
        # output, like any other bad input.
        raise ConfigError("state bookmark of stream {} has a shape this tap cannot use ({}: {}); remove it "
                          "to sync the stream from its start".format(cls.name, type(exc).__name__, exc)) from None


def resume_order(roots, state):
    """The roots in order, starting at the one `currently_syncing` names."""
    current = state.currently_syncing
    for index, root in enumerate(roots):
        if any(node.name == current for node in root.subtree()):
            return roots[index:] + roots[:index]
    return roots
