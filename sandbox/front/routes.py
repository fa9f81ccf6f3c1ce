"""The Front API's route table, and the handlers of its simpler lists.

Each handler takes the app, the request and the path parameters and returns a JSON body (or a
``Response``), or raises ``ApiError``."""
from ..routing import Router
from .conversation_routes import comments, conversations, events, messages, search
from .paging import float_arg, list_arg, paginate, parse_limit, sort_ascending, sort_field, unpaginated
from .related_routes import ROUTES as RELATED_ROUTES
from .responses import ApiError
from .world import CUSTOM_FIELD_RESOURCES


def me(app, request, params):
    return app.renderer.me()


def static_list(kind):
    def handler(app, request, params):
        return unpaginated(request, app.renderer.static(kind))
    handler.__name__ = kind
    return handler


def custom_fields(resource):
    def handler(app, request, params):
        return unpaginated(request, app.renderer.custom_fields(resource))
    handler.__name__ = "custom_fields_" + resource
    return handler


def statuses(app, request, params):
    if not app.options["ticketing"]:
        raise ApiError(404, "Ticketing is not enabled, therefore, there are no ticket statuses.")
    return unpaginated(request, app.renderer.static("statuses"))


def paginated_static(kind):
    """Lists kept in id order that accept ``limit``/``page_token`` (tags, links, templates)."""
    def handler(app, request, params):
        limit = parse_limit(request)
        records = app.renderer.static(kind)
        accept = None
        if kind == "links" and list_arg(request, "types"):
            types = set(list_arg(request, "types"))
            accept = lambda p: records[p]["type"] in types  # noqa: E731 - tiny predicate
        return paginate(request, app.options, range(len(records)), limit,
                        sort_ascending(request, "asc"), records.__getitem__, accept=accept)
    handler.__name__ = kind
    return handler


def accounts(app, request, params):
    limit = parse_limit(request)
    field = sort_field(request, ("created_at", "updated_at"), "created_at")
    records = app.renderer.static("accounts")
    keys = app.sorted_keys(("accounts", field),
                           lambda: sorted((r[field], i) for i, r in enumerate(records)))
    return paginate(request, app.options, keys, limit, sort_ascending(request),
                    lambda p: records[keys[p][1]])


def contacts(app, request, params):
    limit = parse_limit(request)
    field = sort_field(request, ("created_at", "updated_at"), "created_at")
    table = app.world.contacts
    column = table.updated if field == "updated_at" else table.created
    keys = app.sorted_keys(("contacts", field, table.version),
                           lambda: sorted(zip(column, range(table.count))))
    after = float_arg(request, "q[updated_after]")
    before = float_arg(request, "q[updated_before]")
    accept = None
    if after is not None or before is not None:
        updated = table.updated

        def accept(p):
            value = updated[keys[p][1]]
            return (after is None or value > after) and (before is None or value < before)
    return paginate(request, app.options, keys, limit, sort_ascending(request),
                    lambda p: app.renderer.contact(keys[p][1]), accept=accept)


def build_router(jobs):
    """Every route; ``jobs`` provides the report, export and download handlers."""
    router = Router()
    for method, template, handler, scope in (
            ("GET", "/me", me, None),
            ("GET", "/accounts", accounts, "accounts:read"),
            ("GET", "/channels", static_list("channels"), "channels:read"),
            ("GET", "/inboxes", static_list("inboxes"), "inboxes:read"),
            ("GET", "/contacts", contacts, "contacts:read"),
            ("GET", "/contact_lists", static_list("contact_lists"), "contacts:read"),
            ("GET", "/contact_groups", static_list("contact_lists"), "contacts:read"),
            ("GET", "/conversations", conversations, "conversations:read"),
            ("GET", "/conversations/search/{query}", search, "conversations:read"),
            ("GET", "/conversations/{id}/messages", messages, "messages:read"),
            ("GET", "/conversations/{id}/comments", comments, "comments:read"),
            ("GET", "/events", events, "events:*:read"),
            ("GET", "/tags", paginated_static("tags"), "tags:read"),
            ("GET", "/teammates", static_list("teammates"), "teammates:read"),
            ("GET", "/teams", static_list("teams"), "teams:read"),
            ("GET", "/teammate_groups", static_list("teammate_groups"), "teammate_groups:read"),
            ("GET", "/rules", static_list("rules"), "rules:read"),
            ("GET", "/company/rules", static_list("rules"), "rules:read"),
            ("GET", "/message_templates", paginated_static("message_templates"),
             "message_templates:read"),
            ("GET", "/message_template_folders", paginated_static("message_template_folders"),
             "message_templates:read"),
            ("GET", "/links", paginated_static("links"), "links:read"),
            ("GET", "/shifts", static_list("shifts"), "shifts:read"),
            ("GET", "/company/statuses", statuses, "statuses:read"),
            ("GET", "/custom_fields", custom_fields("contacts"), "custom_fields:read"),
            ("POST", "/analytics/reports", jobs.create_report, "analytics:read"),
            ("GET", "/analytics/reports/{id}", jobs.get_report, "analytics:read"),
            ("POST", "/analytics/exports", jobs.create_export, "analytics:read"),
            ("GET", "/analytics/exports/{id}", jobs.get_export, "analytics:read")):
        # A search ``{query}`` takes the rest of the path, slashes and all.
        router.add(template, handler, method, slashes=("query",), scope=scope)
    # Export files come from a signed URL, as from a storage bucket: no token needed.
    router.add("/downloads/exports/{id}", jobs.download, "GET", auth=False)
    for template, handler, scope in RELATED_ROUTES:
        router.add(template, handler, "GET", scope=scope)
    for resource in CUSTOM_FIELD_RESOURCES:
        router.add(f"/{resource}/custom_fields", custom_fields(resource), "GET",
                   scope="custom_fields:read")
    return router
