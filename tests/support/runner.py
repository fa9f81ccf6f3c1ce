"""Run a tap the way users do (its CLI entry point, files for config, catalog and state) and
collect what it printed, in-process for speed or as a subprocess for exit-code realism."""
import base64
import contextlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field

from tap_engine import logs
from tap_engine.catalog import select_all
from tap_engine.cli import main

from .truth import read_messages, records_by_stream


@dataclass
class TapRun:
    code: int
    stdout: str
    stderr: str
    messages: list = field(default_factory=list)

    @property
    def records(self):
        return records_by_stream(self.messages)

    @property
    def states(self):
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    @property
    def last_state(self):
        return self.states[-1] if self.states else None


def secret_values(tap_cls, config):
    return [config[s.name] for s in tap_cls.settings
            if s.secret and isinstance(config.get(s.name), str) and len(config[s.name]) >= 4]


def secret_traces(secrets):
    """What a leak looks like: each secret, trimmed, and base64-encoded alone or as HTTP Basic
    credentials `a:b` (the form a header carries it in)."""
    traces = set()
    for secret in secrets:
        traces.update(form for form in (secret, secret.strip()) if len(form) >= 4)
        traces.add(base64.b64encode(secret.encode()).decode())
        for other in secrets:
            if other is not secret:
                traces.add(base64.b64encode("{}:{}".format(secret, other).encode()).decode())
    return traces


def assert_no_secrets(run, tap_cls, config):
    """Every tap run in the suite goes through here: no secret in stdout or stderr, ever."""
    for trace in secret_traces(secret_values(tap_cls, config)):
        assert trace not in run.stdout, "a secret value appeared on stdout"
        assert trace not in run.stderr, "a secret value appeared on stderr"


def write_json(path, obj):
    path.write_text(json.dumps(obj))
    return str(path)


def full_catalog(tap_cls, config=None):
    return select_all(tap_cls({} if config is None else config).discover()).to_dict()


def run_tap(tap_cls, tmp_path, config, catalog=None, state=None, extra_args=(), subprocess_module=None):
    """Run a sync (or any flags in `extra_args`) and return a TapRun. With `subprocess_module`
    ("tap_front"/"tap_mode") the tap runs as `python -m <module>`."""
    args = ["--config", write_json(tmp_path / "config.json", config)]
    if catalog is not None:
        args += ["--catalog", write_json(tmp_path / "catalog.json", catalog)]
    if state is not None:
        args += ["--state", write_json(tmp_path / "state.json", state)]
    args += list(extra_args)
    if subprocess_module:
        done = subprocess.run([sys.executable, "-m", subprocess_module] + args, capture_output=True, text=True,
                              timeout=600)
        run = TapRun(done.returncode, done.stdout, done.stderr, read_messages(done.stdout))
    else:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(tap_cls, args)
        logs.setup()  # back to the real stderr for the rest of the session
        run = TapRun(code, out.getvalue(), err.getvalue(), read_messages(out.getvalue()))
    assert_no_secrets(run, tap_cls, config)
    return run
