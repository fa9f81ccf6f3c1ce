"""A second API client sharing the sandbox's budget with the tap: it sends at a fixed rate,
evenly spaced, whatever it is answered, on endpoints the tap's sync never calls, so the
sandbox's per-endpoint counts tell whose requests were refused."""
import threading
import time

import requests

# Per API: (path under the base URL, endpoint template as the sandbox counts it, auth).
ENDPOINTS = {
    # Two Front endpoints: Front's burst tier allows 5 requests per second to each one.
    "front": [("/me", "/me", None), ("/company/rules", "/company/rules", None)],
    "mode": [("/api/verify", "/api/verify", ("sandbox-token", "sandbox-secret"))],
}
FRONT_HEADERS = {"Authorization": "Bearer sandbox-token"}


class Competitor:
    def __init__(self, api, base_url, per_minute):
        self.api = api
        self.base_url = base_url
        self.interval = 60.0 / per_minute
        self.sent = 0
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="competitor", daemon=True)

    @property
    def templates(self):
        return [template for _, template, _ in ENDPOINTS[self.api]]

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self):
        session = requests.Session()
        if self.api == "front":
            session.headers.update(FRONT_HEADERS)
        targets = ENDPOINTS[self.api]
        next_at = time.monotonic()
        while not self._stop.is_set():
            path, _, auth = targets[self.sent % len(targets)]
            try:
                response = session.get(self.base_url + path, auth=auth, timeout=10)
                self.refused += response.status_code == 429
            except requests.RequestException:
                pass
            self.sent += 1
            next_at += self.interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))
        session.close()
