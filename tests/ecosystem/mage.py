"""Mage's data integration runtime around the taps, as the CI contract tests drive it.

What is Mage's own code, run unchanged in the registry's mage-ai 0.9.80 (its own venv under
`.venv-targets/`, see demo/toolenv.py), through `mage_driver.py`, all from
`mage_ai/data_preparation/models/block/data_integration/utils.py` unless said otherwise:
- finding the source: `source_module_file_path` (imports `mage_integrations.sources.<uuid>`
  in Mage's own process, before any subprocess);
- `discover`, `discover_streams` (stdout read by `parse_logs_and_json`,
  `mage_ai/data_integrations/utils/parsers.py`), `test_connection`, and `fetch_data` (sample
  data), each called with a stub block that only answers the block's config and uuid;
- reading a source's output for the run log: `print_log_from_line`
  (`mage_ai/data_integrations/logger/utils.py`), what reaches the log and what fails the
  block. While a pipeline runs here, the harness applies the rule itself (a LOG at level ERROR
  or EXCEPTION fails the block); the log tests pass every output file of the sweeps through
  Mage's reader and hold the two to the same answer.

What is reproduced here, because it lives only in `mage_integrations` (Mage's integration
runtime: every source and destination; not on the package registry, Mage's image installs it
from Mage's repository) or inside Mage's block executor, which needs a whole Mage project and
server to run (see ../shared/mage/FACTS.md, "observed"):
- the destination's STATE handling (`Destination`: `mage_integrations/destinations/base.py`,
  `_process` and `__process_batch_set` with `batch_processing`, as SQL destinations run);
- the state copy from destination to source before a run (`copy_state`:
  `mage_integrations.sources.utils.update_source_state_from_destination_state`);
- the source command lines of both pipeline styles (`IntegrationPipeline`, `BatchPipeline`),
  their `--query_json` and the files they pass;
- `mage_integrations.utils.logger.constants`, the four constants Mage's log and sample data
  readers import, in the stub package below.

The source file is the hand-off file `sample_configs/mage/source.py`, copied where a user
copies it (`mage_integrations/sources/<uuid>/__init__.py`, in a folder put on PYTHONPATH) and
run as Mage runs it: `python3 <file> FLAGS`, with `python3` the mage-ai venv's Python (Mage's
own interpreter) and `TAP_FRONT_MODE_BIN` the taps' bin folder (this Python's).
"""
import datetime
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILE = ROOT / "sample_configs" / "mage" / "source.py"
DRIVER = Path(__file__).resolve().parent / "mage_driver.py"
TAPS_BIN = os.path.dirname(sys.executable)
UUIDS = {"front": "tap_front", "mode": "tap_mode"}
RUN_TIMEOUT = 300          # seconds; a safety net only
DRIVER_TIMEOUT = 300
BATCH_FETCH_LIMIT = 50000  # mage_integrations.sources.constants.BATCH_FETCH_LIMIT
ERROR_LEVELS = ("ERROR", "EXCEPTION")

# mage_integrations/utils/logger/constants.py: the names Mage's log reader and sample
# data reader import.
LOGGER_CONSTANTS = ('LOG_LEVEL_ERROR = "ERROR"\nLOG_LEVEL_EXCEPTION = "EXCEPTION"\nTYPE_LOG = "LOG"\n'
                    'TYPE_SAMPLE_DATA = "SAMPLE_DATA"\n')


class MageError(Exception):
    """What Mage would show the user when a block fails."""


def read_lines(text):
    """Mage's reading of an output file: one JSON value per line, anything else skipped
    ("Unable to parse" in the destination's log)."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


# -- the source as a user installs it, and Mage's own functions ----------------------------

class Mage:
    """The registry's mage-ai (a ToolEnv) and a folder laid out as Mage's integration runtime
    sees a custom source: `<folder>/integrations/mage_integrations/sources/<uuid>/__init__.py`."""

    def __init__(self, env, folder):
        self.python = env.bin("python")
        self.bin_dir = os.path.dirname(self.python)
        self.folder = Path(folder)
        self.integrations = self.folder / "integrations"
        package = self.integrations / "mage_integrations"
        for sub in ("", "sources", "utils", "utils/logger"):
            (package / sub).mkdir(parents=True, exist_ok=True)
            (package / sub / "__init__.py").touch()
        (package / "utils" / "logger" / "constants.py").write_text(LOGGER_CONSTANTS)
        for uuid in UUIDS.values():
            (package / "sources" / uuid).mkdir(exist_ok=True)
            shutil.copyfile(SOURCE_FILE, package / "sources" / uuid / "__init__.py")
        self._jobs = itertools.count(1)

    def source_file(self, app):
        return str(self.integrations / "mage_integrations" / "sources" / UUIDS[app] / "__init__.py")

    def env(self):
        """Mage's environment: its Python first on PATH (`python3`), the runtime importable,
        the taps' venv named for the source file, nothing of this checkout importable."""
        env = dict(os.environ)
        env["PATH"] = self.bin_dir + os.pathsep + env.get("PATH", "")
        env["PYTHONPATH"] = str(self.integrations)
        env["TAP_FRONT_MODE_BIN"] = TAPS_BIN
        env.pop("VIRTUAL_ENV", None)
        return env

    def call(self, jobs):
        """Run jobs in Mage's Python (mage_driver.py); one result per job."""
        number = next(self._jobs)
        jobs_path = self.folder / "jobs-{}.json".format(number)
        results_path = self.folder / "results-{}.json".format(number)
        jobs_path.write_text(json.dumps(jobs))
        done = subprocess.run([self.python, str(DRIVER), str(jobs_path), str(results_path)],
                              cwd=str(self.folder), env=self.env(), capture_output=True, text=True,
                              timeout=DRIVER_TIMEOUT)
        if not results_path.exists():
            raise MageError("Mage's process ended before answering (exit {}): stdout {!r}, stderr {!r}".format(
                done.returncode, done.stdout[-2000:], done.stderr[-2000:]))
        results = json.loads(results_path.read_text())
        for result in results:
            result["process_stdout"] = done.stdout
        return results

    @staticmethod
    def locate_job(app, argv=()):
        return {"op": "locate", "uuid": UUIDS[app], "argv": list(argv)}

    @staticmethod
    def discover_job(app, config, streams=None):
        return {"op": "discover", "uuid": UUIDS[app], "config": config, "streams": streams}

    @staticmethod
    def discover_streams_job(app, config):
        return {"op": "discover_streams", "uuid": UUIDS[app], "config": config}

    @staticmethod
    def test_connection_job(app, config):
        return {"op": "test_connection", "uuid": UUIDS[app], "config": config}

    @staticmethod
    def sample_data_job(app, config, catalog_path, streams):
        return {"op": "sample_data", "uuid": UUIDS[app], "config": config, "catalog_path": str(catalog_path),
                "streams": list(streams)}

    def parse_logs(self, outputs, config=None, tags=None):
        """Mage's log reader over each output file: [{"lines", "logged", "raised", "printed"}]."""
        paths = [str(output.path) for output in outputs]
        result = self.call([{"op": "logs", "files": paths, "config": config, "tags": tags}])[0]
        if "error" in result:
            raise MageError(result["error"] + "\n" + result.get("traceback", ""))
        return result["files"]

    # -- a source process, as a block starts it --------------------------------------------
    def run_source(self, app, flags, out_path, switch=None, kill_at=None, timeout=RUN_TIMEOUT):
        """`python3 <source file> FLAGS`, stdout and stderr into one pipe and one file (as
        Mage does); SIGKILLed at API request `kill_at` when a KillSwitch is given."""
        args = [self.python, self.source_file(app)] + [str(f) for f in flags]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.env(),
                                   cwd=str(self.folder))
        if switch is not None and kill_at is not None:
            switch.arm(process, kill_at)
        hung = []
        timer = threading.Timer(timeout, lambda: (hung.append(True), process.kill()))
        timer.start()
        try:
            data = process.stdout.read()
            code = process.wait()
        finally:
            timer.cancel()
            if switch is not None:
                switch.disarm()
        if hung:
            raise MageError("the source ran past {} s".format(timeout))
        text = data.decode("utf-8", errors="replace")
        text = text[:text.rfind("\n") + 1]  # a line cut by a kill never reaches the destination whole
        Path(out_path).write_text(text)
        return SourceOutput(Path(out_path), text, code,
                            killed=bool(switch is not None and kill_at is not None and switch.fired))


@dataclass
class SourceOutput:
    path: Path
    text: str
    code: int
    killed: bool = False
    messages: list = field(default_factory=list)

    def __post_init__(self):
        self.messages = read_lines(self.text)

    def of_type(self, kind):
        return [m for m in self.messages if isinstance(m, dict) and m.get("type") == kind]

    @property
    def states(self):
        return [m["value"] for m in self.of_type("STATE")]

    @property
    def last_state(self):
        states = self.states
        return states[-1] if states else None

    def records(self):
        out = {}
        for message in self.of_type("RECORD"):
            out.setdefault(message["stream"], []).append(message["record"])
        return out

    @property
    def logs(self):
        return self.of_type("LOG")

    @property
    def not_json(self):
        return [line for line in self.text.split("\n") if line.strip() and not _is_json(line)]

    def error_logs(self):
        return [m for m in self.logs if m.get("level") in ERROR_LEVELS]


def _is_json(line):
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


# -- Mage's destination: what it saves of a run's STATE messages ---------------------------

class Destination:
    """The STATE handling of Mage's destinations (batch processing, as its SQL destinations
    run), reproduced from `mage_integrations/destinations/base.py` (not on the registry):

    - a STATE's stream is its value's `current_stream`, else (when `bookmarks` is not empty)
      the message's `currently_syncing` or else the FIRST key of `bookmarks`, else the first
      key of the value; an empty value is skipped;
    - the stream of every SCHEMA, RECORD and STATE line opens a batch for it; then the STATE is
      appended to the batch of every key of its `bookmarks`: a key whose stream has no batch
      raises KeyError (shown as "PostgreSQL process failed with error '<key>'");
    - at the end, for each stream that got at least one RECORD, its STATEs are merged key by
      key of `bookmarks`, a dict over a dict shallowly (`{**old, **new}`), anything else
      replaced; the union of those is saved as `{"bookmarks": ...}` (one line, the file
      rewritten): `currently_syncing` is dropped, and a stream without records saves nothing
      (the file keeps what it had).

    Mage also flushes a batch set every 100 MB of records (`maximum_batch_size_mb`), each
    flush saving what it merged: the sandbox's tiny data never reaches that.
    """

    def __init__(self, state_path):
        self.state_path = Path(state_path)

    def consume(self, messages):
        """The state saved (and written to the file), or None when nothing was saved."""
        batches = {}
        for row in messages:
            if not row:
                continue
            row_type = row.get("type")  # a JSON line that is not an object: AttributeError, as Mage
            if not row_type:
                if row.get("level") and row.get("message"):
                    continue  # logged
                raise MageError("Required key type is missing from row.")
            stream = row.get("stream")
            if row_type == "STATE":
                value = row["value"]
                if value.get("current_stream"):
                    stream = value["current_stream"]
                elif value.get("bookmarks"):
                    stream = row["currently_syncing"] if "currently_syncing" in row else list(value["bookmarks"])[0]
                elif value.keys():
                    stream = list(value)[0]
                else:
                    continue
            if stream and stream not in batches:
                batches[stream] = {"records": 0, "states": []}
            if row_type in ("ACTIVATE_VERSION", "LOG", "SCHEMA"):
                continue
            if row_type == "RECORD":
                batches[stream]["records"] += 1
            elif row_type == "STATE":
                value = row["value"]
                keys = list(value["bookmarks"]) if "bookmarks" in value else [stream]
                for key in keys:
                    batches[key]["states"].append(value)  # KeyError for a stream not seen
            else:
                raise MageError("Unknown message type {} in message {}.".format(row_type, row))
        stream_bookmarks = {}
        for stream, batch in batches.items():
            if batch["records"] >= 1 and batch["states"]:
                merged = {}
                for state in batch["states"]:
                    for key, value in state["bookmarks"].items():
                        if key in merged and isinstance(value, dict) and isinstance(merged[key], dict):
                            merged[key] = dict(merged[key], **value)
                        else:
                            merged[key] = value
                stream_bookmarks[stream] = merged
        if not stream_bookmarks:
            return None
        bookmarks = {}
        for merged in stream_bookmarks.values():
            bookmarks.update(merged)
        saved = {"bookmarks": bookmarks}
        self.state_path.write_text(json.dumps(saved) + "\n")
        return saved


def merged_bookmarks(states):
    """The shallow per-stream merge of the bookmarks of `states` (what Mage saves of a run
    whose stream emitted records)."""
    merged = {}
    for state in states:
        for key, value in (state.get("bookmarks") or {}).items():
            if key in merged and isinstance(value, dict) and isinstance(merged[key], dict):
                merged[key] = dict(merged[key], **value)
            else:
                merged[key] = value
    return merged


def copy_state(source_state_path, destination_state_path):
    """`update_source_state_from_destination_state` (mage_integrations.sources.utils),
    reproduced: the destination's state file's LAST line becomes the source's state file,
    `{"bookmarks": {}}` when it has none (an empty destination file is created)."""
    destination = Path(destination_state_path)
    lines = None
    if destination.is_file():
        lines = destination.read_text().splitlines()
    else:
        destination.write_text("")
    line = lines[-1] if lines else json.dumps({"bookmarks": {}})
    Path(source_state_path).write_text(line)


# -- the two pipeline styles ---------------------------------------------------------------

def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def trigger_query(schedule=None, now=None):
    """The runtime variables a trigger gives a data integration block (Mage's block
    executor): an API trigger (`schedule=None`) gives null dates; `@daily` gives the day
    before the execution date (today 00:00 UTC) on every run, the first included."""
    now = now or utc_now()
    if schedule == "@daily":
        execution = now.replace(hour=0, minute=0, second=0, microsecond=0)
        start, end = (execution - datetime.timedelta(days=1)).isoformat(), execution.isoformat()
    elif schedule is None:
        execution, start, end = now.replace(tzinfo=None), None, None  # datetime.utcnow()
    else:
        raise ValueError(schedule)
    return {"_start_date": start, "_end_date": end, "_execution_date": execution.isoformat(),
            "_execution_partition": "1/" + execution.strftime("%Y%m%dT%H%M%S")}


@dataclass
class StreamRun:
    """One stream's block run: the source's output and what the destination saved."""
    stream: str
    flags: list
    output: SourceOutput
    state_in: dict = None
    saved: dict = None        # what the destination saved (None: nothing)
    failure: str = None       # why Mage failed the block (None: it did not)

    @property
    def records(self):
        return self.output.records().get(self.stream, [])

    @property
    def states(self):
        return self.output.states


class Pipeline:
    """One Mage pipeline over one tap: its config and catalog (every stream selected, as
    Mage's UI writes it after discovery), one stream per source process."""

    style = ""

    def __init__(self, mage, app, config, catalog, folder):
        self.mage = mage
        self.app = app
        self.config = dict(config)
        self.catalog = catalog
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.methods = {e["tap_stream_id"]: e.get("replication_method") for e in catalog["streams"]}
        self._runs = itertools.count(1)

    def is_incremental(self, stream):
        return self.methods.get(stream) in ("INCREMENTAL", "LOG_BASED")

    def _stream_dir(self, kind, stream):
        path = self.folder / kind / stream
        path.mkdir(parents=True, exist_ok=True)
        return path

    def destination_state_path(self, stream):
        """Where the destination saves the stream's state (created as `{"bookmarks": {}}`)."""
        path = self._stream_dir("destination", stream) / "{}_state".format(stream)
        if not path.exists():
            path.write_text(json.dumps({"bookmarks": {}}))
        return path

    def saved(self, stream):
        """The stream's state as the destination last saved it (its file's last line)."""
        lines = self.destination_state_path(stream).read_text().splitlines()
        return json.loads(lines[-1]) if lines else None

    def save(self, stream, state):
        """Put a state where Mage keeps it, as an earlier run would have left it."""
        self.destination_state_path(stream).write_text(json.dumps(state) + "\n")

    def run(self, stream, config=None, query=None, switch=None, kill_at=None):
        """One block run of `stream`: source, then (if the block did not fail) destination."""
        number = next(self._runs)
        flags, state_in = self.flags(stream, config or self.config, query)
        out = self.mage.run_source(self.app, flags, self._stream_dir("output", stream) / "{:04d}".format(number),
                                   switch=switch, kill_at=kill_at)
        run = StreamRun(stream, flags, out, state_in)
        errors = out.error_logs()
        if errors:   # print_log_from_line raises on the first one
            message = errors[0].get("message") or "Exception raised, please check logs for more details."
            run.failure = "{} {}".format(message, json.dumps(errors[0]["tags"])) if errors[0].get("tags") else message
        elif out.code != 0:
            run.failure = "the source exited with {}".format(out.code)
        if run.failure is None or self.destination_reads_failed_runs:
            try:
                run.saved = Destination(self.destination_state_path(stream)).consume(out.messages)
            except KeyError as missing:
                run.failure = "destination failed with error {}".format(missing)
            if run.saved is not None:
                self.after_save(stream, run.saved)
        return run

    # A killed source fails its block, and Mage never starts the destination. The kill
    # tests ask more: that the destination could have read the partial output and saved it.
    destination_reads_failed_runs = False

    def after_save(self, stream, saved):
        pass

    def flags(self, stream, config, query):
        raise NotImplementedError


class IntegrationPipeline(Pipeline):
    """`type: integration`: the catalog in `pipelines/<p>/data_integration_catalog.json`
    (`{"catalog": ...}`, passed as `--settings`), the state through files: before each run the
    destination's state file's last line is copied to the source's (INCREMENTAL streams
    only), which Mage passes as `--state`."""

    style = "integration"

    def __init__(self, mage, app, config, catalog, folder, schedule=None, last_block_run=True):
        super().__init__(mage, app, config, catalog, folder)
        self.schedule = schedule
        self.last_block_run = last_block_run
        self.settings_path = self.folder / "data_integration_catalog.json"
        self.settings_path.write_text(json.dumps({"catalog": catalog}))

    def source_state_path(self, stream):
        path = self._stream_dir("source", stream) / "{}_state.json".format(stream)
        if not path.exists():
            path.write_text(json.dumps({"bookmarks": {}}))
        return path

    def flags(self, stream, config, query):
        source_state = self.source_state_path(stream)
        if self.is_incremental(stream):
            copy_state(source_state, self.destination_state_path(stream))
        data = dict(trigger_query(self.schedule))
        limit = config.get("batch_fetch_limit", BATCH_FETCH_LIMIT)
        if not self.is_incremental(stream):
            data["_offset"] = 0  # batch_fetch_limit * index, index 0
        if not self.last_block_run:
            data["_limit"] = limit
        data.update(query or {})
        flags = ["--config_json", json.dumps(config), "--log_to_stdout", "1", "--settings", str(self.settings_path),
                 "--state", str(source_state), "--query_json", json.dumps(data),
                 "--selected_streams_json", json.dumps([stream])]
        return flags, json.loads(source_state.read_text())


class BatchPipeline(Pipeline):
    """A batch pipeline with data integration blocks: the block's catalog as `--catalog FILE`,
    the state as `--state_json {"bookmarks": ...}` (the bookmarks Mage keeps for the block,
    INCREMENTAL streams only), `_limit` always in `--query_json`.

    Mage's block executor has a second source for that state when it keeps no bookmarks: the
    last STATE line of the previous run's source output (`get_state_data`). With bookmarks
    that never lose a key, the two differ only by `currently_syncing`."""

    style = "batch"

    def __init__(self, mage, app, config, catalog, folder, schedule=None):
        super().__init__(mage, app, config, catalog, folder)
        self.schedule = schedule
        self.catalog_path = self.folder / "catalog.json"
        self.catalog_path.write_text(json.dumps(catalog))

    def flags(self, stream, config, query):
        data = dict(trigger_query(self.schedule))
        limit = config.get("batch_fetch_limit", BATCH_FETCH_LIMIT)
        if not self.is_incremental(stream):
            data["_offset"] = 0
        data["_limit"] = limit
        data.update(query or {})
        flags = ["--config_json", json.dumps(config), "--log_to_stdout", "1", "--query_json", json.dumps(data),
                 "--catalog", str(self.catalog_path)]
        state = None
        if self.is_incremental(stream):
            saved = self.saved(stream)
            if saved and saved.get("bookmarks"):
                state = {"bookmarks": saved["bookmarks"]}
                flags += ["--state_json", json.dumps(state)]
        flags += ["--selected_streams_json", json.dumps([stream])]
        return flags, state


STYLES = {"integration": IntegrationPipeline, "batch": BatchPipeline}


# -- requests per run ------------------------------------------------------------------------

class Ledger:
    """Counts the API requests a sandbox answers per User-Agent (each run's config names
    its own), so that runs side by side each get their own count, per endpoint template."""

    def __init__(self, server):
        self._app = server.app
        self._handle = server.app.handle
        server.app.handle = self._intercept   # the instance attribute shadows the method
        self._lock = threading.Lock()
        self.counts = {}

    def _intercept(self, request):
        agent = request.headers.get("user-agent", "")
        endpoint = self._app.endpoint_of(request)
        with self._lock:
            per = self.counts.setdefault(agent, {})
            per[endpoint] = per.get(endpoint, 0) + 1
        return self._handle(request)

    def of(self, agent):
        with self._lock:
            return dict(self.counts.get(agent, {}))

