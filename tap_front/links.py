"""Relationships Front carries only as links (`_links.related`) become id columns, read from the
records already fetched: a link's last path segment is the id it points at."""
from urllib.parse import urlsplit

# The first path segment of an owner link, and the owner_type column's value for it.
OWNER_TYPES = {"teammates": "teammate", "teams": "team", "company": "company"}


def _segments(url):
    return [part for part in urlsplit(url).path.split("/") if part] if isinstance(url, str) else []


def link_id(url):
    """The id a related link points at; None for a null or empty link."""
    segments = _segments(url)
    return segments[-1] if segments else None


def owner_columns(url, company_if_none=False):
    """`owner_type` (teammate, team or company) and `owner_id` of an owner link. Company-wide
    resources (tags, rules, templates) have a null owner link."""
    segments = _segments(url)
    if not segments:
        return {"owner_type": "company" if company_if_none else None, "owner_id": None}
    kind = OWNER_TYPES.get(segments[0], segments[0])
    return {"owner_type": kind, "owner_id": segments[1] if len(segments) > 1 else None}


def add_link_columns(record, related_ids, owned):
    """Put the id columns a stream declares on one raw record; `owned` is False, True, or
    "company" for resources a null owner link means the company owns."""
    related = (record.get("_links") or {}).get("related") or {}
    for column, link in related_ids.items():
        record[column] = link_id(related.get(link))
    if owned:
        record.update(owner_columns(related.get("owner"), owned == "company"))
    return record
