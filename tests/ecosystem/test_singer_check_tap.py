"""singer-check-tap (singer-tools) validates the taps' full output: every stream selected, the
first run and a run from its state after changes.

Its `--tap` mode is not used: singer-tools 0.4.1 returns the summary of its stdout reader thread
without waiting for it, so on a busy machine it crashes on a summary that is not there yet."""
import json
import re
import subprocess

import pytest

from .flows import TapSetup

CHECK_TIMEOUT = 600  # seconds; a safety net only


def check_stdin(singer_tools, text, workdir):
    # singer-check-tap leaves a data folder in its working directory.
    done = subprocess.run([singer_tools.bin("singer-check-tap")], input=text, capture_output=True, text=True,
                          timeout=CHECK_TIMEOUT, cwd=workdir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The output is valid." in done.stdout, done.stdout
    return done.stdout


def records_per_stream(summary):
    """The per-stream table singer-check-tap prints: | stream | records | schemas |"""
    found = {}
    for match in re.finditer(r"^\|\s*(\w+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|$", summary, re.MULTILINE):
        found[match.group(1)] = int(match.group(2))
    return found


def run_tap(command):
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("app", ["front", "mode"])
def test_full_output_of_both_runs_is_valid_singer(app, sandbox, singer_tools, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path)
    first = run_tap(setup.command())
    summary = check_stdin(singer_tools, first, tmp_path)
    truth = setup.truth_counts()
    assert records_per_stream(summary) == {name: n for name, n in truth.items() if n}

    states = [m["value"] for m in map(json.loads, first.splitlines()) if m["type"] == "STATE"]
    setup.sandbox.mutate(12)
    second = run_tap(setup.command(state=states[-1]))
    check_stdin(singer_tools, second, tmp_path)

