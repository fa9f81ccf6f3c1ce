"""Incremental runs: after a full sync and changes in the sandbox, a run from the final STATE
emits every changed or new record and reads report parts only for changed reports."""
from tap_mode.tap import ModeTap
from tap_mode.tracking import instant
from tests.support.runner import full_catalog, run_tap

from .conftest import DROPS, STREAMS, assert_matches_truth, mode_config, requests_by_endpoint
from .expected import list_pages, report_part_requests

VOLATILE = set(DROPS)


def _content(record):
    return {k: v for k, v in record.items() if k not in VOLATILE}


def changed_records(before, after):
    """Per stream, the records of `after` that are new or differ from `before`."""
    out = {}
    for name, records in after.items():
        key = STREAMS[name].key_properties
        old = {tuple(r[k] for k in key): _content(r) for r in before[name]}
        out[name] = [r for r in records if old.get(tuple(r[k] for k in key)) != _content(r)]
    return out


def test_incremental_run_emits_changes_and_reads_parts_of_changed_reports_only(sandbox, tmp_path):
    server = sandbox(scale="small")
    config, catalog = mode_config(server), full_catalog(ModeTap)
    first = run_tap(ModeTap, tmp_path, config, catalog)
    assert first.code == 0, first.stderr
    full_requests = server.stats()["total"]
    before = server.truth()
    server.mutate(40)
    after = server.truth()
    changed = changed_records(before, after)
    server.reset_stats()

    second = run_tap(ModeTap, tmp_path, config, catalog, state=first.last_state)
    assert second.code == 0, second.stderr
    sent = requests_by_endpoint(server)
    print("\nfull sync: {} requests; incremental after mutate(40): {}".format(full_requests, sum(sent.values())))

    # Every changed or new record is emitted, with its new values. The sandbox stamps changes
    # from a clock that runs ahead of ours: audit entries stamped after this run's window end
    # are left for the next run (its window starts at the bookmark), not lost.
    window_end = instant(second.last_state["bookmarks"]["audit_logs"]["timestamp"])
    later = [e for e in changed["audit_logs"] if instant(e["timestamp"]) >= window_end]
    changed["audit_logs"] = [e for e in changed["audit_logs"] if e not in later]
    for name, records in changed.items():
        emitted = {tuple(r[k] for k in STREAMS[name].key_properties) for r in second.records.get(name, [])}
        missing = [r for r in records if tuple(r[k] for k in STREAMS[name].key_properties) not in emitted]
        assert not missing, "{}: {} changed records not emitted".format(name, len(missing))
    assert sum(len(v) for v in changed.values()) > 0
    # What is emitted equals the truth after the changes (no stale values).
    for name, records in second.records.items():
        keys = {tuple(r[k] for k in STREAMS[name].key_properties) for r in records}
        subset = [r for r in after[name] if tuple(r[k] for k in STREAMS[name].key_properties) in keys]
        assert_matches_truth({name: records}, {name: subset}, [name])

    # Report parts only for the changed reports (charts and filters only for those saved
    # again, not merely run); every list walked once.
    changed_reports = {r["token"] for r in changed["reports"]}
    assert 0 < len(changed_reports) < len(after["reports"])
    saved_before = {r["token"]: (r["edited_at"], r["last_saved_at"]) for r in before["reports"]}
    saved_reports = {r["token"] for r in changed["reports"]
                     if saved_before.get(r["token"]) != (r["edited_at"], r["last_saved_at"])}
    assert 0 < len(saved_reports) < len(changed_reports)
    for endpoint, count in report_part_requests(after, changed_reports, saved_reports).items():
        assert sent.get(endpoint, 0) == count, endpoint
    assert {r["report_token"] for r in second.records["queries"]} == changed_reports
    # Runs only where a run was added or was still unfinished: one page each (newest first).
    runs_bookmark = first.last_state["bookmarks"]["report_runs"]
    pending = runs_bookmark["pending"]
    since = instant(runs_bookmark["created_at"])
    with_news = {r["token"] for r in after["reports"]
                 if r["last_run_at"] and instant(r["last_run_at"]) > since or r["token"] in pending}
    assert sent["/reports/{report}/runs"] == len(with_news)
    run_tokens = {r["token"] for r in second.records["report_runs"]}
    per_run = {}
    for query_run in after["query_runs"]:
        per_run[query_run["report_run_token"]] = per_run.get(query_run["report_run_token"], 0) + 1
    assert sent["/reports/{report}/runs/{run}/query_runs"] == sum(list_pages(per_run.get(t, 0)) for t in run_tokens)
    assert second.records["report_runs"] and all(
        instant(r["created_at"]) > since or r["token"] in sum(pending.values(), [])
        for r in second.records["report_runs"])
    # Nothing that did not change among definitions and data sources.
    assert len(second.records.get("definitions", [])) == len(changed["definitions"])
    assert "data_sources" not in second.records
    assert sent["/spaces/{space}/reports"] == list_pages_total(after, "reports")


def list_pages_total(truth, stream):
    per_space = {}
    for record in truth[stream]:
        per_space[record["space_token"]] = per_space.get(record["space_token"], 0) + 1
    return sum(list_pages(per_space.get(s["token"], 0)) for s in truth["spaces"])
