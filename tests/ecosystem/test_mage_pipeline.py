"""Real Mage pipelines against both sandboxes, into Mage's PostgreSQL destination.

Opt-in: MAGE_PIPELINE_PYTHON names a Python in which mage-ai and Mage's integration runtime
(`mage_integrations`) import; the test builds nothing of Mage's (see mage_pipeline.py). Per tap,
one integration pipeline (child streams, a FULL_TABLE stream, an incremental root), run twice
by Mage's scheduler (`mage start`) with changes made in the sandbox in between: through its API
trigger, and through @daily triggers (whose runs carry a one-day `_start_date`/`_end_date`).
After each run the PostgreSQL tables must hold exactly the sandbox's records (keys and values),
what Mage saved as state must be what the tap said last, and the tap's log lines must reach
Mage's log; the second run, started from the state Mage saved, must cost only the changes. A
table per pipeline (rows against the truth, records and requests per stream and run) is
printed, with `-s` or without.

    MAGE_PIPELINE_PYTHON=/path/to/mage-venv/bin/python pytest tests/ecosystem/test_mage_pipeline.py -v
"""
import json

import pytest

from tests.reliability.profiles import FRONT, MODE
from tests.support.truth import assert_stream_matches

from .mage_pipeline import (
    ENV_VAR,
    MageFailure,
    MageProject,
    MageRuntime,
    MageServer,
    configured_python,
    rows_as_records,
    without_absent_nulls,
)
from .postgres import PASSWORD, SUPERUSER

APPS = ("front", "mode")
SOURCES = {"front": "tap_front", "mode": "tap_mode"}
# conversations -> messages, comments (children); tags FULL_TABLE; contacts incremental.
# spaces (FULL_TABLE) -> reports -> queries; definitions an incremental root.
STREAMS = {
    "front": ["conversations", "messages", "comments", "conversation_inboxes", "tags", "contacts"],
    "mode": ["spaces", "reports", "queries", "definitions"],
}
DROPS = {"front": FRONT.drops, "mode": MODE.drops}
PROFILES = {"front": FRONT, "mode": MODE}
# An API trigger's runs get no dates; an @daily trigger's runs get the day before the execution
# date as `_start_date` and the execution date as `_end_date` (its first run included), which
# must not narrow what the taps sync.
TRIGGERS = ("api", "daily")
MUTATIONS = 12


@pytest.fixture(scope="session")
def mage_runtime():
    python = configured_python()
    if not python:
        pytest.skip("{} is not set: it names the Python of an environment with mage-ai and Mage's "
                    "integration runtime (mage_integrations) installed, to run real Mage pipelines"
                    .format(ENV_VAR))
    try:
        return MageRuntime(python)
    except MageFailure as err:
        pytest.fail(str(err))


def stream_kind(stream):
    root = next((m["metadata"] for m in stream.get("metadata", []) if not m.get("breadcrumb")), {})
    parent = root.get("parent-tap-stream-id")
    kind = stream.get("replication_method") or "FULL_TABLE"
    return kind + (" (child of {})".format(parent) if parent else ""), parent


class Check:
    def __init__(self, app, pipeline, postgres, sandbox, trigger):
        self.app = app
        self.trigger = trigger
        self.pipeline = pipeline
        self.postgres = postgres
        self.sandbox = sandbox
        self.problems = []
        self.rows = {}  # (run, stream) -> (rows in PostgreSQL, records in the truth)

    def problem(self, text):
        self.problems.append(text)

    def table_rows(self, stream):
        table = self.pipeline.stream(stream)["destination_table"]
        exists = self.postgres.query("SELECT 1 AS x FROM pg_tables WHERE schemaname = '{}' AND tablename = '{}'"
                                     .format(self.pipeline.schema, table))
        if not exists:
            return []
        return self.postgres.query('SELECT * FROM "{}"."{}"'.format(self.pipeline.schema, table))

    def tables_equal_truth(self, number, run):
        truth = self.sandbox.truth()
        for name in self.pipeline.streams:
            stream = self.pipeline.stream(name)
            records = rows_as_records(self.table_rows(name), stream["schema"])
            expected = truth.get(name)
            self.rows[(number, name)] = (len(records), None if expected is None else len(expected))
            if expected is None:
                self.problem("run {}: {}: the sandbox has no truth for it".format(number, name))
                continue
            keys = tuple(stream["key_properties"])
            records = without_absent_nulls(records, expected, keys)
            table = "{}.{}".format(self.pipeline.schema, stream["destination_table"])
            have = {tuple(r.get(k) for k in keys) for r in records}
            want = {tuple(r.get(k) for k in keys) for r in expected}
            if len(have) != len(records):
                self.problem("run {}: PostgreSQL {} holds {} rows for {} keys".format(number, table, len(records), len(have)))
            if have != want:
                self.problem("run {}: PostgreSQL {} has {} rows, the truth {}: missing {}, extra {}".format(
                    number, table, len(have), len(want), _first(want - have), _first(have - want)))
            both = have & want
            records = self.check_link_columns(number, name, table, records, truth)
            try:  # the values of the rows both have
                assert_stream_matches(name, [r for r in records if tuple(r.get(k) for k in keys) in both],
                                      [r for r in expected if tuple(r.get(k) for k in keys) in both],
                                      stream["schema"], key=keys, drops=DROPS[self.app])
            except AssertionError as err:
                self.problem("run {}: PostgreSQL {} rows differ from the truth:\n    {}".format(
                    number, table, str(err).replace("\n", "\n    ")))

    def check_link_columns(self, number, name, table, records, truth):
        """Columns the tap reads from links hold the truth's relations; the records without
        them are what the API sent."""
        cls = PROFILES[self.app].classes[name]
        columns = cls.link_columns() if hasattr(cls, "link_columns") else ()
        if not columns:
            return records
        relations = (truth.get("link_ids") or {}).get(name, {})
        wrong = [(r["id"], c, r.get(c)) for r in records for c in columns
                 if r.get(c) != (relations.get(r["id"]) or {}).get(c)]
        if wrong:
            self.problem("run {}: PostgreSQL {} link columns differ from the truth's relations: {}".format(
                number, table, _first(wrong)))
        return [{k: v for k, v in r.items() if k not in columns} for r in records]

    def state_round_trip(self, number, run):
        """What Mage saved is what the tap said last (Mage merges a run's STATE messages per
        stream with a shallow dict update, so a key the tap dropped mid-run would survive), and
        the tap's LOG lines reached Mage's run log (Mage drops a LOG line it cannot read)."""
        for name in self.pipeline.streams:
            tap = run.tap_state.get(name)
            saved = run.saved_state.get(name)
            if run.records.get(name) and isinstance(tap, dict):
                if not isinstance(saved, dict) or saved.get("bookmarks") != tap.get("bookmarks"):
                    self.problem("run {}: {}: Mage saved {} but the tap's last STATE was {}".format(
                        number, name, json.dumps(saved), json.dumps(tap)))
            logs, logged = run.tap_logs.get(name, []), run.logged.get(name, [])
            if len(logged) < len(logs):
                lost = [m.get("message") for m in logs][:3]
                self.problem("run {}: {}: {} of the tap's {} LOG lines missing from Mage's block log "
                             "(first lines: {})".format(number, name, len(logs) - len(logged), len(logs), lost))

    def second_run_cost(self, first, second):
        for name in self.pipeline.streams:
            if second.handed_state.get(name) != first.saved_state.get(name):
                self.problem("run 2: {}: Mage handed the tap {} instead of the state it saved, {}".format(
                    name, json.dumps(second.handed_state.get(name)), json.dumps(first.saved_state.get(name))))
        truth = self.sandbox.truth()
        incremental = []
        for name in self.pipeline.streams:
            stream = self.pipeline.stream(name)
            if stream.get("replication_method") == "FULL_TABLE":
                expected = len(truth.get(name, []))
                if second.records.get(name) != expected:
                    self.problem("run 2: {} is FULL_TABLE but the tap sent {} of its {} records".format(
                        name, second.records.get(name), expected))
            else:
                incremental.append(name)
        again = sum(second.records.get(n, 0) for n in incremental)
        before = sum(first.records.get(n, 0) for n in incremental)
        if not again < before / 2:
            self.problem("run 2: the incremental streams {} sent {} records, run 1 {}".format(incremental, again, before))
        if not second.total_requests < first.total_requests:
            self.problem("run 2 made {} requests, run 1 {}: not only the changes".format(
                second.total_requests, first.total_requests))

    def table(self, runs):
        header = ["stream", "kind", "run", "rows", "truth", "records", "requests"]
        lines = []
        for name in self.pipeline.streams:
            kind, _ = stream_kind(self.pipeline.stream(name))
            for number, run in enumerate(runs, 1):
                rows, truth = self.rows.get((number, name), (None, None))
                lines.append([name if number == 1 else "", kind if number == 1 else "", str(number),
                              _cell(rows), _cell(truth), _cell(run.records.get(name)), _cell(run.requests.get(name))])
        for number, run in enumerate(runs, 1):
            lines.append(["(all)", "", str(number), "", "", _cell(sum(run.records.values())), _cell(run.total_requests)])
        widths = [max(len(r[i]) for r in [header] + lines) for i in range(len(header))]
        out = ["mage-ai {}: pipeline {} ({} trigger) -> Mage's PostgreSQL destination, schema {}".format(
            self.pipeline.project.runtime.version, self.pipeline.uuid, "API" if self.trigger == "api" else "@daily",
            self.pipeline.schema)]
        for line in [header] + lines:
            out.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths))))
        if len(runs) == 2 and runs[0].total_requests:
            out.append("run 2 (from the state Mage saved, after {} changes): {} requests, {:.0f}% of run 1's {}".format(
                MUTATIONS, runs[1].total_requests, 100.0 * runs[1].total_requests / runs[0].total_requests,
                runs[0].total_requests))
        for number, run in enumerate(runs, 1):
            if run.restarts:
                out.append("note: run {}: Mage's process queue lost the queued job {} time(s) (its worker pool "
                           "exited before seeing it); `mage start` was restarted and ran it".format(number, run.restarts))
        return "\n".join(out)


def _first(keys, count=5):
    shown = sorted(k[0] if len(k) == 1 else k for k in keys)[:count]
    return "{}{}".format(shown, " and {} more".format(len(keys) - count) if len(keys) > count else "")


def _cell(value):
    return "-" if value is None else str(value)


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("app", APPS)
def test_mage_pipeline_loads_postgres_with_the_truth_then_only_the_changes(
        app, trigger, mage_runtime, postgres, sandbox, tmp_path, capsys):
    api = sandbox(app)
    mage_runtime.install_source(SOURCES[app])
    project = MageProject(mage_runtime, tmp_path / "mage")
    destination = {"database": "postgres", "host": "127.0.0.1", "port": postgres.port, "username": SUPERUSER,
                   "password": PASSWORD, "schema": "mage_{}_{}".format(app, trigger), "table": ""}
    pipeline = project.add_pipeline("{}_to_postgres".format(app), SOURCES[app], api.tap_config(), destination,
                                    STREAMS[app])
    kinds = {name: stream_kind(pipeline.stream(name)) for name in pipeline.streams}
    assert any(parent for _, parent in kinds.values()), "no child stream among {}".format(kinds)
    assert any(k.startswith("FULL_TABLE") for k, _ in kinds.values()), kinds
    assert any(k.startswith("INCREMENTAL") and not p for k, p in kinds.values()), kinds

    check = Check(app, pipeline, postgres, api, trigger)
    runs = []

    def show():
        with capsys.disabled():
            print("\n" + check.table(runs) + "\n")

    with MageServer(project) as server:
        for number in (1, 2):
            if number == 2:
                api.mutate(MUTATIONS)
            run = server.run(pipeline, api, trigger=trigger)
            runs.append(run)
            if run.status != "COMPLETED" or run.failed_blocks:
                show()
                pytest.fail("Mage's run {} of {} failed:\n{}".format(number, pipeline.uuid, run.failure_report()),
                            pytrace=False)
            check.tables_equal_truth(number, run)
            check.state_round_trip(number, run)
        check.second_run_cost(runs[0], runs[1])
    show()
    if check.problems:
        pytest.fail("\n".join(check.problems), pytrace=False)
