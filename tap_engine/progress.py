"""Progress on stderr for people watching a long sync: records and requests so far and time
spent waiting for rate limits, at most every `interval` seconds, and one summary line per
stream when its tree is done."""
import logging
import time

LOGGER = logging.getLogger("tap.progress")


class Progress:
    def __init__(self, client, interval=15.0, clock=time.monotonic):
        self.client = client
        self.interval = interval
        self.clock = clock
        self.records = {}
        self._last_report = clock()
        self._started = clock()
        self._root_started = {}

    def _waited(self):
        return getattr(getattr(self.client, "pacer", None), "waited", 0.0)

    def _requests(self):
        return getattr(self.client, "requests_sent", 0)

    def _requests_of(self, root):
        tally = getattr(self.client, "tally", None)
        return tally.by_stream[root.name] if tally else 0

    def stream_started(self, root):
        self._root_started[root.name] = (self.clock(), self._requests_of(root),
                                          {n.name: self.records.get(n.name, 0) for n in root.subtree()})

    def tick(self, stream, count):
        self.records[stream] = self.records.get(stream, 0) + count
        now = self.clock()
        if now - self._last_report >= self.interval:
            self._last_report = now
            counts = ", ".join("{} {}".format(name, n) for name, n in sorted(self.records.items()))
            LOGGER.info("progress: %s records; %d requests; %.1f s waited for rate limits",
                        counts, self._requests(), self._waited())

    def stream_done(self, root):
        started, requests_before, records_before = self._root_started.pop(
            root.name, (self.clock(), self._requests_of(root), {}))
        seconds = self.clock() - started
        requests = self._requests_of(root) - requests_before
        for node in root.subtree():
            if node.stream.selected:
                emitted = self.records.get(node.name, 0) - records_before.get(node.name, 0)
                LOGGER.info("stream %s done: %d records (%d requests for its tree, %.1f s)",
                            node.name, emitted, requests, seconds)

    def run_done(self):
        LOGGER.info("sync done: %d records, %d requests, %.1f s waited for rate limits, %.1f s in all",
                    sum(self.records.values()), self._requests(), self._waited(), self.clock() - self._started)
