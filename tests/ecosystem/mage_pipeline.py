"""Real Mage running the taps: mage-ai and Mage's integration runtime (`mage_integrations`, its
sources and destinations) in the Python that MAGE_PIPELINE_PYTHON names. Nothing of Mage's is
built, vendored or downloaded here; this module only drives an environment the user made.

What it does is what a Mage user does, without the UI:
- installs the hand-off source file (`sample_configs/mage/source.py`) as Mage's
  `mage_integrations/sources/tap_front/__init__.py` and `.../tap_mode/__init__.py`, the recipe
  the README gives; it runs `$TAP_FRONT_MODE_BIN/tap-front` (or tap-mode);
- `mage init` a project; writes an integration pipeline (a source block, Mage's PostgreSQL
  destination block) as the files Mage keeps (`pipelines/<uuid>/metadata.yaml`, the blocks'
  YAML, `triggers.yaml` with an API trigger);
- runs Mage's own discovery (`IntegrationPipeline.discover`, what the UI's stream picker calls:
  `python3 <source file> --config_json ... --discover --selected_streams_json ...`) and keeps
  the chosen streams the way the UI does (`select_streams_as_mage_ui`), in
  `data_integration_catalog.json`;
- `mage start`s the project (server and scheduler) and has it run the pipeline: through the API
  trigger's URL, or as a new @daily trigger's first run. The scheduler copies each stream's
  saved destination state into the source's state file, runs one source process per stream,
  feeds its output to the destination, exactly as in production. (One thing is mended: Mage's
  process queue can lose a queued run, see `MageServer.job_lost`; `mage start` is then
  restarted, which picks the run up again, and the table notes it.)

Run status is read from Mage's own database (its SQLite file, read-only), logs from Mage's log
files, what the tap emitted from the source output file Mage keeps per stream, and what Mage
saved as state from the destination's state file.
"""
import datetime
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from .postgres import free_port

ENV_VAR = "MAGE_PIPELINE_PYTHON"
ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILE = ROOT / "sample_configs" / "mage" / "source.py"

COMMAND_TIMEOUT = 180   # seconds for `mage init`, the probe and a discovery
LOST_JOB_SECONDS = 30   # a queued run no worker took for this long: Mage lost it (see MageServer.run)
RESTARTS = 3
START_TIMEOUT = 240     # seconds for `mage start` to answer and sync the triggers
RUN_TIMEOUT = 600       # seconds for one pipeline run; a safety net, a run takes about 15 s
STOP_TIMEOUT = 30
POLL_SECONDS = 0.05

DESTINATION = "postgresql"
FINISHED_RUN = ("COMPLETED", "FAILED", "CANCELLED")
FAILED_BLOCK = ("FAILED", "UPSTREAM_FAILED", "CANCELLED")
INTERNAL_COLUMNS = ("_mage_created_at", "_mage_updated_at")

PROBE = """
import json, os, sys
import mage_ai, mage_integrations.sources, mage_integrations.destinations.postgresql
try:
    from importlib.metadata import version
    mage_version = version("mage-ai")
except Exception:
    mage_version = "?"
print(json.dumps({"mage_ai": mage_version,
                  "sources": os.path.dirname(os.path.abspath(mage_integrations.sources.__file__)),
                  "postgresql": os.path.abspath(mage_integrations.destinations.postgresql.__file__)}))
"""

# Mage's discovery as the UI's stream picker runs it (IntegrationSourcePresenter, UPDATE):
# `IntegrationPipeline.discover(streams=...)`. The catalog goes to a file, since Mage prints
# its own notices on stdout.
DISCOVER = """
import json, sys
repo, uuid, streams, out = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
from mage_ai.settings.repo import set_repo_path
set_repo_path(repo)
from mage_ai.data_preparation.models.pipelines.integration_pipeline import IntegrationPipeline
pipeline = IntegrationPipeline.get(uuid, repo_path=repo)
catalog = pipeline.discover(streams=streams)
with open(out, "w") as handle:
    json.dump(catalog, handle)
"""


class MageFailure(AssertionError):
    """A Mage block or run failed: the message carries what Mage logged."""


def configured_python():
    return os.environ.get(ENV_VAR) or None


def _run(command, timeout, **kwargs):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as err:
        raise MageFailure("{} did not finish within {} s:\n{}".format(
            " ".join(map(str, command[:3])), timeout, _tail(err.stdout, err.stderr))) from None


def _tail(*texts, lines=40):
    text = "\n".join(t.decode() if isinstance(t, bytes) else (t or "") for t in texts)
    return "\n".join(text.strip().splitlines()[-lines:])


# -- the environment -----------------------------------------------------------------------

class MageRuntime:
    """The Python named by MAGE_PIPELINE_PYTHON, with mage-ai and mage_integrations in it."""

    def __init__(self, python):
        self.python = str(Path(python).absolute())  # a venv's python is a symlink: keep its folder
        self.bin = os.path.dirname(self.python)
        if not os.access(self.python, os.X_OK):
            raise MageFailure("{}={} is not an executable Python".format(ENV_VAR, python))
        done = _run([self.python, "-c", PROBE], COMMAND_TIMEOUT, env=self.env())
        if done.returncode != 0:
            raise MageFailure("{}={}: mage-ai and mage_integrations (Mage's integration runtime) must "
                              "import there:\n{}".format(ENV_VAR, python, _tail(done.stderr)))
        found = json.loads(done.stdout.strip().splitlines()[-1])
        self.version = found["mage_ai"]
        self.sources = Path(found["sources"])
        self.postgresql = found["postgresql"]
        self.mage = os.path.join(self.bin, "mage")
        if not os.access(self.mage, os.X_OK):
            raise MageFailure("no `mage` command next to {}".format(self.python))

    def env(self, **extra):
        """Mage runs `python3 <source or destination file>` from PATH: the Mage env's bin comes
        first, so that its destinations run on its Python. The hand-off source runs the taps
        from this test's own interpreter folder (the checkout's venv)."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        env["PATH"] = self.bin + os.pathsep + env.get("PATH", "")
        env["VIRTUAL_ENV"] = os.path.dirname(self.bin)
        env["TAP_FRONT_MODE_BIN"] = os.path.dirname(sys.executable)
        env.update(extra)
        return env

    def install_source(self, module):
        """The README's recipe: the hand-off file as `mage_integrations/sources/<module>/__init__.py`."""
        target = self.sources / module / "__init__.py"
        target.parent.mkdir(exist_ok=True)
        if not target.exists() or target.read_bytes() != SOURCE_FILE.read_bytes():
            shutil.copyfile(SOURCE_FILE, target)
        return target


# -- the project ---------------------------------------------------------------------------

def select_streams_as_mage_ui(discovered, wanted, unique_constraints=True):
    """What Mage's UI keeps of a discovery when the user picks `wanted` in its stream picker
    (frontend components/IntegrationPipeline, the integration_sources update callback): only
    the picked streams, every metadata entry not `unsupported` marked selected, replication
    method FULL_TABLE where the tap names none, conflict method UPDATE, destination table the
    stream id with non-word runs as `_`. Then what a user sets in each stream's settings so
    that re-sent rows update instead of failing on the primary key: the unique constraints
    (the stream's key properties)."""
    streams = []
    for stream in discovered["streams"]:
        if stream["tap_stream_id"] not in wanted:
            continue
        stream = json.loads(json.dumps(stream))
        for entry in stream.get("metadata", []):
            if entry.get("metadata", {}).get("inclusion") != "unsupported":
                if not stream.get("replication_method"):
                    stream["replication_method"] = "FULL_TABLE"
                if not stream.get("unique_conflict_method"):
                    stream["unique_conflict_method"] = "UPDATE"
                if not stream.get("destination_table"):
                    stream["destination_table"] = re.sub(r"\W+", "_", stream["tap_stream_id"])
                entry["metadata"] = dict(entry["metadata"], selected=True)
        if unique_constraints:
            stream["unique_constraints"] = list(stream.get("key_properties") or [])
        streams.append(stream)
    return {"streams": streams}


def _block(uuid, block_type, upstream, downstream):
    return {"all_upstream_blocks_executed": True, "color": None, "configuration": {},
            "downstream_blocks": downstream, "executor_config": None, "executor_type": "local_python",
            "has_callback": False, "language": "yaml", "name": uuid, "retry_config": None,
            "status": "not_executed", "timeout": None, "type": block_type, "upstream_blocks": upstream,
            "uuid": uuid}


class IntegrationPipeline:
    def __init__(self, project, uuid, source, token):
        self.project = project
        self.uuid = uuid
        self.source = source
        self.source_block = "{}_source".format(uuid)
        self.destination_block = "{}_postgres".format(uuid)
        self.token = token
        self.folder = project.path / "pipelines" / uuid
        self.catalog = None
        self.schema = None
        self.triggers = []

    @property
    def streams(self):
        return [s["tap_stream_id"] for s in self.catalog["streams"]]

    def write_triggers(self):
        """`triggers.yaml`, which Mage's scheduler syncs into its database on every pass."""
        (self.folder / "triggers.yaml").write_text(yaml.safe_dump({"triggers": self.triggers}, sort_keys=False))

    def add_daily_trigger(self):
        """A new `@daily` trigger that runs at once (`create_initial_pipeline_run`), the others
        switched off. Mage gives its runs the day before the execution date (today 00:00 UTC) as
        `_start_date` and the execution date as `_end_date`, as on every scheduled run. A
        second run cannot wait for tomorrow: it is a second such trigger's first run."""
        for trigger in self.triggers:
            if trigger["schedule_type"] == "time":
                trigger["status"] = "inactive"
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        name = "{}_daily_{}".format(self.uuid, sum(t["schedule_type"] == "time" for t in self.triggers) + 1)
        self.triggers.append({"name": name, "schedule_type": "time", "schedule_interval": "@daily",
                              "start_time": (today - datetime.timedelta(days=1)).replace(tzinfo=None),
                              "status": "active", "settings": {"create_initial_pipeline_run": True},
                              "variables": {}})
        self.write_triggers()
        return name

    def stream(self, name):
        return next(s for s in self.catalog["streams"] if s["tap_stream_id"] == name)

    # Mage's files for this pipeline: <variables_dir>/<project>/pipelines/<uuid>/...
    @property
    def data(self):
        return self.project.variables / self.project.path.name / "pipelines" / self.uuid

    def source_output(self, stream):
        folder = self.data / self.source / stream / "output"
        return sorted(folder.glob("*")) if folder.is_dir() else []

    def source_state_file(self, stream):
        return self.data / self.source / stream / "{}_state.json".format(self.stream(stream)["destination_table"])

    def destination_state_file(self, stream):
        return self.data / DESTINATION / stream / "{}_state".format(self.stream(stream)["destination_table"])

    def log_folder(self, execution_partition):
        return self.data / ".logs" / execution_partition

    def block_log(self, execution_partition, block_run_uuid):
        return self.log_folder(execution_partition) / "{}.log".format(block_run_uuid.replace(":", "_"))


class MageProject:
    def __init__(self, runtime, folder):
        self.runtime = runtime
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "project"
        self.variables = self.folder / "mage_data"
        self.database = self.folder / "mage.db"
        self.pipelines = {}
        done = self.mage("init", str(self.path))
        if done.returncode != 0 or not (self.path / "metadata.yaml").exists():
            raise MageFailure("mage init failed:\n{}".format(_tail(done.stdout, done.stderr)))
        # Edited as text: the file holds Jinja templates (`{{ env_var('...') }}`) that a YAML
        # round trip would re-quote into invalid ones.
        settings = self.path / "metadata.yaml"
        text = settings.read_text()
        for key, value in (("variables_dir", json.dumps(str(self.variables))),
                           ("help_improve_mage", "false")):  # no usage statistics sent anywhere
            text, found = re.subn(r"(?m)^{}:.*$".format(key), "{}: {}".format(key, value), text)
            if not found:
                text += "\n{}: {}\n".format(key, value)
        settings.write_text(text)

    def env(self):
        return self.runtime.env(MAGE_DATABASE_CONNECTION_URL="sqlite:///{}".format(self.database),
                                MAGE_DATA_DIR=str(self.variables))  # else Mage makes folders in ~/.mage_data

    def mage(self, *args, timeout=COMMAND_TIMEOUT):
        return _run([self.runtime.mage] + list(args), timeout, cwd=str(self.folder), env=self.env())

    def add_pipeline(self, uuid, source, source_config, destination_config, streams):
        """An integration pipeline `source` -> PostgreSQL with an API trigger; the catalog from
        Mage's discovery of `streams`, kept as the UI keeps it."""
        pipeline = IntegrationPipeline(self, uuid, source, token=os.urandom(16).hex())
        pipeline.folder.mkdir(parents=True)
        (pipeline.folder / "__init__.py").write_text("")
        metadata = {
            "blocks": [_block(pipeline.source_block, "data_loader", [], [pipeline.destination_block]),
                       _block(pipeline.destination_block, "data_exporter", [pipeline.source_block], [])],
            "data_integration": None, "name": uuid, "uuid": uuid, "type": "integration",
        }
        (pipeline.folder / "metadata.yaml").write_text(yaml.safe_dump(metadata, sort_keys=False))
        (self.path / "data_loaders" / "{}.yaml".format(pipeline.source_block)).write_text(
            yaml.safe_dump({"source": source, "config": source_config}, sort_keys=False))
        (self.path / "data_exporters" / "{}.yaml".format(pipeline.destination_block)).write_text(
            yaml.safe_dump({"destination": DESTINATION, "config": destination_config}, sort_keys=False))
        pipeline.schema = destination_config["schema"]
        # `schedule_interval: null` even for an API trigger, or Mage refuses the file.
        pipeline.triggers = [{"name": "{}_api".format(uuid), "schedule_type": "api", "schedule_interval": None,
                              "start_time": None, "status": "active", "token": pipeline.token,
                              "settings": None, "variables": {}}]
        pipeline.write_triggers()
        discovered = self.discover(pipeline, streams)
        missing = sorted(set(streams) - {s["tap_stream_id"] for s in discovered.get("streams", [])})
        if missing:
            raise MageFailure("Mage's discovery of {} lacks {}".format(source, missing))
        pipeline.catalog = select_streams_as_mage_ui(discovered, streams)
        # What Pipeline.save writes for `data_integration` (the UI's save).
        (pipeline.folder / "data_integration_catalog.json").write_text(json.dumps({"catalog": pipeline.catalog}))
        self.pipelines[uuid] = pipeline
        return pipeline

    def discover(self, pipeline, streams):
        out = self.folder / "{}-discovered.json".format(pipeline.uuid)
        done = _run([self.runtime.python, "-c", DISCOVER, str(self.path), pipeline.uuid, json.dumps(streams),
                     str(out)], COMMAND_TIMEOUT, cwd=str(self.folder), env=self.env())
        if done.returncode != 0 or not out.exists():
            raise MageFailure("Mage's discovery of {} failed:\n{}".format(pipeline.source,
                                                                       _tail(done.stdout, done.stderr)))
        return json.loads(out.read_text())


# -- the server, its runs ------------------------------------------------------------------

class MageDatabase:
    """Mage's SQLite database, read-only."""

    def __init__(self, path):
        self.path = path

    def rows(self, sql, *args):
        for attempt in range(50):
            try:
                connection = sqlite3.connect("file:{}?mode=ro".format(self.path), uri=True, timeout=5)
                try:
                    connection.row_factory = sqlite3.Row
                    return [dict(row) for row in connection.execute(sql, args)]
                finally:
                    connection.close()
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def schedule_id(self, pipeline):
        if not os.path.exists(self.path):
            return None
        try:
            found = self.rows("SELECT id FROM pipeline_schedule WHERE pipeline_uuid = ? AND token = ?",
                              pipeline.uuid, pipeline.token)
        except sqlite3.OperationalError:  # the tables are not there yet
            return None
        return found[0]["id"] if found else None

    def scheduled_run(self, pipeline, trigger_name):
        """The run Mage's scheduler made for a trigger: (id, execution partition) or None."""
        try:
            found = self.rows("SELECT r.id, r.execution_date, r.variables, s.id AS schedule FROM pipeline_run r "
                              "JOIN pipeline_schedule s ON s.id = r.pipeline_schedule_id "
                              "WHERE s.pipeline_uuid = ? AND s.name = ? ORDER BY r.id", pipeline.uuid, trigger_name)
        except sqlite3.OperationalError:
            return None
        if not found:
            return None
        row = found[0]
        variables = json.loads(row["variables"]) if row["variables"] else {}
        if isinstance(variables, dict) and variables.get("execution_partition"):
            return row["id"], variables["execution_partition"]
        stamp = datetime.datetime.fromisoformat(row["execution_date"])  # PipelineRun.execution_partition
        return row["id"], "{}/{}".format(row["schedule"], stamp.strftime("%Y%m%dT%H%M%S"))

    def run_status(self, run_id):
        found = self.rows("SELECT status FROM pipeline_run WHERE id = ?", run_id)
        return found[0]["status"] if found else None

    def block_runs(self, run_id):
        return self.rows("SELECT id, block_uuid, status, started_at, completed_at FROM block_run "
                         "WHERE pipeline_run_id = ? ORDER BY id", run_id)


class MageServer:
    """`mage start PROJECT` on a free loopback port: Mage's web server and scheduler."""

    def __init__(self, project):
        self.project = project
        self.port = free_port()
        self.url = "http://127.0.0.1:{}".format(self.port)
        self.db = MageDatabase(project.database)
        self.log_path = project.folder / "mage-start.log"
        self.process = None
        self.restarts = []  # (pipeline run id, why) for each restart

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [self.project.runtime.mage, "start", str(self.project.path), "--host", "127.0.0.1", "--port",
             str(self.port)], cwd=str(self.project.folder), env=self.project.env(), stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        pending = list(self.project.pipelines.values())
        while True:
            if self.process.poll() is not None:
                raise MageFailure("mage start exited with {}:\n{}".format(self.process.returncode, self.log_tail()))
            if self._scheduler_running():
                pending = [p for p in pending if self.db.schedule_id(p) is None]
                if not pending:
                    return self
            if time.monotonic() > deadline:
                raise MageFailure("mage start: no server with a running scheduler and the triggers of {} "
                                  "within {} s:\n{}".format([p.uuid for p in pending], START_TIMEOUT,
                                                            self.log_tail()))
            time.sleep(0.5)

    def _scheduler_running(self):
        try:
            with urllib.request.urlopen(self.url + "/api/status", timeout=5) as response:
                statuses = json.loads(response.read()).get("statuses") or [{}]
            return statuses[0].get("scheduler_status") == "running"
        except (OSError, ValueError):
            return False

    def stop(self):
        """Ends the process group this object started (the server, its scheduler and jobs)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None

    def job_lost(self, run_id):
        """Mage's process queue (mage_ai/orchestration/queue/process_queue.py) starts its worker
        pool right after putting a job on a multiprocessing queue; the new pool, finding the
        queue still empty (the put not yet flushed) and no worker, exits at once. The job stays
        "queued", the scheduler skips re-enqueueing it, and the run stays RUNNING with every
        block run INITIAL, forever. Seen in the server's log as an enqueue no worker took."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return False
        job = "pipeline_run_{}\n".format(run_id)
        enqueued = text.rfind("Enqueue job " + job)
        taken = text.rfind("Run worker for job " + job)
        return enqueued >= 0 and taken < enqueued

    def restart(self, run_id, why):
        """A restarted scheduler finds the RUNNING run without a job and enqueues it again."""
        self.restarts.append((run_id, why))
        self.stop()
        self.start()

    def log_tail(self, lines=30):
        try:
            return _tail(self.log_path.read_text(errors="replace"), lines=lines)
        except OSError:
            return ""

    def trigger(self, pipeline):
        """POST to the API trigger's URL, as any caller of a Mage API trigger does."""
        schedule = self.db.schedule_id(pipeline)
        body = json.dumps({"pipeline_run": {"variables": {}}}).encode()
        request = urllib.request.Request(
            "{}/api/pipeline_schedules/{}/pipeline_runs/{}".format(self.url, schedule, pipeline.token),
            data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        if "pipeline_run" not in answer:
            raise MageFailure("Mage refused the trigger of {}: {}".format(pipeline.uuid, answer))
        return answer["pipeline_run"]

    def wait_for_scheduled_run(self, pipeline, trigger_name):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            found = self.db.scheduled_run(pipeline, trigger_name)
            if found:
                return found
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise MageFailure("Mage's scheduler made no run for the @daily trigger {} within {} s:\n{}".format(
                    trigger_name, START_TIMEOUT, self.log_tail()))
            time.sleep(0.2)

    def run(self, pipeline, sandbox, trigger="api"):
        """One pipeline run, through the API trigger's URL (`trigger="api"`) or a new @daily
        trigger's first run (`"daily"`), the sandbox's requests counted per stream: the streams
        run one after another, so a count taken while no source block runs (its destination
        block makes no API call) closes the streams whose source blocks have finished."""
        sandbox.reset_stats()
        if trigger == "daily":
            run = PipelineRun(pipeline, *self.wait_for_scheduled_run(pipeline, pipeline.add_daily_trigger()))
        else:
            started = self.trigger(pipeline)
            run = PipelineRun(pipeline, started["id"], started["variables"]["execution_partition"])
        boundaries = {frozenset(): 0}
        deadline = time.monotonic() + RUN_TIMEOUT
        waiting_since = time.monotonic()
        sources = "{}:".format(pipeline.source_block)
        while True:
            before = self.db.block_runs(run.id)
            if any(b["status"] != "INITIAL" for b in before):
                waiting_since = None
            elif (waiting_since is not None and time.monotonic() - waiting_since > LOST_JOB_SECONDS
                  and self.job_lost(run.id)):
                if len([r for r in self.restarts if r[0] == run.id]) >= RESTARTS:
                    raise MageFailure("Mage's process queue lost pipeline run {} of {} {} times (no worker "
                                      "took the queued job)".format(run.id, pipeline.uuid, RESTARTS + 1))
                self.restart(run.id, "Mage's process queue lost the queued job of run {}".format(run.id))
                run.restarts += 1
                waiting_since = time.monotonic()
                continue
            total = sandbox.stats()["total"]
            after = self.db.block_runs(run.id)
            status = self.db.run_status(run.id)
            if before == after:
                source_runs = [b for b in after if b["block_uuid"].startswith(sources)]
                if not any(b["status"] == "RUNNING" for b in source_runs):
                    done = frozenset(b["block_uuid"] for b in source_runs if b["status"] == "COMPLETED")
                    boundaries.setdefault(done, total)
            if status in FINISHED_RUN:
                break
            if time.monotonic() > deadline or self.process.poll() is not None:
                run.block_runs = after
                raise MageFailure("pipeline run {} of {} still {} after {} s{}:\n{}\n{}".format(
                    run.id, pipeline.uuid, status, RUN_TIMEOUT,
                    "" if self.process.poll() is None else " (mage start exited)",
                    run.describe_blocks(), self.log_tail()))
            time.sleep(POLL_SECONDS)
        run.status = status
        run.block_runs = self.db.block_runs(run.id)
        run.total_requests = sandbox.stats()["total"]
        run.collect(boundaries)
        return run


class PipelineRun:
    def __init__(self, pipeline, run_id, execution_partition):
        self.pipeline = pipeline
        self.id = run_id
        self.execution_partition = execution_partition
        self.status = None
        self.restarts = 0         # times `mage start` was restarted for Mage's lost-job race
        self.block_runs = []
        self.total_requests = None
        self.requests = {}        # stream -> API requests its source process made (None: not isolated)
        self.records = {}         # stream -> RECORD messages the tap emitted
        self.tap_state = {}       # stream -> the value of the tap's last STATE
        self.handed_state = {}    # stream -> the state file Mage gave the tap (--state)
        self.saved_state = {}     # stream -> the last line of the destination's state file
        self.tap_logs = {}        # stream -> LOG lines the tap wrote
        self.logged = {}          # stream -> of those, the ones in Mage's block log

    def block_uuid(self, block, stream):
        return "{}:{}:0".format(block, stream)

    def collect(self, boundaries):
        pipeline = self.pipeline
        done = set()
        for stream in pipeline.streams:
            source_run = self.block_uuid(pipeline.source_block, stream)
            start = boundaries.get(frozenset(done))
            done.add(source_run)
            end = boundaries.get(frozenset(done))
            self.requests[stream] = end - start if start is not None and end is not None else None
            messages = []
            kept = pipeline.project.folder / "run-{}".format(self.id)  # Mage clears them next run
            kept.mkdir(exist_ok=True)
            for path in pipeline.source_output(stream):
                shutil.copyfile(path, kept / "{}-{}.jsonl".format(stream, path.name))
                for line in path.read_text(errors="replace").splitlines():
                    try:
                        message = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(message, dict):
                        messages.append(message)
            self.records[stream] = sum(1 for m in messages if m.get("type") == "RECORD")
            states = [m["value"] for m in messages if m.get("type") == "STATE"]
            self.tap_state[stream] = states[-1] if states else None
            self.tap_logs[stream] = [m for m in messages if m.get("type") == "LOG"]
            self.logged[stream] = [e for e in self.log_entries(source_run)
                                   if isinstance(e.get("tags"), dict) and e["tags"].get("type") == "LOG"]
            self.handed_state[stream] = _read_state(pipeline.source_state_file(stream))
            self.saved_state[stream] = _read_state(pipeline.destination_state_file(stream))

    def log_entries(self, block_run_uuid):
        """Mage's log of a block run (or "scheduler"): one entry per `<timestamp> <json>` line,
        a traceback's further lines kept with the entry they follow."""
        path = self.pipeline.block_log(self.execution_partition, block_run_uuid)
        entries = []
        if not path.exists():
            return entries
        for line in path.read_text(errors="replace").splitlines():
            if LOG_STAMP.match(line):
                text = line.split(" ", 1)[1] if " " in line else ""
                try:
                    entry = json.loads(text)
                except ValueError:
                    entry = {"message": text}
                if not isinstance(entry, dict):
                    entry = {"message": text}
                entry["_more"] = []
                entries.append(entry)
            elif entries:
                entries[-1]["_more"].append(line)
            else:
                entries.append({"message": line, "_more": []})
        return entries

    @property
    def failed_blocks(self):
        return [b for b in self.block_runs if b["status"] in FAILED_BLOCK]

    def describe_blocks(self):
        return "\n".join("  {:<48} {}".format(b["block_uuid"], b["status"]) for b in self.block_runs)

    def stream_of(self, block_run_uuid):
        parts = block_run_uuid.split(":")
        return parts[1] if len(parts) >= 3 else None

    def tap_output_summary(self, stream):
        """What the tap wrote for `stream` (Mage's source output file): counts, the streams its
        STATE bookmarks named, its last STATE."""
        kept = self.pipeline.project.folder / "run-{}".format(self.id)
        counts, named = {}, []
        for path in sorted(kept.glob("{}-*.jsonl".format(stream))):
            for line in path.read_text(errors="replace").splitlines():
                try:
                    message = json.loads(line)
                except ValueError:
                    counts["not JSON"] = counts.get("not JSON", 0) + 1
                    continue
                kind = message.get("type", "?") if isinstance(message, dict) else "?"
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "STATE":
                    keys = sorted((message.get("value") or {}).get("bookmarks") or {})
                    if keys not in named:
                        named.append(keys)
        return "  the tap wrote {} for {}; its STATE bookmarks named {}; last STATE {}".format(
            counts or "nothing", stream, named or "no stream", json.dumps(self.tap_state.get(stream)))

    def failure_report(self, tail=12):
        """The failed block's errors as Mage logged them (the message, the error, the exception's
        last line), what the tap wrote for that stream, then the log's last lines; without a
        failed block, the scheduler's log."""
        parts = ["pipeline run {} of {}: {}".format(self.id, self.pipeline.uuid, self.status), self.describe_blocks()]
        failed = [b for b in self.block_runs if b["status"] == "FAILED"]
        for block in failed[:2]:
            entries = self.log_entries(block["block_uuid"])
            parts.append("--- {} failed; the errors in Mage's log of it:".format(block["block_uuid"]))
            parts.extend(_error_lines(entries) or ["  (none)"])
            stream = self.stream_of(block["block_uuid"])
            if stream:
                parts.append(self.tap_output_summary(stream))
            parts.append("--- the last {} lines of that log:".format(tail))
            parts.extend(_log_line(e) for e in entries[-tail:])
        if not failed:
            parts.append("--- the last {} lines of Mage's scheduler log for this run:".format(tail * 2))
            parts.extend(_log_line(e) for e in self.log_entries("scheduler")[-tail * 2:])
        return "\n".join(parts)


LOG_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} ")
ERROR_LEVELS = ("ERROR", "EXCEPTION", "CRITICAL")
EXCEPTION_LINE = re.compile(r"^(\w+\.)*\w*(Error|Exception)\b.*:")


def _last_line(text):
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _error_lines(entries):
    out = []
    for entry in entries:
        tags = entry.get("tags") if isinstance(entry.get("tags"), dict) else {}
        if entry.get("level") in ERROR_LEVELS or tags.get("level") in ERROR_LEVELS:
            line = "  {:<9} {}".format(tags.get("level") or entry.get("level"), str(entry.get("message", ""))[:600])
            extra = [str(tags["error"])] if tags.get("error") else []
            for trace in (tags.get("message"), entry.get("error")):
                if isinstance(trace, str) and "Traceback" in trace:
                    extra.append(_last_line(trace).split(' {"', 1)[0])
            extra = [e for e in extra if e and e not in line]
            if extra:
                line += " | " + " | ".join(dict.fromkeys(e[:400] for e in extra))
            if line not in out:
                out.append(line)
        for more in entry.get("_more", []):
            more = "  " + more.split(' {"', 1)[0][:400]  # the exception, not the tags Mage appends
            if EXCEPTION_LINE.match(more.strip()) and not any(more.strip() in line for line in out):
                out.append(more)
    return out


def _log_line(entry):
    tags = entry.get("tags") if isinstance(entry.get("tags"), dict) else {}
    level = tags.get("level") or entry.get("level", "")
    message = str(entry.get("message", "")).replace("\n", " ")
    return "  {:<9} {}".format(level, message[:300])


def _read_state(path):
    try:
        lines = [line for line in Path(path).read_text().splitlines() if line.strip()]
    except OSError:
        return None
    if not lines:
        return None
    try:
        return json.loads(lines[-1])
    except ValueError:
        return lines[-1]


# -- PostgreSQL rows back to records -------------------------------------------------------

def _utc(text):
    stamp = datetime.datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.timezone.utc)
    return stamp.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rows_as_records(rows, schema):
    """Table rows (psql's row_to_json) as the records the tap emitted: Mage's own columns
    dropped, column names mapped back to property names, TIMESTAMPTZ as RFC 3339 UTC."""
    properties = schema.get("properties", {})
    by_column = {re.sub(r"\W", "_", name.lower()): name for name in properties}
    records = []
    for row in rows:
        record = {}
        for column, value in row.items():
            if column in INTERNAL_COLUMNS:
                continue
            name = column if column in properties else by_column.get(column, column)
            if isinstance(value, str) and properties.get(name, {}).get("format") == "date-time":
                value = _utc(value)
            record[name] = value
        records.append(record)
    return records


def without_absent_nulls(records, truth, keys):
    """A table has no "absent": a NULL column stands for a property the record lacked as well
    as one it had as null. NULLs for properties the truth's record lacks are dropped."""
    truth_by_key = {tuple(r.get(k) for k in keys): r for r in truth}
    for record in records:
        raw = truth_by_key.get(tuple(record.get(k) for k in keys))
        if raw is not None:
            for name in [n for n, v in record.items() if v is None and n not in raw]:
                del record[name]
    return records
