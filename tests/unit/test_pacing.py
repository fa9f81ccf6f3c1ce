"""The shared pacer on a fake clock: even spacing, a sliding-window ceiling, holds that apply to
every thread."""
import threading

from tap_engine.pacing import Pacer


class FakeTime:
    def __init__(self):
        self.now = 100.0
        self.lock = threading.Lock()

    def clock(self):
        return self.now

    def sleep(self, seconds):
        with self.lock:
            self.now += seconds


def test_even_spacing_at_configured_rate():
    t = FakeTime()
    pacer = Pacer(per_minute=120, clock=t.clock, sleep=t.sleep)
    stamps = []
    for _ in range(5):
        pacer.wait()
        stamps.append(t.now)
    gaps = [round(b - a, 6) for a, b in zip(stamps, stamps[1:])]
    assert gaps == [0.5, 0.5, 0.5, 0.5]


def test_no_pacing_without_rate():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    for _ in range(10):
        pacer.wait()
    assert t.now == 100.0


def test_ceiling_never_exceeded_in_any_window():
    t = FakeTime()
    pacer = Pacer(ceiling=(3, 10.0), clock=t.clock, sleep=t.sleep)
    stamps = []
    for _ in range(7):
        pacer.wait()
        stamps.append(t.now)
    for i, start in enumerate(stamps):
        in_window = [s for s in stamps[i:] if s < start + 10.0]
        assert len(in_window) <= 3
    assert stamps[3] == stamps[0] + 10.0


def test_hold_applies_to_next_caller():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    pacer.hold_for(7.5)
    pacer.wait()
    assert t.now == 107.5


def test_adaptive_interval_widens_spacing_and_config_still_applies():
    t = FakeTime()
    pacer = Pacer(per_minute=60, clock=t.clock, sleep=t.sleep)
    pacer.set_adaptive_interval(0.25)  # narrower than the configured 1 s: config wins
    pacer.wait()
    pacer.wait()
    assert t.now == 101.0
    pacer.set_adaptive_interval(3.0)
    pacer.wait()
    pacer.wait()
    assert t.now == 105.0


def test_threads_share_one_schedule():
    t = FakeTime()
    pacer = Pacer(per_minute=600, clock=t.clock, sleep=lambda s: None)
    threads = [threading.Thread(target=lambda: [pacer.wait() for _ in range(10)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 40 requests from 4 threads at 0.1 s spacing: one schedule 4 s long, no slot handed out twice.
    assert round(pacer._next_slot - 100.0, 6) == 4.0


def test_a_hold_placed_while_a_caller_sleeps_holds_it_too():
    t = FakeTime()
    pacer = Pacer(per_minute=60, clock=t.clock, sleep=None)

    def sleep(seconds):
        # While the second caller sleeps towards its slot (101.0), the budget runs out.
        t.now += seconds
        if t.now == 101.0 and not pacer._held_until:
            pacer.hold_until(130.0)

    pacer._sleep = sleep
    pacer.wait()
    assert t.now == 100.0
    pacer.wait()
    assert t.now == 130.0
