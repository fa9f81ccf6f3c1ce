"""The way Mage's data integration pipelines run a Singer source, reproduced for the taps.

Mage starts `python3 <source>/__init__.py FLAGS` as a subprocess (a custom source's
`__init__.py` just calls the tap's `main()`), passes config, catalog, state and the one stream
it wants as JSON strings, and reads stdout line by line:
- for discovery it drops lines that are `{"type": "LOG", ...}` objects, joins the rest and parses
  that as one JSON document;
- a LOG line at level ERROR or EXCEPTION makes it fail the block with that message;
- a sync's stdout and stderr go to one pipe and into one file, read back as JSON lines;
- `--test_connection` gets 10 seconds, then Mage gives up; a failure shows the tap's stderr.
"""
import json
import subprocess
import sys

SOURCE_FILE = "from {module} import main\n\nmain()\n"
TEST_CONNECTION_TIMEOUT = 10  # Mage's own limit for --test_connection
RUN_TIMEOUT = 600  # seconds; a safety net only
ERROR_LEVELS = ("ERROR", "EXCEPTION")


class MageError(Exception):
    """What Mage would show the user when a block fails."""


def json_objects(text):
    """(line, parsed or None) for every line."""
    out = []
    for line in text.split("\n"):
        try:
            out.append((line, json.loads(line)))
        except ValueError:
            out.append((line, None))
    return out


def is_log(obj):
    return isinstance(obj, dict) and obj.get("type") == "LOG"


def document(stdout):
    """Mage's reading of a discovery: every non-LOG line joined, parsed as one JSON value."""
    return json.loads("".join(line for line, obj in json_objects(stdout) if not is_log(obj)))


def fail_on_error_logs(stdout):
    for _, obj in json_objects(stdout):
        if is_log(obj) and obj.get("level") in ERROR_LEVELS:
            raise MageError(obj.get("message") or "Exception raised, please check logs for more details.")


class MageSource:
    def __init__(self, module, folder):
        self.module = module
        self.path = folder / "sources" / module / "__init__.py"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(SOURCE_FILE.format(module=module))

    def run(self, *flags, merge_stderr=False, timeout=RUN_TIMEOUT):
        return subprocess.run([sys.executable, str(self.path)] + [str(f) for f in flags],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                              text=True, timeout=timeout)

    def _checked(self, done):
        if done.returncode != 0:
            raise MageError(done.stderr or done.stdout)
        return done

    # -- the calls Mage makes ------------------------------------------------------------
    def discover(self, config, streams=None, log_to_stdout=False):
        flags = ["--config_json", json.dumps(config), "--discover"]
        if streams:
            flags += ["--selected_streams_json", json.dumps(streams)]
        if log_to_stdout:
            flags += ["--log_to_stdout", "1"]
        return document(self._checked(self.run(*flags)).stdout)

    def discover_streams(self, config):
        return document(self._checked(self.run("--config_json", json.dumps(config), "--discover",
                                               "--discover_streams")).stdout)

    def test_connection(self, config):
        try:
            done = self.run("--config_json", json.dumps(config), "--test_connection",
                            timeout=TEST_CONNECTION_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise MageError("test connection did not finish within Mage's {} s".format(
                TEST_CONNECTION_TIMEOUT)) from None
        self._checked(done)
        return done

    def load_sample_data(self, config, catalog_path, streams):
        done = self._checked(self.run("--config_json", json.dumps(config), "--load_sample_data", "--log_to_stdout", "1",
                                      "--catalog", catalog_path, "--selected_streams_json", json.dumps(streams)))
        fail_on_error_logs(done.stdout)
        samples = {}
        for _, obj in json_objects(done.stdout):
            if isinstance(obj, dict) and obj.get("type") == "SAMPLE_DATA":
                samples[obj["stream_id"]] = json.loads(obj["sample_data"])
        return samples

    def sync(self, config, catalog, stream, state=None, query=None, extra=()):
        """One stream, as a pipeline block runs it: returns every output line parsed."""
        flags = ["--config_json", json.dumps(config), "--log_to_stdout", "1",
                 "--query_json", json.dumps(query or {}), "--catalog_json", json.dumps(catalog)]
        if state:
            flags += ["--state_json", json.dumps(state)]
        flags += ["--selected_streams_json", json.dumps([stream])] + list(extra)
        done = self.run(*flags, merge_stderr=True)
        if done.returncode != 0:
            fail_on_error_logs(done.stdout)
            raise MageError("exit code {}: {}".format(done.returncode, done.stdout[-2000:]))
        fail_on_error_logs(done.stdout)
        return SyncOutput(done.stdout)


class SyncOutput:
    def __init__(self, text):
        self.text = text
        self.lines = [(line, obj) for line, obj in json_objects(text) if line.strip()]

    def of_type(self, kind):
        return [obj for _, obj in self.lines if isinstance(obj, dict) and obj.get("type") == kind]

    @property
    def not_json(self):
        return [line for line, obj in self.lines if obj is None]

    def records(self):
        out = {}
        for message in self.of_type("RECORD"):
            out.setdefault(message["stream"], []).append(message["record"])
        return out

    @property
    def state(self):
        states = self.of_type("STATE")
        return states[-1]["value"] if states else None
