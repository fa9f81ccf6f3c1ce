"""Run state: one bookmark dict per stream plus `currently_syncing`, as Singer targets and
orchestrators store it."""
import copy

from .errors import ConfigError


class State:
    def __init__(self, raw=None):
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            raise ConfigError("state must be a JSON object")
        bookmarks = raw.get("bookmarks", {})
        if not isinstance(bookmarks, dict) or not all(isinstance(v, dict) for v in bookmarks.values()):
            raise ConfigError("state has an unknown shape: 'bookmarks' must map stream names to objects")
        current = raw.get("currently_syncing")
        if current is not None and not isinstance(current, str):
            raise ConfigError("state has an unknown shape: 'currently_syncing' must be a stream name")
        self.bookmarks = copy.deepcopy(bookmarks)
        self.currently_syncing = current

    def bookmark(self, stream):
        """The stream's bookmark dict, created on first use; streams update it in place."""
        return self.bookmarks.setdefault(stream, {})

    def to_dict(self):
        return {"bookmarks": copy.deepcopy(self.bookmarks), "currently_syncing": self.currently_syncing}
