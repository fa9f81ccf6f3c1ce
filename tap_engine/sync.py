"""The sync walk: roots in order (resuming at `currently_syncing`), one at a time or a few at
once, pages emitted as they come, children fetched for each page's parents on the worker pool,
STATE after every page once everything the page covers is out, and a final STATE."""
import datetime
import logging
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from .catalog import Selection
from .charging import charged_to, current
from .errors import ConfigError, DeferredFailure, HTTPError, TapError
from .shaping import compile_shaper
from .streams import Stream
from .timefmt import rfc3339

LOGGER = logging.getLogger("tap.sync")
CHUNK = 30  # parents fanned out at once: a page of the smallest API page size


class Node:
    def __init__(self, stream, entry, selection):
        self.stream = stream
        self.name = stream.name
        self.entry = entry
        self.children = []
        schema = type(stream).load_schema()
        fields = selection.fields(schema) if selection else list(schema.get("properties", {}))
        self.schema = dict(schema, properties={f: schema["properties"][f] for f in fields})
        self.shape = compile_shaper(schema, fields)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(stream_classes, catalog, state, client, config):
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
    # A parent walked only for its children keeps nothing in the state: what a child needs to
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


def _resume_order(roots, state):
    current = state.currently_syncing
    for index, root in enumerate(roots):
        if any(node.name == current for node in root.walk()):
            return roots[index:] + roots[:index]
    return roots


class Runner:
    """Walks the roots in order, one at a time, or `parallel` at a time for a tap whose API
    limits each endpoint rather than only the whole (a single list then cannot use the
    budget). In parallel, everything that touches output, bookmarks or STATE happens under one
    lock (stream hooks included: `on_emitted`, `finish`, `wants_children_of`, `keep`,
    `child_context`), so a STATE never shows a bookmark ahead of the records written; only the
    fetching runs outside it. Streams must not change their bookmark inside `pages()`."""

    def __init__(self, roots, state, output, pool, progress=None, parallel=1):
        self.roots = roots
        self.state = state
        self.output = output
        self.pool = pool
        self.progress = progress
        self.parallel = max(1, int(parallel or 1))
        self.deferred = []
        self._lock = threading.RLock()
        self._stop = threading.Event()    # a root failed: the others end after their page
        self._unfinished = []

    def run(self):
        order = _resume_order(self.roots, self.state)
        self._unfinished = list(order)
        if self.parallel == 1 or len(order) < 2:
            for root in order:
                self._sync_root(root)
        else:
            self._run_parallel(order)
        self.state.currently_syncing = None
        self.output.state(self.state.to_dict())
        if self.progress:
            self.progress.run_done()
        if self.deferred:
            raise TapError("; ".join(str(e) for e in self.deferred))

    def _run_parallel(self, order):
        executor = ThreadPoolExecutor(min(self.parallel, len(order)), thread_name_prefix="tap-stream")
        futures = [executor.submit(self._sync_root, root) for root in order]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
        finally:
            if not all(f.done() for f in futures):
                # A root failed (or this thread was interrupted): no other root starts, and
                # the running ones stop after their current page.
                self._stop.set()
                for future in futures:
                    future.cancel()
            executor.shutdown(wait=True)
        for future in futures:
            if not future.cancelled() and future.exception():
                raise future.exception()

    def _write_schemas(self, root):
        for node in root.walk():
            if node.stream.selected:
                extra = _schema_extras(node.entry)
                self.output.schema(node.name, node.schema, node.stream.key_properties,
                                   [node.stream.replication_key] if node.stream.replication_key else None,
                                   extra)

    def _current(self, root):
        """`currently_syncing`: the root under way; in parallel, the first unfinished root in
        order, so a resumed run starts where something may be incomplete."""
        if self.parallel == 1:
            return root.name
        return self._unfinished[0].name if self._unfinished else root.name

    def _sync_root(self, root):
        with charged_to(root.name):
            self._sync_root_charged(root)

    def _sync_root_charged(self, root):
        with self._lock:
            if self.progress:
                self.progress.stream_started(root)
            self.state.currently_syncing = self._current(root)
            self.output.state(self.state.to_dict())
            self._write_schemas(root)
        try:
            for page in root.stream.pages(None):
                with self._lock:
                    self._emit(root, page)
                self._walk_children(root, page)
                with self._lock:
                    root.stream.on_emitted(page)
                    self.output.state(self.state.to_dict())
                if self._stop.is_set():
                    return
            with self._lock:
                for node in root.walk():
                    node.stream.finish()
        except DeferredFailure as error:
            self.deferred.append(error.in_stream(root.name))
        except HTTPError as error:
            if not root.stream.stream_unavailable(error):
                error.in_stream(root.name)
                raise
            LOGGER.warning("skipping stream %s: %s", root.name, error)
            for rider in _riders(root):
                # It came along on this walk only to share its pages: alone, it reads its own.
                rider.stream.parent = None
                self._sync_root_charged(rider)
        with self._lock:
            if root in self._unfinished:
                self._unfinished.remove(root)
            if self.parallel > 1:
                self.state.currently_syncing = self._current(root)
            self.output.state(self.state.to_dict())
            if self.progress:
                self.progress.stream_done(root)

    def _emit(self, node, records):
        emitted = 0
        if node.stream.selected and records:
            now = rfc3339(datetime.datetime.now(datetime.timezone.utc))
            shape, keep = node.shape, node.stream.keep
            emitted = self.output.records(node.name, (shape(r) for r in records if keep(r)), now)
        if self.progress:
            self.progress.tick(node.name, emitted)

    def _walk_children(self, node, parents):
        """Fetch every child list of `parents` on the worker pool, parent by parent and for
        all child streams at once, so that lists of different endpoints are in flight
        together (an API that limits each endpoint's rate is then not one endpoint at a time);
        then emit child stream by child stream, each with its own subtree, chunk by chunk."""
        children = list(node.children)
        with self._lock:
            wanted = {child.name: {id(p) for p in parents if child.stream.wants_children_of(p)} for child in children}
        todo = [p for p in parents if any(id(p) in wanted[child.name] for child in children)]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            active = [child for child in children if child in node.children]   # none dropped since
            failed = {}   # child stream -> its first error in this chunk: its other lists are not asked for
            tasks = [(child, parent, failed, current()) for parent in chunk for child in active
                     if id(parent) in wanted[child.name]]
            fetched = {child.name: [] for child in active}
            for child, parent, outcome in self.pool.ordered_map(_fetch_task, tasks):
                if isinstance(outcome, list) and not fetched[child.name] and not _needs_batch(child):
                    # Nothing will look at these records again: out they go, and memory holds
                    # only the lists in flight, not the chunk's (a chunk of long conversations
                    # is tens of MB).
                    with self._lock:
                        self._emit_child_list(node, child, parent, outcome)
                else:
                    fetched[child.name].append((parent, outcome))
            for child in active:
                self._take_child_chunk(node, child, fetched[child.name])

    def _take_child_chunk(self, node, child, fetched):
        """Emit one child stream's lists for a chunk of parents, walk below them, and let the
        stream move its bookmark; a stream the credentials cannot read is dropped."""
        try:
            batch = []
            with self._lock:
                for parent, outcome in fetched:
                    if isinstance(outcome, Exception):
                        raise outcome
                    self._emit_child_list(node, child, parent, outcome)
                    batch.extend(outcome)
            self._walk_children(child, batch)
            with self._lock:
                child.stream.on_emitted(batch)
        except HTTPError as error:
            if not child.stream.stream_unavailable(error):
                raise
            LOGGER.warning("skipping stream %s: %s", child.name, error)
            node.children.remove(child)

    def _emit_child_list(self, node, child, parent, records):
        context = node.stream.child_context(parent)
        for record in records:
            record.update(context)
        self._emit(child, records)


def _riders(root):
    """Streams below `root` for this run only (see Stream.parent_for), roots of their own."""
    return [node for node in root.walk() if node is not root and type(node.stream).parent is None]


def _needs_batch(node):
    """Whether a child stream's records of a chunk are needed after they are emitted: for the
    streams below it, or by its own `on_emitted` (bookmarks)."""
    return bool(node.children) or type(node.stream).on_emitted is not Stream.on_emitted


def _fetch_task(task):
    """(child, parent, records or the HTTPError that stopped them), on a worker thread: one
    stream's failure must not hide its siblings' lists fetched alongside. Once a stream has
    failed, its lists not yet started are not asked for: each would only fail again after all
    its retries (a whole chunk of them, for an endpoint that is down)."""
    child, parent, failed, charge = task
    if child.name in failed:
        return child, parent, failed[child.name]
    try:
        with charged_to(charge):
            return child, parent, _fetch_all(child, parent)
    except HTTPError as error:
        failed.setdefault(child.name, error)
        return child, parent, error


def _fetch_all(node, parent):
    """All of one child list for one parent (runs on a worker thread)."""
    records = []
    try:
        for page in node.stream.pages(parent):
            records.extend(page)
    except HTTPError as error:
        if not node.stream.skippable(error):
            error.in_stream(node.name)
            raise
        LOGGER.warning("%s: skipping one parent: %s", node.name, error)
        return []
    return records


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
