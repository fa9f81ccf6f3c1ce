"""The taps beside Mage's official image: a Python 3.10 environment built from the image's pins
(upstream singer-python 5.13.0 standing in for Mage's fork, which pins jsonschema 4.17.0 instead
of upstream's 2.6.0), the hand-off source file in it as a user installs it, and the taps in
their own virtualenv. Mage's packages stay exactly as they were; the source runs the taps with
Mage's argv; importing it (as Mage does to find its file) starts nothing."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo.toolenv import CACHE_DIR, ToolEnvError, _locked, _run, tool_python

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILE = ROOT / "sample_configs" / "mage" / "source.py"
# Mage's image (python:3.10) pins these among others.
IMAGE_PINS = ("jsonschema==4.17.0", "backoff==1.8.0", "pendulum==2.1.0", "simplejson==3.11.1",
              "requests~=2.31.0", "pytz", "python-dateutil", "ciso8601")
MAGE_SINGER = "singer-python==5.13.0"   # installed without its own (upstream) pins


class ImageEnv:
    """A cached venv like the tool venvs, named after the pins."""

    def __init__(self):
        self.python = tool_python("3.10")
        self.path = Path(CACHE_DIR) / "mage-image-pins-py3.10"
        self.marker = self.path / ".installed.json"

    def ensure(self):
        if self.marker.is_file():
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path.parent / (self.path.name + ".lock")):
            if not self.marker.is_file():
                log = []
                _run([self.python, "-m", "venv", "--clear", str(self.path)], log)
                pip = [str(self.path / "bin" / "python"), "-m", "pip", "install", "--quiet",
                       "--disable-pip-version-check", "--no-input"]
                _run(pip + list(IMAGE_PINS), log)
                _run(pip + ["--no-deps", MAGE_SINGER], log)
                self.marker.write_text(json.dumps({"pins": IMAGE_PINS + (MAGE_SINGER,)}))
        return self

    def freeze(self):
        done = subprocess.run([str(self.path / "bin" / "python"), "-m", "pip", "freeze"],
                              capture_output=True, text=True, check=True)
        return sorted(done.stdout.splitlines())


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    try:
        env = ImageEnv().ensure()
    except ToolEnvError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip("cannot build the Mage image environment: {}".format(str(error).splitlines()[0]))
    # The user's install: the source file as Mage's custom sources tap_front and tap_mode.
    site = tmp_path_factory.mktemp("mage-site")
    for name in ("tap_front", "tap_mode"):
        folder = site / "mage_integrations" / "sources" / name
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text(SOURCE_FILE.read_text())
    for package in (site / "mage_integrations", site / "mage_integrations" / "sources"):
        (package / "__init__.py").write_text("")
    return env, site


def run_in_image(image, *args, **kwargs):
    env, site = image
    environ = dict(os.environ, PYTHONPATH=str(site),
                   TAP_FRONT_MODE_BIN=os.path.dirname(sys.executable))
    return subprocess.run([str(env.path / "bin" / "python")] + [str(a) for a in args], env=environ,
                          capture_output=True, text=True, timeout=300, **kwargs)


def source_path(image, name):
    return image[1] / "mage_integrations" / "sources" / name / "__init__.py"


VERSIONS = ("import json, importlib.metadata as m; print(json.dumps({p: m.version(p) for p in "
            "('singer-python', 'backoff', 'pendulum', 'jsonschema', 'simplejson')}))")


def test_the_image_keeps_mages_pins(image):
    versions = run_in_image(image, "-c", VERSIONS)
    assert versions.returncode == 0, versions.stderr
    assert json.loads(versions.stdout) == {"singer-python": "5.13.0", "backoff": "1.8.0", "pendulum": "2.1.0",
                                           "jsonschema": "4.17.0", "simplejson": "3.11.1"}


def test_importing_the_source_starts_nothing(image, sandbox):
    server = sandbox("front")
    # Mage imports the module to learn its file path, with its own argv.
    done = run_in_image(image, "-c", "import sys, importlib; sys.argv = ['mage', 'start', 'project']; "
                        "m = importlib.import_module('mage_integrations.sources.tap_front'); print(m.__file__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(source_path(image, "tap_front"))
    assert done.stderr == ""
    assert server.stats()["total"] == 0


@pytest.mark.parametrize("app,tap,stream", [("front", "tap_front", "tags"), ("mode", "tap_mode", "spaces")])
def test_the_source_hands_mages_argv_to_the_tap(image, sandbox, app, tap, stream):
    server = sandbox(app)
    config = json.dumps(server.tap_config())
    env, _ = image
    before = env.freeze()
    found = run_in_image(image, source_path(image, tap), "--config_json", config, "--discover",
                         "--selected_streams_json", json.dumps([stream]))
    assert found.returncode == 0, found.stderr
    catalog = json.loads(found.stdout)
    assert [entry["tap_stream_id"] for entry in catalog["streams"]] == [stream]
    for entry in catalog["streams"]:
        entry["metadata"][0]["metadata"]["selected"] = True   # as Mage's UI selects a stream
    synced = run_in_image(image, source_path(image, tap), "--config_json", config, "--log_to_stdout", "1",
                          "--catalog_json", json.dumps(catalog), "--selected_streams_json", json.dumps([stream]),
                          "--query_json", json.dumps({"_start_date": None, "_end_date": None}))
    assert synced.returncode == 0, synced.stderr
    messages = [json.loads(line) for line in synced.stdout.splitlines()]
    records = [m["record"] for m in messages if m["type"] == "RECORD"]
    assert sorted(r["id" if app == "front" else "token"] for r in records) == sorted(
        r["id" if app == "front" else "token"] for r in server.truth()[stream])
    assert all("tags" in m for m in messages if m["type"] == "LOG")
    assert env.freeze() == before


def test_a_missing_tap_is_one_line(image, tmp_path):
    env, site = image
    environ = dict(os.environ, PYTHONPATH=str(site), TAP_FRONT_MODE_BIN=str(tmp_path))
    done = subprocess.run([str(env.path / "bin" / "python"), str(source_path(image, "tap_front")), "--discover"],
                          env=environ, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "{} not found: install tap-front-mode in a virtualenv and set TAP_FRONT_MODE_BIN to its bin folder".format(
            tmp_path / "tap-front")]
