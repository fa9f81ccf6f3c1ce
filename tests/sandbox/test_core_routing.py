"""The router both simulated APIs register their routes on."""
from sandbox import make_app
from sandbox.app import Request
from sandbox.routing import Router


def handler(name):
    def answer(app, request, params):
        return name, params
    return answer


def test_parameters_match_one_segment_and_come_back_by_name():
    router = Router()
    router.add("/reports/{report}/runs/{run}", handler("run"))
    route, params = router.match("/reports/abc/runs/def")
    assert route.template == "/reports/{report}/runs/{run}"
    assert params == {"report": "abc", "run": "def"}
    assert router.match("/reports/abc/runs/def/more") == (None, None)
    assert router.match("/reports//runs/def") == (None, None)
    assert router.match("/reports/abc/runs") == (None, None)


def test_literal_parts_are_not_patterns():
    router = Router()
    router.add("/results/content.json", handler("json"))
    assert router.match("/results/content.json")[0] is not None
    assert router.match("/results/contentxjson") == (None, None)


def test_a_slashes_parameter_takes_the_rest_of_the_path():
    router = Router()
    router.add("/conversations/search/{query}", handler("search"), slashes=("query",))
    router.add("/conversations/{id}/messages", handler("messages"))
    assert router.match("/conversations/search/a/b")[1] == {"query": "a/b"}
    assert router.match("/conversations/search/") == (None, None)


def test_the_first_route_that_fits_wins():
    router = Router()
    router.add("/conversations/search/{query}", handler("search"), "GET", slashes=("query",))
    router.add("/conversations/{id}/messages", handler("messages"), "GET")
    route, params = router.match("/conversations/search/messages", "GET")
    assert route.template == "/conversations/search/{query}" and params == {"query": "messages"}
    assert router.template_of("/conversations/search/messages") == "/conversations/search/{query}"


def test_methods_and_templates():
    router = Router()
    router.add("/analytics/reports", handler("create"), "POST", scope="analytics:read")
    router.add("/analytics/reports/{id}", handler("get"), "GET")
    router.add("/anything", handler("any"))
    route, _ = router.match("/analytics/reports", "POST")
    assert route.meta == {"scope": "analytics:read"}
    assert router.match("/analytics/reports", "GET") == (None, None)
    assert router.template_of("/analytics/reports") == "/analytics/reports"
    assert router.template_of("/nowhere") is None
    assert router.match("/anything", "DELETE")[0].template == "/anything"
    assert router.templates() == ["/analytics/reports", "/analytics/reports/{id}", "/anything"]


def test_both_apps_route_on_it():
    front, mode = make_app("front", scale="tiny"), make_app("mode", scale="tiny")
    assert isinstance(front.router, Router) and isinstance(mode.router, Router)
    assert front.endpoint_templates()[:2] == ["/me", "/accounts"]
    assert "/reports/{report}/runs" in mode.endpoint_templates()
    request = Request("GET", "/conversations/search/tag:x/y", {}, {})
    assert front.endpoint_of(request) == "/conversations/search/{query}"
