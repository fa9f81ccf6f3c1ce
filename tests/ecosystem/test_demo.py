"""`make demo`'s program end to end, on the tiny sandbox data: both taps into target-jsonl,
then a second run from the saved state that brings only the changes."""
import subprocess
import sys

from demo.toolenv import ROOT


def test_demo_runs_twice_and_shows_only_the_changes(target_jsonl, tmp_path):
    out = tmp_path / "demo-output"
    done = subprocess.run([sys.executable, "-m", "demo", "--scale", "tiny", "--output", str(out)], cwd=str(ROOT),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    for tap in ("tap-front", "tap-mode"):
        assert "{} run 2 (from saved state)".format(tap) in done.stdout
        assert "{}: every changed record arrived in run 2".format(tap) in done.stdout
        assert "{}: target holds every record the sandbox has".format(tap) in done.stdout
    for app in ("front", "mode"):
        assert list((out / app / "run2").glob("*.jsonl"))
        assert (out / app / "state-after-run2.json").exists()
    assert (out / "summary.txt").read_text().strip().splitlines()[-1].startswith("Done")
