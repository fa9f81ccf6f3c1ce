"""sample_configs/ stays true to the taps: every setting in each example config, in the README
tables and in meltano.yml (with the right kinds and capabilities), catalogs as discovery makes
them, and the taps accept the files as they are."""
import json
import re
import subprocess

import pytest

from demo.run import tap_command
from demo.samples import SAMPLES, catalog_path, example_catalog, state_path

from .flows import TAPS, write_json

APPS = tuple(TAPS)
SECRETS = {"front": ("token",), "mode": ("access_token", "password")}


def about(tap):
    done = subprocess.run(tap_command(tap) + ["--about", "--format", "json"], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def sample_config(tap):
    return json.loads((SAMPLES / "{}.config.json".format(tap)).read_text())


def readme_keys(tap):
    text = (SAMPLES / "README.md").read_text()
    section = text.split("## {}.config.json".format(tap), 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))


@pytest.mark.parametrize("app", APPS)
def test_example_config_and_readme_name_every_setting(app):
    tap = TAPS[app]
    settings = set(about(tap)["settings"]["properties"])
    assert set(sample_config(tap)) == settings
    assert readme_keys(tap) == settings


@pytest.mark.parametrize("app", APPS)
def test_taps_accept_the_example_files(app, sandbox, tmp_path):
    tap = TAPS[app]
    server = sandbox(app)
    # Only what the sandbox needs is swapped in, over the example file as Mage's flag does.
    overrides = {key: value for key, value in server.tap_config().items()
                 if key in SECRETS[app] + ("base_url", "start_date", "workspace", "analytics_poll_seconds")}
    base = tap_command(tap) + ["--config", str(SAMPLES / "{}.config.json".format(tap)),
                               "--config_json", json.dumps(overrides)]
    done = subprocess.run(base + ["--test_connection"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

    catalog = json.loads(catalog_path(tap).read_text())
    selected = {e["tap_stream_id"] for e in catalog["streams"]
                if any(not m["breadcrumb"] and m["metadata"].get("selected") for m in e["metadata"])}
    assert 2 <= len(selected) < len(catalog["streams"])
    for state in (None, str(state_path(tap))):
        command = base + ["--catalog", str(catalog_path(tap))] + (["--state", state] if state else [])
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        emitted = {m["stream"] for m in map(json.loads, done.stdout.splitlines()) if m["type"] == "RECORD"}
        assert emitted and emitted <= selected


@pytest.mark.parametrize("app", APPS)
def test_example_catalog_is_what_discovery_gives(app, sandbox, tmp_path):
    tap = TAPS[app]
    config = write_json(tmp_path / "config.json", sandbox(app).tap_config())
    done = subprocess.run(tap_command(tap) + ["--config", config, "--discover"], capture_output=True, text=True,
                          check=True)
    expected = example_catalog(tap, json.loads(done.stdout))
    assert json.loads(catalog_path(tap).read_text()) == expected, \
        "the tap's catalog changed: run `python -m demo.samples` to refresh sample_configs/"


@pytest.mark.parametrize("app", APPS)
def test_meltano_yml_declares_the_tap_as_about_describes_it(app):
    yaml = pytest.importorskip("yaml")
    tap = TAPS[app]
    info = about(tap)
    project = yaml.safe_load((SAMPLES / "meltano.yml").read_text())
    plugin = next(p for p in project["plugins"]["extractors"] if p["name"] == tap)
    assert plugin["namespace"] == tap.replace("-", "_")
    assert plugin["executable"] == tap
    assert plugin["capabilities"] == info["capabilities"]
    declared = {s["name"]: s for s in plugin["settings"]}
    assert set(declared) == set(info["settings"]["properties"])
    for name, schema in info["settings"]["properties"].items():
        setting = declared[name]
        if schema.get("writeOnly"):
            assert setting.get("kind") == "password" and setting.get("sensitive") is True, name
        elif schema.get("format") == "date-time":
            assert setting.get("kind") == "date_iso8601", name
        elif schema["type"] == "integer":
            assert setting.get("kind") == "integer", name
        if "default" in schema and "value" in setting:
            assert setting["value"] == schema["default"], name
