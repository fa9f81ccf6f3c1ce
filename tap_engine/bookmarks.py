"""The one rule every bookmark keeps: it only moves forward. Keys are never removed (see
state.py); a value that is not later than the one held leaves the bookmark as it is."""
from typing import Any, Callable, Optional


def advance(bookmark: dict, key: str, value: Any, instant: Callable[[Any], Optional[float]]) -> bool:
    """Move `bookmark[key]` to `value` if that is later, compared by `instant` (a held value
    it cannot read counts as none); say whether it moved."""
    held = bookmark.get(key)
    if held is not None and instant(held) is not None and instant(value) <= instant(held):
        return False
    bookmark[key] = value
    return True
