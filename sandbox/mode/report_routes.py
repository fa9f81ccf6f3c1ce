"""The Mode API's report and dataset handlers: a report, its runs, query runs, results,
queries, charts, filters, schedules and subscriptions; a dataset and its runs."""
from ..app import Response
from .paging import listing
from .responses import ApiError, hal, not_found
from .results import result_rows, rows_as_csv_gzip
from .runs import FINAL_STATES, find_query_run, query_runs_of


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


# -- reports and their children -----------------------------------------------------------
def get_report(app, request, params):
    return hal(request, app.renderer.report(_report(app, params["report"])))


def list_report_runs(app, request, params):
    report = _report(app, params["report"])
    if request.arg("filter") is not None and app.options["runs_filter_error"]:
        # Reported live behaviour: the documented filter parameter breaks this endpoint.
        raise ApiError(500, "internal_server_error", "Something went wrong")
    return listing(app, request, "/reports/{report}/runs", "report_runs",
                   report.runs[::-1], app.renderer.report_run,
                   app.renderer.report_href(report) + "/runs", totals=True)


def get_report_run(app, request, params):
    report = _report(app, params["report"])
    return hal(request, app.renderer.report_run(_run(app, report, params["run"])))


def list_query_runs(app, request, params):
    report = _report(app, params["report"])
    run = _run(app, report, params["run"])
    return listing(app, request, "/reports/{report}/runs/{run}/query_runs", "query_runs",
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
    return listing(app, request, "/reports/{report}/queries", "queries", report.queries,
                   app.renderer.query, app.renderer.report_href(report) + "/queries")


def get_query(app, request, params):
    report = _report(app, params["report"])
    return hal(request, app.renderer.query(_query(report, params["query"])))


def list_charts(app, request, params):
    report = _report(app, params["report"])
    query = _query(report, params["query"])
    return listing(app, request, "/reports/{report}/queries/{query}/charts", "charts",
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
    return listing(app, request, "/reports/{report}/filters", "report_filters",
                   report.filters, app.renderer.report_filter,
                   app.renderer.report_href(report) + "/filters")


def list_schedules(app, request, params):
    report = _report(app, params["report"])
    return listing(app, request, "/reports/{report}/schedules", "report_schedules",
                   report.schedules, app.renderer.report_schedule,
                   app.renderer.report_href(report) + "/schedules")


def list_subscriptions(app, request, params):
    report = _report(app, params["report"])
    return listing(app, request, "/reports/{report}/subscriptions", "report_subscriptions",
                   report.subscriptions, app.renderer.report_subscription,
                   app.renderer.report_href(report) + "/subscriptions")


# -- datasets -----------------------------------------------------------------------------
def get_dataset(app, request, params):
    return hal(request, app.renderer.report(_report(app, params["dataset"], "dataset")))


def list_dataset_runs(app, request, params):
    dataset = _report(app, params["dataset"], "dataset")
    return listing(app, request, "/datasets/{dataset}/runs", "report_runs",
                   dataset.runs[::-1], app.renderer.dataset_run,
                   app.renderer.report_href(dataset) + "/runs", totals=True)


def get_dataset_run(app, request, params):
    dataset = _report(app, params["dataset"], "dataset")
    return hal(request, app.renderer.dataset_run(_run(app, dataset, params["run"])))


