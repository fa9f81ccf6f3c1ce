"""CLI and config validation through the real entry point: exit codes, one-line errors, nothing
on stdout for bad input, every flag."""
import json
import subprocess
import sys

import pytest

from tap_engine.about import render, settings_markdown
from tap_engine.cli import main
from tap_engine.errors import ConfigError
from tap_engine.settings import Setting, settings_schema, validate_config
from tap_front.tap import FrontTap
from tap_mode.tap import ModeTap

SETTINGS = (
    Setting("token", "password", required=True),
    Setting("start_date", "date-time", default="2020-01-01"),
    Setting("request_timeout", "number", default=300, minimum=1),
    Setting("max_workers", "integer", default=4, minimum=1),
    Setting("flag", "boolean", default=False),
    Setting("range", "string", default="daily", choices=("daily", "hourly")),
)


def test_defaults_and_types():
    config = validate_config({"token": "t", "request_timeout": "30", "flag": "true"}, SETTINGS)
    assert config["request_timeout"] == 30.0 and config["flag"] is True and config["max_workers"] == 4
    assert config["start_date"].isoformat() == "2020-01-01T00:00:00+00:00"
    assert config["range"] == "daily"


@pytest.mark.parametrize("raw, key", [
    ({}, "token"),
    ({"token": ""}, "token"),
    ({"token": 5}, "token"),
    ({"token": "t", "start_date": "yesterday-ish"}, "start_date"),
    ({"token": "t", "request_timeout": "fast"}, "request_timeout"),
    ({"token": "t", "request_timeout": 0}, "request_timeout"),
    ({"token": "t", "max_workers": 2.5}, "max_workers"),
    ({"token": "t", "flag": "maybe"}, "flag"),
    ({"token": "t", "range": "weekly"}, "range"),
    ({"token": "t", "range": "Daily"}, "range"),
])
def test_bad_values_name_the_key(raw, key):
    with pytest.raises(ConfigError) as caught:
        validate_config(raw, SETTINGS)
    assert repr(key) in str(caught.value)


def test_choices():
    assert validate_config({"token": "t", "range": "hourly"}, SETTINGS)["range"] == "hourly"
    with pytest.raises(ConfigError) as caught:
        validate_config({"token": "t", "range": "weekly"}, SETTINGS)
    assert str(caught.value) == "config key 'range' must be one of daily, hourly, got 'weekly'"
    assert settings_schema(SETTINGS)["properties"]["range"]["enum"] == ["daily", "hourly"]
    assert "One of: `\"daily\"`, `\"hourly\"`." in settings_markdown(SETTINGS)


def test_secret_value_never_in_error():
    with pytest.raises(ConfigError) as caught:
        validate_config({"token": 12345678}, SETTINGS)
    assert "12345678" not in str(caught.value)


def test_unknown_key_warns(caplog):
    validate_config({"token": "t", "tokne": "x"}, SETTINGS)
    assert "tokne" in caplog.text


def run_cli(tmp_path, tap, *args, config=None):
    argv = list(args)
    if config is not None:
        path = tmp_path / "config.json"
        path.write_text(config if isinstance(config, str) else json.dumps(config))
        argv = ["--config", str(path)] + argv
    return subprocess.run([sys.executable, "-m", tap] + argv, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("tap, config, key", [
    ("tap_front", {}, "token"),
    ("tap_mode", {"access_token": "a", "password": "p"}, "workspace"),
])
def test_missing_required_key_exit_2_one_line(tmp_path, tap, config, key):
    result = run_cli(tmp_path, tap, "--discover", config=config)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and repr(key) in lines[0]


@pytest.mark.parametrize("bad, words", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
])
def test_bad_config_file(tmp_path, bad, words):
    result = run_cli(tmp_path, "tap_front", "--discover", config=bad)
    assert result.returncode == 2 and result.stdout == ""
    assert words in result.stderr and "Traceback" not in result.stderr


def test_value_outside_choices_exit_2_one_line(tmp_path):
    result = run_cli(tmp_path, "tap_front", "--discover", config={"token": "t", "incremental_range": "weekly"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "tap-front: config key 'incremental_range' must be one of daily, hourly, got 'weekly'"]


def test_missing_config_file(tmp_path):
    result = run_cli(tmp_path, "tap_mode", "--config", str(tmp_path / "nope.json"), "--discover")
    assert result.returncode == 2 and "not found" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("tap_cls", [FrontTap, ModeTap])
def test_about_json(capsys, tap_cls):
    assert main(tap_cls, ["--about", "--format", "json"]) == 0
    about = json.loads(capsys.readouterr().out)
    assert about["name"] == tap_cls.name
    assert set(about["capabilities"]) == {"catalog", "discover", "state", "properties", "about"}
    required = about["settings"]["required"]
    assert all(name in about["settings"]["properties"] for name in required)
    secrets = [n for n, s in about["settings"]["properties"].items() if s.get("writeOnly")]
    assert secrets  # tokens are marked as secrets


@pytest.mark.parametrize("fmt, marker", [("text", "settings:"), ("markdown", "| Setting |")])
def test_about_text_and_markdown(capsys, fmt, marker):
    assert main(ModeTap, ["--about", "--format", fmt]) == 0
    assert marker in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_about_shows_choices(fmt):
    line = next(line for line in render(FrontTap({}), fmt).splitlines() if "incremental_range" in line)
    assert "daily" in line and "hourly" in line


def test_about_json_has_enum():
    about = json.loads(render(FrontTap({}), "json"))
    assert about["settings"]["properties"]["incremental_range"]["enum"] == ["daily", "hourly"]


def test_discover_prints_catalog_without_api_calls(tmp_path):
    # base_url points at a closed port: discovery must not need the API.
    result = run_cli(tmp_path, "tap_front", "--discover",
                     config={"token": "t", "base_url": "http://127.0.0.1:9"})
    assert result.returncode == 0, result.stderr
    catalog = json.loads(result.stdout)
    names = [s["tap_stream_id"] for s in catalog["streams"]]
    assert names == sorted(names) and names


def test_test_flag_reports_failure_in_one_line(tmp_path):
    result = run_cli(tmp_path, "tap_front", "--test",
                     config={"token": "t0ken-value", "base_url": "http://127.0.0.1:9", "retry_base_seconds": 0})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("tap-front: /me failed")
    assert "t0ken-value" not in result.stderr


def test_bad_catalog_and_state_files(tmp_path):
    config = {"token": "t", "base_url": "http://127.0.0.1:9"}
    (tmp_path / "catalog.json").write_text(json.dumps({"streams": [{"tap_stream_id": "nope", "stream": "nope",
                                                                    "schema": {}, "metadata": []}]}))
    result = run_cli(tmp_path, "tap_front", "--catalog", str(tmp_path / "catalog.json"), config=config)
    assert result.returncode == 2 and "'nope'" in result.stderr and result.stdout == ""
    (tmp_path / "state.json").write_text(json.dumps({"bookmarks": ["old", "shape"]}))
    result = run_cli(tmp_path, "tap_front", "--state", str(tmp_path / "state.json"), config=config)
    assert result.returncode == 2 and "state" in result.stderr and result.stdout == ""
    (tmp_path / "state.json").write_text("{oops")
    result = run_cli(tmp_path, "tap_front", "--state", str(tmp_path / "state.json"), config=config)
    assert result.returncode == 2 and "not valid JSON" in result.stderr


def test_properties_is_an_alias_of_catalog(tmp_path):
    config = {"token": "t", "base_url": "http://127.0.0.1:9"}
    (tmp_path / "catalog.json").write_text("{}")
    result = run_cli(tmp_path, "tap_front", "-p", str(tmp_path / "catalog.json"), config=config)
    assert result.returncode == 2 and "streams" in result.stderr
