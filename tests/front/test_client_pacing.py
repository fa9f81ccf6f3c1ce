"""The Front client's pacing decisions, from the headers of single answers (no server): budget
spread over the window, a hold when it is spent, search paced within its share, the burst
guard on for real budgets only. And the list streams' fallbacks for routes Front removed."""
import time

import requests
from requests.structures import CaseInsensitiveDict

from tap_front.client import RESERVE_MARGIN, Client, FrontNotFoundError
from tap_front.lists import ContactGroups, CustomFields


def answer(path, status=200, **headers):
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict({k.replace("_", "-"): str(v) for k, v in headers.items()})
    response.request = requests.Request("GET", "https://acme.api.frontapp.com" + path).prepare()
    return response


def client():
    return Client({"token": "t0ken-for-tests", "base_url": "https://api2.frontapp.com"})


def test_budget_is_spread_over_what_is_left_of_the_window():
    c = client()
    reset = time.time() + 30
    c.observe(answer("/contacts", x_ratelimit_limit=100, x_ratelimit_remaining=50 + RESERVE_MARGIN,
                     x_ratelimit_reset=reset))
    assert 0.55 < c.pacer._extra_interval <= 0.6     # 30 s over the 50 requests we may still send


def test_spent_budget_holds_every_request_until_the_reset():
    c = client()
    before = c.pacer._clock()
    c.observe(answer("/contacts", x_ratelimit_limit=100, x_ratelimit_remaining=2, x_ratelimit_reset=time.time() + 20))
    assert 19 < c.pacer._next_slot - before <= 20.5


def test_a_refusal_does_not_hold_to_the_end_of_the_window():
    c = client()
    before = c.pacer._clock()
    c.observe(answer("/contacts", 429, x_ratelimit_remaining=0, x_ratelimit_reset=time.time() + 50, retry_after=1))
    assert c.pacer._next_slot - before < 1    # the retry waits Retry-After, not 50 s


def test_search_is_paced_within_its_share_of_the_company_budget():
    c = client()
    reset = time.time() + 60
    c.observe(answer("/contacts", x_ratelimit_limit=100, x_ratelimit_remaining=99, x_ratelimit_reset=reset))
    c.observe(answer("/conversations/search/after%3A1", x_ratelimit_limit=100, x_ratelimit_remaining=99,
                     x_ratelimit_reset=reset))
    assert c.search_pacer._extra_interval >= 60 / 39   # 40 of 100 a minute, one kept in reserve
    assert c.pacer._extra_interval < 1                 # the rest of the traffic is not slowed


def test_missing_headers_are_no_error_and_keep_the_burst_guard():
    c = client()
    c.observe(answer("/contacts"))
    assert c._burst_guarded()
    c.observe(answer("/contacts", x_ratelimit_limit=100000, x_ratelimit_remaining=99999,
                     x_ratelimit_reset=time.time() + 60))
    assert not c._burst_guarded()     # no plan has such a budget: no burst tier to respect


class FakeClient:
    """Answers paths from a dict; anything else is Front's 404."""

    def __init__(self, answers):
        self.answers = answers
        self.asked = []

    def get(self, path=None, url=None, endpoint=None, params=None):
        self.asked.append(path)
        if path not in self.answers:
            raise FrontNotFoundError(endpoint or path, 404, "Unknown route")
        return {"_results": self.answers[path]}


def test_contact_groups_come_from_contact_lists_once_the_old_route_is_gone():
    fake = FakeClient({"/contact_lists": [{"id": "grp_1", "name": "VIP"}]})
    stream = ContactGroups(fake, {}, {})
    assert [r for page in stream.pages() for r in page] == [{"id": "grp_1", "name": "VIP"}]
    assert fake.asked == ["/contact_groups", "/contact_lists"]


def test_custom_fields_skip_a_resource_front_has_none_for():
    fake = FakeClient({"/accounts/custom_fields": [{"id": "fld_1"}], "/links/custom_fields": [{"id": "fld_2"}]})
    stream = CustomFields(fake, {}, {})
    records = [r for page in stream.pages() for r in page]
    assert records == [{"id": "fld_1", "resource": "accounts"}, {"id": "fld_2", "resource": "links"}]
