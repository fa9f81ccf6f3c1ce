"""Paging: one small paginator per API style on one loop, which asks for the next page until
the style says the list ends and never asks for the same page twice (a link or cursor that does
not move would otherwise loop forever)."""
from typing import Any, Iterator, List, Optional, Tuple

Request = Tuple[str, Optional[dict]]   # (path or URL, query parameters)


class Page(list):
    """One page of raw records. `last`: the list ends here. `checkpoint`: what this page
    completes (a window's end, say), for the stream's `on_emitted` once the page and
    everything below it are out: the one place a bookmark learns how far the stream has come."""

    last = False

    def __init__(self, records=(), checkpoint: Any = None):
        super().__init__(records)
        self.checkpoint = checkpoint


class Paginator:
    """One walk of one list. A style says where a body's records are (`records`), whether a
    body is no page at all (`ends_before`), and what to ask for next (`following`, None at
    the end)."""

    def __init__(self, client, endpoint: str, headers: Optional[dict] = None):
        self.client = client
        self.endpoint = endpoint        # the metrics tag: the path template
        self.headers = headers

    def records(self, body: dict) -> List[dict]:
        raise NotImplementedError

    def ends_before(self, records: List[dict]) -> bool:
        return False

    def following(self, request: Request, body: dict, records: List[dict]) -> Optional[Request]:
        raise NotImplementedError

    def pages(self, path: str, params: Optional[dict] = None) -> Iterator[Page]:
        request: Optional[Request] = self.first(path, params)
        asked = set()
        while request is not None:
            asked.add(_identity(request))
            body = self.get(request)
            records = self.records(body)
            if self.ends_before(records):
                return
            following = self.following(request, body, records)
            if following is not None and _identity(following) in asked:
                following = None
            page = Page(records)
            page.last = following is None
            yield page
            request = following

    def first(self, path: str, params: Optional[dict]) -> Request:
        return path, params

    def get(self, request: Request) -> dict:
        path, params = request
        extra = {"headers": self.headers} if self.headers else {}
        return self.client.get(path, params=params, endpoint=self.endpoint, **extra)


def _identity(request: Request):
    path, params = request
    return path, tuple(sorted((params or {}).items()))
