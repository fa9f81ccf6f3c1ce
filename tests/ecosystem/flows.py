"""What the ecosystem tests do over and over: discover a tap as a user would (a subprocess,
every stream selected), pipe a sync into a target, and read the sandbox's truth per stream."""
import json
import subprocess

from demo.pipeline import run_pipeline
from demo.run import select_every_stream, stream_facts, tap_command

TAPS = {"front": "tap-front", "mode": "tap-mode"}
RUN_TIMEOUT = 600  # seconds; a safety net only


def write_json(path, value):
    path.write_text(json.dumps(value))
    return str(path)


class TapSetup:
    """One tap pointed at one sandbox: its config and full catalog as files in `folder`."""

    def __init__(self, app, sandbox, folder, config_overrides=None):
        self.app = app
        self.tap = TAPS[app]
        self.sandbox = sandbox
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config = dict(sandbox.tap_config(), **(config_overrides or {}))
        self.config_path = write_json(folder / "config.json", self.config)
        done = subprocess.run(tap_command(self.tap) + ["--config", self.config_path, "--discover"],
                              capture_output=True, text=True, timeout=RUN_TIMEOUT)
        assert done.returncode == 0, done.stderr
        self.catalog = select_every_stream(json.loads(done.stdout))
        self.catalog_path = write_json(folder / "catalog.json", self.catalog)
        self.facts = stream_facts(self.catalog)
        self.schemas = {e["tap_stream_id"]: e["schema"] for e in self.catalog["streams"]}
        self._runs = 0

    @property
    def streams(self):
        return sorted(self.facts)

    def command(self, state=None, extra=()):
        command = tap_command(self.tap) + ["--config", self.config_path, "--catalog", self.catalog_path]
        if state is not None:
            self._runs += 1
            command += ["--state", write_json(self.folder / "state-{}.json".format(self._runs), state)]
        return command + list(extra)

    def sync_into(self, target_command, state=None):
        """`tap | target`; asserts both succeed and returns the PipelineResult."""
        self.sandbox.reset_stats()
        result = run_pipeline(self.command(state), target_command, cwd=str(self.folder), timeout=RUN_TIMEOUT)
        assert result.ok, result.describe()
        result.requests = self.sandbox.stats()["total"]
        return result

    def truth_counts(self):
        """Records per stream the sandbox holds, for the streams the tap has."""
        truth = self.sandbox.truth()
        return {name: len(truth[name]) for name in self.streams if name in truth}

    def timestamp_columns(self, stream):
        """Top-level properties that the schema declares as date-times."""
        found = []
        for name, prop in self.schemas[stream].get("properties", {}).items():
            if prop.get("format") == "date-time":
                found.append(name)
        return found


def incremental_streams(setup):
    return [name for name, fact in setup.facts.items() if fact["method"] == "INCREMENTAL"]
