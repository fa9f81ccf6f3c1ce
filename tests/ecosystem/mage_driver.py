"""Calls into the registry's mage-ai, run by the mage-ai venv's Python (never imported by the
test suite, which runs on another Python without Mage):

    <mage venv>/bin/python mage_driver.py JOBS.json RESULTS.json

JOBS.json is a list of jobs; RESULTS.json gets one result per job, in order. A job that raises
gets {"error": "<type>: <message>"}. The functions called are Mage's own, unchanged:

- `locate`: `mage_ai.data_preparation.models.block.data_integration.utils.source_module_file_path`,
  which imports `mage_integrations.sources.<uuid>` in this process (as Mage's server and
  scheduler do before any subprocess) and answers its file path. The job sets `sys.argv` to
  a sync's flags first, so that a source file calling `main()` on import would sync right here
  (or exec the tap, replacing this process: then no RESULTS.json is written at all).
- `discover`, `discover_streams`: Mage's `discover(source_uuid, config, streams)` and
  `discover_streams(source_uuid, config)` from the same module: `python3 <source file>
  --config_json ... --discover [...]`, stdout read with Mage's `parse_logs_and_json`.
- `test_connection`, `sample_data`: Mage's `test_connection(block)` and `fetch_data(block,
  selected_streams=...)` from the same module (the source's `--test_connection` within 10 s,
  the error picked out of its stderr; `--load_sample_data`, its SAMPLE_DATA lines read into
  pandas DataFrames). The block is the one thing stubbed: a source block whose settings are
  the job's config and uuid (what Mage reads from the block's YAML) and whose catalog file is
  the job's.
- `logs`: Mage's `mage_ai.data_integrations.logger.utils.print_log_from_line` over every line
  of a source's output file, as a source block does while it runs, with a logger that records
  what reaches it; a line on which Mage raises (a LOG at level ERROR or EXCEPTION: the block
  fails) is recorded with the exception's message.

`mage_integrations` (Mage's integration runtime, not on the registry) comes from the stub
package on PYTHONPATH that the harness writes (tests/ecosystem/mage.py).
"""
import contextlib
import io
import json
import sys
import traceback


class RecordingLogger:
    """What Mage's run log would receive: `logger.info(message, **tags)` calls."""

    def __init__(self):
        self.calls = []

    def info(self, message, **kwargs):
        self.calls.append({"message": message, "kwargs": kwargs})

    warning = error = exception = debug = info


class SourceBlock:
    """A data loader block with `source: <uuid>` and the job's config: the accessors Mage's
    functions call on it, nothing else."""

    pipeline = None

    def __init__(self, job):
        self.job = job

    def get_data_integration_settings(self, **kwargs):
        return {"config": self.job["config"], "data_integration_uuid": self.job["uuid"]}

    def is_source(self):
        return True

    def get_catalog_file_path(self):
        return self.job.get("catalog_path")


def test_connection(job):
    from mage_ai.data_preparation.models.block.data_integration.utils import test_connection as mage_test_connection

    try:
        mage_test_connection(SourceBlock(job))
    except Exception as error:  # what Mage shows the user
        return {"ok": False, "message": str(error)}
    return {"ok": True}


def sample_data(job):
    from mage_ai.data_preparation.models.block.data_integration.utils import fetch_data

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            frames = fetch_data(SourceBlock(job), selected_streams=[{"stream": s} for s in job["streams"]])
    except Exception as error:
        return {"ok": False, "message": str(error), "printed": out.getvalue()}
    tables = {stream: {"columns": [str(c) for c in frame.columns], "rows": len(frame.index),
                       "index": [str(i) for i in frame.index]}
              for stream, frame in (frames or {}).items()}
    return {"ok": True, "tables": tables, "printed": out.getvalue()}


def locate(job):
    from mage_ai.data_preparation.models.block.data_integration.utils import source_module_file_path

    saved = sys.argv
    sys.argv = [saved[0]] + list(job.get("argv") or [])
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            path = source_module_file_path(job["uuid"])
    finally:
        sys.argv = saved
    return {"path": path, "stdout": out.getvalue()}


def discover(job):
    from mage_ai.data_preparation.models.block.data_integration.utils import discover as mage_discover

    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # parse_logs_and_json prints the LOG lines it set apart
        catalog = mage_discover(job["uuid"], job["config"], job.get("streams"))
    return {"catalog": catalog, "printed": out.getvalue()}


def discover_streams(job):
    from mage_ai.data_preparation.models.block.data_integration.utils import discover_streams as mage_discover_streams

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        streams = mage_discover_streams(job["uuid"], job["config"])
    return {"streams": streams, "printed": out.getvalue()}


def logs(job):
    from mage_ai.data_integrations.logger.utils import print_log_from_line

    results = []
    for path in job["files"]:
        logger = RecordingLogger()
        lines, raised, printed = 0, None, io.StringIO()
        with open(path, "rb") as handle:
            for line in handle:   # bytes, as Mage reads the subprocess's stdout
                lines += 1
                try:
                    with contextlib.redirect_stdout(printed):
                        print_log_from_line(line, config=job.get("config"), logger=logger,
                                            logging_tags={}, tags=job.get("tags") or {})
                except Exception as error:  # the block fails here, on its first such line
                    raised = {"line": lines, "message": str(error)}
                    break
        results.append({"lines": lines, "logged": logger.calls, "raised": raised,
                        "printed": printed.getvalue()})
    return {"files": results}


JOBS = {"locate": locate, "discover": discover, "discover_streams": discover_streams, "logs": logs,
        "test_connection": test_connection, "sample_data": sample_data}


def main(jobs_path, results_path):
    with open(jobs_path) as handle:
        jobs = json.load(handle)
    results = []
    for job in jobs:
        try:
            results.append(JOBS[job["op"]](job))
        except BaseException as error:  # SystemExit from a source file run on import included
            results.append({"error": "{}: {}".format(type(error).__name__, error),
                            "traceback": traceback.format_exc()[-3000:]})
    with open(results_path, "w") as handle:
        json.dump(results, handle, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
