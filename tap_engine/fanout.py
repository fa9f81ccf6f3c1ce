"""Child lists, fetched for each page's parents on the worker pool and emitted in order."""
import logging

from .accounting import charged_to, current
from .errors import HTTPError
from .streams import Stream

LOGGER = logging.getLogger("tap.sync")
CHUNK = 30  # parents fanned out at once: a page of the smallest API page size


class FanOut:
    def __init__(self, pool, emission):
        self.pool = pool
        self.emission = emission

    def children_of(self, node, parents):
        """Fetch every child list of `parents` on the worker pool, parent by parent and for
        all child streams at once, so that lists of different endpoints are in flight
        together (an API that limits each endpoint's rate is then not one endpoint at a time);
        then emit child stream by child stream, each with its own subtree, chunk by chunk."""
        children = list(node.children)
        with self.emission.lock:
            wanted = {child.name: {id(p) for p in parents if child.stream.accept_parent(p)} for child in children}
            todo = [p for p in parents if any(id(p) in wanted[child.name] for child in children)]
            contexts = {id(p): node.stream.child_context(p) for p in todo}
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            active = [child for child in children if child in node.children]   # none dropped since
            failed = {}   # child stream -> its first error in this chunk: its other lists are not asked for
            tasks = [(child, contexts[id(parent)], failed, current()) for parent in chunk for child in active
                     if id(parent) in wanted[child.name]]
            fetched = {child.name: [] for child in active}
            for child, context, outcome in self.pool.ordered_map(_fetch_task, tasks):
                if isinstance(outcome, list) and not fetched[child.name] and not _needs_batch(child):
                    # Nothing will look at these records again: out they go, and memory holds
                    # only the lists in flight, not the chunk's (a chunk of long conversations
                    # is tens of MB).
                    with self.emission.lock:
                        self.emission.child_list(child, context, outcome)
                else:
                    fetched[child.name].append((context, outcome))
            for child in active:
                self._take_chunk(node, child, fetched[child.name])

    def _take_chunk(self, node, child, fetched):
        """Emit one child stream's lists for a chunk of parents, fetch below them, and let the
        stream move its bookmark; a stream the credentials cannot read is dropped."""
        try:
            batch = []
            with self.emission.lock:
                for context, outcome in fetched:
                    if isinstance(outcome, Exception):
                        raise outcome
                    self.emission.child_list(child, context, outcome)
                    batch.extend(outcome)
            self.children_of(child, batch)
            with self.emission.lock:
                child.stream.on_emitted(batch)
        except HTTPError as error:
            if not child.stream.unavailable(error):
                raise
            LOGGER.warning("skipping stream %s: %s", child.name, error)
            node.children.remove(child)


def _needs_batch(node):
    """Whether a child stream's records of a chunk are needed after they are emitted: for the
    streams below it, or by its own `on_emitted` (bookmarks)."""
    return bool(node.children) or type(node.stream).on_emitted is not Stream.on_emitted


def _fetch_task(task):
    """(child, context, records or the HTTPError that stopped them), on a worker thread: one
    stream's failure must not hide its siblings' lists fetched alongside. Once a stream has
    failed, its lists not yet started are not asked for: each would only fail again after all
    its retries (a whole chunk of them, for an endpoint that is down)."""
    child, context, failed, charge = task
    if child.name in failed:
        return child, context, failed[child.name]
    try:
        with charged_to(charge):
            return child, context, fetch_all(child, context)
    except HTTPError as error:
        failed.setdefault(child.name, error)
        return child, context, error


def fetch_all(node, context):
    """All of one child list for one parent's context (runs on a worker thread)."""
    records = []
    try:
        for page in node.stream.pages(context):
            records.extend(page)
    except HTTPError as error:
        if error.status not in node.stream.skip_parent_on:
            error.in_stream(node.name)
            raise
        LOGGER.warning("%s: skipping one parent: %s", node.name, error)
        return []
    return records
