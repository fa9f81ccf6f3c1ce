"""Both taps piped into real Singer targets, every stream selected, then changes made in the
sandbox and a second run from the state the target emitted.

target-jsonl (singer-python 5) and target-csv (Meltano SDK, strict about types and
date-times) write files; target-postgres loads a real PostgreSQL 15 server in upsert mode."""
import csv
import datetime
import json

import pytest

from demo.keys import record_key

from .flows import TapSetup, incremental_streams, write_json

APPS = ("front", "mode")


def key_of(record, keys, timestamps=()):
    return tuple(json.dumps(part, sort_keys=True) for part in record_key(record, keys, timestamps))


def truth_keys(setup, truth, stream):
    """The truth's keys for `stream` in the tap's key properties, or None when the API's raw
    objects name them differently (e.g. analytics rows keyed by their window)."""
    keys = setup.facts[stream]["keys"]
    records = truth.get(stream)
    if records is None or not keys or not all(k in r for r in records for k in keys):
        return None
    return {key_of(r, keys, setup.facts[stream]["timestamps"]) for r in records}


def assert_counts_match_truth(setup, counts, truth):
    expected = {name: len(truth[name]) for name in setup.streams if name in truth}
    got = {name: counts.get(name, 0) for name in expected}
    assert got == expected
    assert set(expected) == set(setup.streams), "streams without sandbox truth: {}".format(
        sorted(set(setup.streams) - set(expected)))


def assert_second_run_brought_the_changes(setup, first, second, changed):
    """The changed records arrived; incremental streams did not send everything again."""
    for stream, ids in changed.items():
        if stream in setup.facts and len(setup.facts[stream]["keys"]) == 1:
            got = {key[0] for key in second.record_keys.get(stream, set())}
            missing = [i for i in ids if i not in got]
            assert not missing, "{}: changed records missing from run 2: {}".format(stream, missing)
    incremental = incremental_streams(setup)
    assert incremental, "{} has no incremental stream".format(setup.tap)
    again = sum(second.records.get(s, 0) for s in incremental)
    before = sum(first.records.get(s, 0) for s in incremental)
    assert again < before / 2, "incremental streams sent {} records in run 2, {} in run 1".format(again, before)
    assert second.requests < first.requests


# --- target-jsonl --------------------------------------------------------------------------

def read_jsonl(folder):
    out = {}
    for path in folder.glob("*.jsonl"):
        out[path.stem] = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return out


def jsonl_target(target_jsonl, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    config = write_json(tmp_path / (name + ".json"), {"destination_path": str(folder), "do_timestamp_file": False})
    return [target_jsonl.bin(), "--config", config], folder


@pytest.mark.parametrize("app", APPS)
def test_target_jsonl_gets_every_record_then_only_the_changes(app, sandbox, target_jsonl, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path / "tap")
    command, folder1 = jsonl_target(target_jsonl, tmp_path, "run1")
    first = setup.sync_into(command)
    files1 = read_jsonl(folder1)
    assert_counts_match_truth(setup, {s: len(r) for s, r in files1.items()}, setup.sandbox.truth())

    changed = setup.sandbox.mutate(12)
    command, folder2 = jsonl_target(target_jsonl, tmp_path, "run2")
    second = setup.sync_into(command, state=first.state)
    files2 = read_jsonl(folder2)
    # The files of both runs together hold exactly the sandbox's records now.
    truth = setup.sandbox.truth()
    for stream in setup.streams:
        keys = setup.facts[stream]["keys"]
        seen = {key_of(r, keys, setup.facts[stream]["timestamps"]) for files in (files1, files2)
                for r in files.get(stream, [])}
        expected = truth_keys(setup, truth, stream)
        if expected is not None:
            assert seen == expected, stream
        assert len(seen) == len(truth[stream]), stream
    assert_second_run_brought_the_changes(setup, first, second, changed)


# --- target-csv ----------------------------------------------------------------------------

def read_csv(folder):
    out = {}
    for path in folder.glob("*.csv"):
        with path.open(newline="") as handle:
            out[path.stem] = list(csv.DictReader(handle))
    return out


def parse_timestamp(text):
    # target-csv writes `2026-05-31 02:26:55.700000+00:00`; fromisoformat on 3.9 wants 0, 3 or 6
    # fraction digits, which is what it writes.
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("app", APPS)
def test_target_csv_accepts_every_record_with_valid_types_and_timestamps(app, sandbox, target_csv, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path / "tap")
    folder = tmp_path / "out"
    folder.mkdir()
    config = write_json(tmp_path / "csv.json", {"output_path": str(folder), "file_naming_scheme": "{stream_name}.csv",
                                                "validate_records": True})
    result = setup.sync_into([target_csv.bin(), "--config", config])
    files = read_csv(folder)
    assert_counts_match_truth(setup, {s: len(rows) for s, rows in files.items()}, setup.sandbox.truth())
    checked = 0
    for stream, rows in files.items():
        for column in setup.timestamp_columns(stream):
            for row in rows:
                if row.get(column):
                    assert parse_timestamp(row[column]).tzinfo is not None, (stream, column, row[column])
                    checked += 1
    assert checked > 0
    assert result.records == {s: len(rows) for s, rows in files.items()}


# --- target-postgres -----------------------------------------------------------------------

TIMESTAMP_TYPES = ("timestamp without time zone", "timestamp with time zone")


def table_columns(postgres, schema):
    rows = postgres.query("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = '{}'".format(schema))
    columns = {}
    for row in rows:
        columns.setdefault(row["table_name"], {})[row["column_name"]] = row["data_type"]
    return columns


def primary_keys(postgres, schema):
    rows = postgres.query(
        "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
        "AND kcu.table_schema = tc.table_schema "
        "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = '{}'".format(schema))
    keys = {}
    for row in rows:
        keys.setdefault(row["table_name"], set()).add(row["column_name"])
    return keys


def row_counts(postgres, schema, tables, keys):
    """Rows per table, and distinct key values per table (equal when nothing is duplicated)."""
    counts = {}
    for table in tables:
        key_list = ", ".join('"{}"'.format(k) for k in keys[table])
        row = postgres.query('SELECT count(*) AS n, count(DISTINCT ROW({})) AS d FROM "{}"."{}"'.format(
            key_list, schema, table))[0]
        counts[table] = (row["n"], row["d"])
    return counts


@pytest.mark.parametrize("app", APPS)
def test_target_postgres_loads_typed_keyed_tables_and_upserts(app, sandbox, target_postgres, postgres, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path / "tap")
    schema = "tap_{}".format(app)
    config = write_json(tmp_path / "pg.json", postgres.target_config(schema, load_method="upsert"))
    command = [target_postgres.bin(), "--config", config]
    first = setup.sync_into(command)

    columns = table_columns(postgres, schema)
    assert set(columns) == set(setup.streams)
    pks = primary_keys(postgres, schema)
    timestamps = 0
    for stream in setup.streams:
        assert pks.get(stream) == set(setup.facts[stream]["keys"]), stream
        wrong = {c: columns[stream].get(c) for c in setup.timestamp_columns(stream)
                 if columns[stream].get(c) not in TIMESTAMP_TYPES}
        assert not wrong, "{}: date-time properties not loaded as timestamps: {}".format(stream, wrong)
        timestamps += len(setup.timestamp_columns(stream))
    assert timestamps, "no date-time property to check"
    keys = {stream: setup.facts[stream]["keys"] for stream in setup.streams}
    counts = row_counts(postgres, schema, setup.streams, keys)
    assert_counts_match_truth(setup, {t: n for t, (n, _) in counts.items()}, setup.sandbox.truth())

    changed = setup.sandbox.mutate(12)
    second = setup.sync_into(command, state=first.state)
    counts = row_counts(postgres, schema, setup.streams, keys)
    assert all(n == d for n, d in counts.values()), counts
    assert_counts_match_truth(setup, {t: n for t, (n, _) in counts.items()}, setup.sandbox.truth())
    assert_second_run_brought_the_changes(setup, first, second, changed)
