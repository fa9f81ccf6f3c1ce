"""Request statistics per endpoint template, kept apart by cause: the API itself, the rate
limiter, or an injected fault. Lets a test prove that a tap never tripped the limit."""
import copy
import threading


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._data = {"total": 0, "rate_limited": 0, "burst_limited": 0, "faults": 0,
                          "endpoints": {}}

    def record(self, endpoint, status, rate_limited=False, burst=False, fault=False):
        """``status`` is the HTTP status, or a word such as "reset" when none was sent."""
        with self._lock:
            data = self._data
            entry = data["endpoints"].get(endpoint)
            if entry is None:
                entry = data["endpoints"][endpoint] = {
                    "requests": 0, "statuses": {}, "rate_limited": 0, "burst_limited": 0,
                    "faults": 0,
                }
            key = str(status)
            entry["requests"] += 1
            entry["statuses"][key] = entry["statuses"].get(key, 0) + 1
            data["total"] += 1
            for name, flag in (("rate_limited", rate_limited), ("burst_limited", burst),
                               ("faults", fault)):
                if flag:
                    entry[name] += 1
                    data[name] += 1

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._data)
