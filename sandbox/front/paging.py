"""Front-style lists: query arguments, opaque page tokens, absolute ``next`` links on a
company-style host, and the occasional short page (the only end signal is ``next == null``)."""
import base64
import binascii
import bisect
import json
from urllib.parse import urlencode, urlsplit

from .responses import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def float_arg(request, name):
    text = request.arg(name)
    if text in (None, ""):
        return None
    try:
        return float(text)
    except ValueError:
        raise ApiError(400, f"{name} must be a timestamp in seconds, got {text!r}") from None


def list_arg(request, name):
    """Values of ``q[name][]`` (or ``q[name]``), comma-separated lists accepted."""
    values = request.query.get(f"q[{name}][]", []) + request.query.get(f"q[{name}]", [])
    return [v for value in values for v in value.split(",") if v]


def sort_ascending(request, default="desc"):
    """Whether ``sort_order`` asks for ascending order."""
    order = request.arg("sort_order") or default
    if order not in ("asc", "desc"):
        raise ApiError(400, "sort_order must be asc or desc")
    return order == "asc"


def sort_field(request, allowed, default):
    field = request.arg("sort_by") or default
    if field not in allowed:
        raise ApiError(400, f"sort_by must be one of {', '.join(allowed)}")
    return field


def parse_limit(request, default=DEFAULT_LIMIT, maximum=MAX_LIMIT):
    text = request.arg("limit")
    if text in (None, ""):
        return default
    try:
        limit = int(text)
    except ValueError:
        raise ApiError(400, f"limit must be an integer, got {text!r}") from None
    if limit < 1 or limit > maximum:
        raise ApiError(400, f"limit must be between 1 and {maximum}")
    return limit


def encode_token(page, cursor):
    raw = json.dumps([page, cursor], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(text):
    """(page number, cursor) from a page token; the first page has no token."""
    if not text:
        return 1, None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        page, cursor = json.loads(raw)
        return int(page), (tuple(cursor) if isinstance(cursor, list) else cursor)
    except (ValueError, TypeError, binascii.Error):
        raise ApiError(400, "Invalid page_token") from None


def page_size(page, limit, options):
    """How many results page ``page`` holds: a few pages are short (or empty) on purpose."""
    if page >= 2 and options.get("empty_pages") and page % 5 == 0:
        return 0
    if page >= 2 and options.get("short_pages", True) and page % 3 == 0:
        return limit // 2
    return limit


def company_origin(origin, link_host=None):
    """The host links point at: 127.0.0.1 and localhost swap, as Front links point at a
    company host rather than the one that was called."""
    if link_host:
        return link_host if "://" in link_host else "http://" + link_host
    parts = urlsplit(origin)
    host = parts.hostname or ""
    swapped = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(host, host)
    port = f":{parts.port}" if parts.port else ""
    if ":" in swapped:
        swapped = f"[{swapped}]"  # an IPv6 literal
    return f"{parts.scheme or 'http'}://{swapped}{port}"


def list_links(request, options, token=None):
    """``_links.self`` and ``_pagination.next``: the original query string, plus a token."""
    origin = company_origin(request.origin, options.get("link_host"))
    pairs = [(k, v) for k, values in request.query.items() for v in values if k != "page_token"]
    base = origin + request.path
    self_url = base + ("?" + urlencode(pairs) if pairs else "")
    if request.arg("page_token"):
        self_url += ("&" if pairs else "?") + urlencode([("page_token", request.arg("page_token"))])
    next_url = None
    if token is not None:
        next_url = base + "?" + urlencode(pairs + [("page_token", token)])
    return self_url, next_url


def keyset_page(keys, cursor, size, ascending, lo=0, hi=None, accept=None):
    """Positions of one page in ``keys`` (sorted ascending, unique), walking in the requested
    direction from just past ``cursor``; ``accept`` filters positions. Returns the positions
    and whether more accepted positions follow."""
    hi = len(keys) if hi is None else hi
    if ascending:
        start = lo if cursor is None else max(lo, bisect.bisect_right(keys, cursor))
        walk = range(start, hi)
    else:
        stop = hi if cursor is None else min(hi, bisect.bisect_left(keys, cursor))
        walk = range(stop - 1, lo - 1, -1)
    positions = []
    for position in walk:
        if accept is not None and not accept(position):
            continue
        if len(positions) == size:
            return positions, True
        positions.append(position)
    return positions, False


def paginate(request, options, keys, limit, ascending, render, lo=0, hi=None, accept=None):
    """One page of a keyset-paginated list as the API's envelope (without extra keys)."""
    page, cursor = decode_token(request.arg("page_token"))
    size = page_size(page, limit, options)
    positions, more = keyset_page(keys, cursor, size, ascending, lo, hi, accept)
    if size == 0:
        more = bool(keyset_page(keys, cursor, 1, ascending, lo, hi, accept)[0])
    token = None
    if more:
        last = keys[positions[-1]] if positions else cursor
        token = encode_token(page + 1, list(last) if isinstance(last, tuple) else last)
    self_url, next_url = list_links(request, options, token)
    return {"_pagination": {"next": next_url}, "_links": {"self": self_url},
            "_results": [render(p) for p in positions]}


def unpaginated(request, results):
    return {"_links": {"self": list_links(request, {})[0]}, "_results": results}
