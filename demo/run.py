"""The demo: start both sandbox APIs, discover both taps, select every stream, sync into
target-jsonl, change data in the sandboxes, sync again from the saved state, and show that only
the changes came through. Everything lands in demo-output/.

    python -m demo [--scale tiny|small|medium] [--mutations N] [--output DIR]
"""
import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .keys import record_key, timestamp_fields
from .pipeline import run_pipeline
from .report import percent, stream_summaries, table
from .sandboxes import Sandbox
from .toolenv import ROOT, ToolEnvError, env_for

TAPS = (("tap-front", "front"), ("tap-mode", "mode"))
TARGET = "target-jsonl"


class Console:
    """Prints and keeps a copy for demo-output/summary.txt."""

    def __init__(self):
        self.lines = []

    def __call__(self, text=""):
        print(text, flush=True)
        self.lines.append(text)


def tap_command(name):
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", name.replace("-", "_")]


def select_every_stream(catalog):
    for entry in catalog["streams"]:
        for item in entry.get("metadata", []):
            if not item.get("breadcrumb"):
                item["metadata"]["selected"] = True
    return catalog


def stream_facts(catalog):
    """Per stream: replication method, key properties, parent, in catalog order."""
    facts = {}
    for entry in catalog["streams"]:
        root = next((m["metadata"] for m in entry.get("metadata", []) if not m.get("breadcrumb")), {})
        facts[entry["tap_stream_id"]] = {
            "method": (entry.get("replication_method") or root.get("forced-replication-method")
                       or root.get("replication-method") or "FULL_TABLE"),
            "keys": entry.get("key_properties") or root.get("table-key-properties") or [],
            "timestamps": timestamp_fields(entry.get("schema")),
            "parent": root.get("parent-tap-stream-id"),
        }
    return facts


def tree_order(facts):
    """(stream, depth) with every child right under its parent."""
    children = {}
    for name, fact in facts.items():
        children.setdefault(fact["parent"], []).append(name)
    ordered = []

    def visit(parent, depth):
        for name in sorted(children.get(parent, [])):
            ordered.append((name, depth))
            visit(name, depth + 1)

    visit(None, 0)
    return ordered


def write_json(path, value):
    path.write_text(json.dumps(value, indent=2) + "\n")
    return str(path)


class TapDemo:
    def __init__(self, tap, sandbox, folder, target_bin, say):
        self.tap = tap
        self.sandbox = sandbox
        self.folder = folder
        self.target_bin = target_bin
        self.say = say
        self.facts = {}
        self.runs = []
        self.keys_seen = {}

    def discover(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config_path = write_json(self.folder / "config.json", self.sandbox.tap_config())
        done = subprocess.run(tap_command(self.tap) + ["--config", self.config_path, "--discover"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise DemoError("{} --discover failed: {}".format(self.tap, done.stderr.strip()[-800:]))
        catalog = select_every_stream(json.loads(done.stdout))
        self.catalog_path = write_json(self.folder / "catalog.json", catalog)
        self.facts = stream_facts(catalog)
        self.say("{}: discovered {} streams, all selected -> {}".format(
            self.tap, len(self.facts), _shown(self.catalog_path)))

    def sync(self, number, state=None):
        run_dir = self.folder / "run{}".format(number)
        run_dir.mkdir(parents=True, exist_ok=True)
        target_config = write_json(self.folder / "target-config-run{}.json".format(number),
                                   {"destination_path": str(run_dir), "do_timestamp_file": False})
        command = tap_command(self.tap) + ["--config", self.config_path, "--catalog", self.catalog_path]
        if state is not None:
            command += ["--state", write_json(self.folder / "state-in-run{}.json".format(number), state)]
        self.sandbox.reset_stats()
        result = run_pipeline(command, [self.target_bin, "--config", target_config],
                              log_dir=str(self.folder), log_prefix="run{}-".format(number))
        result.sandbox_requests = self.sandbox.stats()["total"]
        if not result.ok:
            raise DemoError("{} run {} failed: {}".format(self.tap, number, result.describe()))
        if result.state is None:
            raise DemoError("{} run {}: the target emitted no state".format(self.tap, number))
        write_json(self.folder / "state-after-run{}.json".format(number), result.state)
        for stream, keys in result.record_keys.items():
            self.keys_seen.setdefault(stream, set()).update(keys)
        self.runs.append(result)
        return result

    def show_run(self, number, changed=None):
        result = self.runs[number - 1]
        summaries = stream_summaries(result.tap_stderr)
        headers = ["stream", "method", "records", "requests", "seconds"]
        if changed is not None:
            headers.append("changed in API")
        rows = []
        for name, depth in tree_order(self.facts):
            # The tap counts requests and time per stream tree: shown on the tree's root.
            summary = summaries.get(name, {}) if depth == 0 else {}
            row = ["  " * depth + name, self.facts[name]["method"], result.records.get(name, 0),
                   summary.get("requests", ""), summary.get("seconds", "")]
            if changed is not None:
                row.append(len(changed.get(name, [])) or "")
            rows.append(row)
        total = sum(result.records.values())
        rows.append(["total", "", total, result.sandbox_requests, "{:.1f}".format(result.seconds)])
        if changed is not None:
            rows[-1].append(sum(len(v) for v in changed.values()))
        self.say("")
        self.say("{} run {} ({}):".format(self.tap, number, "full sync" if number == 1 else "from saved state"))
        self.say(table(headers, rows, right=("records", "requests", "seconds", "changed in API")))

    def check_second_run(self, changed):
        """Every changed record arrived, and incremental streams sent little else."""
        first, second = self.runs[0], self.runs[1]
        missing = []
        for stream, keys in changed.items():
            if stream not in self.facts:
                continue
            got = {key[0] for key in second.record_keys.get(stream, set()) if len(key) == 1}
            missing += ["{}:{}".format(stream, key) for key in keys if key not in got]
        incremental = [s for s, f in self.facts.items() if f["method"] == "INCREMENTAL"]
        inc_first = sum(first.records.get(s, 0) for s in incremental)
        inc_second = sum(second.records.get(s, 0) for s in incremental)
        self.say("")
        if missing:
            self.say("{}: {} changed record(s) did NOT arrive in run 2: {}".format(
                self.tap, len(missing), ", ".join(missing[:10])))
        else:
            self.say("{}: every changed record arrived in run 2 ({} in all).".format(
                self.tap, sum(len(v) for s, v in changed.items() if s in self.facts)))
        self.say("{}: incremental streams sent {} records in run 2 against {} in run 1 ({}); "
                 "requests {} against {} ({}).".format(
                     self.tap, inc_second, inc_first, percent(inc_second, inc_first),
                     second.sandbox_requests, first.sandbox_requests,
                     percent(second.sandbox_requests, first.sandbox_requests)))
        return not missing

    def check_truth(self):
        """The target now holds every record the API has (keys compared, both runs together)."""
        truth = self.sandbox.truth()
        wrong = []
        checked = 0
        for stream, fact in self.facts.items():
            keys = fact["keys"]
            records = truth.get(stream)
            if records is None or not keys or not all(k in r for r in records for k in keys):
                continue
            checked += 1
            expected = {record_key(r, keys, fact["timestamps"]) for r in records}
            got = self.keys_seen.get(stream, set())
            if expected - got:
                wrong.append("{} ({} missing)".format(stream, len(expected - got)))
        if wrong:
            self.say("{}: target is missing records of {}".format(self.tap, ", ".join(wrong)))
        else:
            self.say("{}: target holds every record the sandbox has ({} streams checked against "
                     "/_sandbox/truth).".format(self.tap, checked))
        return not wrong


class DemoError(RuntimeError):
    pass


def _shown(path):
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    # tiny takes seconds; at small, Mode's 1000 requests a minute make tap-mode take minutes.
    parser.add_argument("--scale", default="tiny", choices=("tiny", "small", "medium"),
                        help="sandbox data size (default tiny)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mutations", type=int, default=20, help="changes made between the runs")
    parser.add_argument("--output", default=str(ROOT / "demo-output"))
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    say = Console()
    out = Path(args.output)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    started = time.monotonic()
    try:
        target = env_for(TARGET).ensure()
        say("Singer target: {} in {}".format(target.tool.requirement, _shown(target.path)))
        ok = _demo(args, out, target.bin(), say)
    except (DemoError, ToolEnvError) as error:
        say("demo failed: {}".format(error))
        ok = False
    say("")
    say("{} in {:.0f} s. Output: {}/ (per tap: config, catalog, run1/ and run2/ with the "
        "target's files, states, logs; summary.txt)".format(
            "Done" if ok else "FAILED", time.monotonic() - started, _shown(out)))
    (out / "summary.txt").write_text("\n".join(say.lines) + "\n")
    return 0 if ok else 1


def _demo(args, out, target_bin, say):
    sandboxes = [Sandbox(app, args.scale, args.seed) for _, app in TAPS]
    try:
        for sandbox in sandboxes:
            sandbox.start()
            say("Sandbox {} API ({} scale) at {}".format(sandbox.app, sandbox.scale, sandbox.base_url))
        demos = [TapDemo(tap, sandbox, out / app, target_bin, say)
                 for (tap, app), sandbox in zip(TAPS, sandboxes)]
        for demo in demos:
            demo.discover()
        for demo in demos:
            demo.sync(1)
            demo.show_run(1)
        say("")
        changes = {}
        for demo in demos:
            changes[demo.tap] = demo.sandbox.mutate(args.mutations)
            say("Changed in the {} sandbox (POST /_sandbox/mutate): {}".format(
                demo.sandbox.app, ", ".join("{} {}".format(s, len(k)) for s, k in changes[demo.tap].items())))
        ok = True
        for demo in demos:
            demo.sync(2, state=demo.runs[0].state)
            demo.show_run(2, changes[demo.tap])
            ok = demo.check_second_run(changes[demo.tap]) and ok
            ok = demo.check_truth() and ok
        return ok
    finally:
        for sandbox in sandboxes:
            sandbox.stop()
