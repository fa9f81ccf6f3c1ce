"""``python -m sandbox``: prints its base URL first, serves, and exits cleanly on a signal."""
import signal
import subprocess
import sys

import pytest
import requests
from conftest import REPO

STARTUP_TIMEOUT = 30


def start(*args):
    process = subprocess.Popen([sys.executable, "-m", "sandbox", *args], cwd=str(REPO),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_front_until_a_signal(signum):
    process = start("front", "--scale", "tiny", "--port", "0", "--rpm", "100", "--seed", "2",
                    "--latency-ms", "0", "--jitter-ms", "0", "--faults", "500:first=1")
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer sandbox-token"}
        assert requests.get(url + "/me", headers=headers, timeout=10).status_code == 500
        me = requests.get(url + "/me", headers=headers, timeout=10)
        assert me.ok and me.headers["x-ratelimit-limit"] == "100"
        assert me.json()["id"].startswith("cmp_")
    finally:
        process.send_signal(signum)
        code = process.wait(timeout=STARTUP_TIMEOUT)
    assert code == 0, process.stderr.read()


def test_cli_rejects_a_bad_fault_spec():
    process = start("front", "--scale", "tiny", "--faults", "418")
    out, err = process.communicate(timeout=STARTUP_TIMEOUT)
    assert process.returncode == 2 and "unknown fault kind" in err and out == ""
