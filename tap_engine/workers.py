"""A small bounded pool for fan-out: results come back in submission order, with at most a
fixed number of tasks in flight, so memory stays flat and output order is stable."""
import collections
from concurrent.futures import ThreadPoolExecutor


class WorkerPool:
    def __init__(self, workers):
        self.workers = max(1, int(workers))
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="tap-worker") if self.workers > 1 else None

    def ordered_map(self, func, items):
        """Yield func(item) for each item, in order. Exceptions surface at their item."""
        if self._executor is None:
            for item in items:
                yield func(item)
            return
        window = collections.deque()
        limit = self.workers * 2
        try:
            for item in items:
                window.append(self._executor.submit(func, item))
                if len(window) >= limit:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for future in window:
                future.cancel()

    def close(self):
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
