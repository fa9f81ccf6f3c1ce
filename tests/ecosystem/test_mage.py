"""Each flag Mage's data integration pipelines pass, checked by running the taps the way Mage
does (see mage.py): a subprocess started from a source file, flags, stdout parsed as Mage
parses it."""
import json
import subprocess
import sys

import pytest

from demo.run import select_every_stream, stream_facts, tap_command

from .mage import MageError, MageSource, document, json_objects

APPS = ("front", "mode")
MODULES = {"front": "tap_front", "mode": "tap_mode"}
SECRET_KEYS = {"front": ("token",), "mode": ("access_token", "password")}


class Setup:
    def __init__(self, app, sandbox, folder):
        self.app = app
        self.sandbox = sandbox
        self.folder = folder
        self.source = MageSource(MODULES[app], folder)
        self.config = sandbox.tap_config()
        self.catalog = select_every_stream(self.source.discover(self.config))
        self.facts = stream_facts(self.catalog)

    def write(self, name, value):
        path = self.folder / name
        path.write_text(value if isinstance(value, str) else json.dumps(value))
        return str(path)

    def root(self, method=None):
        """A stream without parent (of the given replication method), the first by name."""
        return sorted(n for n, f in self.facts.items() if not f["parent"] and (method is None or f["method"] == method))[0]

    def child(self):
        return sorted(n for n, f in self.facts.items() if f["parent"])[0]

    def bad_config(self):
        return dict(self.config, **{key: "wrong-" + key for key in SECRET_KEYS[self.app]})


@pytest.fixture(params=APPS)
def mage(request, sandbox, tmp_path):
    return Setup(request.param, sandbox(request.param), tmp_path)


def test_discover_prints_only_the_catalog(mage):
    done = mage.source.run("--config_json", json.dumps(mage.config), "--discover")
    catalog = json.loads(done.stdout)  # the whole of stdout is one JSON document
    assert sorted(e["tap_stream_id"] for e in catalog["streams"]) == sorted(mage.facts)
    assert mage.source.discover(mage.config, log_to_stdout=True) == catalog


def test_selected_streams_narrow_discovery(mage):
    wanted = [mage.root(), mage.child()]
    catalog = mage.source.discover(mage.config, streams=wanted)
    assert sorted(e["tap_stream_id"] for e in catalog["streams"]) == sorted(wanted)


def test_discover_streams_lists_stream_ids(mage):
    listed = mage.source.discover_streams(mage.config)
    assert listed == [{"stream": name, "tap_stream_id": name} for name in sorted(mage.facts)]


def test_config_json_is_merged_over_the_config_file(mage):
    wrong_file = mage.write("wrong.json", mage.bad_config())
    fixed = {key: mage.config[key] for key in SECRET_KEYS[mage.app]}
    done = mage.source.run("--config", wrong_file, "--config_json", json.dumps(fixed), "--test_connection",
                           timeout=10)
    assert done.returncode == 0, done.stderr
    good_file = mage.write("good.json", mage.config)
    wrong = {key: "wrong" for key in SECRET_KEYS[mage.app]}
    done = mage.source.run("--config", good_file, "--config_json", json.dumps(wrong), "--test_connection",
                           timeout=10)
    assert done.returncode != 0


def test_test_connection_passes_with_working_credentials(mage):
    mage.sandbox.reset_stats()
    mage.source.test_connection(mage.config)
    assert 1 <= mage.sandbox.stats()["total"] <= 2  # one cheap authenticated call


def test_test_connection_fails_with_the_reason_on_stderr(mage):
    bad = mage.bad_config()
    with pytest.raises(MageError) as failure:
        mage.source.test_connection(bad)
    message = str(failure.value)
    assert message.strip()
    assert "401" in message or "unauthori" in message.lower() or "credential" in message.lower(), message
    for key in SECRET_KEYS[mage.app]:
        assert bad[key] not in message


def test_test_connection_to_an_unreachable_api_fails_within_mages_limit(mage, free_port):
    config = dict(mage.config, base_url="http://127.0.0.1:{}".format(free_port))
    with pytest.raises(MageError) as failure:
        mage.source.test_connection(config)
    assert "did not finish" not in str(failure.value), "--test_connection retried past Mage's 10 s"


def test_show_templates_prints_a_config_to_start_from(mage):
    done = mage.source.run("--show_templates")
    assert done.returncode == 0, done.stderr
    template = json.loads(done.stdout)
    assert set(template) == {"config"}
    about = json.loads(subprocess.run(tap_command("tap-" + mage.app) + ["--about", "--format", "json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert set(about["settings"]["required"]) <= set(template["config"])


def test_load_sample_data_prints_a_column_table_per_selected_stream(mage):
    catalog_path = mage.write("catalog.json", mage.catalog)
    # Windowed streams (Mode's audit logs) may have an empty first page: a plain list and a
    # child stream are sampled here.
    wanted = [mage.root("FULL_TABLE"), mage.child()]
    mage.sandbox.reset_stats()
    samples = mage.source.load_sample_data(mage.config, catalog_path, wanted)
    requests = mage.sandbox.stats()["total"]
    assert sorted(samples) == sorted(wanted)
    truth = mage.sandbox.truth()
    for stream, table in samples.items():
        rows = {index for column in table.values() for index in column}
        assert rows and rows == {str(i) for i in range(len(rows))}, stream
        assert len(rows) <= min(100, len(truth[stream])), stream
        keys = mage.facts[stream]["keys"]
        assert all(k in table for k in keys), stream
    # The first page of each, not a sync: a handful of requests at most.
    assert requests <= 15, requests


def test_log_to_stdout_turns_log_lines_into_json_objects(mage):
    out = mage.source.sync(mage.config, mage.catalog, mage.root(), extra=["--some_future_mage_flag", "1"])
    logs = [obj for _, obj in out.lines if isinstance(obj, dict) and obj.get("type") == "LOG"]
    assert logs, out.text[:2000]
    assert all(set(log) >= {"type", "level", "message"} for log in logs)
    assert any("some_future_mage_flag" in log["message"] for log in logs)  # ignored, with a warning
    assert out.not_json == []  # stderr was merged in: nothing else may appear


def test_sync_of_one_stream_as_mage_runs_it(mage):
    truth = mage.sandbox.truth()
    for stream in (mage.root(), mage.child()):
        out = mage.source.sync(mage.config, mage.catalog, stream)
        assert set(out.records()) == {stream}
        assert len(out.records()[stream]) == len(truth[stream])
        assert [m["stream"] for m in out.of_type("SCHEMA")] == [stream]
        assert out.state is not None


def test_schema_messages_echo_mages_catalog_settings(mage):
    stream = mage.root()
    catalog = json.loads(json.dumps(mage.catalog))
    entry = next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)
    extras = {"replication_method": "FULL_TABLE", "unique_constraints": mage.facts[stream]["keys"],
              "unique_conflict_method": "UPDATE", "partition_keys": ["_partition"]}
    entry.update(extras)
    schema = mage.source.sync(mage.config, catalog, stream).of_type("SCHEMA")[0]
    assert {key: schema.get(key) for key in extras} == extras


def test_state_json_resumes_an_incremental_stream(mage):
    stream = mage.root("INCREMENTAL")
    first = mage.source.sync(mage.config, mage.catalog, stream)
    assert first.state["bookmarks"].get(stream)
    mage.sandbox.mutate(12)
    again = mage.source.sync(mage.config, mage.catalog, stream, state=first.state)
    assert len(again.records().get(stream, [])) < len(first.records()[stream])


SETTINGS_YAML = """\
# Mage's settings file: the source's config and its catalog
config:
{config}
data_integration:
  catalog: {catalog}
"""


@pytest.mark.parametrize("layout", ["yaml", "json-top-level-catalog"])
def test_settings_file_gives_config_and_catalog(mage, layout):
    pytest.importorskip("yaml")
    stream = mage.root()
    catalog = json.loads(json.dumps(mage.catalog))
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if not item["breadcrumb"]:
                item["metadata"]["selected"] = entry["tap_stream_id"] == stream
    if layout == "yaml":
        # Unquoted values, as people write YAML: Mage reads dates in it as plain strings.
        lines = "\n".join("  {}: {}".format(k, v) for k, v in mage.config.items())
        path = mage.write("settings.yaml", SETTINGS_YAML.format(config=lines, catalog=json.dumps(catalog)))
    else:
        path = mage.write("settings.json", {"config": mage.config, "catalog": catalog})
    done = mage.source.run("--settings", path, merge_stderr=False)
    assert done.returncode == 0, done.stderr
    streams = {obj["stream"] for _, obj in json_objects(done.stdout) if isinstance(obj, dict) and obj.get("type") == "RECORD"}
    assert streams == {stream}


def test_unknown_flags_are_ignored(mage):
    done = mage.source.run("--config_json", json.dumps(mage.config), "--discover", "--a_flag_from_a_newer_mage", "x")
    assert done.returncode == 0, done.stderr
    assert document(done.stdout)["streams"]


def test_failed_run_exits_non_zero_with_an_error_log_mage_reports(mage):
    bad = mage.bad_config()
    with pytest.raises(MageError) as failure:
        mage.source.sync(bad, mage.catalog, mage.root())
    for key in SECRET_KEYS[mage.app]:
        assert bad[key] not in str(failure.value)
    done = mage.source.run("--config_json", json.dumps(bad), "--catalog_json", json.dumps(mage.catalog))
    assert done.returncode != 0
    assert done.stderr.strip()


@pytest.mark.parametrize("app", APPS)
def test_python_m_works_like_the_console_script(app):
    script = subprocess.run(tap_command("tap-" + app) + ["--about", "--format", "json"], capture_output=True,
                            text=True, check=True)
    module = subprocess.run([sys.executable, "-m", MODULES[app], "--about", "--format", "json"],
                            capture_output=True, text=True, check=True)
    assert module.stdout == script.stdout
    bad = subprocess.run([sys.executable, "-m", MODULES[app], "--config", "/nonexistent.json"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "nonexistent" in bad.stderr


def test_query_json_bounds_the_front_analytics_window(sandbox, tmp_path):
    from tap_engine.tap import Tap
    from tap_front.tap import FrontTap
    if FrontTap.apply_query is Tap.apply_query:
        pytest.skip("FrontTap.apply_query is not implemented yet")
    setup = Setup("front", sandbox("front"), tmp_path)
    days = sorted(row["start_time"] for row in setup.source.sync(setup.config, setup.catalog, "analytics")
                  .records()["analytics"])
    start, end = days[2], days[5]
    rows = setup.source.sync(setup.config, setup.catalog, "analytics",
                             query={"_start_date": start, "_end_date": end}).records().get("analytics", [])
    assert rows and all(start <= row["start_time"] < end for row in rows), [r["start_time"] for r in rows]
