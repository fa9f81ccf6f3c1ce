"""Where tap-mode's list walk stops: only on signs that cannot mislead (empty page, repeated
page, totals, or a short page that also offers no next page)."""
from tap_mode.base import PER_PAGE, PageNumbers


class PagedClient:
    """Serves scripted bodies by page number and records the pages asked for."""

    def __init__(self, bodies):
        self.bodies = bodies
        self.asked = []

    def get(self, path, params=None, endpoint=None):
        page = params["page"]
        self.asked.append(page)
        return self.bodies[page - 1] if page <= len(self.bodies) else {"_embedded": {}}


def body(first, count, next_page):
    links = {"self": {"href": "/x"}}
    if next_page:
        links["next_page"] = {"href": "/x?page=2"}
    return {"_links": links, "_embedded": {"items": [{"token": str(first + i)} for i in range(count)]}}


def walk(bodies):
    client = PagedClient(bodies)
    records = [r["token"] for page in PageNumbers(client, "/x", "items").pages("x") for r in page]
    return records, client.asked


def test_a_short_page_without_next_page_ends_the_list_in_one_request():
    records, asked = walk([body(0, 7, next_page=False)])
    assert len(records) == 7 and asked == [1]


def test_a_short_page_that_links_a_next_page_is_not_the_end():
    # A lower silent cap than asked: the link, not the length, says more follows.
    records, asked = walk([body(0, 20, next_page=True), body(20, 5, next_page=False)])
    assert records == [str(i) for i in range(25)] and asked == [1, 2]


def test_a_full_page_without_a_link_is_followed_to_the_empty_page():
    records, asked = walk([body(0, PER_PAGE, next_page=False), body(PER_PAGE, PER_PAGE, next_page=False)])
    assert len(records) == 2 * PER_PAGE and asked == [1, 2, 3]


def test_a_list_that_ignores_page_stops_on_the_repeat():
    records, asked = walk([body(0, 7, next_page=True)] * 5)
    assert len(records) == 7 and asked == [1, 2]
