"""Stream base class: a stream is declared by class attributes and walks its API list page by
page; the sync walk (sync.py) does emitting, fan-out and state around it."""
import functools
import importlib.resources
import json


class Stream:
    name = None
    path = None                      # endpoint path template, also the metrics tag
    key_properties = ("id",)
    replication_method = "FULL_TABLE"
    replication_key = None
    parent = None                    # name of the parent stream, for child streams (this run's: see parent_for)
    selected_by_default = True
    schema_package = None            # the tap package whose `schemas` folder holds <name>.json
    child_streams = ()               # set by the sync walk: this run's streams under this one
    # Bookmark keys an earlier version wrote and this one no longer trusts (an orchestrator
    # may have merged them back after they were done with): read as absent, written null.
    retired_keys = ()

    def __init__(self, client, config, bookmark, selected=True):
        self.client = client
        self.config = config
        self.bookmark = bookmark     # this stream's dict inside the run state, updated in place
        self.selected = selected     # emitted, or only walked for a selected child

    @classmethod
    def parent_for(cls, selected, bookmarks):
        """This run's parent, given the names of the selected streams and the run's starting
        bookmarks: `parent`, unless the stream can take its records from another stream's walk
        when that one runs anyway (one walk of a list serving both). The catalog always shows
        `parent`."""
        return cls.parent

    @classmethod
    def timestamp_keys(cls):
        """Bookmark keys that hold a timestamp, checked before a run starts from a state."""
        return (cls.replication_key,) if cls.replication_key else ()

    @classmethod
    @functools.lru_cache(maxsize=None)
    def load_schema(cls):
        resource = importlib.resources.files(cls.schema_package + ".schemas").joinpath(cls.name + ".json")
        return json.loads(resource.read_text(encoding="utf-8"))

    # --- what a concrete stream provides ----------------------------------------------
    def pages(self, parent=None):
        """Yield lists of raw API records; `parent` is the raw parent record for children."""
        raise NotImplementedError

    def child_context(self, record):
        """Keys every child record of `record` carries, e.g. {"conversation_id": ...}."""
        return {}

    def wants_children_of(self, parent):
        """Whether this (child) stream must be fetched for `parent`: incremental streams say no
        for parents unchanged since their bookmark."""
        return True

    def keep(self, record):
        """Whether a walked record is emitted. A stream that filters on the client (no
        server-side filter) says no to records unchanged since its bookmark; every walked
        record is still offered to the children (`wants_children_of`)."""
        return True

    def skippable(self, error):
        """A child request error that means "this parent has nothing for us" (deleted,
        merged) rather than a failure: the parent is skipped with a warning."""
        return False

    def stream_unavailable(self, error):
        """An error that means the whole stream cannot be read with these credentials (missing
        scope, ticketing off): the stream is skipped with a warning, the run goes on."""
        return False

    def subtree(self):
        """This stream and every stream below it in this run."""
        yield self
        for child in self.child_streams:
            yield from child.subtree()

    def on_emitted(self, records):
        """Called after a page (root) or a parent's batch (child) is emitted with everything
        below it: advance the bookmark here."""

    def finish(self):
        """Called once the walk is complete: commit bookmarks that may only move at the end."""

