"""Time cursors for incremental streams. Front speaks epoch seconds with up to 3 decimals, in
records and in filters alike; bookmarks keep that precision as RFC 3339 strings with
milliseconds."""
import time

from tap_engine import bookmarks
from tap_engine.timefmt import epoch_to_rfc3339, parse_utc


def seconds(value):
    """Epoch seconds (3 decimals) from a bookmark string, a config datetime or a number."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return round(float(value), 3)
    if isinstance(value, str):
        try:
            return round(float(value), 3)  # epoch seconds sent as text
        except ValueError:
            value = parse_utc(value)
    return round(value.timestamp(), 3)


def bookmark_text(epoch):
    return epoch_to_rfc3339(seconds(epoch))


def advance(bookmark, key, epoch):
    """Move a time bookmark forward to `epoch` (never back); say whether it moved."""
    return bookmarks.advance(bookmark, key, bookmark_text(epoch), seconds)


def query_number(epoch):
    """A filter value as Front takes it: seconds, never milliseconds."""
    return "{:.3f}".format(epoch).rstrip("0").rstrip(".")


def now():
    return round(time.time(), 3)


def overlap(config):
    return float(config["overlap_seconds"])


def resume_from(bookmark_value, config):
    """Where an incremental walk starts: a little before the bookmark (activity indexed
    late), or the configured start date on a first run."""
    if bookmark_value:
        return seconds(bookmark_value) - overlap(config)
    return seconds(config.get("start_date"))


def end_of_range(config):
    """The configured end date, or now."""
    end = seconds(config.get("end_date"))
    return min(end, now()) if end is not None else now()
