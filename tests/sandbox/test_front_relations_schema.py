"""The relationship endpoints (a record's members, inboxes, followers, notes, signatures, time
offs, views, knowledge bases, the tag family) validated against Front's OpenAPI spec, with
the spec's paging (only operations that take ``limit`` are paginated), status codes, scopes,
and 404s for unknown ids."""
import pytest
from conftest import walk_pages
from test_front_schema import check, relaxed_spec

RELATED_ENDPOINTS = [
    # (request path, spec path, truth stream whose ids fill the path, status)
    ("/teams/{}", "/teams/{team_id}", "teams", 200),
    ("/teams/{}/inboxes", "/teams/{team_id}/inboxes", "teams", 200),
    ("/teams/{}/signatures", "/teams/{team_id}/signatures", "teams", 200),
    ("/teams/{}/views", "/teams/{team_id}/views", "teams", 200),
    ("/teams/{}/tags", "/teams/{team_id}/tags", "teams", 200),
    ("/teammates/{}/signatures", "/teammates/{teammate_id}/signatures", "teammates", 200),
    ("/teammates/{}/time_offs", "/teammates/{teammate_id}/time_offs", "teammates", 200),
    ("/teammates/{}/tags", "/teammates/{teammate_id}/tags", "teammates", 200),
    ("/teammate_groups/{}/teammates", "/teammate_groups/{teammate_group_id}/teammates", "teammate_groups", 200),
    ("/teammate_groups/{}/teams", "/teammate_groups/{teammate_group_id}/teams", "teammate_groups", 200),
    ("/teammate_groups/{}/inboxes", "/teammate_groups/{teammate_group_id}/inboxes", "teammate_groups", 200),
    ("/inboxes/{}/teammates", "/inboxes/{inbox_id}/teammates", "inboxes", 200),
    ("/shifts/{}/teammates", "/shifts/{shift_id}/teammates", "shifts", 200),
    ("/conversations/{}/inboxes", "/conversations/{conversation_id}/inboxes", "conversations", 200),
    ("/conversations/{}/followers", "/conversations/{conversation_id}/followers", "conversations", 200),
    ("/accounts/{}/contacts", "/accounts/{account_id}/contacts", "accounts", 200),
    ("/contacts/{}/notes", "/contacts/{contact_id}/notes", "contacts", 202),
    ("/knowledge_bases", "/knowledge_bases", None, 200),
    ("/knowledge_bases/{}/categories", "/knowledge_bases/{knowledge_base_id}/categories", "knowledge_bases", 200),
    ("/knowledge_bases/{}/articles", "/knowledge_bases/{knowledge_base_id}/articles", "knowledge_bases", 200),
    ("/company/tags", "/company/tags", None, 200),
    ("/tags/{}/children", "/tags/{tag_id}/children", "tags", 200),
]


@pytest.fixture(scope="module")
def spec(front_spec):
    return relaxed_spec(front_spec)


@pytest.fixture(scope="module")
def truth(front_tiny):
    return front_tiny.truth()


def takes_limit(spec, spec_path):
    parameters = spec.spec["paths"][spec_path]["get"].get("parameters", [])
    return any(p.get("$ref", "").endswith("/limit") or p.get("name") == "limit" for p in parameters)


@pytest.mark.parametrize("path,spec_path,parents,status", RELATED_ENDPOINTS)
def test_related_endpoints_validate(front_tiny, front_http, spec, truth, path, spec_path, parents, status):
    validator = spec.for_response(spec_path, status=status)
    paged = takes_limit(spec, spec_path)
    ids = [r["id"] for r in truth[parents]] if parents else [None]
    results = 0
    for record_id in ids:
        url = front_tiny.base_url + (path.format(record_id) if record_id else path)
        first = front_http.get(url, params={"limit": 2} if paged else None)
        assert first.status_code == status, (url, first.text)
        for page in walk_pages(front_http, url, {"limit": 2} if paged else None):
            check(validator, page)
            if "_results" in page:
                assert ("_pagination" in page) == paged, url
                results += len(page["_results"])
            else:
                results += 1  # a single team
    assert results, f"{path} served nothing"


def test_new_truth_records_validate_as_their_list_items(spec, truth):
    components = {
        "signatures": "SignatureResponse", "teammate_time_offs": "TimeOffResponse",
        "views": "SharedViewResponse", "knowledge_bases": "KnowledgeBaseSlimResponse",
        "knowledge_base_categories": "KnowledgeBaseCategorySlimResponse",
        "knowledge_base_articles": "KnowledgeBaseArticleSlimResponse",
        "contact_notes": "ContactNoteResponses",
    }
    for stream, component in components.items():
        validator = spec.for_component(component)
        assert truth[stream], stream
        for record in truth[stream]:
            check(validator, record)


def test_knowledge_base_articles_carry_no_content(truth):
    properties = {"_links", "id", "slug", "locales", "created_at", "updated_at", "knowledge_base_id"}
    assert all(set(a) == properties for a in truth["knowledge_base_articles"])


@pytest.mark.parametrize("path", [
    "/teams/tim_nope", "/teams/tim_nope/inboxes", "/teams/tea_10001/views", "/teammates/tea_zz999/time_offs",
    "/teammate_groups/tgr_1/teams", "/inboxes/inb_99999/teammates", "/shifts/shf_99999/teammates",
    "/conversations/cnv_nope/followers", "/accounts/acc_99999/contacts", "/contacts/crd_nope/notes",
    "/knowledge_bases/knb_99999/articles", "/tags/tag_99999/children", "/teammates/tea_99999/signatures",
])
def test_unknown_ids_are_a_404(front_tiny, front_http, path):
    response = front_http.get(front_tiny.base_url + path)
    assert response.status_code == 404 and response.json()["_error"]["status"] == 404


def test_new_scopes(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"missing_scopes": ["time_off:read", "knowledge_bases:read"]})
    teammate = server.app.world.teammates[0]["id"]
    response = front_http.get(f"{server.base_url}/teammates/{teammate}/time_offs")
    assert response.status_code == 403 and "time_off:read" in response.json()["_error"]["message"]
    assert front_http.get(server.base_url + "/knowledge_bases").status_code == 403
    assert front_http.get(f"{server.base_url}/teammates/{teammate}/signatures").ok
