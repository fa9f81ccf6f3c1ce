"""The two taps as the benchmarks drive them: a sandbox whose data ends just before now (so a
tap's default end, now, covers it all and mutations come after it), the tap's config and a
catalog with every stream selected, and one sync run as a separate process."""
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

from sandbox import make_app
from sandbox.server import SandboxServer
from tap_engine.catalog import select_all
from tap_engine.timefmt import epoch_to_rfc3339

DAY = 86400
# Data ends two minutes ago: older than any overlap a run reads again, newer than any day a
# first run asks for.
ANCHOR_AGE_SECONDS = 120
MODE_HISTORY_DAYS = 3 * 365   # the Mode simulator's data spans three years before its anchor


@dataclass
class TapKind:
    name: str                 # "front" or "mode", also the sandbox app's name
    module: str               # the tap package, run as a process
    tap_class: str

    def tap(self):
        module = __import__(self.module + ".tap", fromlist=[self.tap_class])
        return getattr(module, self.tap_class)

    def start_sandbox(self, scale, seed=1, anchor=None, **server_options):
        """A sandbox of this API; the same `anchor` (epoch seconds) gives the same data."""
        anchor = int(time.time()) - ANCHOR_AGE_SECONDS if anchor is None else anchor
        if self.name == "front":
            app = make_app("front", seed=seed, scale=scale, anchor=anchor)
        else:
            app = make_app("mode", seed=seed, scale=scale, anchor=epoch_to_rfc3339(anchor))
        server = SandboxServer(app, seed=seed, **server_options).start()
        server.anchor = anchor
        return server

    def config(self, server, **extra):
        """A first-run config starting on the first day of data."""
        if self.name == "front":
            first = server.app.world.start
            config = {"token": "sandbox-token",
                      # The sandbox finishes a report after a number of polls, not seconds:
                      # Front's default 2 s first wait would only measure sleeping.
                      "analytics_poll_seconds": 0.05}
        else:
            first = server.anchor - MODE_HISTORY_DAYS * DAY
            config = {"access_token": "sandbox-token", "password": "sandbox-secret", "workspace": "acme"}
        config.update(base_url=server.base_url, start_date=epoch_to_rfc3339(first - first % DAY))
        config.update(extra)
        return config

    def catalog(self, config):
        return select_all(self.tap()(config).discover()).to_dict()


FRONT = TapKind("front", "tap_front", "FrontTap")
MODE = TapKind("mode", "tap_mode", "ModeTap")
KINDS = {"front": FRONT, "mode": MODE}


@dataclass
class SyncRun:
    code: int
    seconds: float
    records: dict                       # stream -> records emitted
    state: dict = None                  # the last STATE
    peak_rss_mb: float = None
    stdout_path: str = ""
    stderr_tail: str = ""
    stream_summaries: list = field(default_factory=list)   # the engine's "stream X done: ..." lines
    extra: dict = field(default_factory=dict)

    @property
    def total_records(self):
        return sum(self.records.values())

    def check(self):
        if self.code != 0:
            raise RuntimeError("tap exited with {}: {}".format(self.code, self.stderr_tail))
        return self


def run_sync(kind, workdir, config, catalog=None, state=None, lift_mode_ceiling=False, timeout=3600):
    """One sync of `kind` as its own process (python -m benchmarks.tap_process); stdout goes to
    a file, read after the run, so the benchmark driver stays idle while the tap works."""
    os.makedirs(workdir, exist_ok=True)
    paths = {name: os.path.join(workdir, name) for name in
             ("config.json", "catalog.json", "state.json", "out.jsonl", "err.txt", "peak.json")}
    _write_json(paths["config.json"], config)
    _write_json(paths["catalog.json"], catalog if catalog is not None else kind.catalog(config))
    args = [sys.executable, "-m", "benchmarks.tap_process", kind.module, "--peak-file", paths["peak.json"]]
    if lift_mode_ceiling:
        args.append("--no-mode-ceiling")
    args += ["--", "--config", paths["config.json"], "--catalog", paths["catalog.json"]]
    if state is not None:
        _write_json(paths["state.json"], state)
        args += ["--state", paths["state.json"]]
    started = time.perf_counter()
    with open(paths["out.jsonl"], "w") as out, open(paths["err.txt"], "w") as err:
        code = subprocess.run(args, stdout=out, stderr=err, timeout=timeout, cwd=_repo_root()).returncode
    seconds = time.perf_counter() - started
    records, last_state = read_output(paths["out.jsonl"])
    with open(paths["err.txt"]) as err:
        stderr = err.read()
    summaries = [line for line in stderr.splitlines() if line.startswith("INFO stream ") and " done: " in line]
    peak = None
    if os.path.exists(paths["peak.json"]):
        with open(paths["peak.json"]) as handle:
            peak = json.load(handle)["peak_rss_mb"]
    return SyncRun(code, seconds, records, last_state, peak, paths["out.jsonl"], stderr[-1500:], summaries)


def read_output(path):
    """Records per stream and the last STATE, without parsing every RECORD line (the engine
    writes them as '{"type":"RECORD","stream":"<name>",...')."""
    prefix = '{"type":"RECORD","stream":"'
    records, state = {}, None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(prefix):
                name = line[len(prefix):line.index('"', len(prefix))]
                records[name] = records.get(name, 0) + 1
            elif '"STATE"' in line[:30]:
                state = json.loads(line)["value"]
    return records, state


def read_records(path):
    """Every RECORD message's record, per stream (for comparisons with the truth)."""
    out = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            message = json.loads(line)
            if message.get("type") == "RECORD":
                out.setdefault(message["stream"], []).append(message["record"])
    return out


def _write_json(path, obj):
    with open(path, "w") as out:
        json.dump(obj, out)


def _repo_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
