"""Rate limits, server errors and stalls are survived with the truth as output; a run that
fails mid-walk resumes from its last STATE without losing or redoing much."""
from tap_mode.tap import ModeTap
from tests.support.runner import full_catalog, run_tap

from .conftest import STREAMS, assert_matches_truth, mode_config, requests_by_endpoint

FAULTS = "429:0.04:retry=0.05,502:0.04,504:0.03,stall:0.01:times=3:seconds=1.5"


def test_429_5xx_and_stalls_are_survived(sandbox, tmp_path):
    server = sandbox(scale="tiny", faults=FAULTS)
    run = run_tap(ModeTap, tmp_path, mode_config(server, request_timeout=1), full_catalog(ModeTap))
    assert run.code == 0, run.stderr
    assert "sandbox-secret" not in run.stdout + run.stderr
    fired = {rule["kind"]: rule["fired"] for rule in server.faults.describe()["rules"]}
    assert all(fired.values()), fired
    assert_matches_truth(run.records, server.truth())


def _keys(run, name):
    key = STREAMS[name].key_properties
    return [tuple(r[k] for k in key) for r in run.records.get(name, [])]


def test_a_failed_run_resumes_from_its_last_state(sandbox, tmp_path):
    # The filters list fails for good after a while: the run dies inside the spaces tree.
    server = sandbox(scale="small", faults="500:after=120@/reports/{report}/filters")
    config, catalog = mode_config(server), full_catalog(ModeTap)
    failed = run_tap(ModeTap, tmp_path, config, catalog)
    assert failed.code == 1 and "/reports/{report_token}/filters answered HTTP 500" in failed.stderr
    state = failed.last_state
    assert state["currently_syncing"] == "spaces"
    done = state["bookmarks"]["spaces"]["spaces_done"]
    assert done  # progress inside the walk is in the STATE
    # ... of every stream of the spaces tree, as each may be synced alone (Mage).
    for name in ("reports", "datasets", "space_memberships", "queries", "report_runs", "query_runs"):
        assert state["bookmarks"][name]["spaces_done"] == done, name

    server.set_faults("")
    server.reset_stats()
    resumed = run_tap(ModeTap, tmp_path, config, catalog, state=state)
    assert resumed.code == 0, resumed.stderr
    truth = server.truth()
    union = {name: failed.records.get(name, []) + resumed.records.get(name, []) for name in truth}
    assert_matches_truth(union, truth)

    # Spaces already done are not walked again: only the others' reports are listed.
    sent = requests_by_endpoint(server)
    print("\nresume: {} requests after the failure, {} spaces of {} already done".format(
        sum(sent.values()), len(done), len(truth["spaces"])))
    assert not {r["space_token"] for r in resumed.records["reports"]} & set(done)
    # Redone: at most the group of spaces (one per worker) the failed run died in.
    group = [s["token"] for s in truth["spaces"] if s["token"] not in done][:config["max_workers"]]
    redone = set(_keys(failed, "reports")) & set(_keys(resumed, "reports"))
    assert redone and {r["space_token"] for r in failed.records["reports"] if (r["token"],) in redone} <= set(group)
