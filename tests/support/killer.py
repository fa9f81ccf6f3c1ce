"""Run a tap as a real process against an in-process sandbox, and end it the hard ways a
scheduled sync meets: SIGKILL at a chosen API request (a killed container), or its stdout
closed by the reader after some lines (a crashed target).

`KillSwitch` wraps the sandbox app's `handle`, so the kill lands while the tap waits for an
answer it never gets; the switch waits for the process to be gone before the answer is
written, so nothing the tap did after that request can reach its output."""
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field

SAFETY_TIMEOUT = 120  # seconds; only reached when a run hangs, which is itself a failure


class KillSwitch:
    """Counts the API requests the app answers; when armed, kills the process at the
    `at`-th request counted since it was armed."""

    def __init__(self, server):
        self._handle = server.app.handle
        server.app.handle = self._intercept   # the instance attribute shadows the method
        self._lock = threading.Lock()
        self.count = 0
        self._process = None
        self._at = None
        self.fired = False

    def arm(self, process, at):
        with self._lock:
            self.count, self._process, self._at, self.fired = 0, process, at, False

    def disarm(self):
        with self._lock:
            self._process = None

    def _intercept(self, request):
        with self._lock:
            self.count += 1
            victim = self._process if self._process is not None and self.count == self._at else None
            if victim is not None:
                self.fired = True
                self._process = None
        if victim is not None:
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        return self._handle(request)


@dataclass
class ProcessRun:
    """What one tap process printed: complete lines only (a line cut by the kill is kept
    apart, as a target would never get it whole)."""

    code: int
    stdout: str
    stderr: str
    killed: bool = False
    cut_line: str = ""
    messages: list = field(default_factory=list)

    @property
    def states(self):
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    @property
    def last_state(self):
        states = self.states
        return states[-1] if states else None

    @property
    def records(self):
        """{stream: [record, ...]}, as the in-process runner gives them."""
        out = {}
        for stream, record, _ in self.printed():
            out.setdefault(stream, []).append(record)
        return out

    def printed(self):
        """(stream, record, printed after the last STATE) for every RECORD line."""
        last_state = max((i for i, m in enumerate(self.messages) if m["type"] == "STATE"), default=-1)
        return [(m["stream"], m["record"], i > last_state)
                for i, m in enumerate(self.messages) if m["type"] == "RECORD"]

    def in_flight(self, tree_of):
        """The RECORD lines (by index in `printed()`) that came after the last STATE moving
        the bookmarks of their stream's tree (`tree_of`: stream -> root). With roots synced
        at once, another root's STATE can follow a page whose own checkpoint never came."""
        moved, previous = {}, {}
        for index, message in enumerate(self.messages):
            if message["type"] == "STATE":
                bookmarks = message["value"].get("bookmarks") or {}
                for stream in set(bookmarks) | set(previous):
                    if bookmarks.get(stream) != previous.get(stream):
                        moved[tree_of.get(stream, stream)] = index
                previous = bookmarks
        records = [(i, m) for i, m in enumerate(self.messages) if m["type"] == "RECORD"]
        return {n for n, (i, m) in enumerate(records) if i > moved.get(tree_of.get(m["stream"], m["stream"]), -1)}


def tap_command(module, folder, config, catalog=None, state=None):
    folder.mkdir(parents=True, exist_ok=True)
    files = {"config": config, "catalog": catalog, "state": state}
    args = [sys.executable, "-m", module]
    for flag, value in files.items():
        if value is not None:
            path = folder / "{}.json".format(flag)
            path.write_text(json.dumps(value))
            args += ["--" + flag, str(path)]
    return args


def _drain(stream, sink):
    sink.append(stream.read())


def run_process(args, env=None, switch=None, kill_at=None, close_after_lines=None, on_close=None):
    """Run `args` to its end, SIGKILLed at request `kill_at` (with `switch`) or with stdout
    closed after `close_after_lines` lines (`on_close` is called right then)."""
    environment = dict(os.environ, **(env or {}))
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    if switch is not None and kill_at is not None:
        switch.arm(process, kill_at)
    errors = []
    reader = threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True)
    reader.start()
    hung = []
    timer = threading.Timer(SAFETY_TIMEOUT, lambda: (hung.append(True), process.kill()))
    timer.start()
    out = bytearray()
    try:
        if close_after_lines is None:
            out += process.stdout.read()
        else:
            for _ in range(close_after_lines):
                line = process.stdout.readline()
                if not line:
                    break
                out += line
            process.stdout.close()
            if on_close:
                on_close()
        code = process.wait()
    finally:
        timer.cancel()
        if switch is not None:
            switch.disarm()
    reader.join(SAFETY_TIMEOUT)
    assert not hung, "the tap ran past the {} s safety timeout".format(SAFETY_TIMEOUT)
    text = out.decode("utf-8", errors="replace")
    complete, _, cut = text.rpartition("\n")
    lines = [line for line in complete.split("\n") if line.strip()]
    run = ProcessRun(code, text, b"".join(errors).decode("utf-8", errors="replace"),
                     killed=bool(switch is not None and kill_at is not None and switch.fired), cut_line=cut)
    run.messages = [json.loads(line) for line in lines]
    return run
