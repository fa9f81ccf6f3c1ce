"""Response helpers: HAL bodies, Mode's error body ``{"id", "message"}`` and auth."""
import base64
import binascii
import json

from ..app import Response

HELP_LINK = {"help": {"href": "https://mode.com/help"}}


class ApiError(Exception):
    """Raised by handlers; becomes Mode's error body."""

    def __init__(self, status, error_id, message, help_link=False):
        super().__init__(message)
        self.status = status
        self.error_id = error_id
        self.message = message
        self.help_link = help_link

    def response(self):
        body = {"id": self.error_id, "message": self.message}
        if self.help_link:
            body["_links"] = HELP_LINK
        return Response.json(self.status, body)


def links(**hrefs):
    """``_links`` from keyword hrefs; a value ``(href, True)`` is a templated link, ``None``
    leaves the link out."""
    result = {}
    for name, href in hrefs.items():
        if href is None:
            continue
        if type(href) is tuple:
            result[name] = {"templated": True, "href": href[0]}
        else:
            result[name] = {"href": href}
    return result


def not_found(what):
    return ApiError(404, "not_found", f"{what} not found")


def wants_plain_json(request):
    accept = request.headers.get("accept", "")
    return "application/json" in [part.split(";")[0].strip() for part in accept.split(",")]


def hal(request, body, status=200):
    """HAL+JSON unless the client asked for plain JSON, which Mode also honours."""
    kind = "application/json" if wants_plain_json(request) else "application/hal+json"
    return Response(status, json.dumps(body).encode(),
                    {"Content-Type": kind + "; charset=utf-8"})


def basic_credentials(request):
    """``(user, password)`` from an ``Authorization: Basic`` header, or ``None``."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def unauthorized():
    return ApiError(401, "unauthorized",
                    "Unauthorized: the API token or secret is missing or invalid")
