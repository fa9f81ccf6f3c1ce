"""Regenerate the example catalogs and states in sample_configs/ from the taps themselves:
`python -m demo.samples`. A test fails when the checked-in catalogs drift from discovery.

Each example catalog holds a few streams, selected, one field deselected to show how, and one
stream left unselected; each example state is what a run with that catalog against the sandbox
saved."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .run import tap_command
from .sandboxes import Sandbox
from .toolenv import ROOT

SAMPLES = ROOT / "sample_configs"
# Per tap: streams selected in the example catalog, then one shown unselected.
EXAMPLE_STREAMS = {
    "tap-front": (("conversations", "messages", "tags"), "events"),
    "tap-mode": (("spaces", "reports", "definitions"), "audit_logs"),
}
APPS = {"tap-front": "front", "tap-mode": "mode"}


def catalog_path(tap):
    return SAMPLES / "{}.catalog.json".format(tap)


def state_path(tap):
    return SAMPLES / "{}.state.json".format(tap)


def discover(tap, config_path):
    done = subprocess.run(tap_command(tap) + ["--config", config_path, "--discover"], capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def example_catalog(tap, full):
    """The example streams of a discovered catalog, selected, and one field deselected."""
    chosen, unselected = EXAMPLE_STREAMS[tap]
    entries = []
    for name in chosen + (unselected,):
        entry = json.loads(json.dumps(next(e for e in full["streams"] if e["tap_stream_id"] == name)))
        for item in entry["metadata"]:
            if not item["breadcrumb"]:
                item["metadata"]["selected"] = name in chosen
        entries.append(entry)
    _deselect_one_field(entries[0])
    return {"streams": entries}


def _deselect_one_field(entry):
    """The last optional field of the stream, to show field selection."""
    optional = [item for item in entry["metadata"]
                if item["breadcrumb"] and item["metadata"].get("inclusion") == "available"]
    optional[-1]["metadata"]["selected"] = False


def example_state(tap, sandbox, folder):
    config = folder / "config.json"
    config.write_text(json.dumps(sandbox.tap_config()))
    done = subprocess.run(tap_command(tap) + ["--config", str(config), "--catalog", str(catalog_path(tap))],
                          capture_output=True, text=True, timeout=600, check=True)
    states = [m["value"] for m in map(json.loads, done.stdout.splitlines()) if m.get("type") == "STATE"]
    return states[-1]


def write(path, value):
    path.write_text(json.dumps(value, indent=2) + "\n")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for tap, app in APPS.items():
            with Sandbox(app, scale="tiny") as sandbox:
                config = folder / "{}.json".format(app)
                config.write_text(json.dumps(sandbox.tap_config()))
                write(catalog_path(tap), example_catalog(tap, discover(tap, str(config))))
                write(state_path(tap), example_state(tap, sandbox, folder))
            print("wrote {} and {}".format(catalog_path(tap).relative_to(ROOT), state_path(tap).relative_to(ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
