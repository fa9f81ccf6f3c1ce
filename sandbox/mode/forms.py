"""The undocumented ``_forms`` blocks: bulky, data-free descriptions of what a client may
post. Served because real bodies carry them and taps must drop them."""


def _text(value=None):
    field = {"type": "text"}
    if value is not None:
        field["value"] = value
    return field


def _select(options, value):
    return {"type": "select", "options": list(options), "value": value}


def _action(method, action, inputs=None, content_type=None):
    form = {"method": method, "action": action}
    if content_type:
        form["content_type"] = content_type
    if inputs is not None:
        form["input"] = inputs
    return form


def report_forms(api, web, report, account_id):
    href = f"{api}/reports/{report.token}"
    last = report.runs[-1].token if report.runs else "latest"
    return {
        "edit": _action("patch", href, {"report": {
            "name": _text(report.name), "description": _text(report.description),
            "account_id": _text(account_id), "space_token": _text(report.space),
            "color_mappings": _text({}), "published": _text(report.published_at is not None)}}),
        "destroy": _action("delete", href),
        "archive": _action("patch", href + "/archive"),
        "unarchive": _action("patch", href + "/unarchive"),
        "batch_edit_filters": _action("patch", href + "/filters/update_batch", {"report": {
            "filters[]": {"token": _text(), "options": _text()}}}),
        "clone": _action("post", f"{web}/reports/{report.token}/runs/{last}/clone",
                         {"owner_id": _text(account_id)}),
        "update_settings": _action("patch", href + "/update_settings", {"report": {
            "theme": _select((["Mode Dark", 1], ["Mode Grey", 2], ["Mode Light", 3],
                              ["Mode Subway", 5]), report.theme_id),
            "full_width": _select((True, False), report.full_width),
            "manual_run_disabled": _select((True, False), report.manual_run_disabled)}}),
    }


def query_forms(api, query):
    href = f"{api}/reports/{query.report.token}/queries/{query.token}"
    return {
        "edit": _action("patch", href, {"query": {
            "raw_query": _text(query.raw_query), "name": _text(query.name),
            "data_source_id": _text(query.data_source.id)}}, "application/json"),
        "destroy": _action("delete", href),
    }


def chart_forms(api, chart):
    query = chart.query
    base = f"{api}/reports/{query.report.token}/queries/{query.token}/charts"
    versions = _select(("1", "2"), 1)
    return {
        "create": _action("post", base, {"chart": {
            "view": _text("{}"), "view_vegas": _text("{}"), "view_version": versions,
            "token": _text(""), "color_palette_token": _text()}}),
        "edit": _action("patch", f"{base}/{chart.token}", {"chart": {
            "view": _text("{}"), "view_vegas": _text("{}"), "view_version": versions,
            "color_palette_token": _text(chart.color_palette_token)}}),
        "destroy": _action("delete", f"{base}/{chart.token}"),
    }


def data_source_forms(api, source):
    column = {"name": _text(), "data_type": _text(),
              "is_nullable": _select((True, False), True),
              "primary_key": _select((True, False), False)}
    return {"edit": _action("patch", f"{api}/data_sources/{source.token}", {
        "data_source": {"tables[]": {"name": _text(), "description": _text(),
                                     "schema": _text(), "columns[]": column}}},
        "application/json")}


def definition_forms(api, definition):
    href = f"{api}/definitions/{definition.token}"
    return {
        "edit": _action("patch", href, {"definition": {
            "name": _text(definition.name), "description": _text(definition.description),
            "source": _text(definition.source),
            "data_source_id": _text(definition.data_source.id)}}),
        "destroy": _action("delete", href),
        "execute": _action("put", href + "/execute", {
            "definition": {"source": _text(definition.source)},
            "limit": _select((True, False), True)}),
    }


def definitions_collection_forms(api):
    return {"create": _action("post", f"{api}/definitions")}


def space_forms(api, space):
    return {"destroy_entitlements": _action(
        "delete", f"{api}/collections/{space.token}/permissions")}
