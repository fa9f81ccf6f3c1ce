"""One function per workspace route. Each takes the app, the request and the path
parameters, and returns a ``Response`` or raises ``ApiError``."""
from urllib.parse import urlencode

from ..app import Response
from .audit import CursorError, audit_page
from .forms import definitions_collection_forms
from .paging import envelope
from .responses import ApiError, hal, not_found, wants_plain_json
from .results import result_rows, rows_as_csv_gzip
from .routing import Router
from .runs import FINAL_STATES, find_query_run, query_runs_of
from .timefmt import parse_iso_us


# -- lookups ------------------------------------------------------------------------------
def _space(app, token):
    space = app.world.find("space", token)
    if space is None:
        raise not_found("Space")
    if token == app.deleted_space:
        # Mode answers a freshly deleted collection's routes with 403, not 404.
        raise ApiError(403, "forbidden", "You do not have access to this collection")
    return space


def _report(app, token, kind="report"):
    report = app.world.find(kind, token)
    if report is None:
        raise not_found("Dataset" if kind == "dataset" else "Report")
    if report.space == app.deleted_space:
        raise ApiError(403, "forbidden", "You do not have access to this report")
    return report


def _run(app, report, token):
    run = app.world.find("run", token)
    if run is None or run.report is not report:
        raise not_found("Report run")
    return run


def _query(report, token):
    for query in report.queries:
        if query.token == token:
            return query
    raise not_found("Query")


def _page(app, request, endpoint, key, items, render, self_href, totals=False):
    return envelope(request, key, items, render, self_href, app.setting("per_page_cap"),
                    unpaged=endpoint in app.setting("unpaged"), totals=totals)


def _listing(app, request, endpoint, key, items, render, self_href, totals=False):
    return hal(request, _page(app, request, endpoint, key, items, render, self_href, totals))


# -- spaces -------------------------------------------------------------------------------
def list_spaces(app, request, params):
    spaces = app.world.spaces
    if request.arg("filter") is None:
        members = app.member_space_tokens()
        spaces = [space for space in spaces if space.token in members]
    # filter=all and unknown filter values both answer the full list.
    return _listing(app, request, "/spaces", "spaces", spaces, app.renderer.space,
                    app.renderer.api + "/collections")


def get_space(app, request, params):
    return hal(request, app.renderer.space(_space(app, params["space"])))


def list_space_reports(app, request, params):
    space = _space(app, params["space"])
    return _listing(app, request, "/spaces/{space}/reports", "reports", space.reports,
                    app.renderer.report, app.renderer.space_href(space.token) + "/reports")


def list_space_datasets(app, request, params):
    space = _space(app, params["space"])
    return _listing(app, request, "/spaces/{space}/datasets", "reports", space.datasets,
                    app.renderer.report, app.renderer.space_href(space.token) + "/datasets")


def list_space_memberships(app, request, params):
    space = _space(app, params["space"])
    return _listing(app, request, "/spaces/{space}/memberships", "space_memberships",
                    space.memberships, app.renderer.space_membership,
                    app.renderer.space_href(space.token) + "/memberships")


# -- data sources and definitions ---------------------------------------------------------
def list_data_sources(app, request, params):
    return _listing(app, request, "/data_sources", "data_sources", app.world.data_sources,
                    app.renderer.data_source, app.renderer.api + "/data_sources")


def get_data_source(app, request, params):
    source = app.world.find("data_source", params["data_source"])
    if source is None:
        raise not_found("Data source")
    return hal(request, app.renderer.data_source(source))


def list_data_source_reports(app, request, params):
    token = params["data_source"]
    if app.world.find("data_source", token) is None:
        raise not_found("Data source")
    reports = [report for report in app.world.reports_by_data_source.get(token, ())
               if report.space != app.deleted_space]
    return _listing(app, request, "/data_sources/{data_source}/reports", "reports", reports,
                    app.renderer.report,
                    f"{app.renderer.api}/data_sources/{token}/reports")


def list_definitions(app, request, params):
    body = _page(app, request, "/definitions", "definitions", app.world.definitions,
                 app.renderer.definition, app.renderer.api + "/definitions")
    body["_forms"] = definitions_collection_forms(app.renderer.api)
    return hal(request, body)


def get_definition(app, request, params):
    definition = app.world.find("definition", params["definition"])
    if definition is None:
        raise not_found("Definition")
    return hal(request, app.renderer.definition(definition))


# -- reports and their children -----------------------------------------------------------
def get_report(app, request, params):
    return hal(request, app.renderer.report(_report(app, params["report"])))


def list_report_runs(app, request, params):
    report = _report(app, params["report"])
    if request.arg("filter") is not None and app.setting("runs_filter_error"):
        # Reported live behaviour: the documented filter parameter breaks this endpoint.
        raise ApiError(500, "internal_server_error", "Something went wrong")
    return _listing(app, request, "/reports/{report}/runs", "report_runs",
                    report.runs[::-1], app.renderer.report_run,
                    app.renderer.report_href(report) + "/runs", totals=True)


def get_report_run(app, request, params):
    report = _report(app, params["report"])
    return hal(request, app.renderer.report_run(_run(app, report, params["run"])))


def list_query_runs(app, request, params):
    report = _report(app, params["report"])
    run = _run(app, report, params["run"])
    return _listing(app, request, "/reports/{report}/runs/{run}/query_runs", "query_runs",
                    query_runs_of(app.world, run), app.renderer.query_run,
                    app.renderer.run_href(run) + "/query_runs")


def _query_run(app, params):
    report = _report(app, params["report"])
    run = _run(app, report, params["run"])
    query_run = find_query_run(app.world, run, params["query_run"])
    if query_run is None:
        raise not_found("Query run")
    return query_run


def get_query_run(app, request, params):
    return hal(request, app.renderer.query_run(_query_run(app, params)))


def _finished_result(query_run):
    if query_run.run.purged_at is not None:
        raise ApiError(404, "not_found", "The results of this run have been purged")
    if query_run.state not in FINAL_STATES:
        raise ApiError(404, "not_found", "The results of this run are not ready")
    if query_run.state != "succeeded":
        raise ApiError(404, "not_found", "This query run has no results")
    return query_run


def result_json(app, request, params):
    query_run = _finished_result(_query_run(app, params))
    return Response.json(200, result_rows(query_run))


def result_csv(app, request, params):
    query_run = _finished_result(_query_run(app, params))
    return Response(200, rows_as_csv_gzip(query_run),
                    {"Content-Type": "text/csv; charset=utf-8", "Content-Encoding": "gzip"})


def _first_query_run(app, params):
    report = _report(app, params["report"])
    run = _run(app, report, params["run"])
    runs = query_runs_of(app.world, run)
    return _finished_result(runs[0]) if runs else None


def run_result_json(app, request, params):
    """Report-level results: only the first query's rows."""
    query_run = _first_query_run(app, params)
    return Response.json(200, result_rows(query_run) if query_run else [])


def run_result_csv(app, request, params):
    query_run = _first_query_run(app, params)
    if query_run is None:
        raise not_found("Result")
    return Response(200, rows_as_csv_gzip(query_run),
                    {"Content-Type": "text/csv; charset=utf-8", "Content-Encoding": "gzip"})


def list_queries(app, request, params):
    report = _report(app, params["report"])
    return _listing(app, request, "/reports/{report}/queries", "queries", report.queries,
                    app.renderer.query, app.renderer.report_href(report) + "/queries")


def get_query(app, request, params):
    report = _report(app, params["report"])
    return hal(request, app.renderer.query(_query(report, params["query"])))


def list_charts(app, request, params):
    report = _report(app, params["report"])
    query = _query(report, params["query"])
    return _listing(app, request, "/reports/{report}/queries/{query}/charts", "charts",
                    query.charts, app.renderer.chart,
                    f"{app.renderer.report_href(report)}/queries/{query.token}/charts")


def get_chart(app, request, params):
    query = _query(_report(app, params["report"]), params["query"])
    for chart in query.charts:
        if chart.token == params["chart"]:
            return hal(request, app.renderer.chart(chart))
    raise not_found("Chart")


def list_filters(app, request, params):
    report = _report(app, params["report"])
    return _listing(app, request, "/reports/{report}/filters", "report_filters",
                    report.filters, app.renderer.report_filter,
                    app.renderer.report_href(report) + "/filters")


def list_schedules(app, request, params):
    report = _report(app, params["report"])
    return _listing(app, request, "/reports/{report}/schedules", "report_schedules",
                    report.schedules, app.renderer.report_schedule,
                    app.renderer.report_href(report) + "/schedules")


def list_subscriptions(app, request, params):
    report = _report(app, params["report"])
    return _listing(app, request, "/reports/{report}/subscriptions", "report_subscriptions",
                    report.subscriptions, app.renderer.report_subscription,
                    app.renderer.report_href(report) + "/subscriptions")


# -- datasets -----------------------------------------------------------------------------
def get_dataset(app, request, params):
    return hal(request, app.renderer.report(_report(app, params["dataset"], "dataset")))


def list_dataset_runs(app, request, params):
    dataset = _report(app, params["dataset"], "dataset")
    return _listing(app, request, "/datasets/{dataset}/runs", "report_runs",
                    dataset.runs[::-1], app.renderer.dataset_run,
                    app.renderer.report_href(dataset) + "/runs", totals=True)


def get_dataset_run(app, request, params):
    dataset = _report(app, params["dataset"], "dataset")
    return hal(request, app.renderer.dataset_run(_run(app, dataset, params["run"])))


# -- people -------------------------------------------------------------------------------
def list_memberships(app, request, params):
    return _listing(app, request, "/memberships", "memberships", app.world.users,
                    app.renderer.membership, app.renderer.api + "/memberships")


def list_memberships_lite(app, request, params):
    return _listing(app, request, "/memberships/lite", "memberships", app.world.users,
                    app.renderer.membership_lite, app.renderer.api + "/memberships/lite")


def list_groups(app, request, params):
    return _listing(app, request, "/groups", "groups", app.world.groups, app.renderer.group,
                    app.renderer.api + "/groups")


def _group(app, token):
    group = app.world.find("group", token)
    if group is None:
        raise not_found("Group")
    return group


def get_group(app, request, params):
    return hal(request, app.renderer.group(_group(app, params["group"])))


def list_group_memberships(app, request, params):
    group = _group(app, params["group"])
    return _listing(app, request, "/groups/{group}/memberships", "group_memberships",
                    group.memberships, app.renderer.group_membership,
                    f"{app.renderer.api}/groups/{group.token}/memberships")


# -- audit logs ---------------------------------------------------------------------------
def _timestamp_param(request, name):
    value = request.arg(name)
    if not value:
        raise ApiError(400, "bad_request",
                       f"param is missing or the value is empty: {name}", help_link=True)
    try:
        return parse_iso_us(value)
    except ValueError:
        raise ApiError(400, "bad_request", f"{name} must be an ISO 8601 timestamp",
                       help_link=True) from None


def list_audit_logs(app, request, params):
    if not wants_plain_json(request):
        raise ApiError(406, "not_acceptable",
                       "This endpoint only responds to Accept: application/json")
    if app.setting("token_type") != "workspace":
        raise ApiError(403, "forbidden", "Only workspace API tokens may read audit logs")
    start = _timestamp_param(request, "start_timestamp")
    end = _timestamp_param(request, "end_timestamp")
    try:
        entries, cursor = audit_page(app.world.audit_log, start, end, request.arg("next_token"))
    except CursorError as error:
        raise ApiError(400, "bad_request", str(error), help_link=True) from None
    self_href = app.renderer.api + "/audit_logs"
    body = {"_links": {"self": {"href": self_href}},
            "_embedded": {"audit_logs": [app.renderer.audit_entry(e) for e in entries]},
            "next_token": cursor}
    if cursor:
        query = urlencode({"start_timestamp": request.arg("start_timestamp"),
                           "end_timestamp": request.arg("end_timestamp"),
                           "next_token": cursor})
        body["_links"]["next_page"] = {"href": f"{self_href}?{query}"}
    return hal(request, body)


def build_router():
    router = Router()
    for template, handler in (
            ("/spaces", list_spaces),
            ("/spaces/{space}", get_space),
            ("/spaces/{space}/reports", list_space_reports),
            ("/spaces/{space}/datasets", list_space_datasets),
            ("/spaces/{space}/memberships", list_space_memberships),
            ("/data_sources", list_data_sources),
            ("/data_sources/{data_source}", get_data_source),
            ("/data_sources/{data_source}/reports", list_data_source_reports),
            ("/definitions", list_definitions),
            ("/definitions/{definition}", get_definition),
            ("/reports/{report}", get_report),
            ("/reports/{report}/runs", list_report_runs),
            ("/reports/{report}/runs/{run}", get_report_run),
            ("/reports/{report}/runs/{run}/results/content.json", run_result_json),
            ("/reports/{report}/runs/{run}/results/content.csv", run_result_csv),
            ("/reports/{report}/runs/{run}/query_runs", list_query_runs),
            ("/reports/{report}/runs/{run}/query_runs/{query_run}", get_query_run),
            ("/reports/{report}/runs/{run}/query_runs/{query_run}/results/content.json",
             result_json),
            ("/reports/{report}/runs/{run}/query_runs/{query_run}/results/content.csv",
             result_csv),
            ("/reports/{report}/queries", list_queries),
            ("/reports/{report}/queries/{query}", get_query),
            ("/reports/{report}/queries/{query}/charts", list_charts),
            ("/reports/{report}/queries/{query}/charts/{chart}", get_chart),
            ("/reports/{report}/filters", list_filters),
            ("/reports/{report}/schedules", list_schedules),
            ("/reports/{report}/subscriptions", list_subscriptions),
            ("/datasets/{dataset}", get_dataset),
            ("/datasets/{dataset}/runs", list_dataset_runs),
            ("/datasets/{dataset}/runs/{run}", get_dataset_run),
            ("/memberships", list_memberships),
            ("/memberships/lite", list_memberships_lite),
            ("/groups", list_groups),
            ("/groups/{group}", get_group),
            ("/groups/{group}/memberships", list_group_memberships),
            ("/audit_logs", list_audit_logs)):
        router.add(template, handler)
    return router
