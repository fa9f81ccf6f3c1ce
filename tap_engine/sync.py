"""The sync: roots in order (resuming at `currently_syncing`), one at a time or a few at once,
pages emitted as they come, children fetched for each page's parents on the worker pool
(fanout.py), STATE after every page once everything the page covers is out, and a final STATE."""
import logging
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from .accounting import charged_to
from .emission import Emission
from .errors import DeferredFailure, HTTPError, TapError
from .fanout import FanOut
from .tree import build_tree, resume_order

__all__ = ("Runner", "build_tree")
LOGGER = logging.getLogger("tap.sync")


class Runner:
    """Walks the roots in order, one at a time, or `parallel` at a time for a tap whose API
    limits each endpoint rather than only the whole (a single list then cannot use the
    budget). Everything that touches output, bookmarks or STATE is serialized (emission.py);
    only the fetching runs outside it. Streams must not change their bookmark inside `pages()`."""

    def __init__(self, roots, state, output, pool, progress=None, parallel=1):
        self.roots = roots
        self.state = state
        self.emission = Emission(state, output, progress)
        self.fanout = FanOut(pool, self.emission)
        self.progress = progress
        self.parallel = max(1, int(parallel or 1))
        self.deferred = []
        self._stop = threading.Event()    # a root failed: the others end after their page
        self._unfinished = []

    def run(self):
        order = resume_order(self.roots, self.state)
        self._unfinished = list(order)
        if self.parallel == 1 or len(order) < 2:
            for root in order:
                self._sync_root(root)
        else:
            self._run_parallel(order)
        self.state.currently_syncing = None
        self.emission.write_state()
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
        lock = self.emission.lock
        with lock:
            if self.progress:
                self.progress.stream_started(root)
            self.state.currently_syncing = self._current(root)
            self.emission.write_state()
            self.emission.schemas(root)
        try:
            for page in root.stream.pages(None):
                with lock:
                    self.emission.records(root, page)
                self.fanout.children_of(root, page)
                with lock:
                    root.stream.on_emitted(page)
                    self.emission.write_state()
                if self._stop.is_set():
                    return
            with lock:
                for node in root.subtree():
                    node.stream.finish()
        except DeferredFailure as error:
            self.deferred.append(error.in_stream(root.name))
        except HTTPError as error:
            if not root.stream.unavailable(error):
                error.in_stream(root.name)
                raise
            LOGGER.warning("skipping stream %s: %s", root.name, error)
            for rider in _riders(root):
                # It came along on this walk only to share its pages: alone, it reads its own.
                rider.stream.parent = None
                self._sync_root_charged(rider)
        with lock:
            if root in self._unfinished:
                self._unfinished.remove(root)
            if self.parallel > 1:
                self.state.currently_syncing = self._current(root)
            self.emission.write_state()
            if self.progress:
                self.progress.stream_done(root)


def _riders(root):
    """Streams below `root` for this run only (see Stream.parent_for), roots of their own."""
    return [node for node in root.subtree() if node is not root and type(node.stream).parent is None]
