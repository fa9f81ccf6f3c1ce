"""What a tap is to the engine: a name, settings, stream classes and a client. Each tap package
subclasses `Tap` and fills in the API-specific parts."""
import contextlib
import importlib.metadata

from .catalog import discover
from .output import Output
from .progress import Progress
from .sample import write_samples
from .state import State
from .sync import Runner
from .tree import build_tree
from .workers import WorkerPool

DISTRIBUTION = "tap-front-mode"


class Tap:
    name = None
    description = ""
    settings = ()
    stream_classes = ()
    capabilities = ("catalog", "discover", "state", "properties", "about")
    workers = 1            # child lists fetched at once
    # Root streams synced at once. 1 syncs them one after another; more suits an API that
    # limits each endpoint's rate, where one list alone cannot use the budget (the tap's
    # streams must then change bookmarks only in their hooks, see sync.Runner).
    parallel_streams = 1

    def __init__(self, config):
        self.config = config

    @staticmethod
    def version():
        try:
            return importlib.metadata.version(DISTRIBUTION)
        except importlib.metadata.PackageNotFoundError:
            return "0.0.0+source"

    # --- API-specific ----------------------------------------------------------------
    def open_client(self):
        """A context manager yielding the tap's client."""
        raise NotImplementedError

    def check_connection(self, client):
        """One cheap authenticated call; raise TapError with the reason if it fails."""
        raise NotImplementedError

    def max_workers(self):
        return self.workers

    def max_parallel_streams(self):
        return self.parallel_streams

    def test_connection(self):
        with self.open_client() as client:
            self.check_connection(client.make_quick())

    # --- shared ----------------------------------------------------------------------
    def discover(self):
        return discover(self.stream_classes)

    def sync(self, catalog, state: State, output: Output):
        with contextlib.ExitStack() as stack:
            client = stack.enter_context(self.open_client())
            pool = WorkerPool(self.max_workers())
            stack.callback(pool.close)
            roots = build_tree(self.stream_classes, catalog, state, client, self.config, pool.workers)
            Runner(roots, state, output, pool, Progress(client), parallel=self.max_parallel_streams()).run()

    def sample(self, catalog, output):
        with self.open_client() as client:
            tree = build_tree(self.stream_classes, catalog, State(), client, self.config, self.max_workers())
            write_samples(tree, output)
