"""One pacing limiter per run, shared by every worker thread: requests are spaced evenly at the
allowed rate, a sliding-window ceiling is never exceeded, and an API's "wait until" (a spent
budget, a Retry-After) holds every thread, not just the one that was told."""
import collections
import threading
import time


class Pacer:
    def __init__(self, per_minute=None, ceiling=None, clock=time.monotonic, sleep=time.sleep):
        """`per_minute`: even spacing (None: none). `ceiling`: (calls, seconds), a hard sliding
        window such as Mode's 1000 calls per 60 s."""
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._interval = 60.0 / per_minute if per_minute else 0.0
        self._extra_interval = 0.0
        self._next_slot = 0.0
        self._held_until = 0.0
        self._ceiling = ceiling
        self._recent = collections.deque()
        self.waited = 0.0

    def set_adaptive_interval(self, seconds):
        """A spacing learnt from the API (remaining budget over time left); the configured one
        still applies when it is wider."""
        with self._lock:
            self._extra_interval = max(0.0, seconds)

    def hold_until(self, deadline):
        """No request from any thread before `deadline` (on this pacer's clock)."""
        with self._lock:
            self._next_slot = max(self._next_slot, deadline)
            self._held_until = max(self._held_until, deadline)

    def hold_for(self, seconds):
        self.hold_until(self._clock() + max(0.0, seconds))

    def wait(self):
        """Block until this caller may send one request. A hold placed while a caller sleeps
        towards its slot holds it too: only requests actually sent count as spent."""
        while True:
            slot = self._take_slot()
            with self._lock:
                if self._held_until <= slot:
                    return

    def _take_slot(self):
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            if self._ceiling:
                calls, period = self._ceiling
                while self._recent and self._recent[0] <= slot - period:
                    self._recent.popleft()
                if len(self._recent) >= calls:
                    slot = max(slot, self._recent[0] + period)
                self._recent.append(slot)
            self._next_slot = slot + max(self._interval, self._extra_interval)
        delay = slot - now
        if delay > 0:
            self.waited += delay
            self._sleep(delay)
        return slot
