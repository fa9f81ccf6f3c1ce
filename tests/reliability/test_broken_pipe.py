"""A crashed target: the tap's stdout is closed by its reader mid-sync. The tap notices at its
next write, stops asking the API for more, and exits 1 with one line and no traceback."""
import pytest

from .profiles import FRONT, MODE
from .runs import last_line, spawn
from .tables import add_row

# Records are written through an 8 KiB buffer and STATE flushes it: the tap learns that the
# pipe is gone within a page or two, i.e. a handful of requests.
MAX_REQUESTS_AFTER_CLOSE = 20


@pytest.mark.parametrize("lines", [2, 100, 300])
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_closed_stdout_ends_the_run_promptly_and_quietly(profile, lines, sandbox, tmp_path):
    server = sandbox(profile)
    at_close = {}
    run = spawn(profile, tmp_path, profile.config(server), close_after_lines=lines,
                on_close=lambda: at_close.update(requests=server.stats()["total"]))
    after = server.stats()["total"] - at_close["requests"]
    add_row("Target crash (stdout closed by the reader)",
            ("tap", "closed after lines", "requests before", "requests after", "exit", "last line"),
            (profile.name, lines, at_close["requests"], after, run.code, last_line(run.stderr)))
    assert run.code == 1
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr[-1500:]
    assert "output closed by the reader" in last_line(run.stderr)
    assert after <= MAX_REQUESTS_AFTER_CLOSE
