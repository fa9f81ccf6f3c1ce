"""Timestamps: kept as integer epoch milliseconds (microseconds for audit logs) and rendered
in the several ISO 8601 flavours Mode serves."""
import re
import time
from datetime import datetime, timezone

SECOND = 1000                  # durations in epoch milliseconds
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_iso_us(text):
    """Epoch microseconds of an ISO 8601 string; ``ValueError`` if it is not one.

    Written by hand because ``datetime.fromisoformat`` on Python < 3.11 rejects ``Z`` and
    fractions that are not 3 or 6 digits long."""
    match = _ISO.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                      int(second or 0), tzinfo=timezone.utc)
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    offset_minutes = 0
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset_minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        if zone[0] == "-":
            offset_minutes = -offset_minutes
    seconds = int(moment.timestamp()) - offset_minutes * 60
    return seconds * 1_000_000 + micros


def parse_iso_ms(text):
    return parse_iso_us(text) // 1000


def _clock(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def iso_ms(ms):
    """``2021-12-10T20:55:24.316Z``, Mode's usual form; ``None`` passes through."""
    if ms is None:
        return None
    return f"{_clock(ms // 1000)}.{ms % 1000:03d}Z"


def iso_ms_offset(ms):
    """``2020-04-06T20:00:00.000+00:00``, the form schedules use for their run times."""
    if ms is None:
        return None
    return f"{_clock(ms // 1000)}.{ms % 1000:03d}+00:00"


def iso_us(us):
    """``2025-02-18T10:47:37.000000Z``, the audit log form."""
    return f"{_clock(us // 1_000_000)}.{us % 1_000_000:06d}Z"


def now_ms():
    return int(time.time() * 1000)
