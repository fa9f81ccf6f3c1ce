"""Rate limiting in Front's style (budget, burst tier, search share, headers) and Mode's
(leaky bucket). A fake clock keeps every test deterministic."""
import threading

import pytest
import requests

from sandbox.ratelimit import FrontRateLimiter, ModeRateLimiter, format_seconds


class FakeClock:
    def __init__(self, now=1_800_000_000.25):
        self.now = now

    def __call__(self):
        return self.now


def test_front_headers_count_down_and_reset_on_the_wall_clock(sandbox, http):
    clock = FakeClock()
    server = sandbox("echo", rpm=5, clock=clock)
    seen = [http.get(server.base_url + f"/a/{i}").headers for i in range(5)]
    assert [h["x-ratelimit-remaining"] for h in seen] == ["4", "3", "2", "1", "0"]
    assert {h["x-ratelimit-limit"] for h in seen} == {"5"}
    assert {h["x-ratelimit-reset"] for h in seen} == {str(1_800_000_061)}


def test_front_over_budget_is_a_429_with_retry_after_and_error_body(sandbox, http):
    clock = FakeClock()
    server = sandbox("echo", rpm=3, clock=clock, burst=False)
    for _ in range(3):
        assert http.get(server.base_url + "/a").status_code == 200
    clock.now += 20
    refused = http.get(server.base_url + "/a")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "40"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    error = refused.json()["_error"]
    assert error["status"] == 429 and error["title"] == "Too Many Requests" and error["message"]
    stats = server.stats()
    assert stats["rate_limited"] == 1 and stats["faults"] == 0
    assert stats["endpoints"]["/a"]["statuses"] == {"200": 3, "429": 1}
    clock.now += 40
    again = http.get(server.base_url + "/a")
    assert again.status_code == 200 and again.headers["x-ratelimit-remaining"] == "2"


def test_front_burst_tier_refuses_while_budget_remains(sandbox, http):
    clock = FakeClock()
    server = sandbox("echo", rpm=100, clock=clock)
    for _ in range(5):
        assert http.get(server.base_url + "/hot").status_code == 200
    clock.now += 0.659
    refused = http.get(server.base_url + "/hot")
    assert refused.status_code == 429
    assert refused.headers["x-front-tier"] == "burst"
    assert refused.headers["retry-after"] == "0.341"
    assert int(refused.headers["x-ratelimit-remaining"]) > 0
    assert "341 milliseconds" in refused.json()["_error"]["message"]
    # Other resources have their own burst allowance.
    assert http.get(server.base_url + "/cold").status_code == 200
    clock.now += 0.341
    assert http.get(server.base_url + "/hot").status_code == 200
    stats = server.stats()
    assert stats["rate_limited"] == 1 and stats["burst_limited"] == 1


def test_front_burst_tier_can_be_switched_off_or_tuned(sandbox, http):
    clock = FakeClock()
    server = sandbox("echo", rpm=100, clock=clock, burst=False)
    assert all(http.get(server.base_url + "/hot").status_code == 200 for _ in range(20))
    server.set_option("burst", True)
    server.set_option("burst_rps", 2)
    codes = [http.get(server.base_url + "/hot").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_front_search_may_use_only_forty_percent_of_the_budget(sandbox, http):
    clock = FakeClock()
    server = sandbox("echo", rpm=10, clock=clock, burst=False)
    search = server.base_url + "/conversations/search/q"

    server.app.endpoint_of = lambda request: (
        "/conversations/search/{query}" if "/search/" in request.path else request.path)
    headers = [http.get(search).headers for _ in range(4)]
    assert [h["x-ratelimit-limit"] for h in headers] == ["4"] * 4
    assert [h["x-ratelimit-remaining"] for h in headers] == ["3", "2", "1", "0"]
    assert http.get(search).status_code == 429
    other = http.get(server.base_url + "/other")
    assert other.status_code == 200 and other.headers["x-ratelimit-remaining"] == "5"


def test_front_headers_can_be_omitted_wholly_or_partly(sandbox, http):
    server = sandbox("echo", rpm=10, ratelimit_headers=False)
    assert not [h for h in http.get(server.base_url + "/a").headers if h.startswith("x-ratelimit")]
    server.set_option("ratelimit_headers", ["x-ratelimit-remaining"])
    names = [h for h in http.get(server.base_url + "/a").headers if h.startswith("x-ratelimit")]
    assert names == ["x-ratelimit-remaining"]


def test_front_retry_after_can_be_omitted(sandbox, http):
    server = sandbox("echo", rpm=1, retry_after=False, clock=FakeClock())
    http.get(server.base_url + "/a")
    refused = http.get(server.base_url + "/a")
    assert refused.status_code == 429 and "retry-after" not in refused.headers


def test_front_without_rpm_never_limits_but_still_sends_headers(sandbox, http):
    server = sandbox("echo", clock=FakeClock())
    responses = [http.get(server.base_url + "/hot") for _ in range(30)]
    assert {r.status_code for r in responses} == {200}
    assert int(responses[-1].headers["x-ratelimit-limit"]) >= 10000


def test_front_budget_is_exact_under_concurrency(sandbox):
    server = sandbox("echo", rpm=50, burst=False, clock=FakeClock())
    codes = []
    lock = threading.Lock()

    def client():
        with requests.Session() as session:
            for _ in range(10):
                code = session.get(server.base_url + "/a", timeout=10).status_code
                with lock:
                    codes.append(code)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert codes.count(200) == 50 and codes.count(429) == 30
    assert server.stats()["rate_limited"] == 30


def test_mode_leaky_bucket(sandbox, http):
    clock = FakeClock(100.0)
    server = sandbox("echo", app_options={"style": "mode"}, rpm=60, clock=clock)
    codes = [http.get(server.base_url + "/a").status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
    refused = http.get(server.base_url + "/a")
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {"id": "too_many_requests", "message": refused.json()["message"]}
    assert not [h for h in refused.headers if h.lower().startswith("x-ratelimit")]
    clock.now += 1.0
    assert http.get(server.base_url + "/a").status_code == 200
    assert http.get(server.base_url + "/a").status_code == 429
    clock.now += 3.0
    assert [http.get(server.base_url + "/a").status_code for _ in range(4)] == [200] * 3 + [429]
    assert server.stats()["rate_limited"] == 4


def test_mode_retry_after_can_be_omitted_and_no_rpm_means_no_limit():
    clock = FakeClock(0.0)
    limiter = ModeRateLimiter(rpm=6, retry_after=False, clock=clock)
    assert limiter.check("/a").allowed
    refused = limiter.check("/a")
    assert not refused.allowed and refused.headers == {}
    unlimited = ModeRateLimiter(rpm=None)
    assert all(unlimited.check("/a").allowed for _ in range(1000))


def test_mode_retry_after_is_an_integer_number_of_seconds():
    clock = FakeClock(0.0)
    limiter = ModeRateLimiter(rpm=12, clock=clock)  # 0.2 per second, bucket of 2
    assert limiter.check("/a").allowed and limiter.check("/a").allowed
    assert limiter.check("/a").headers["Retry-After"] == "5"


@pytest.mark.parametrize("seconds,integer,text", [
    (0.3, False, "0.3"), (0.3411, False, "0.342"), (41.0, False, "41"), (2.5, True, "3"),
    (0.0001, True, "1"), (10.0, False, "10"),
])
def test_format_seconds(seconds, integer, text):
    assert format_seconds(seconds, integer=integer) == text


def test_front_limiter_windows_restart_after_a_minute():
    clock = FakeClock(1000.0)
    limiter = FrontRateLimiter(rpm=2, burst=False, clock=clock)
    assert limiter.check("/a").allowed and limiter.check("/a").allowed
    assert not limiter.check("/a").allowed
    clock.now += 60
    decision = limiter.check("/a")
    assert decision.allowed and decision.headers["x-ratelimit-reset"] == "1120"
