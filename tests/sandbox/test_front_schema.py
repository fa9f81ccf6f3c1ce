"""Every Front response a tap uses, validated against Front's own OpenAPI spec (read at run
time from SHARED_API_DIR; skipped when it is not there)."""
import fastjsonschema
import pytest
from conftest import FRONT_SPEC_DEVIATIONS, walk, walk_pages

from sandbox.front.analytics import METRIC_IDS
from sandbox.front.conversations import EVENT_TYPES, SPEC_EVENT_TYPES
from sandbox.front.mutation import KINDS

LIST_ENDPOINTS = [
    # (request path, spec path)
    ("/accounts", "/accounts"),
    ("/channels", "/channels"),
    ("/inboxes", "/inboxes"),
    ("/contacts", "/contacts"),
    ("/contact_lists", "/contact_lists"),
    ("/contact_groups", "/contact_groups"),
    ("/conversations", "/conversations"),
    ("/tags", "/tags"),
    ("/teammates", "/teammates"),
    ("/teams", "/teams"),
    ("/teammate_groups", "/teammate_groups"),
    ("/rules", "/rules"),
    ("/company/rules", "/company/rules"),
    ("/message_templates", "/message_templates"),
    ("/message_template_folders", "/message_template_folders"),
    ("/links", "/links"),
    ("/shifts", "/shifts"),
    ("/company/statuses", "/company/statuses"),
    ("/custom_fields", "/custom_fields"),
    ("/accounts/custom_fields", "/accounts/custom_fields"),
    ("/contacts/custom_fields", "/contacts/custom_fields"),
    ("/conversations/custom_fields", "/conversations/custom_fields"),
    ("/inboxes/custom_fields", "/inboxes/custom_fields"),
    ("/links/custom_fields", "/links/custom_fields"),
    ("/teammates/custom_fields", "/teammates/custom_fields"),
]


# Links the sandbox sends as null where the spec types them as plain strings (documented in
# sandbox/README.md): a contact without an owner (the spec's own example is null) and the first
# message of a conversation, which replies to none.
NULL_RELATED_LINKS = {"ContactResponse": "owner", "MessageResponse": "message_replied_to"}


def relaxed_spec(front_spec):
    """``front_spec`` plus the null links above."""
    from openapi_schema import SpecValidators

    validators = SpecValidators(front_spec.spec, extra_nullable=FRONT_SPEC_DEVIATIONS)
    for component, link in NULL_RELATED_LINKS.items():
        related = validators.components[component]["properties"]["_links"]["properties"]["related"]
        related["properties"][link]["nullable"] = True
    return validators


@pytest.fixture(scope="module")
def spec(front_spec):
    return relaxed_spec(front_spec)


def check(validator, body):
    try:
        validator(body)
    except fastjsonschema.JsonSchemaException as exc:
        pytest.fail(f"{exc.message} (at {exc.name}, rule {exc.rule})")


def test_me(front_tiny, front_http, spec):
    check(spec.for_response("/me"), front_http.get(front_tiny.base_url + "/me").json())


@pytest.mark.parametrize("path,spec_path", LIST_ENDPOINTS)
def test_list_pages(front_tiny, front_http, spec, path, spec_path):
    pages = walk_pages(front_http, front_tiny.base_url + path, {"limit": 100} if path in (
        "/accounts", "/contacts", "/conversations", "/tags", "/links") else None)
    assert pages[0]["_results"], f"{path} is empty"
    for page in pages:
        check(spec.for_response(spec_path), page)


def test_messages_and_comments_of_every_conversation(front_tiny, front_http, spec):
    conversations = walk(front_http, front_tiny.base_url + "/conversations", {"limit": 100})
    messages = spec.for_response("/conversations/{conversation_id}/messages")
    comments = spec.for_response("/conversations/{conversation_id}/comments")
    seen = {"inbound": 0, "outbound": 0, "comments": 0}
    for conversation in conversations:
        if conversation["status"] == "deleted":
            continue  # merged: its routes redirect
        base = f"{front_tiny.base_url}/conversations/{conversation['id']}"
        for page in walk_pages(front_http, base + "/messages", {"limit": 100}):
            check(messages, page)
            for message in page["_results"]:
                seen["inbound" if message["is_inbound"] else "outbound"] += 1
        body = front_http.get(base + "/comments").json()
        check(comments, body)
        seen["comments"] += len(body["_results"])
    assert all(seen.values()), seen


def test_search(front_tiny, front_http, spec):
    app = front_tiny.app
    query = f"after:{app.world.start} before:{app.anchor}"
    for page in walk_pages(front_http, f"{front_tiny.base_url}/conversations/search/{query}"):
        check(spec.for_response("/conversations/search/{query}"), page)


def test_generated_event_types_validate(front_tiny, front_http, spec):
    validator = spec.for_response("/events")
    types = set()
    for page in walk_pages(front_http, front_tiny.base_url + "/events"):
        check(validator, page)
        types.update(event["type"] for event in page["_results"])
    assert types == {"inbound", "out_reply", "comment", "assign", "tag", "archive"}


def test_every_event_type_validates_after_every_mutation_kind(sandbox, front_http, spec):
    """Every kind of change (trash and restore, merges, deletions too) leaves every response
    valid: events of every type, the conversations list, search, and the children routes."""
    server = sandbox("front", scale="tiny")
    for kind in KINDS:
        server.mutate(3, kinds=[kind])
    server.mutate(40)
    types = set()
    for page in walk_pages(front_http, server.base_url + "/events"):
        check(spec.for_response("/events"), page)
        types.update(event["type"] for event in page["_results"])
    assert types == set(EVENT_TYPES)
    pages = walk_pages(front_http, server.base_url + "/conversations", {"limit": 100})
    for page in pages:
        check(spec.for_response("/conversations"), page)
    anchor = server.app.anchor
    for page in walk_pages(front_http, f"{server.base_url}/conversations/search/after:{anchor}"):
        check(spec.for_response("/conversations/search/{query}"), page)
    messages = spec.for_response("/conversations/{conversation_id}/messages")
    comments = spec.for_response("/conversations/{conversation_id}/comments")
    for conversation in (c for p in pages for c in p["_results"]):
        base = f"{server.base_url}/conversations/{conversation['id']}"
        for page in walk_pages(front_http, base + "/messages", {"limit": 100}):
            check(messages, page)
        check(comments, front_http.get(base + "/comments").json())


def test_sandbox_vocabulary_is_the_specs(spec):
    spec_types = spec.components["EventResponse"]["properties"]["type"]["enum"]
    assert set(EVENT_TYPES) <= set(spec_types)
    assert list(SPEC_EVENT_TYPES) == spec_types
    assert list(METRIC_IDS) == spec.enum("AnalyticsMetricId")


def test_truth_records_validate_as_their_list_items(front_tiny, spec):
    truth = front_tiny.truth()
    components = {
        "accounts": "AccountResponse", "channels": "ChannelResponse", "inboxes": "InboxResponse",
        "contacts": "ContactResponse", "contact_lists": "ContactListResponses",
        "conversations": "ConversationResponse", "messages": "MessageResponse",
        "comments": "CommentResponse", "events": "EventResponse", "tags": "TagResponse",
        "teammates": "TeammateResponse", "teams": "TeamPreviewResponse",
        "teammate_groups": "TeammateGroupResponse", "rules": "RuleResponse",
        "custom_fields": "CustomFieldResponse", "message_templates": "MessageTemplateResponse",
        "message_template_folders": "MessageTemplateFolderResponse", "links": "LinkResponse",
        "shifts": "ShiftResponse", "statuses": "StatusResponse",
    }
    for stream, component in components.items():
        validator = spec.for_component(component)
        assert truth[stream], stream
        for record in truth[stream]:
            check(validator, record)


def test_analytics_report_and_export(sandbox, front_http, spec):
    server = sandbox("front", scale="tiny", app_options={"report_polls": 1, "export_polls": 1})
    app = server.app
    report = front_http.post(server.base_url + "/analytics/reports", json={
        "start": app.world.start, "end": app.world.start + 86400 * 3, "metrics": list(METRIC_IDS)})
    assert report.status_code == 201
    check(spec.for_response("/analytics/reports", "post", "201"), report.json())
    poll = spec.for_response("/analytics/reports/{report_uid}")
    for _ in range(2):
        body = front_http.get(report.json()["_links"]["self"]).json()
        check(poll, body)
    assert body["status"] == "done" and len(body["metrics"]) == 25

    export = front_http.post(server.base_url + "/analytics/exports", json={
        "start": app.world.start, "end": app.world.start + 86400, "type": "messages",
        "filters": {"inbox_ids": [app.world.inboxes[0]["id"]]}})
    assert export.status_code == 201
    check(spec.for_response("/analytics/exports", "post", "201"), export.json())
    for _ in range(2):
        body = front_http.get(export.json()["_links"]["self"]).json()
        check(spec.for_response("/analytics/exports/{export_id}"), body)
    assert body["status"] == "done" and body["url"]


# -- the converter itself, on a small synthetic spec ----------------------------------------
SYNTHETIC = {
    "paths": {"/things": {"get": {"responses": {"200": {"$ref": "#/components/responses/things"}}}}},
    "components": {
        "responses": {"things": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"_results": {"type": "array",
                                        "items": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "example": "x", "format": "binary"},
                "size": {"type": "integer", "default": 3},
                "colour": {"type": "string", "nullable": True, "enum": ["red", "blue"]},
                "owner": {"nullable": True, "$ref": "#/components/schemas/Owner"},
                "value": {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                                    {"type": "object", "properties": {"b": {"type": "string"}}}]},
                "parent": {"$ref": "#/components/schemas/Thing"},
            }},
            "Owner": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        },
    },
}


def test_converter_handles_refs_nullable_oneof_and_recursion():
    from openapi_schema import SpecValidators

    validate = SpecValidators(SYNTHETIC).for_response("/things")
    good = {"_results": [{"id": "a", "colour": None, "owner": None, "value": {"a": "x"},
                          "parent": {"id": "p", "owner": {"name": "o"}}}]}
    assert validate(good) == good
    assert "size" not in good["_results"][0]  # defaults are not filled in
    for bad in ({"id": 1}, {"id": "a", "colour": "green"}, {"id": "a", "owner": {}},
                {"id": "a", "parent": {"colour": "red"}}):
        with pytest.raises(fastjsonschema.JsonSchemaException):
            validate({"_results": [bad]})


def test_extra_nullable_relaxes_one_property():
    from openapi_schema import SpecValidators

    strict = SpecValidators(SYNTHETIC).for_component("Owner")
    relaxed = SpecValidators(SYNTHETIC, extra_nullable={"Owner": ["name"]}).for_component("Owner")
    with pytest.raises(fastjsonschema.JsonSchemaException):
        strict({"name": None})
    assert relaxed({"name": None}) == {"name": None}
