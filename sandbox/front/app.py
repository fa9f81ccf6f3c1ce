"""``FrontApp``: the simulated Front Core API (see sandbox/README.md for its options)."""
import threading

from ..app import App
from .conversations import Timelines
from .generate import generate
from .ids import parse_instant
from .jobs import AnalyticsJobs
from .mutation import mutate
from .options import BUILD_ONLY, DEFAULTS, validate
from .paging import company_origin
from .render import Renderer
from .responses import ApiError, respond
from .routes import build_router
from .scales import DEFAULT_ANCHOR
from .truth import build_truth, stream_counts


class FrontApp(App):
    name = "front"
    rate_limit_style = "front"

    def __init__(self, seed=1, scale="small", **options):
        unknown = set(options) - set(DEFAULTS) - set(BUILD_ONLY)
        if unknown:
            raise ValueError(f"unknown front option(s): {', '.join(sorted(unknown))}")
        super().__init__(seed, scale, **options)
        self.options = dict(DEFAULTS)
        self.anchor = parse_instant(options.pop("anchor", DEFAULT_ANCHOR))
        for name, value in options.items():
            self.set_option(name, value)
        self.world = generate(seed, scale, self.anchor)
        self.timelines = Timelines(self.world)
        self.jobs = AnalyticsJobs(self)
        self.router = build_router(self.jobs)
        self.origin = "http://localhost"
        self._renderer = None
        self._keys = {}
        self._lock = threading.RLock()

    # -- contract ----------------------------------------------------------------------------
    def bound(self, base_url):
        self.origin = company_origin(base_url)
        self._renderer = None

    def endpoint_of(self, request):
        return self.router.template_of(request.path) or request.path

    def handle(self, request):
        try:
            route, params = self._match(request)
            if route.meta.get("auth", True):
                self._authorize(request, route)
            with self._lock:
                return respond(route.handler(self, request, params))
        except ApiError as exc:
            return exc.response()

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
        self.options[name] = validate(name, value)
        if name in ("ticketing", "contact_updated_at"):
            self._renderer = None

    def scale_counts(self):
        return stream_counts(self)

    def endpoint_templates(self):
        """Every route template, for documentation and per-endpoint faults."""
        return self.router.templates()

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
        route, params = self.router.match(request.path, request.method)
        if route is not None:
            return route, params
        if self.router.template_of(request.path) is not None:
            raise ApiError(405, f"{request.method} is not allowed on {request.path}")
        raise ApiError(404, f"Unknown route {request.path}")

    def _authorize(self, request, route):
        expected = "Bearer " + str(self.options["token"])
        if request.headers.get("authorization", "") != expected:
            raise ApiError(401, "Invalid or missing API token")
        missing = self.options["missing_scopes"] or ()
        scope = route.meta.get("scope")
        if scope and (scope in missing or route.template in missing):
            raise ApiError(403, f"Your API token lacks the scope {scope} "
                                f"required by {route.template}")
