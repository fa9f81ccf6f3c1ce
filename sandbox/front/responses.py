"""Front's answers: JSON bodies, and errors in Front's ``{"_error": ...}`` shape."""
from ..app import Response
from ..errors import error_response


class ApiError(Exception):
    """Raised by handlers; becomes Front's error body (a 301 carries only its headers)."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self):
        if self.status == 301:
            return Response(301, b"", dict(self.headers))
        return error_response("front", self.status, self.message, self.headers)


def respond(result):
    """A handler's result as a response: anything but a ``Response`` is a 200 JSON body."""
    return result if isinstance(result, Response) else Response.json(200, result)
