"""Meltano runs both taps as declared in sample_configs/meltano.yml: a throwaway project made
from that file (pip_url pointed at this checkout), `meltano install`, `meltano invoke --discover`,
and `meltano run TAP target-jsonl` twice, the second resuming from the state Meltano saved."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from demo.toolenv import ROOT

from .flows import TapSetup

SAMPLE = ROOT / "sample_configs" / "meltano.yml"
SAMPLE_PIP_URL = "pip_url: -e ${MELTANO_PROJECT_ROOT}/.."
MELTANO_TIMEOUT = 900  # seconds; a safety net only (install builds three venvs)


class MeltanoProject:
    def __init__(self, meltano, folder):
        self.meltano = meltano
        self.folder = folder
        text = SAMPLE.read_text()
        assert text.count(SAMPLE_PIP_URL) == 2, "sample_configs/meltano.yml no longer installs this checkout"
        (folder / "meltano.yml").write_text(text.replace(SAMPLE_PIP_URL, "pip_url: -e {}".format(ROOT)))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TAP_", "TARGET_", "MELTANO_"))}
        self.env.pop("PYTHONPATH", None)
        self.env.update(MELTANO_SEND_ANONYMOUS_USAGE_STATS="false", NO_COLOR="1")

    def __call__(self, *args, env=None, check=True):
        done = subprocess.run([self.meltano.bin(), *args], cwd=str(self.folder), capture_output=True, text=True,
                              env=dict(self.env, **(env or {})), timeout=MELTANO_TIMEOUT)
        if check:
            assert done.returncode == 0, "meltano {} failed:\n{}\n{}".format(
                " ".join(args), done.stdout[-3000:], done.stderr[-5000:])
        return done


@pytest.fixture(scope="module")
def project(meltano, tmp_path_factory):
    project = MeltanoProject(meltano, tmp_path_factory.mktemp("meltano"))
    project("install")
    return project


def tap_env(app, setup, output):
    """Settings through the environment, as the sample's comments tell users to give secrets."""
    prefix = "TAP_FRONT_" if app == "front" else "TAP_MODE_"
    env = {prefix + name.upper(): str(value) for name, value in setup.config.items()}
    env[prefix + "RETRY_BASE_SECONDS"] = "0.01"  # a failure shows at once instead of after retries
    env["TARGET_JSONL_DESTINATION_PATH"] = str(output)
    return env


def lines_per_stream(setup, folder):
    """Records per stream in target-jsonl's files, and the key values of single-key streams."""
    counts, keys = {}, {}
    for path in Path(folder).glob("*.jsonl"):
        records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        counts[path.stem] = len(records)
        key = setup.facts[path.stem]["keys"]
        if len(key) == 1:
            keys[path.stem] = {r.get(key[0]) for r in records}
    return counts, keys


@pytest.mark.parametrize("app", ["front", "mode"])
def test_meltano_discovers_runs_and_resumes_from_its_state(app, project, sandbox, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path / "tap")
    output = tmp_path / "output"
    env = tap_env(app, setup, output)

    discovered = project("invoke", setup.tap, "--discover", env=env)
    catalog = json.loads(discovered.stdout)
    assert sorted(e["tap_stream_id"] for e in catalog["streams"]) == setup.streams

    setup.sandbox.reset_stats()
    first = project("run", setup.tap, "target-jsonl", env=env)
    assert "No state was found" in first.stderr
    first_requests = setup.sandbox.stats()["total"]
    first_counts, _ = lines_per_stream(setup, output)
    truth = setup.truth_counts()
    assert {s: first_counts.get(s, 0) for s in truth} == truth

    state_id = "dev:{}-to-target-jsonl".format(setup.tap)
    saved = json.loads(project("state", "get", state_id).stdout)
    assert saved["singer_state"]["bookmarks"]

    changed = setup.sandbox.mutate(12)
    setup.sandbox.reset_stats()
    second = project("run", setup.tap, "target-jsonl", env=env)
    assert "No state was found" not in second.stderr
    second_requests = setup.sandbox.stats()["total"]
    counts, keys = lines_per_stream(setup, output)  # target-jsonl appends to the same files
    added = sum(counts.values()) - sum(first_counts.values())
    assert 0 < added < sum(first_counts.values()) / 2, (added, first_counts)
    assert second_requests < first_requests
    for stream, ids in changed.items():
        if stream in keys:
            assert set(ids) <= keys[stream], stream
