"""Events, incremental on `emitted_at`: asked for oldest first from a little before the
bookmark (events can be indexed late), with the events already emitted in that overlap
dropped by id."""
from .cursor import bookmark_text, end_of_range, overlap, query_number, resume_from, seconds
from .paging import FrontStream


class Events(FrontStream):
    name = "events"
    path = "/events"
    scope = "events:*:read"
    replication_method = "INCREMENTAL"
    replication_key = "emitted_at"
    page_limit = 15   # the most /events gives

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids emitted within the overlap before the cursor, with their times. The state keeps
        # the times as text: tools that read state numbers as decimals cannot write them back.
        self._recent = {eid: seconds(at) for eid, at in (self.bookmark.get("recent_ids") or {}).items()}

    def params(self):
        params = dict(super().params(), sort_by="created_at", sort_order="asc")
        params["q[after]"] = query_number(resume_from(self.bookmark.get(self.replication_key), self.config))
        if self.config.get("end_date"):
            params["q[before]"] = query_number(end_of_range(self.config))
        return params

    def pages(self, parent=None):
        for page in super().pages(parent):
            fresh = [event for event in page if event["id"] not in self._recent]
            yield fresh

    def on_emitted(self, records):
        if not records:
            return
        latest = max(float(event["emitted_at"]) for event in records)
        cursor = seconds(self.bookmark.get(self.replication_key))
        if cursor is None or latest > cursor:
            cursor = latest
            self.bookmark[self.replication_key] = bookmark_text(latest)
        for event in records:
            self._recent[event["id"]] = float(event["emitted_at"])
        floor = cursor - overlap(self.config)
        self._recent = {eid: at for eid, at in self._recent.items() if at >= floor}
        self.bookmark["recent_ids"] = {eid: bookmark_text(at) for eid, at in self._recent.items()}
