"""Request accounting: which root stream a request is charged to, for the per-stream request
counts of the progress lines when several roots sync at once (the thread syncing a root
carries its name, and the fan-out tasks it hands to workers carry it over)."""
import collections
import contextlib
import threading

_local = threading.local()


def current():
    return getattr(_local, "stream", None)


@contextlib.contextmanager
def charged_to(stream):
    previous = current()
    _local.stream = stream
    try:
        yield
    finally:
        _local.stream = previous


class Tally:
    """Requests sent, in all and per root stream, and those still awaiting their answer
    (threads share one client)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.total = 0
        self.in_flight = 0
        self.by_stream = collections.Counter()

    @contextlib.contextmanager
    def sending(self):
        with self._lock:
            self.total += 1
            self.in_flight += 1
            self.by_stream[current()] += 1
        try:
            yield
        finally:
            with self._lock:
                self.in_flight -= 1
