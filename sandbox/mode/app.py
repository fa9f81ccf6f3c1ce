"""``ModeApp``: the Mode Analytics API as the sandbox core sees it."""
import random
import re
import threading

from ..app import App
from .generate import generate
from .mutation import mutate
from .options import DEFAULTS, REGENERATING, validate
from .render import Renderer
from .responses import ApiError, basic_credentials, hal, not_found, unauthorized
from .routes import build_router
from .scales import scale_named
from .timefmt import now_ms, parse_iso_ms
from .truth import build_truth, stream_counts

_WORKSPACE_PATH = re.compile(r"^/api/([^/]+)(/.*)?$")
_ACCOUNT_TEMPLATE = "/api/{account}"


class ModeApp(App):
    name = "mode"
    rate_limit_style = "mode"

    def __init__(self, seed=1, scale="small", **options):
        super().__init__(seed=seed, scale=scale, **options)
        self._scale = scale_named(scale)
        self.options = {name: validate(name, value) for name, value in DEFAULTS.items()}
        for name, value in options.items():
            self.options[name] = validate(name, value)
        self._lock = threading.RLock()
        self.router = build_router()
        self._build()

    # -- state ------------------------------------------------------------------------------
    def _build(self):
        anchor = parse_iso_ms(self.options["anchor"])
        self.world, self.landmarks = generate(self.seed, self._scale, anchor)
        self._mutation_rng = random.Random(f"{self.seed}:mutations")
        self._configure()

    def _configure(self):
        self.deleted_space = self._resolve_deleted_space(self.options["deleted_space"])
        self.renderer = Renderer(self.world, self.options["workspace"],
                                 self.member_space_tokens())

    def _resolve_deleted_space(self, choice):
        if not choice:
            return None
        if choice is True:
            # A space with reports that is neither the crowded nor the empty landmark.
            skip = (self.landmarks.crowded_space, self.landmarks.empty_space)
            return next(s.token for s in self.world.spaces
                        if s.space_type == "custom" and s.reports and s.token not in skip)
        if self.world.find("space", choice) is None:
            raise ValueError(f"deleted_space {choice!r} is not a space token")
        return choice

    def setting(self, name):
        """The current value of option ``name``."""
        return self.options[name]

    def member_space_tokens(self):
        """Spaces the caller belongs to: what ``/spaces`` lists without ``filter=all``."""
        count = self.options["member_spaces"]
        if count is None:
            count = 0 if self.options["token_type"] == "workspace" else 2
        shared = [s.token for s in self.world.spaces if s.space_type == "custom"]
        return frozenset(shared[:count])

    # -- the App contract -------------------------------------------------------------------
    def handle(self, request):
        with self._lock:
            try:
                return self._answer(request)
            except ApiError as error:
                return error.response()

    def _answer(self, request):
        if basic_credentials(request) != (self.options["token"], self.options["secret"]):
            raise unauthorized()
        path = request.path.rstrip("/")
        if request.method not in ("GET", "HEAD"):
            raise ApiError(405, "method_not_allowed", "The sandbox serves reads only")
        if path == "/api/verify":
            return hal(request, self.renderer.verify())
        if path == "/api/account":
            if self.options["token_type"] == "workspace":
                raise ApiError(400, "bad_request",
                               "This endpoint is unsupported for use with Api Keys",
                               help_link=True)
            return hal(request, self.renderer.account(self.world.users[0]))
        template, route, params = self._route(path)
        if template == _ACCOUNT_TEMPLATE:
            return self._account_document(request, path)
        if route is None:
            raise not_found("Resource")
        return route.handler(self, request, params)

    def _account_document(self, request, path):
        name = path.rsplit("/", 1)[-1]
        for user in self.world.users:
            if user.username == name:
                return hal(request, self.renderer.account(user))
        raise not_found("Account")

    def _route(self, path):
        """``(template, route, params)`` for a path under ``/api``."""
        found = _WORKSPACE_PATH.match(path)
        if not found:
            return None, None, None
        account, rest = found.group(1), found.group(2) or ""
        if not rest:
            return _ACCOUNT_TEMPLATE, None, None
        if account != self.options["workspace"]:
            return None, None, None
        if rest == "/collections" or rest.startswith("/collections/"):
            rest = "/spaces" + rest[len("/collections"):]
        route, params = self.router.match(rest)
        return (route.template if route else None), route, params

    def endpoint_of(self, request):
        path = request.path.rstrip("/")
        if path in ("/api/verify", "/api/account"):
            return path
        template = self._route(path)[0]
        return template or "(unmatched)"

    def truth(self, streams=None):
        """Every stream's records; ``streams`` (an extension of the App contract) limits the
        work to the named streams."""
        with self._lock:
            return build_truth(self.world, self.renderer, self.deleted_space, streams)

    def mutate(self, count):
        with self._lock:
            return mutate(self.world, self._mutation_rng, count, now_ms(), self.deleted_space)

    def set_option(self, name, value):
        with self._lock:
            previous = self.options.get(name)
            self.options[name] = validate(name, value)
            try:
                if name in REGENERATING:
                    self._build()
                else:
                    self._configure()
            except ValueError:
                # Leave the app as it was when the new value turns out unusable.
                self.options[name] = previous
                self._configure()
                raise

    def scale_counts(self):
        with self._lock:
            return stream_counts(self.world, self.deleted_space)

    def endpoint_templates(self):
        """Every workspace route template, for documentation and per-endpoint faults."""
        return ["/api/verify", "/api/account"] + self.router.templates()
