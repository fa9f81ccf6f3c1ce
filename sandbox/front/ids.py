"""Front-style identifiers (prefix + base 36) and timestamp helpers."""
import calendar
import functools
import time

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Offsets keep ids a realistic length ("cnv_2kfw1" rather than "cnv_1").
_OFFSET = 36 ** 4
EVENT_OFFSET = 36 ** 5
DAY = 86400


def base36(number):
    if number == 0:
        return "0"
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits))


@functools.lru_cache(maxsize=1 << 16)  # ids are rendered over and over on every page
def make_id(prefix, number):
    return f"{prefix}_{base36(_OFFSET + number)}"


def index_of(prefix, text, count):
    """The index ``i`` (below ``count``) whose id ``make_id(prefix, i + 1)`` is ``text``,
    or None."""
    head, _, digits = text.partition("_")
    try:
        index = int(digits, 36) - _OFFSET - 1
    except ValueError:
        return None
    if head != prefix or not 0 <= index < count or make_id(prefix, index + 1) != text:
        return None
    return index


def event_id(sequence):
    """Event ids are base 36 of a global sequence: a larger id is a newer event."""
    return "evt_" + base36(EVENT_OFFSET + sequence)


def event_sequence(event_id_text):
    return int(event_id_text.split("_", 1)[1], 36) - EVENT_OFFSET


def message_number(conversation_index, ordinal):
    # Each conversation owns a block of 2**20 message (and comment) numbers.
    return (conversation_index << 20) + ordinal


def message_id(conv, ordinal):
    return make_id("msg", message_number(conv.index, ordinal))


def comment_id(conv, ordinal):
    return make_id("com", message_number(conv.index, ordinal))


def conversation_id(index):
    return make_id("cnv", index + 1)


def stamp(seconds):
    """Epoch seconds as Front sends them: a number with at most 3 decimals."""
    return round(seconds, 3)


def parse_instant(value):
    """Epoch seconds from a number or an ISO 8601 UTC string such as 2026-10-01T00:00:00Z."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("Z", "").replace("+00:00", "")
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return float(calendar.timegm(time.strptime(text, fmt)))
        except ValueError:
            pass
    raise ValueError(f"not an ISO 8601 UTC instant: {value!r}")


def day_floor(seconds):
    return seconds - seconds % DAY


def iso_utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
