"""Settings declared once per tap: validation, defaults, JSON schema and docs all come from it."""
import logging
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlsplit

import pendulum

from .errors import ConfigError

LOGGER = logging.getLogger(__name__)

_JSON_TYPES = {
    "string": "string",
    "url": "string",
    "password": "string",
    "date-time": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str = "string"  # a key of _JSON_TYPES
    description: str = ""
    required: bool = False
    default: Any = None
    example: Any = None
    minimum: Optional[float] = None
    choices: Optional[tuple] = None   # the only values accepted

    @property
    def secret(self):
        return self.kind == "password"

    def json_schema(self):
        schema = {"type": _JSON_TYPES[self.kind], "description": self.description}
        if self.kind == "date-time":
            schema["format"] = "date-time"
        if self.kind == "url":
            schema["format"] = "uri"
        if self.secret:
            schema["writeOnly"] = True
        if self.default is not None:
            schema["default"] = self.default
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.choices is not None:
            schema["enum"] = list(self.choices)
        return schema


def example_config(settings):
    """A config to start from: every required key with a placeholder, the rest at defaults."""
    example = {}
    for s in settings:
        if s.example is not None:
            example[s.name] = s.example
        elif s.required:
            example[s.name] = "<{}>".format(s.name)
        elif s.default is not None:
            example[s.name] = s.default
    return example


def settings_schema(settings):
    return {
        "type": "object",
        "properties": {s.name: s.json_schema() for s in settings},
        "required": [s.name for s in settings if s.required],
    }


def validate_config(raw, settings):
    """Return the config with defaults filled and values typed; raise ConfigError naming the
    first bad key. Unknown keys are kept (other tools add their own) but warned about."""
    if not isinstance(raw, dict):
        raise ConfigError("config must be a JSON object")
    known = {s.name: s for s in settings}
    for key in sorted(set(raw) - set(known)):
        LOGGER.warning("config key %r is not a setting of this tap and is ignored", key)
    config = dict(raw)
    for setting in settings:
        value = raw.get(setting.name)
        if value is None or value == "":
            if setting.required:
                raise ConfigError("config is missing required key {!r}".format(setting.name))
            config[setting.name] = None if setting.default is None else _coerce(setting, setting.default)
            continue
        config[setting.name] = _coerce(setting, value)
    return config


def _refuse(setting, value, expected):
    shown = "<hidden>" if setting.secret else repr(value)
    raise ConfigError("config key {!r} must be {}, got {}".format(setting.name, expected, shown))


def _coerce(setting, value):
    typed = _typed(setting, value)
    if setting.choices is not None and typed not in setting.choices:
        _refuse(setting, value, "one of " + ", ".join(str(choice) for choice in setting.choices))
    return typed


def _typed(setting, value):
    def fail(expected):
        _refuse(setting, value, expected)

    kind = setting.kind
    if kind in ("string", "password"):
        if not isinstance(value, str):
            fail("a string")
        if setting.secret and value != value.strip():
            # A token pasted with its line break: no API token has whitespace around it, and
            # sent as is it fails (or, in some libraries' errors, gets quoted back).
            if not value.strip():
                fail("a non-empty string")
            LOGGER.warning("config key %r has whitespace around it; it was removed", setting.name)
            return value.strip()
        return value
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        fail("true or false")
    if kind in ("integer", "number"):
        number = _number(value, integer=kind == "integer")
        if number is None:
            fail("an integer" if kind == "integer" else "a number")
        if setting.minimum is not None and number < setting.minimum:
            fail("at least {}".format(setting.minimum))
        return number
    if kind == "date-time":
        return parse_datetime(value, setting.name)
    if kind == "url":
        # Checked here, as a bad URL would otherwise fail on the first request, mid-output.
        if not isinstance(value, str):
            fail("an http(s) URL")
        try:
            parts = urlsplit(value)
            usable = parts.scheme in ("http", "https") and parts.hostname and (parts.port or 1)
        except ValueError:   # a broken IPv6 literal, a port out of range
            usable = False
        if not usable:
            fail("an http(s) URL such as https://host")
        return value
    if kind == "array" and not isinstance(value, list):
        fail("a list")
    if kind == "object" and not isinstance(value, dict):
        fail("an object")
    return value


def _number(value, integer):
    # Meltano and Mage pass numbers from env vars and forms as strings.
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    if integer:
        return int(value) if float(value).is_integer() else None
    return value


def parse_datetime(value, name):
    """A config or CLI date as an aware UTC datetime; a date alone means its midnight UTC."""
    if not isinstance(value, str):
        raise ConfigError("{!r} must be an ISO 8601 date-time string".format(name))
    try:
        parsed = pendulum.parse(value, tz="UTC")
    except (ValueError, TypeError):  # pendulum's ParserError is a ValueError
        parsed = None
    if not isinstance(parsed, pendulum.DateTime):
        raise ConfigError("{!r} is not an ISO 8601 date-time: {!r}".format(name, value))
    return parsed.in_timezone("UTC")


def common_settings(base_url):
    """Settings every HTTP tap has, with the API's own base URL as default."""
    return (
        Setting("start_date", "date-time", "Earliest data to sync on a first run (UTC).",
                default="2018-01-01T00:00:00Z"),
        Setting("base_url", "url", "API base URL, for proxies and the local sandbox.", default=base_url),
        Setting("request_timeout", "number", "Seconds to wait for each HTTP answer.", default=300, minimum=1),
        Setting("user_agent", "string", "User-Agent header sent with every request."),
        Setting("max_requests_per_minute", "number",
                "Cap on this tap's request rate, to leave room in a shared API budget for other "
                "integrations. The API's own limit is always respected.", minimum=1),
        Setting("retry_base_seconds", "number",
                "First wait of the exponential retry backoff; waits double up to 60 s, and never "
                "come sooner than the API's Retry-After.", default=1.0, minimum=0),
    )
