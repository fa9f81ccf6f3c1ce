"""Mode's live quirks, reproduced by the simulator and exercised over real HTTP."""
import csv
import io

import pytest
from conftest import control

AUTH = ("sandbox-token", "sandbox-secret")
JSON = {"Accept": "application/json"}
WIDE_WINDOW = {"start_timestamp": "2000-01-01T00:00:00Z", "end_timestamp": "2100-01-01T00:00:00Z"}


@pytest.fixture
def mode(sandbox, http):
    server = sandbox("mode", scale="tiny")

    def get(path, params=None, headers=None, auth=AUTH):
        return http.get(server.base_url + "/api" + path, params=params, auth=auth,
                        headers=headers)

    def body(path, params=None, expect=200, headers=None):
        response = get(path, params, headers)
        assert response.status_code == expect, response.text
        return response.json()

    get.body = body
    get.app = server.app
    get.server = server
    get.marks = server.app.landmarks
    return get


def items(body, key):
    return body["_embedded"].get(key, [])


def tokens(body, key):
    return [item["token"] for item in items(body, key)]


# -- authentication and errors --------------------------------------------------------------
@pytest.mark.parametrize("auth", [None, ("sandbox-token", "wrong"), ("other", "sandbox-secret")])
def test_bad_credentials_get_401_with_mode_error_body(mode, auth):
    response = mode("/acme/spaces", auth=auth)
    assert response.status_code == 401
    body = response.json()
    assert body["id"] == "unauthorized" and isinstance(body["message"], str)


def test_unknown_workspace_and_unknown_token_are_404(mode):
    assert mode("/elsewhere/spaces").status_code == 404
    response = mode("/acme/reports/000000000000")
    assert response.status_code == 404 and response.json()["id"] == "not_found"


def test_collections_is_an_alias_of_spaces(mode):
    assert (tokens(mode.body("/acme/collections", {"filter": "all"}), "spaces")
            == tokens(mode.body("/acme/spaces", {"filter": "all"}), "spaces"))


def test_plain_json_is_honoured_and_hal_is_the_default(mode):
    assert mode("/acme/groups").headers["Content-Type"].startswith("application/hal+json")
    assert mode("/acme/groups", headers=JSON).headers["Content-Type"].startswith(
        "application/json")


# -- spaces and their filter ----------------------------------------------------------------
def test_spaces_without_filter_all_lists_only_member_spaces(mode):
    everything = tokens(mode.body("/acme/spaces", {"filter": "all"}), "spaces")
    assert len(everything) > 2
    # A workspace token belongs to no space: the unfiltered list is empty.
    assert items(mode.body("/acme/spaces"), "spaces") == []
    mode.app.set_option("member_spaces", 2)
    assert len(tokens(mode.body("/acme/spaces"), "spaces")) == 2
    # Unknown filter values are not an error, and filter nothing.
    assert tokens(mode.body("/acme/spaces", {"filter": "bogus"}), "spaces") == everything


def test_page_ignoring_collection_returns_the_same_list_for_page_two(mode):
    first = mode.body("/acme/spaces", {"filter": "all", "page": 1})
    second = mode.body("/acme/spaces", {"filter": "all", "page": 2})
    assert items(second, "spaces") == items(first, "spaces") != []
    assert "next_page" in second["_links"]     # a naive walker would never stop
    assert (items(mode.body("/acme/groups", {"page": 5}), "groups")
            == items(mode.body("/acme/groups"), "groups"))


def test_which_collections_ignore_page_is_configurable(mode):
    mode.app.set_option("unpaged", ["/groups"])
    assert items(mode.body("/acme/spaces", {"filter": "all", "page": 2}), "spaces") == []


# -- paging -------------------------------------------------------------------------------
def test_per_page_is_silently_capped_at_30(mode):
    path = f"/acme/spaces/{mode.marks.crowded_space}/reports"
    body = mode.body(path, {"per_page": 100})
    assert len(items(body, "reports")) == 30
    assert "per_page=30" in body["_links"]["next_page"]["href"]


def test_walking_pages_reaches_every_report_once(mode):
    path = f"/acme/spaces/{mode.marks.crowded_space}/reports"
    seen, page = [], 1
    while True:
        body = mode.body(path, {"page": page, "per_page": 30})
        if not items(body, "reports"):
            break
        seen += tokens(body, "reports")
        page += 1
    assert len(seen) == len(set(seen)) > 30
    crowded = [r for r in mode.app.truth()["reports"] if r["space_token"] == mode.marks.crowded_space]
    assert seen == [r["token"] for r in crowded]


def test_page_past_the_end_has_an_empty_embedded_object(mode):
    body = mode.body(f"/acme/spaces/{mode.marks.crowded_space}/reports", {"page": 50})
    assert body["_embedded"] == {}
    assert "next_page" not in body["_links"]


def test_next_page_link_can_point_past_the_end(mode):
    path = f"/acme/spaces/{mode.marks.crowded_space}/reports"
    total = sum(1 for r in mode.app.truth()["reports"] if r["space_token"] == mode.marks.crowded_space)
    per_page = next(size for size in range(30, 1, -1) if total % size == 0)
    last_page = total // per_page
    last = mode.body(path, {"page": last_page, "per_page": per_page})
    assert len(items(last, "reports")) == per_page
    assert "next_page" in last["_links"]
    beyond = mode.body(path, {"page": last_page + 1, "per_page": per_page})
    assert beyond["_embedded"] == {}


def test_report_runs_are_newest_first_with_real_pagination(mode):
    path = f"/acme/reports/{mode.marks.busy_report}/runs"
    first = mode.body(path)
    pagination = first["pagination"]
    total = pagination["total_count"]
    assert total > 30
    assert pagination == {"page": 1, "per_page": 30, "count": 30,
                          "total_pages": -(-total // 30), "total_count": total}
    runs = items(first, "report_runs")
    page = 2
    while page <= pagination["total_pages"]:
        body = mode.body(path, {"page": page})
        runs += items(body, "report_runs")
        page += 1
    assert "next_page" not in body["_links"]
    assert body["pagination"]["count"] == total - 30 * (pagination["total_pages"] - 1)
    created = [run["created_at"] for run in runs]
    assert created == sorted(created, reverse=True) and len(runs) == total


def test_filter_on_report_runs_answers_500(mode):
    response = mode(f"/acme/reports/{mode.marks.busy_report}/runs",
                    {"filter": "created_at.gt.2026-01-01T00:00:00Z"})
    assert response.status_code == 500
    assert response.json()["id"] == "internal_server_error"


# -- odd records ----------------------------------------------------------------------------
def test_soft_deleted_report_answers_200_with_its_state(mode):
    token = mode.marks.soft_deleted_reports[0]
    report = mode.body(f"/acme/reports/{token}")
    assert report["state"] == "soft_deleted"
    listed = [r for r in mode.app.truth()["reports"] if r["token"] == token]
    assert listed and listed[0]["state"] == "soft_deleted"
    space = mode.body(f"/acme/spaces/{report['space_token']}/reports", {"per_page": 30})
    walked = [r for r in items(space, "reports") if r["token"] == token]
    if walked:       # on page one of its space
        assert walked[0]["state"] == "soft_deleted"


def test_freshly_deleted_space_answers_403_on_its_child_routes(mode, http):
    control(http, mode.server, "options", {"deleted_space": True})
    space = mode.app.deleted_space
    assert space in tokens(mode.body("/acme/spaces", {"filter": "all"}), "spaces")
    for child in ("reports", "datasets", "memberships"):
        response = mode(f"/acme/spaces/{space}/{child}")
        assert response.status_code == 403
        assert response.json()["id"] == "forbidden"
    truth = mode.app.truth()
    assert all(report["space_token"] != space for report in truth["reports"])


def test_landmark_records_exist(mode):
    marks = mode.marks
    assert items(mode.body(f"/acme/reports/{marks.report_without_queries}/queries"),
                 "queries") == []
    chartless = [q for q in mode.app.truth()["queries"] if q["token"] == marks.query_without_charts]
    report = chartless[0]["report_token"]
    assert items(mode.body(f"/acme/reports/{report}/queries/{marks.query_without_charts}/charts"),
                 "charts") == []
    states = {run["state"] for run in mode.app.truth()["report_runs"]}
    assert states & {"pending", "enqueued", "running"}


def test_volatile_fields_change_on_every_request(mode):
    path = f"/acme/reports/{mode.marks.busy_report}"
    first, second = mode.body(path), mode.body(path)
    assert first["flamingo_signature"] != second["flamingo_signature"]
    assert first["web_preview_image"] != second["web_preview_image"]
    assert first["web_preview_image"].startswith("https://")
    stable = {k: v for k, v in first.items() if k not in ("flamingo_signature", "web_preview_image")}
    assert stable == {k: v for k, v in second.items() if k in stable}


# -- results ------------------------------------------------------------------------------
def _succeeded_query_run(mode):
    runs = {r["token"]: r for r in mode.app.truth()["report_runs"]}
    for query_run in mode.app.truth()["query_runs"]:
        run = runs[query_run["report_run_token"]]
        if query_run["state"] == "succeeded" and run["purge_completed_at"] is None:
            return query_run
    raise AssertionError("no succeeded query run in the tiny data")


def test_results_json_and_gzipped_csv_agree(mode, http):
    query_run = _succeeded_query_run(mode)
    base = (f"/acme/reports/{query_run['report_token']}/runs/{query_run['report_run_token']}"
            f"/query_runs/{query_run['token']}/results/content")
    rows = mode.body(base + ".json")
    assert isinstance(rows, list) and rows and all(isinstance(row, dict) for row in rows)
    response = mode(base + ".csv")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))      # requests has un-gzipped it
    assert table[0] == list(rows[0])
    assert len(table) - 1 == len(rows)
    # Report-level results are the first query's rows.
    run_level = mode.body(f"/acme/reports/{query_run['report_token']}/runs/"
                          f"{query_run['report_run_token']}/results/content.json")
    assert isinstance(run_level, list)


def test_results_of_unfinished_and_purged_runs_are_404(mode):
    truth = mode.app.truth()
    runs = {r["token"]: r for r in truth["report_runs"]}
    unfinished = [q for q in truth["query_runs"] if q["state"] in ("enqueued", "running")]
    purged = [q for q in truth["query_runs"]
              if runs[q["report_run_token"]]["purge_completed_at"] is not None]
    assert unfinished and purged
    for query_run in (unfinished[0], purged[0]):
        path = (f"/acme/reports/{query_run['report_token']}/runs/{query_run['report_run_token']}"
                f"/query_runs/{query_run['token']}/results/content.json")
        assert mode(path).status_code == 404


# -- audit logs ---------------------------------------------------------------------------
def test_audit_log_cursor_walks_every_entry_once(mode):
    seen, params = [], dict(WIDE_WINDOW)
    pages = 0
    while True:
        body = mode.body("/acme/audit_logs", params, headers=JSON)
        seen += [entry["id"] for entry in body["_embedded"]["audit_logs"]]
        pages += 1
        if not body["next_token"]:
            break
        params = dict(WIDE_WINDOW, next_token=body["next_token"])
    assert pages > 1
    assert seen == [entry["id"] for entry in mode.app.truth()["audit_logs"]]


def test_audit_log_window_bounds_the_entries(mode):
    entries = mode.app.truth()["audit_logs"]
    start, end = entries[10]["timestamp"], entries[20]["timestamp"]
    body = mode.body("/acme/audit_logs", {"start_timestamp": start, "end_timestamp": end},
                     headers=JSON)
    assert [e["id"] for e in body["_embedded"]["audit_logs"]] == [e["id"] for e in entries[10:20]]


@pytest.mark.parametrize("accept", ["application/hal+json", "*/*"])
def test_audit_logs_refuse_anything_but_plain_json(mode, accept):
    response = mode("/acme/audit_logs", WIDE_WINDOW, headers={"Accept": accept})
    assert response.status_code == 406


def test_audit_logs_require_the_window_and_a_matching_cursor(mode):
    response = mode("/acme/audit_logs", {"start_timestamp": "2020-01-01"}, headers=JSON)
    assert response.status_code == 400 and response.json()["id"] == "bad_request"
    cursor = mode.body("/acme/audit_logs", WIDE_WINDOW, headers=JSON)["next_token"]
    other = {"start_timestamp": "2001-01-01T00:00:00Z", "end_timestamp": "2100-01-01T00:00:00Z",
             "next_token": cursor}
    assert mode("/acme/audit_logs", other, headers=JSON).status_code == 400


def test_audit_logs_forbid_member_tokens(mode):
    mode.app.set_option("token_type", "member")
    response = mode("/acme/audit_logs", WIDE_WINDOW, headers=JSON)
    assert response.status_code == 403 and response.json()["id"] == "forbidden"


# -- mutation through the control route ---------------------------------------------------
def test_mutation_shows_up_in_truth_and_in_the_api(mode, http):
    before = control(http, mode.server, "truth")["streams"]
    newest_before = max(r["updated_at"] for r in before["reports"])
    changed = control(http, mode.server, "mutate", {"count": 10})["changed"]
    after = control(http, mode.server, "truth")["streams"]
    assert set(changed) >= {"reports", "report_runs", "query_runs", "audit_logs", "definitions"}
    reports = {r["token"]: r for r in after["reports"]}
    for token in changed["reports"]:
        assert reports[token]["updated_at"] > newest_before
    new_runs = set(changed["report_runs"]) - {r["token"] for r in before["report_runs"]}
    assert new_runs
    run = next(r for r in after["report_runs"] if r["token"] in new_runs)
    listed = mode.body(f"/acme/reports/{run['report_token']}/runs")
    assert items(listed, "report_runs")[0]["token"] == run["token"]    # newest first
    assert len(after["audit_logs"]) == len(before["audit_logs"]) + len(changed["audit_logs"])


def test_stats_are_kept_per_path_template(mode, http):
    mode.body(f"/acme/reports/{mode.marks.busy_report}/runs")
    mode.body(f"/acme/spaces/{mode.marks.crowded_space}/reports")
    endpoints = control(http, mode.server, "stats")["endpoints"]
    assert {"/reports/{report}/runs", "/spaces/{space}/reports"} <= set(endpoints)
