"""Stream base class: a stream is declared by class attributes and yields its API list page by
page; the sync (sync.py) does emitting, fan-out and state around it.

A parent's identity crosses to its children once: `context_keys` name the fields of a parent
record that its children carry, and the same keys fill the child's path template
(`/reports/{report_token}/queries`)."""
import functools
import importlib.resources
import json
from typing import Dict, FrozenSet, Iterable, Iterator, Mapping, Optional, Tuple
from urllib.parse import quote

from .errors import HTTPError
from .paging import Page


class Context(dict):
    """What one parent record gives its children: the keys every child record carries and
    its path template is filled with. `record` is the parent record itself, for a stream that
    takes its records from the parent's rather than from an endpoint."""

    def __init__(self, values: Mapping, record: Optional[dict] = None):
        super().__init__(values)
        self.record = record


class Stream:
    name: str = None
    path: str = None                 # endpoint path template, also the metrics tag
    key_properties: Tuple[str, ...] = ("id",)
    replication_method = "FULL_TABLE"
    replication_key: Optional[str] = None
    parent: Optional[str] = None     # the parent stream, for child streams (this run's: see parent_for)
    context_keys: Mapping[str, str] = {}   # {key on child records: field of this stream's record}
    selected_by_default = True
    schema_package: str = None       # the tap package whose `schemas` folder holds <name>.json
    child_streams: Tuple["Stream", ...] = ()   # set by the sync: this run's streams under this one
    # Statuses of a child request that mean "this parent has nothing for us" (deleted,
    # merged): the parent is skipped with a warning.
    skip_parent_on: Tuple = ()
    # Statuses that mean the whole stream cannot be read with these credentials (missing
    # scope, a personal token): the stream is skipped with a warning, the run goes on.
    unavailable_on: Tuple = ()
    # Bookmark keys an earlier version wrote and this one no longer trusts (an orchestrator
    # may have merged them back after they were done with): read as absent, written null.
    retired_keys: Tuple[str, ...] = ()
    available = True                 # False once the stream was skipped as unavailable

    def __init__(self, client, config: dict, bookmark: dict, selected: bool = True):
        self.client = client
        self.config = config
        self.bookmark = bookmark     # this stream's dict inside the run state, updated in place
        self.selected = selected     # emitted, or only read for a selected child
        self.workers = 1             # set by the sync: the size of the fan-out pool

    @classmethod
    def parent_for(cls, selected: FrozenSet[str], bookmarks: Dict[str, dict]) -> Optional[str]:
        """This run's parent, given the names of the selected streams and the run's starting
        bookmarks: `parent`, unless the stream can take its records from another stream's walk
        when that one runs anyway (one walk of a list serving both). The catalog always shows
        `parent`."""
        return cls.parent

    @classmethod
    def timestamp_keys(cls) -> Tuple[str, ...]:
        """Bookmark keys that hold a timestamp, checked before a run starts from a state."""
        return (cls.replication_key,) if cls.replication_key else ()

    @classmethod
    @functools.lru_cache(maxsize=None)
    def load_schema(cls) -> dict:
        resource = importlib.resources.files(cls.schema_package + ".schemas").joinpath(cls.name + ".json")
        return json.loads(resource.read_text(encoding="utf-8"))

    def child_context(self, record: dict) -> Context:
        return Context({key: record[field] for key, field in self.context_keys.items()}, record)

    def path_for(self, context: Optional[Context]) -> str:
        """`path` with the parent's context filled in, each value quoted as one path segment."""
        return self.path.format(**{k: quote(str(v), safe="") for k, v in (context or {}).items()})

    def served(self) -> list:
        """The streams whose bookmarks this stream's reading moves: itself when emitted, and
        each stream under it still readable (one skipped for its scope is not)."""
        return ([self] if self.selected else []) + [c for c in self.child_streams if c.available]

    def subtree(self) -> Iterator["Stream"]:
        """This stream and every stream below it in this run."""
        yield self
        for child in self.child_streams:
            yield from child.subtree()

    def unavailable(self, error: HTTPError) -> bool:
        if error.status not in self.unavailable_on:
            return False
        self.available = False
        self.on_unavailable(error)
        return True

    # --- what a concrete stream provides --------------------------------------------------
    def pages(self, context: Optional[Context] = None) -> Iterable[Page]:
        """Yield lists of raw API records; `context` is the parent's, for children."""
        raise NotImplementedError

    def accept_parent(self, parent: dict) -> bool:
        """Offered every parent record the sync meets (a child stream notes what its bookmark
        needs); says whether this stream's list is fetched for it: incremental streams say no
        for parents unchanged since their bookmark."""
        return True

    def keep(self, record: dict) -> bool:
        """Whether a record read is emitted. A stream that filters on the client (no
        server-side filter) says no to records unchanged since its bookmark; every record read
        is still offered to the children (`accept_parent`)."""
        return True

    def on_unavailable(self, error: HTTPError) -> None:
        """The stream is being skipped for `error` (one of `unavailable_on`)."""

    def on_emitted(self, records: Page) -> None:
        """Called after a page (root) or a parent's batch (child) is emitted with everything
        below it: advance the bookmark here (a page's `checkpoint` says how far it goes)."""

    def finish(self) -> None:
        """Called once the stream is read whole: commit bookmarks that may only move at the end."""
