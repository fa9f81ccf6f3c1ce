"""Error bodies in each simulated API's own shape, for the core's 429s and injected faults."""
from http import HTTPStatus

from .app import Response

# Mode names its errors by slug rather than by status code.
_MODE_IDS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    423: "locked",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(style, status, message):
    if style == "mode":
        return {"id": _MODE_IDS.get(status, "error"), "message": message}
    return {"_error": {"status": status, "title": reason(status), "message": message}}


def error_response(style, status, message, headers=None):
    return Response.json(status, error_body(style, status, message), headers)
