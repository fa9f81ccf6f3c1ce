"""A crashed target: the tap's stdout is closed by its reader mid-sync. The tap notices at its
next write, stops asking the API for more, and exits 1 with one line and no traceback."""
import pytest

from .profiles import FRONT, MODE
from .runs import last_line, spawn, sync
from .tables import add_row


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """Requests of an uninterrupted sync, per tap."""
    counts = {}
    for profile in (FRONT, MODE):
        server = profile.start()
        try:
            run = sync(profile, tmp_path_factory.mktemp(profile.name), profile.config(server))
            assert run.code == 0, last_line(run.stderr)
            counts[profile.name] = server.stats()["total"]
        finally:
            server.stop()
    return counts


@pytest.mark.parametrize("lines", [2, 100, 300])
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_closed_stdout_ends_the_run_promptly_and_quietly(profile, lines, whole, sandbox, tmp_path):
    server = sandbox(profile)
    at_close = {}
    run = spawn(profile, tmp_path, profile.config(server), close_after_lines=lines,
                on_close=lambda: at_close.update(requests=server.stats()["total"]))
    before, after = at_close["requests"], server.stats()["total"] - at_close["requests"]
    add_row("Target crash (stdout closed by the reader)",
            ("tap", "closed after lines", "requests before", "requests after", "of a sync", "exit", "last line"),
            (profile.name, lines, before, after, whole[profile.name], run.code, last_line(run.stderr)))
    assert run.code == 1
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr[-1500:]
    assert "output closed by the reader" in last_line(run.stderr)
    # Output is written page by page (for children, a chunk of up to 30 parents' lists at
    # once): the tap stops within the lists in flight, far from the end of the sync.
    assert after <= whole[profile.name] // 4, after
