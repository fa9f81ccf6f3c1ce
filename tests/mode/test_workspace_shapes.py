"""Workspaces with odd shapes and tokens with fewer rights, at `tiny` scale: empty branches,
deleted spaces, lists that ignore `page`, the memberships fallback, audit logs refused, and
what a second run reads when nothing changed."""
import copy

from singer import metadata

from sandbox.mode import ModeApp
from sandbox.mode.responses import not_found
from tap_mode.tap import ModeTap
from tests.support.runner import full_catalog, run_tap
from tests.support.truth import assert_stream_matches

from .conftest import assert_matches_truth, mode_config, requests_by_endpoint
from .expected import list_pages

REPORT_PARTS = ("/reports/{report}/queries", "/reports/{report}/queries/{query}/charts",
                "/reports/{report}/filters", "/reports/{report}/schedules", "/reports/{report}/subscriptions")


def catalog_of(*names):
    catalog = full_catalog(ModeTap)
    for entry in catalog["streams"]:
        mdata = metadata.to_map(entry["metadata"])
        mdata = metadata.write(mdata, (), "selected", entry["tap_stream_id"] in names)
        entry["metadata"] = metadata.to_list(mdata)
    return catalog


def test_zero_spaces_is_zero_rows(sandbox, tmp_path):
    app = ModeApp(seed=1, scale="tiny")
    app.world.spaces.clear()
    server = sandbox(app=app)
    run = run_tap(ModeTap, tmp_path, mode_config(server), full_catalog(ModeTap))
    assert run.code == 0, run.stderr
    assert not any(run.records.get(name) for name in ("spaces", "reports", "queries", "datasets"))
    assert_matches_truth(run.records, server.truth())


def test_a_deleted_space_answering_403_is_skipped(sandbox, tmp_path):
    server = sandbox(scale="tiny", deleted_space=True)
    run = run_tap(ModeTap, tmp_path, mode_config(server), full_catalog(ModeTap))
    assert run.code == 0, run.stderr
    assert "skipping one parent" in run.stderr and "403" in run.stderr
    assert_matches_truth(run.records, server.truth())


def test_lists_that_all_ignore_page(sandbox, tmp_path):
    server = sandbox(scale="tiny", unpaged=ModeApp(scale="tiny").endpoint_templates())
    run = run_tap(ModeTap, tmp_path, mode_config(server), full_catalog(ModeTap))
    assert run.code == 0, run.stderr
    assert_matches_truth(run.records, server.truth())


class WithoutFullMemberships(ModeApp):
    def _answer(self, request):
        if request.path.rstrip("/") == "/api/acme/memberships":
            raise not_found("Resource")
        return super()._answer(request)


def test_memberships_fall_back_to_lite(sandbox, tmp_path):
    server = sandbox(app=WithoutFullMemberships(seed=1, scale="tiny"))
    run = run_tap(ModeTap, tmp_path, mode_config(server), catalog_of("memberships"))
    assert run.code == 0, run.stderr
    lite = [{k: r[k] for k in ("member_username", "member_token", "admin", "state")}
            for r in server.truth()["memberships"]]
    assert_stream_matches("memberships", run.records["memberships"], lite, _schema("memberships"),
                          key=("member_token",))
    assert requests_by_endpoint(server)["/memberships"] == 1


def _schema(name):
    return next(cls for cls in ModeTap.stream_classes if cls.name == name).load_schema()


def test_audit_logs_refused_to_a_personal_token_skip_only_that_stream(sandbox, tmp_path):
    server = sandbox(scale="tiny", token_type="member")
    run = run_tap(ModeTap, tmp_path, mode_config(server), full_catalog(ModeTap))
    assert run.code == 0, run.stderr
    assert "skipping stream audit_logs" in run.stderr and "403" in run.stderr
    truth = server.truth()
    assert "audit_logs" not in run.records
    assert_matches_truth(run.records, truth, [name for name in truth if name != "audit_logs"])


def test_second_run_without_changes_rereads_only_unfinished_runs(sandbox, tmp_path):
    server = sandbox(scale="tiny")
    config, catalog = mode_config(server), full_catalog(ModeTap)
    first = run_tap(ModeTap, tmp_path, config, catalog)
    assert first.code == 0, first.stderr
    pending = first.last_state["bookmarks"]["report_runs"]["pending"]
    assert pending
    full_requests = server.stats()["total"]
    server.reset_stats()
    second = run_tap(ModeTap, tmp_path, config, catalog, state=first.last_state)
    assert second.code == 0, second.stderr
    sent = requests_by_endpoint(server)
    print("\nno changes: {} requests (full sync {})".format(sum(sent.values()), full_requests))
    assert not any(sent.get(endpoint) for endpoint in REPORT_PARTS)
    assert sent["/reports/{report}/runs"] == len(pending)
    assert {r["token"] for r in second.records["report_runs"]} == set(sum(pending.values(), []))
    for name in ("reports", "queries", "charts", "datasets", "dataset_runs", "definitions", "audit_logs"):
        assert not second.records.get(name), name
    assert second.last_state["bookmarks"]["report_runs"]["pending"] == pending  # still unfinished


def test_a_stream_selected_later_gets_its_backfill(sandbox, tmp_path):
    server = sandbox(scale="tiny")
    config = mode_config(server)
    first = run_tap(ModeTap, tmp_path, config, catalog_of("reports", "queries"))
    assert first.code == 0, first.stderr
    state = copy.deepcopy(first.last_state)
    assert "charts" not in state["bookmarks"] or not state["bookmarks"]["charts"]
    server.reset_stats()
    second = run_tap(ModeTap, tmp_path, config, catalog_of("reports", "queries", "charts"), state=state)
    assert second.code == 0, second.stderr
    truth = server.truth()
    assert_matches_truth(second.records, truth, ["charts"])
    # Queries were listed again for the charts only: none of them is emitted again.
    assert not second.records.get("queries") and not second.records.get("reports")
    per_report = {}
    for query in truth["queries"]:
        per_report[query["report_token"]] = per_report.get(query["report_token"], 0) + 1
    assert requests_by_endpoint(server)["/reports/{report}/queries"] == sum(
        list_pages(per_report.get(r["token"], 0)) for r in truth["reports"])


def test_connection_check_calls_verify_only(sandbox, tmp_path):
    server = sandbox(scale="tiny")
    run = run_tap(ModeTap, tmp_path, mode_config(server), extra_args=["--test"])
    assert run.code == 0, run.stderr
    assert requests_by_endpoint(server) == {"/api/verify": 1}
