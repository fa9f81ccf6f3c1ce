"""Audit log windows and their ``next_token`` cursor.

Entries are served oldest first within ``[start_timestamp, end_timestamp)``. The cursor is
opaque to clients; it records the window it belongs to, so reusing it with another window is a
400, as a stale cursor would be."""
import base64
import bisect

PAGE_SIZE = 30


class CursorError(ValueError):
    pass


def encode_cursor(offset, start_us, end_us):
    raw = f"{offset}:{start_us}:{end_us}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token, start_us, end_us):
    try:
        padded = token + "=" * (-len(token) % 4)
        offset, start, end = (int(part) for part in
                              base64.urlsafe_b64decode(padded).decode().split(":"))
    except (ValueError, UnicodeDecodeError):
        raise CursorError("next_token is not valid") from None
    if (start, end) != (start_us, end_us) or offset < 0:
        raise CursorError("next_token does not belong to this time range")
    return offset


def audit_page(entries, start_us, end_us, next_token=None):
    """``(entries of this page, next cursor or None)``; ``entries`` ascend by timestamp."""
    stamps = [entry.timestamp_us for entry in entries]
    first = bisect.bisect_left(stamps, start_us)
    last = bisect.bisect_left(stamps, end_us)
    offset = decode_cursor(next_token, start_us, end_us) if next_token else 0
    begin = first + offset
    chosen = entries[begin:min(begin + PAGE_SIZE, last)]
    following = offset + len(chosen)
    cursor = encode_cursor(following, start_us, end_us) if first + following < last else None
    return chosen, cursor
