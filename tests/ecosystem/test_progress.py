"""What a person watching a sync sees on stderr: one summary line per stream with its records,
requests and time, one total line, and little else (no per-request metrics, no tracebacks)."""
import json
import subprocess

import pytest

from demo.report import SUMMARY_LINE, stream_summaries

from .flows import TapSetup


@pytest.mark.parametrize("app", ["front", "mode"])
def test_sync_stderr_has_a_summary_per_stream_and_is_quiet(app, sandbox, tmp_path):
    setup = TapSetup(app, sandbox(app), tmp_path)
    done = subprocess.run(setup.command(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    emitted = {}
    for message in map(json.loads, done.stdout.splitlines()):
        if message["type"] == "RECORD":
            emitted[message["stream"]] = emitted.get(message["stream"], 0) + 1

    summaries = stream_summaries(done.stderr)
    assert set(summaries) == set(setup.streams)
    assert {name: s["records"] for name, s in summaries.items()} == {n: emitted.get(n, 0) for n in setup.streams}
    assert all(s["requests"] >= 1 for s in summaries.values())

    lines = [line for line in done.stderr.splitlines() if line.strip()]
    totals = [line for line in lines if line.startswith("INFO sync done: ")]
    assert len(totals) == 1 and "{} records".format(sum(emitted.values())) in totals[0]
    others = [line for line in lines if not SUMMARY_LINE.search(line) and line not in totals]
    assert not [line for line in others if line.startswith(("INFO", "DEBUG"))], others
    assert "Traceback" not in done.stderr and "METRIC" not in done.stderr
    assert len(others) <= len(setup.streams) // 2, others
