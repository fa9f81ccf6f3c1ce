"""Mode API client: the seed's interface (`ModeClient(access_token, password, workspace,
config_request_timeout, user_agent=None)`, a context manager that verifies the token on entry,
`check_access_token`, `request`, `get`, `post`, `perform`) on the shared HTTP base."""
import base64
import logging

from tap_engine.errors import HTTPError, RetryableError
from tap_engine.http import HttpClient
from tap_engine.pacing import Pacer

LOGGER = logging.getLogger("tap_mode")
BASE_HOST = "https://app.mode.com"


class ModeError(HTTPError):
    """Mode answered with an error; the message carries Mode's `message` and the endpoint."""


class ModeBadRequestError(ModeError):
    pass


class ModeUnauthorizedError(ModeError):
    pass


class ModePaymentRequiredError(ModeError):
    pass


class ModeForbiddenError(ModeError):
    pass


class ModeNotFoundError(ModeError):
    pass


class ModeMethodNotAllowedError(ModeError):
    pass


class ModeNotAcceptableError(ModeError):
    pass


class ModeConflictError(ModeError):
    pass


class ModeUnsupportedMediaTypeError(ModeError):
    pass


class ModeUnprocessableEntityError(ModeError):
    pass


class ModeRequestTimeoutError(RetryableError, ModeError):
    pass


class ModeLockedError(RetryableError, ModeError):
    pass


class ModeRateLimitError(RetryableError, ModeError):
    pass


class ModeInternalServiceError(RetryableError, ModeError):
    """500 and above, 504 gateway timeouts included."""


ERROR_CLASSES = {
    400: ModeBadRequestError, 401: ModeUnauthorizedError, 402: ModePaymentRequiredError,
    403: ModeForbiddenError, 404: ModeNotFoundError, 405: ModeMethodNotAllowedError,
    406: ModeNotAcceptableError, 408: ModeRequestTimeoutError, 409: ModeConflictError,
    415: ModeUnsupportedMediaTypeError, 422: ModeUnprocessableEntityError, 423: ModeLockedError,
    429: ModeRateLimitError,
}


class ModeClient(HttpClient):
    # Mode's own ceiling, shared by every thread of a run; the config may ask for less.
    RATE_CEILING = (1000, 60)

    error_classes = ERROR_CLASSES
    server_error_class = ModeInternalServiceError
    default_error_class = ModeError
    # {"id": "not_found", "message": "Report not found"}
    error_message_keys = ("message", "id")

    def __init__(self, access_token, password, workspace, config_request_timeout, user_agent=None,
                 base_url=None, max_requests_per_minute=None, retry_base_seconds=None):
        self.workspace = workspace
        self.host = (base_url or BASE_HOST).rstrip("/")
        credentials = "{}:{}".format(access_token, password).encode()
        self._authorization = "Basic " + base64.b64encode(credentials).decode()
        super().__init__(
            "{}/api/{}".format(self.host, workspace),
            timeout=float(config_request_timeout or 300),
            user_agent=user_agent,
            pacer=Pacer(per_minute=max_requests_per_minute, ceiling=self.RATE_CEILING),
            retry_base_seconds=1.0 if retry_base_seconds is None else retry_base_seconds,
        )

    def __enter__(self):
        self.check_access_token()
        return super().__enter__()

    def check_access_token(self):
        """Verify the credentials with one cheap call on the workspace's spaces."""
        self.get("spaces", params={"filter": "all", "per_page": 1}, endpoint="/spaces")
        return True

    def verify(self):
        """`GET /api/verify`: works for workspace and personal tokens alike."""
        return self.request("GET", url=self.host + "/api/verify", endpoint="/verify")

    # --- the seed's interface ----------------------------------------------------------
    def request(self, method, path=None, url=None, endpoint=None, **kwargs):
        target = url or self.absolute(path)
        return self.send(method, target, endpoint or "/" + (path or "").lstrip("/"), **kwargs)

    def get(self, path, **kwargs):
        LOGGER.debug("GET %s", path)
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def perform(self, method, path, **kwargs):
        if method.lower() == "post":
            return self.post(path, **kwargs)
        return self.get(path, **kwargs)

    # --- HttpClient hooks ----------------------------------------------------------------
    def auth_headers(self):
        return {"Authorization": self._authorization}
