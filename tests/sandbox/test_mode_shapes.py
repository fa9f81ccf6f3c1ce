"""Mode simulator bodies against the reference examples (read at run time, never copied).

``observed__*`` examples are real captured responses: key sets and value types must match.
``docs__*`` examples are placeholders: only their field names count.
"""
import json
import re

import pytest

AUTH = ("sandbox-token", "sandbox-secret")
HAL = {"Accept": "application/hal+json"}

# Keys the simulator serves on purpose although the example lacks them, or the reverse.
SOFT_DELETED_EXTRA = {"state"}            # only soft-deleted reports carry a state
DOCS_ONLY = {"_embedded"}                 # docs print an empty _embedded on single objects

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ISO_MS_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
ISO_US_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def json_type(value):
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                       (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    raise TypeError(value)


def assert_same_shape(served, observed, extra=(), missing=(), where="body"):
    """Same keys (up to the named exceptions) and, key by key, the same JSON type; null on
    either side is accepted because Mode leaves many fields empty."""
    assert isinstance(served, dict), where
    unexpected = set(served) - set(observed) - set(extra)
    absent = set(observed) - set(served) - set(missing)
    assert not unexpected, f"{where}: keys not in the example: {sorted(unexpected)}"
    assert not absent, f"{where}: keys of the example missing: {sorted(absent)}"
    for key in set(served) & set(observed):
        kinds = {json_type(served[key]), json_type(observed[key])}
        assert len(kinds) == 1 or "null" in kinds, (
            f"{where}.{key}: served {json_type(served[key])}, example {json_type(observed[key])}")


def assert_links(item, where):
    for name, link in item["_links"].items():
        assert isinstance(link.get("href"), str), f"{where}._links.{name}"
        assert set(link) <= {"href", "templated"}, f"{where}._links.{name}"
        if "templated" in link:
            assert link["templated"] is True


def assert_has_docs_fields(served, documented, missing=(), where="body"):
    absent = set(documented) - set(served) - set(missing) - DOCS_ONLY
    assert not absent, f"{where}: documented fields missing: {sorted(absent)}"


@pytest.fixture
def example(shared_api_dir):
    def load(name):
        path = shared_api_dir / "mode" / "examples" / name
        if not path.is_file():
            pytest.skip(f"reference example {name} not found under {shared_api_dir}")
        return json.loads(path.read_text())
    return load


@pytest.fixture
def mode(sandbox, http):
    server = sandbox("mode", scale="tiny", app_options={"member_spaces": 2})

    def get(path, params=None, headers=HAL, expect=200, **options):
        response = http.get(server.base_url + "/api" + path, params=params, auth=AUTH,
                            headers=headers, **options)
        assert response.status_code == expect, response.text
        return response.json()
    get.app = server.app
    return get


def embedded_items(body, key):
    assert set(body) >= {"_links", "_embedded"}
    assert list(body["_embedded"]) == [key]
    return body["_embedded"][key]


def test_verify_matches_observed(mode, example):
    assert_same_shape(mode("/verify"), example("observed__GET_api_verify__datahub.json"))


def test_account_rejects_workspace_tokens_with_the_observed_error(mode, example):
    body = mode("/account", expect=400)
    observed = example("observed__error_400_unsupported_for_api_keys__openmetadata-issue-14578.json")
    assert body == observed


def test_account_for_a_member_token_matches_observed_user(mode, example):
    mode.app.set_option("token_type", "member")
    body = mode("/account")
    observed = example("observed__GET_api_username_user__datahub.json")
    assert_same_shape(body, observed)
    assert_same_shape(body["avatar"], observed["avatar"], where="avatar")
    assert ISO_MS_Z.match(body["created_at"])


def test_spaces_match_observed(mode, example):
    observed = example("observed__GET_workspace_spaces__datahub.json")
    body = mode("/acme/spaces", {"filter": "all"})
    assert set(body["_links"]) >= {"self"}
    items = embedded_items(body, "spaces")
    model = observed["_embedded"]["spaces"][0]
    for item in items:
        assert_same_shape(item, model, where="space")
        assert_links(item, "space")
        assert set(item["_forms"]) == set(model["_forms"])
    served_links = set().union(*(item["_links"] for item in items))
    assert served_links == set(model["_links"])


def test_single_space_matches_observed_object(mode, example):
    observed = example("observed__GET_space_object__castor-extractor.json")
    token = mode.app.landmarks.crowded_space
    body = mode(f"/acme/spaces/{token}")
    assert_same_shape(body, observed, extra={"viewed?"})
    assert body["_links"]["self"]["href"].endswith(f"/collections/{token}")


def test_space_reports_match_observed(mode, example):
    observed = example("observed__GET_space_reports__datahub.json")
    model = observed["_embedded"]["reports"][0]
    items = embedded_items(mode(f"/acme/spaces/{mode.app.landmarks.crowded_space}/reports"),
                           "reports")
    for item in items:
        assert_same_shape(item, model, extra=SOFT_DELETED_EXTRA, where="report")
        assert_links(item, "report")
        assert set(item["_forms"]) == set(model["_forms"])
        for key in ("created_at", "updated_at", "edited_at", "last_saved_at"):
            assert ISO_MS_Z.match(item[key]), key
    with_runs = [item for item in items if item["last_successful_run_token"]]
    assert with_runs, "tiny data should have reports with successful runs"
    assert set(with_runs[0]["_links"]) == set(model["_links"])


def test_empty_space_matches_observed_empty_page(mode, example):
    observed = example("observed__GET_space_reports_empty__datahub.json")
    body = mode(f"/acme/spaces/{mode.app.landmarks.empty_space}/reports")
    assert body["_embedded"] == observed["_embedded"]
    assert set(body["_links"]) == set(observed["_links"])


def test_page_past_the_end_matches_observed(mode, example):
    observed = example("observed__GET_paged_list_past_last_page__datahub.json")
    body = mode(f"/acme/spaces/{mode.app.landmarks.crowded_space}/reports", {"page": 9})
    assert body == observed


def test_queries_match_observed(mode, example):
    observed = example("observed__GET_report_queries__datahub.json")
    model = observed["_embedded"]["queries"][0]
    report = mode.app.landmarks.busy_report
    items = embedded_items(mode(f"/acme/reports/{report}/queries"), "queries")
    assert items
    for item in items:
        assert_same_shape(item, model, where="query")
        assert set(item["_links"]) == set(model["_links"])
        assert set(item["_forms"]) == set(model["_forms"])


def test_charts_match_observed(mode, example):
    observed = example("observed__GET_query_charts__datahub.json")
    model = observed["_embedded"]["charts"][0]
    truth = mode.app.truth()
    assert truth["charts"]
    seen_versions = set()
    for chart in truth["charts"][:20]:
        path = f"/acme/reports/{chart['report_token']}/queries/{chart['query_token']}/charts"
        for item in embedded_items(mode(path), "charts"):
            assert_same_shape(item, model, where="chart")
            assert set(item["_links"]) == set(model["_links"])
            assert set(item["_forms"]) == set(model["_forms"])
            seen_versions.add(item["view_version"])
            deep = item["view_vegas"] if item["view_version"] == 2 else item["view"]
            assert deep and isinstance(deep, dict)
    assert 2 in seen_versions


def test_version_two_chart_views_resemble_observed(mode, example):
    model = example("observed__GET_query_charts__datahub.json")["_embedded"]["charts"][0]
    charts = [c for c in mode.app.truth()["charts"] if c["view_version"] == 2]
    vegas = charts[0]["view_vegas"]
    assert set(vegas) == set(model["view_vegas"])
    assert set(vegas["encoding"]) == set(model["view_vegas"]["encoding"])
    # Field formats are keyed by the query's columns, like the example's "[first_name]".
    assert all(re.match(r"^\[\w+\]$", key) for key in vegas["fieldFormats"])


def test_data_sources_match_observed(mode, example):
    observed = example("observed__GET_workspace_data_sources__datahub.json")
    model = observed["_embedded"]["data_sources"][0]
    for item in embedded_items(mode("/acme/data_sources"), "data_sources"):
        assert_same_shape(item, model, where="data_source")
        assert set(item["_links"]) == set(model["_links"])
        assert isinstance(item["port"], int)


def test_definitions_match_observed(mode, example):
    observed = example("observed__GET_workspace_definitions__datahub.json")
    model = observed["_embedded"]["definitions"][0]
    body = mode("/acme/definitions")
    assert set(body) == set(observed)
    assert set(body["_forms"]) == set(observed["_forms"])
    for item in embedded_items({k: v for k, v in body.items() if k != "_forms"}, "definitions"):
        assert_same_shape(item, model, where="definition")
        assert set(item["_links"]) == set(model["_links"])


def test_report_runs_carry_documented_fields(mode, example):
    documented = example("docs__GET_report_runs__object_PARTIAL.json")
    body = mode(f"/acme/reports/{mode.app.landmarks.busy_report}/runs")
    for item in embedded_items({k: v for k, v in body.items() if k != "pagination"},
                               "report_runs"):
        assert_has_docs_fields(item, documented, where="report_run")
        assert_links(item, "report_run")


def test_query_runs_carry_documented_fields(mode, example):
    documented = example("docs__GET_query_runs__object_PARTIAL.json")
    truth = mode.app.truth()
    run = truth["query_runs"][0]
    path = f"/acme/reports/{run['report_token']}/runs/{run['report_run_token']}/query_runs"
    for item in embedded_items(mode(path), "query_runs"):
        assert_has_docs_fields(item, documented, where="query_run")
        assert isinstance(item["id"], int)


def test_queries_carry_documented_fields(mode, example):
    documented = example("docs__GET_report_queries__object.json")
    report = mode.app.landmarks.busy_report
    for item in embedded_items(mode(f"/acme/reports/{report}/queries"), "queries"):
        # mapping_id is documented but absent live (as in the observed example).
        assert_has_docs_fields(item, documented, missing={"mapping_id"}, where="query")


def test_schedules_carry_documented_fields_and_timestamp_styles(mode, example):
    documented = example("docs__GET_report_schedules__object_PARTIAL.json")
    schedule = mode.app.truth()["report_schedules"][0]
    items = embedded_items(mode(f"/acme/reports/{schedule['report_token']}/schedules"),
                           "report_schedules")
    for item in items:
        assert_has_docs_fields(item, documented, where="schedule")
        for key, value in documented.items():
            if isinstance(value, str) and ISO_MS_OFFSET.match(value):
                assert ISO_MS_OFFSET.match(item[key]), key
            elif isinstance(value, str) and ISO_MS_Z.match(value) and item[key] is not None:
                assert ISO_MS_Z.match(item[key]), key


def test_groups_and_memberships_carry_documented_fields(mode, example):
    group_doc = example("docs__GET_workspace_groups__object.json")
    for item in embedded_items(mode("/acme/groups"), "groups"):
        assert_has_docs_fields(item, group_doc, where="group")
        assert set(item["_links"]) == set(group_doc["_links"])
        assert isinstance(item["member_count"], int)   # a number, though documented as string
    member_doc = example("docs__GET_workspace_memberships__object.json")
    for item in embedded_items(mode("/acme/memberships"), "memberships"):
        # "limited" appears only in the docs' stale example.
        assert_has_docs_fields(item, member_doc, missing={"limited"}, where="membership")


def test_audit_logs_match_documented_object(mode, example):
    documented = example("docs__GET_workspace_audit_logs__object.json")
    body = mode("/acme/audit_logs", {"start_timestamp": "2000-01-01T00:00:00Z",
                                     "end_timestamp": "2100-01-01T00:00:00Z"},
                headers={"Accept": "application/json"})
    items = body["_embedded"]["audit_logs"]
    assert items
    for item in items:
        assert set(item) == set(documented)
        for key in ("actor", "entity"):
            assert set(item[key]) == set(documented[key])
        assert "correlation_id" in item["context"]
        assert ISO_US_Z.match(item["timestamp"])


# stream: (swagger definition, documented but absent as in live bodies, served but undocumented)
SWAGGER = {
    "spaces": ("Space", set(), {"_forms"}),
    "reports": ("Report", {"drill_anywhere_enabled", "github_link", "imported_datasets", "layout",
                           "query_preview", "thoughtspot_published_at"},
                {"_forms", "flamingo_signature", "state"}),
    "datasets": ("Report", {"drill_anywhere_enabled", "github_link", "imported_datasets", "layout",
                            "query_preview", "thoughtspot_published_at"},
                 {"_forms", "flamingo_signature"}),
    "queries": ("Query", {"dbt_metric_id", "dbt_metric_token", "mapping_id", "report_imports_count"},
                {"_forms"}),
    "charts": ("Chart", set(), {"_forms"}),
    # Derived "latest" flags would change on old runs without their updated_at moving.
    "report_runs": ("ReportRun", {"is_latest_report_run", "is_latest_successful_report_run",
                                  "report_has_failures_since_last_success"}, set()),
    "dataset_runs": ("DatasetRun", {"is_latest_dataset_run", "is_latest_successful_dataset_run",
                                    "dataset_has_failures_since_last_success"}, set()),
    "query_runs": ("QueryRun", {"dbt_metric_id", "dbt_metric_token", "help_url"}, set()),
    "report_filters": ("ReportFilter", set(), set()),
    "report_schedules": ("ReportSchedule", set(),
                         {"frequency", "hour", "minute", "state", "time_zone"}),
    "report_subscriptions": ("ReportSubscription", set(), {"token", "created_at", "updated_at"}),
    "definitions": ("Definition", {"github_link"}, {"_forms"}),
    "data_sources": ("DataSource", {"organization_plan_code", "soft_deleted", "ssl_trusted_cert"},
                     {"_forms", "default", "default_for_organization_id"}),
    "memberships": ("Membership", set(), set()),
    "groups": ("UserGroup", set(), set()),
    "group_memberships": ("UserGroupMembership", set(), set()),
    "space_memberships": ("SpaceMembership", set(), set()),
    "audit_logs": ("AuditLog", set(), set()),
}
TRUTH_ONLY = {"reports": set(), "datasets": set(), "report_schedules": set(),
              "charts": {"report_token", "query_token"}, "query_runs": {"report_token", "report_run_token"},
              "dataset_runs": {"dataset_token"}, "group_memberships": {"group_token"},
              "space_memberships": {"space_token"}}


def test_every_stream_differs_from_the_swagger_only_where_intended(mode, shared_api_dir):
    yaml = pytest.importorskip("yaml", reason="PyYAML reads the third-party Swagger file")
    path = shared_api_dir / "mode" / "mode-openapi.yml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    definitions = yaml.safe_load(path.read_text())["definitions"]
    truth = mode.app.truth()
    assert set(truth) == set(SWAGGER)
    for stream, (name, absent, extra) in SWAGGER.items():
        added = TRUTH_ONLY.get(stream, {"report_token"})
        served = set().union(*(set(record) for record in truth[stream])) - added
        documented = set(definitions[name]["properties"]) - DOCS_ONLY
        assert documented - served == absent, stream
        assert served - documented == extra, stream
