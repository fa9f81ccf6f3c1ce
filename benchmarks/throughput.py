"""Records per second through record shaping and message output, in-process, no HTTP: a
20-field record with three timestamps (epoch seconds, ISO with Z, ISO with +00:00), pages of
100 as the sync walk hands them over. One thread, timed in CPU seconds of this process, so the
figure is per core and other load on the machine does not lower it."""
import io
import time

from tap_engine.output import Output
from tap_engine.shaping import compile_shaper

from .measure import figure, repeat

PAGE = 100
GOAL = 50_000


def _schema_and_record():
    properties = {"f{}".format(i): {"type": ["null", "string"]} for i in range(14)}
    properties.update({"n{}".format(i): {"type": ["null", "integer"]} for i in range(3)})
    properties.update({"t{}".format(i): {"type": ["null", "string"], "format": "date-time"} for i in range(3)})
    record = {"f{}".format(i): "value number {}".format(i) for i in range(14)}
    record.update({"n{}".format(i): i * 1000 + 7 for i in range(3)})
    record.update({"t0": 1731600573.116, "t1": "2021-12-10T20:55:24.316Z", "t2": "2021-12-10T20:55:24.316+00:00",
                   "_links": {"self": "https://example.invalid/x"}})
    return {"type": "object", "properties": properties}, record


def records_per_second(count=200_000):
    schema, record = _schema_and_record()
    shape = compile_shaper(schema)
    # Distinct dicts, as parsed from JSON; built before the clock starts.
    pages = [[dict(record) for _ in range(PAGE)] for _ in range(max(1, count // PAGE))]
    output = Output(io.StringIO())
    started = time.process_time()
    for page in pages:
        output.records("bench", (shape(r) for r in page), "2026-01-01T00:00:00.000000Z")
    return len(pages) * PAGE / (time.process_time() - started)


def run(profile):
    summary = repeat(lambda: records_per_second(profile.inprocess_records), profile.inprocess_runs)
    return {"figures": [figure("shaping + output, in-process (20 fields, 3 timestamps)", summary, "records/s",
                               ">= {:,} per core".format(GOAL), summary["median"] >= GOAL,
                               "{:,} records a run, one thread, per CPU second".format(profile.inprocess_records))]}
