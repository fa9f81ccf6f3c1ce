"""Timestamp conversion for the hot path: API values to RFC 3339 UTC strings without a general
date parser per value, and bookmark values compared in the API's own precision."""
import datetime
import re
import time

import pendulum

_UTC = datetime.timezone.utc


def epoch_to_rfc3339(seconds):
    """Epoch seconds (int or float with up to 3 decimals) as 'YYYY-MM-DDTHH:MM:SS.mmmZ'."""
    try:
        millis = int(round(seconds * 1000))
        whole, frac = divmod(millis, 1000)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % frac
    except (OverflowError, ValueError, OSError):
        # Beyond year 9999 or not finite: no real timestamp; null keeps the column loadable.
        return None


def iso_to_rfc3339(text):
    """An ISO 8601 string as RFC 3339 UTC. UTC strings (the APIs' usual form) pass with a suffix
    fix; anything else goes through pendulum once."""
    if len(text) >= 20 and text[10] == "T":
        if text[-1] == "Z":
            return text
        if text.endswith("+00:00"):
            return text[:-6] + "Z"
    try:
        parsed = pendulum.parse(text, tz="UTC")
    except (ValueError, TypeError):
        return text  # not a timestamp after all: keep the API's value rather than lose it
    if not isinstance(parsed, pendulum.DateTime):
        return text
    return parsed.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss.SSSSSS") + "Z"


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def to_rfc3339(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return epoch_to_rfc3339(value)
    if isinstance(value, str):
        if _NUMBER.fullmatch(value):
            # Epoch seconds sent as text (schema drift): mended like any number sent as text.
            return epoch_to_rfc3339(float(value))
        return iso_to_rfc3339(value)
    return value


def rfc3339(moment):
    """An aware datetime as RFC 3339 UTC with microseconds."""
    return moment.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text):
    """A bookmark or config timestamp string as an aware UTC pendulum DateTime."""
    return pendulum.parse(text, tz="UTC").in_timezone("UTC")
