"""Run state: one bookmark dict per stream plus `currently_syncing`, as Singer targets and
orchestrators store it.

Orchestrators keep less than a plain pipe: Mage runs one stream per process, keeps only that
stream's bookmark, drops `currently_syncing` and merges a run's STATEs shallowly, stream by
stream. So a STATE names only the streams this run syncs, a stream's resume data lives in its
own bookmark, and a key once written is never removed: it is written null or empty instead, and
null reads as absent."""
import copy
import logging

from .errors import ConfigError
from .timefmt import parse_utc

LOGGER = logging.getLogger("tap.state")
KEYS = ("bookmarks", "currently_syncing")


class State:
    def __init__(self, raw=None):
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            raise ConfigError("state must be a JSON object")
        unknown = sorted(set(raw) - set(KEYS))
        if unknown and not set(raw) & set(KEYS):
            # A wrapped state ({"type": "STATE", "value": ...}, {"singer_state": ...}) would
            # otherwise pass as an empty one and silently start the sync over.
            raise ConfigError("state has an unknown shape: top-level keys {} (expected 'bookmarks' and "
                              "'currently_syncing')".format(", ".join(map(repr, unknown))))
        if unknown:
            LOGGER.warning("state keys %s are not this tap's and are ignored", ", ".join(map(repr, unknown)))
        bookmarks = raw.get("bookmarks", {})
        if not isinstance(bookmarks, dict) or not all(isinstance(v, dict) for v in bookmarks.values()):
            raise ConfigError("state has an unknown shape: 'bookmarks' must map stream names to objects")
        current = raw.get("currently_syncing")
        if current is not None and not isinstance(current, str):
            raise ConfigError("state has an unknown shape: 'currently_syncing' must be a stream name")
        self.bookmarks = copy.deepcopy(bookmarks)
        self.currently_syncing = current
        self.synced = None    # names of the streams whose bookmarks a STATE shows; None: all

    def check_timestamps(self, stream_classes):
        """Refuse a bookmark whose timestamp cannot be read, before anything is written: read
        mid-sync it would end the run after output the next run cannot build on."""
        for cls in stream_classes:
            bookmark = self.bookmarks.get(cls.name) or {}
            for key in cls.timestamp_keys():
                value = bookmark.get(key)
                if value is not None and not _is_timestamp(value):
                    raise ConfigError("state bookmark {}.{} is not a timestamp: {!r}".format(
                        cls.name, key, value if not isinstance(value, str) else value[:40]))

    def bookmark(self, stream):
        """The stream's bookmark dict, created on first use; streams update it in place."""
        return self.bookmarks.setdefault(stream, {})

    def start_over(self, stream):
        """Forget the stream's bookmark for this run, keeping its keys (as nulls)."""
        bookmark = self.bookmark(stream)
        for key in bookmark:
            bookmark[key] = None

    def to_dict(self):
        shown = {name: bookmark for name, bookmark in self.bookmarks.items()
                 if self.synced is None or name in self.synced}
        return {"bookmarks": copy.deepcopy(shown), "currently_syncing": self.currently_syncing}


def _is_timestamp(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True   # epoch seconds, as some older states hold them
    if not isinstance(value, str):
        return False
    try:
        parse_utc(value)
    except (ValueError, TypeError, OverflowError, AttributeError):   # durations, times of day
        return False
    return True
