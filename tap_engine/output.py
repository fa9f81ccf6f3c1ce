"""Singer messages on stdout. SCHEMA and STATE go through singer-python's message classes;
RECORD lines, the hot path, are serialised directly with one timestamp per page and no flush
per line (STATE flushes, so a reader never sees a STATE before the records it covers)."""
import json
import sys

import singer
from singer.messages import SchemaMessage, StateMessage

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class Output:
    def __init__(self, stream=None):
        self._stream = stream or sys.stdout
        self._write = self._stream.write
        self._last_state = None

    def schema(self, name, schema, key_properties, bookmark_properties=None, extra=None):
        message = SchemaMessage(stream=name, schema=schema, key_properties=list(key_properties),
                                bookmark_properties=bookmark_properties).asdict()
        message.update(extra or {})
        self._write(_dumps(message) + "\n")

    def records(self, name, records, time_extracted):
        """Write a page of shaped records; `time_extracted` is an RFC 3339 string."""
        head = '{"type":"RECORD","stream":' + _dumps(name) + ',"time_extracted":' + _dumps(time_extracted) + ',"record":'
        write = self._write
        count = 0
        for record in records:
            write(head + _dumps(record) + "}\n")
            count += 1
        return count

    def state(self, value):
        line = singer.format_message(StateMessage(value=value))
        if line == self._last_state:
            return  # nothing moved since the last one
        self._last_state = line
        self._write(line + "\n")
        self._stream.flush()

    def raw(self, obj):
        """Any other line a caller needs on stdout (catalogs, Mage's SAMPLE_DATA)."""
        self._write(_dumps(obj) + "\n")
        self._stream.flush()

    def flush(self):
        self._stream.flush()
