"""Front streams, declared by attributes; paging by `_pagination.next` until it is null."""
from tap_engine.streams import Stream


class FrontStream(Stream):
    schema_package = "tap_front"
    page_size = 100

    def pages(self, parent=None):
        url = None
        params = {"limit": self.page_size}
        while True:
            if url is None:
                body = self.client.get(self.path, endpoint=self.path, params=params)
            else:
                # `next` already carries the query string; only the end signal is null.
                body = self.client.get(url=url, endpoint=self.path)
            yield body.get("_results") or []
            url = (body.get("_pagination") or {}).get("next")
            if not url:
                return


class Teammates(FrontStream):
    name = "teammates"
    path = "/teammates"


class Tags(FrontStream):
    name = "tags"
    path = "/tags"


STREAMS = (Teammates, Tags)
