"""A full sync of every stream at `small` scale: exactly the ground truth, valid records, and
no more requests than the data needs."""
import pytest

from tap_mode.client import ModeClient
from tap_mode.tap import ModeTap
from tests.support.runner import full_catalog, run_tap

from .conftest import START_DATE, assert_matches_truth, mode_config, requests_by_endpoint, start_sandbox
from .expected import _parse, full_sync_requests


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    server = start_sandbox(scale="small")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ModeClient, "RATE_CEILING", None)
        run = run_tap(ModeTap, tmp_path_factory.mktemp("full"), mode_config(server), full_catalog(ModeTap))
    yield server, run
    server.stop()


def test_every_stream_equals_the_truth(full_run):
    server, run = full_run
    assert run.code == 0, run.stderr
    truth = server.truth()
    assert set(truth) == {cls.name for cls in ModeTap.stream_classes}
    assert_matches_truth(run.records, truth)


def test_requests_are_the_minimum_the_data_needs(full_run):
    server, run = full_run
    truth = server.truth()
    audit_end = _parse(run.last_state["bookmarks"]["audit_logs"]["timestamp"])
    expected = full_sync_requests(truth, server.app.setting("unpaged"), _parse(START_DATE), audit_end,
                                  window_days=30)
    sent = requests_by_endpoint(server)
    print("\nfull sync: {} requests, minimum the data needs: {}".format(sum(sent.values()), sum(expected.values())))
    assert sent == expected
    assert server.stats()["faults"] == 0 and server.stats()["rate_limited"] == 0


def test_final_state_has_bookmarks_and_no_walk_in_progress(full_run):
    _, run = full_run
    state = run.last_state
    assert state["currently_syncing"] is None
    bookmarks = state["bookmarks"]
    for name in ("reports", "datasets", "definitions", "data_sources"):
        assert bookmarks[name]["updated_at"]
    for name in ("queries", "charts", "report_filters", "report_schedules", "report_subscriptions"):
        assert bookmarks[name]["report_changed_at"]
    for name in ("report_runs", "query_runs", "dataset_runs"):
        assert bookmarks[name]["created_at"]
    # Nothing in progress, and the keys that said so are kept, empty (Mage merges STATEs).
    assert not any(b.get("progress") or b.get("spaces_done") for b in bookmarks.values())
    assert bookmarks["spaces"]["spaces_done"] == [] and bookmarks["reports"]["progress"] is None
    # Runs left unfinished by the sandbox are remembered, to be read again.
    assert bookmarks["report_runs"]["pending"]
