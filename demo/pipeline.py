"""`tap | target` as two real processes joined through this one, which counts the tap's
messages on the way (records per stream, the SCHEMA each stream declared) without changing a
byte of what the target receives. The target's stdout carries the state to resume from."""
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .keys import record_key, timestamp_fields

RUN_TIMEOUT = 900  # seconds; a safety net so that a hung tap cannot hang the caller forever


@dataclass
class PipelineResult:
    tap_code: int
    target_code: Optional[int]
    seconds: float
    records: Dict[str, int] = field(default_factory=dict)
    schemas: Dict[str, dict] = field(default_factory=dict)
    record_keys: Dict[str, set] = field(default_factory=dict)
    target_states: List[dict] = field(default_factory=list)
    tap_stderr: str = ""
    target_stderr: str = ""

    @property
    def ok(self):
        return self.tap_code == 0 and self.target_code == 0

    @property
    def state(self):
        """The last state the target emitted: what the next run resumes from."""
        return self.target_states[-1] if self.target_states else None

    def describe(self):
        return "tap exit {}, target exit {}\n--- tap stderr (end)\n{}\n--- target stderr (end)\n{}".format(
            self.tap_code, self.target_code, self.tap_stderr[-2500:], self.target_stderr[-2500:])


class _Relay:
    """Copies tap stdout to target stdin line by line and takes notes."""

    def __init__(self, result, tee=None):
        self.result = result
        self.tee = tee

    def note(self, line):
        try:
            message = json.loads(line)
        except ValueError:
            return
        kind = message.get("type")
        if kind == "RECORD":
            stream = message["stream"]
            self.result.records[stream] = self.result.records.get(stream, 0) + 1
            schema = self.result.schemas.get(stream, {})
            keys = schema.get("key_properties") or []
            if keys:
                self.result.record_keys.setdefault(stream, set()).add(
                    record_key(message.get("record", {}), keys, timestamp_fields(schema.get("schema"))))
        elif kind == "SCHEMA":
            self.result.schemas[message["stream"]] = message

    def run(self, source, sink):
        try:
            for line in source:
                self.note(line)
                if self.tee:
                    self.tee.write(line)
                sink.write(line)
        except BrokenPipeError:
            pass  # the target exited early; its exit code tells why
        finally:
            for handle in (sink, source):
                try:
                    handle.close()
                except BrokenPipeError:
                    pass


def run_pipeline(tap_cmd, target_cmd, cwd=None, env=None, tee_path=None, log_dir=None, log_prefix="",
                 timeout=RUN_TIMEOUT):
    """Run `tap_cmd | target_cmd`; with `log_dir` both stderr streams are also kept as files."""
    env = dict(os.environ if env is None else env)
    result = PipelineResult(tap_code=-1, target_code=None, seconds=0.0)
    started = time.monotonic()
    tap = subprocess.Popen(tap_cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, bufsize=1)
    target = subprocess.Popen(target_cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, bufsize=1)
    tee = open(tee_path, "w") if tee_path else None
    collected = {}
    threads = [
        threading.Thread(target=_Relay(result, tee).run, args=(tap.stdout, target.stdin), daemon=True),
        threading.Thread(target=_collect, args=(tap.stderr, collected, "tap"), daemon=True),
        threading.Thread(target=_collect, args=(target.stderr, collected, "target"), daemon=True),
        threading.Thread(target=_collect, args=(target.stdout, collected, "target_out"), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        result.tap_code = tap.wait(timeout=timeout)
        result.target_code = target.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        for process in (tap, target):
            process.kill()
        result.tap_code, result.target_code = tap.wait(), target.wait()
    for thread in threads:
        thread.join(timeout=30)
    if tee:
        tee.close()
    result.seconds = round(time.monotonic() - started, 2)
    result.tap_stderr = collected.get("tap", "")
    result.target_stderr = collected.get("target", "")
    result.target_states = _states(collected.get("target_out", ""))
    if log_dir:
        for name in ("tap", "target"):
            with open(os.path.join(log_dir, "{}{}.log".format(log_prefix, name)), "w") as handle:
                handle.write(collected.get(name, ""))
    return result


def _collect(stream, into, name):
    into[name] = stream.read()
    stream.close()


def _states(text):
    """Targets print each state they have committed as one JSON line on stdout."""
    states = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict) and value.get("type") == "STATE":
            value = value.get("value")
        if isinstance(value, dict):
            states.append(value)
    return states
