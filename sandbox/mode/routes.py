"""The Mode API's route table under ``/api/{workspace}``, and the handlers of the workspace's
spaces, data sources, definitions, people and audit logs (reports and datasets: see
``report_routes``).

Each handler takes the app, the request and the path parameters, and returns a ``Response`` or
raises ``ApiError``."""
from urllib.parse import urlencode

from ..routing import Router
from .audit import CursorError, audit_page
from .forms import definitions_collection_forms
from .paging import listing, page_body
from .report_routes import (
    get_chart,
    get_dataset,
    get_dataset_run,
    get_query,
    get_query_run,
    get_report,
    get_report_run,
    list_charts,
    list_dataset_runs,
    list_filters,
    list_queries,
    list_query_runs,
    list_report_runs,
    list_schedules,
    list_subscriptions,
    result_csv,
    result_json,
    run_result_csv,
    run_result_json,
)
from .responses import ApiError, hal, not_found, wants_plain_json
from .timefmt import parse_iso_us


def _space(app, token):
    space = app.world.find("space", token)
    if space is None:
        raise not_found("Space")
    if token == app.deleted_space:
        # Mode answers a freshly deleted collection's routes with 403, not 404.
        raise ApiError(403, "forbidden", "You do not have access to this collection")
    return space


# -- spaces -------------------------------------------------------------------------------
def list_spaces(app, request, params):
    spaces = app.world.spaces
    if request.arg("filter") is None:
        members = app.member_space_tokens()
        spaces = [space for space in spaces if space.token in members]
    # filter=all and unknown filter values both answer the full list.
    return listing(app, request, "/spaces", "spaces", spaces, app.renderer.space,
                   app.renderer.api + "/collections")


def get_space(app, request, params):
    return hal(request, app.renderer.space(_space(app, params["space"])))


def list_space_reports(app, request, params):
    space = _space(app, params["space"])
    return listing(app, request, "/spaces/{space}/reports", "reports", space.reports,
                   app.renderer.report, app.renderer.space_href(space.token) + "/reports")


def list_space_datasets(app, request, params):
    space = _space(app, params["space"])
    return listing(app, request, "/spaces/{space}/datasets", "reports", space.datasets,
                   app.renderer.report, app.renderer.space_href(space.token) + "/datasets")


def list_space_memberships(app, request, params):
    space = _space(app, params["space"])
    return listing(app, request, "/spaces/{space}/memberships", "space_memberships",
                   space.memberships, app.renderer.space_membership,
                   app.renderer.space_href(space.token) + "/memberships")


# -- data sources and definitions ---------------------------------------------------------
def list_data_sources(app, request, params):
    return listing(app, request, "/data_sources", "data_sources", app.world.data_sources,
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
    return listing(app, request, "/data_sources/{data_source}/reports", "reports", reports,
                   app.renderer.report,
                   f"{app.renderer.api}/data_sources/{token}/reports")


def list_definitions(app, request, params):
    body = page_body(app, request, "/definitions", "definitions", app.world.definitions,
                     app.renderer.definition, app.renderer.api + "/definitions")
    body["_forms"] = definitions_collection_forms(app.renderer.api)
    return hal(request, body)


def get_definition(app, request, params):
    definition = app.world.find("definition", params["definition"])
    if definition is None:
        raise not_found("Definition")
    return hal(request, app.renderer.definition(definition))


# -- people -------------------------------------------------------------------------------
def list_memberships(app, request, params):
    return listing(app, request, "/memberships", "memberships", app.world.users,
                   app.renderer.membership, app.renderer.api + "/memberships")


def list_memberships_lite(app, request, params):
    return listing(app, request, "/memberships/lite", "memberships", app.world.users,
                   app.renderer.membership_lite, app.renderer.api + "/memberships/lite")


def list_groups(app, request, params):
    return listing(app, request, "/groups", "groups", app.world.groups, app.renderer.group,
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
    return listing(app, request, "/groups/{group}/memberships", "group_memberships",
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
    if app.options["token_type"] != "workspace":
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
    """Every workspace route, by its template under ``/api/{workspace}``."""
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
