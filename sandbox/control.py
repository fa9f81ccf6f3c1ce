"""The ``/_sandbox/`` control routes of a ``SandboxServer``: truth, statistics, mutations,
faults and options. Never authenticated, rate limited, faulted or counted."""
import sys
import time
import traceback

from .app import Response
from .faults import FaultSpecError
from .routing import Router

PREFIX = "/_sandbox/"


def _truth(server, request, params):
    streams = [s for s in (request.arg("streams") or "").split(",") if s]
    return Response.json(200, {"streams": server.truth(streams)})


def _stats(server, request, params):
    return Response.json(200, server.stats())


def _reset_stats(server, request, params):
    server.reset_stats()
    return Response.json(200, {"reset": True})


def _mutate(server, request, params):
    body = request.json() or {}
    return Response.json(200, {"changed": server.mutate(body.get("count", 10), body.get("kinds"))})


def _faults(server, request, params):
    return Response.json(200, server.faults.describe())


def _set_faults(server, request, params):
    server.set_faults((request.json() or {}).get("spec", ""))
    return Response.json(200, server.faults.describe())


def _options(server, request, params):
    return Response.json(200, server.options())


def _set_options(server, request, params):
    for name, value in (request.json() or {}).items():
        server.set_option(name, value)
    return Response.json(200, server.options())


def _health(server, request, params):
    app = server.app
    return Response.json(200, {"app": app.name, "seed": app.seed, "scale": app.scale,
                               "time": time.time()})


def _build_router():
    router = Router()
    for method, template, handler in (
            ("GET", "/_sandbox/truth", _truth),
            ("GET", "/_sandbox/stats", _stats),
            ("POST", "/_sandbox/stats/reset", _reset_stats),
            ("POST", "/_sandbox/mutate", _mutate),
            ("GET", "/_sandbox/faults", _faults),
            ("POST", "/_sandbox/faults", _set_faults),
            ("GET", "/_sandbox/options", _options),
            ("POST", "/_sandbox/options", _set_options),
            ("GET", "/_sandbox/health", _health)):
        router.add(template, handler, method)
    return router


ROUTER = _build_router()


def answer(server, request):
    """The response to a control request; bad input answers 400, never raises."""
    path = request.path.rstrip("/")
    try:
        route, params = ROUTER.match(path, request.method)
        if route is not None:
            return route.handler(server, request, params)
    except KeyError as exc:
        return Response.json(400, {"error": f"unknown option {exc}"})
    except (ValueError, TypeError, FaultSpecError) as exc:
        return Response.json(400, {"error": str(exc)})
    except Exception:  # noqa: BLE001 - a broken control route must still answer
        traceback.print_exc(file=sys.stderr)
        return Response.json(500, {"error": "control route failed, see the server's stderr"})
    return Response.json(404, {"error": f"no control route {request.method} {path}"})
