"""``FrontApp``: the simulated Front Core API (see sandbox/README.md for its options)."""
import threading

from ..app import App, Response
from ..errors import error_response
from .conversations import Timelines
from .ids import parse_instant
from .jobs import AnalyticsJobs
from .mutation import mutate
from .paging import ApiError, company_origin
from .render import Renderer
from .routes import build_routes, respond
from .scales import DEFAULT_ANCHOR
from .truth import build_truth, stream_counts
from .world import World

DEFAULT_TOKEN = "sandbox-token"
RUNTIME_OPTIONS = {
    "token": DEFAULT_TOKEN,         # the bearer token that authenticates
    "missing_scopes": [],           # endpoint templates or scope names the token lacks (403)
    "ticketing": True,              # False: /company/statuses answers 404
    "link_host": None,              # origin for pagination links instead of the swapped host
    "short_pages": True,            # every third page holds half a page
    "empty_pages": False,           # every fifth page is empty (and still has a next link)
    "report_polls": 2,              # polls answered "running" before a report is done
    "report_fail": False,           # reports end "failed"
    "export_polls": 2,
    "export_fail": False,
    "export_max_days": 31,          # wider exports end "too_big"
    "contact_updated_at": True,     # False: contacts carry no updated_at
}
BUILD_OPTIONS = ("anchor",)         # only when the app is built: the data's end instant


class FrontApp(App):
    name = "front"
    rate_limit_style = "front"

    def __init__(self, seed=1, scale="small", **options):
        unknown = set(options) - set(RUNTIME_OPTIONS) - set(BUILD_OPTIONS)
        if unknown:
            raise ValueError(f"unknown front option(s): {', '.join(sorted(unknown))}")
        super().__init__(seed, scale, **options)
        self.options = dict(RUNTIME_OPTIONS)
        self.anchor = parse_instant(options.pop("anchor", DEFAULT_ANCHOR))
        for name, value in options.items():
            self.set_option(name, value)
        self.world = World(seed, scale, self.anchor)
        self.timelines = Timelines(self.world)
        self.jobs = AnalyticsJobs(self)
        self.routes = build_routes(self.jobs)
        self.origin = "http://localhost"
        self._renderer = None
        self._keys = {}
        self._lock = threading.RLock()

    # -- contract ----------------------------------------------------------------------------
    def bound(self, base_url):
        self.origin = company_origin(base_url)
        self._renderer = None

    def endpoint_of(self, request):
        for route in self.routes:
            if route.regex.match(request.path):
                return route.template
        return request.path

    def handle(self, request):
        try:
            route, args = self._match(request)
            if route.auth:
                self._authorize(request, route)
            with self._lock:
                return respond(route.handler(self, request, *args))
        except ApiError as exc:
            if exc.status == 301:
                return Response(301, b"", dict(exc.headers))
            return error_response("front", exc.status, exc.message, exc.headers)

    def truth(self, streams=None):
        with self._lock:
            data = build_truth(self)
        if streams:
            data = {name: data[name] for name in streams if name in data}
        return data

    def mutate(self, count, kinds=None):
        """About ``count`` changes: the default mix, or only the given kinds (see
        ``mutation.KINDS``); ``ValueError`` for an unknown kind."""
        with self._lock:
            changed = mutate(self, count, kinds)
            self._keys.clear()
            return changed

    def set_option(self, name, value):
        if name in BUILD_OPTIONS:
            raise ValueError(f"{name} can only be given when the app is built")
        if name not in RUNTIME_OPTIONS:
            raise KeyError(name)
        if name == "missing_scopes" and isinstance(value, str):
            value = [v for v in value.split(",") if v]
        self.options[name] = value
        if name in ("ticketing", "contact_updated_at"):
            self._renderer = None

    def scale_counts(self):
        return stream_counts(self)

    # -- helpers for handlers ----------------------------------------------------------------
    @property
    def renderer(self):
        if self._renderer is None:
            self._renderer = Renderer(self.world, self.timelines, self.origin,
                                      ticketing=self.options["ticketing"],
                                      contact_updated_at=self.options["contact_updated_at"])
        return self._renderer

    def sorted_keys(self, key, build):
        """A sorted view, cached until the data changes (the key carries a version)."""
        keys = self._keys.get(key)
        if keys is None:
            if len(self._keys) > 64:
                self._keys.clear()
            keys = self._keys[key] = build()
        return keys

    def conversation_by_id(self, conversation_id):
        items = self.timelines.items
        prefix = ""
        try:
            prefix, number = conversation_id.split("_", 1)
            index = int(number, 36) - 36 ** 4 - 1
        except ValueError:
            index = -1
        if prefix != "cnv" or not 0 <= index < len(items) or items[index].deleted:
            raise ApiError(404, f"No conversation {conversation_id}")
        return items[index]

    def _match(self, request):
        allowed = False
        for route in self.routes:
            found = route.regex.match(request.path)
            if found:
                if route.method == request.method:
                    return route, found.groups()
                allowed = True
        if allowed:
            raise ApiError(405, f"{request.method} is not allowed on {request.path}")
        raise ApiError(404, f"Unknown route {request.path}")

    def _authorize(self, request, route):
        expected = "Bearer " + str(self.options["token"])
        if request.headers.get("authorization", "") != expected:
            raise ApiError(401, "Invalid or missing API token")
        missing = self.options["missing_scopes"] or ()
        if route.scope and (route.scope in missing or route.template in missing):
            raise ApiError(403, f"Your API token lacks the scope {route.scope} "
                                f"required by {route.template}")
