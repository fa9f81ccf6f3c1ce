"""Errors that end a run with one line for the person running the pipeline."""


class TapError(Exception):
    """A failure the tap explains in one line; exits 1."""

    exit_code = 1


class ConfigError(TapError):
    """Bad input (config, state, catalog, flags); exits 2 before anything is written."""

    exit_code = 2


class HTTPError(TapError):
    """An HTTP answer the tap cannot use. The message names endpoint and status, never
    credentials."""

    def __init__(self, endpoint, status, detail="", stream=None):
        self.endpoint = endpoint
        self.status = status
        self.detail = detail
        self.stream = stream
        super().__init__(self._compose())

    def _compose(self):
        where = "stream {}: ".format(self.stream) if self.stream else ""
        text = "{}{} answered HTTP {}".format(where, self.endpoint, self.status)
        return text + (": " + self.detail if self.detail else "")

    def in_stream(self, stream):
        """Name the stream once the error reaches the sync loop."""
        if self.stream is None:
            self.stream = stream
            self.args = (self._compose(),)
        return self


class RetryableError(HTTPError):
    """Worth asking again: rate limits, server errors, not-ready answers."""

    def __init__(self, endpoint, status, detail="", retry_after=None, stream=None):
        self.retry_after = retry_after
        super().__init__(endpoint, status, detail, stream)


class TransportError(RetryableError):
    """No usable HTTP answer at all: connection refused or reset, timeout, broken body."""

    def __init__(self, endpoint, detail):
        super().__init__(endpoint, "none", detail)

    def _compose(self):
        where = "stream {}: ".format(self.stream) if self.stream else ""
        return "{}{} failed: {}".format(where, self.endpoint, self.detail)


class DeferredFailure(HTTPError):
    """A failure reported after the other streams have finished (a failed analytics report):
    the run still exits non-zero."""
