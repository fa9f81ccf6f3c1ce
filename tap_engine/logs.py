"""Logging for a tap run: stderr, singer's format, level from LOGGING_LEVEL, and a filter that
masks every configured secret in whatever gets logged, tracebacks included."""
import json
import logging
import os
import sys
from urllib.parse import quote

import singer.metrics

LOGGER = logging.getLogger("tap")
METRICS_LOGGER = logging.getLogger("tap.metrics")
_MASK = "********"


class SecretMask(logging.Filter):
    def __init__(self):
        super().__init__()
        self.secrets = set()

    def add(self, value):
        """A secret, and the forms it takes when a message quotes it: escaped as in a repr or in
        JSON (a token with a stray newline shows as `tok\\n`), URL-encoded, trimmed."""
        if not isinstance(value, str):
            return
        forms = {value, value.strip(), repr(value)[1:-1], json.dumps(value)[1:-1], quote(value, safe="")}
        self.secrets.update(form for form in forms if len(form) >= 4)

    def mask(self, text):
        # Longest first: a form that contains another is masked whole.
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, _MASK)
        return text

    def filter(self, record):
        if self.secrets:
            record.msg = self.mask(record.getMessage())
            record.args = None
            if record.exc_info:
                record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


SECRETS = SecretMask()
STDOUT_LOGS = False


class _JsonLogFormatter(logging.Formatter):
    def __init__(self, tap_name):
        super().__init__("%(message)s")
        self.tags = {"tap": tap_name}

    def format(self, record):
        # Mage shows a LOG line only when it has a `tags` object to merge into its own.
        return json.dumps({"type": "LOG", "level": record.levelname, "message": super().format(record),
                           "tags": dict(self.tags, logger=record.name)})


def json_stdout_handler(tap_name):
    """Mage's `--log_to_stdout`: log lines become JSON objects among the Singer messages."""
    global STDOUT_LOGS
    STDOUT_LOGS = True
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_JsonLogFormatter(tap_name))
    return handler


def setup(handler=None):
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = handler or logging.StreamHandler(sys.stderr)
    handler.setFormatter(handler.formatter or logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(SECRETS)
    root.addHandler(handler)
    level = os.environ.get("LOGGING_LEVEL", "INFO").upper()
    root.setLevel(level if level in logging._nameToLevel else "INFO")
    # One METRIC line per request drowns a long sync's log; they show at DEBUG.
    METRICS_LOGGER.setLevel(logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING)
    logging.getLogger("urllib3").setLevel(max(root.level, logging.INFO))
    # backoff logs every retry itself; the client's own line says more (endpoint, status).
    logging.getLogger("backoff").setLevel(logging.CRITICAL)
    # singer's Timer re-reads its logging.conf on every request, which costs time and would undo
    # this setup; hand it our logger instead.
    singer.metrics.get_logger = lambda: METRICS_LOGGER
    return handler


def register_secrets(config, settings):
    for setting in settings:
        value = config.get(setting.name)
        if setting.secret and isinstance(value, str) and len(value) >= 4:
            SECRETS.add(value)
