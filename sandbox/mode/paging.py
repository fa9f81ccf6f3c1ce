"""Collection envelopes with Mode's observed paging habits:

* ``page`` is 1-based; ``per_page`` is silently capped (30 by default);
* some collections ignore ``page`` altogether and serve the full list for every page number;
* ``_links.next_page`` is offered whenever a page is full, so it can point past the end;
* a page past the end is ``"_embedded": {}`` with no collection key and only an empty
  ``self`` link, as captured live;
* report and dataset runs carry a real ``pagination`` block.
"""
from urllib.parse import urlencode

from .responses import hal


def _positive_int(text, default):
    try:
        value = int(text)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def page_request(request, cap):
    """``(page, per_page)`` as the server will apply them."""
    page = _positive_int(request.arg("page"), 1)
    per_page = min(_positive_int(request.arg("per_page"), cap), cap)
    return page, per_page


def _page_href(base, request, page, per_page):
    query = {name: values[0] for name, values in request.query.items() if values}
    query.update(page=page, per_page=per_page)
    return f"{base}?{urlencode(query)}"


def envelope(request, key, items, render, self_href, cap, unpaged=False, totals=False):
    """The HAL body for one page of ``items`` (rendered lazily with ``render``)."""
    page, per_page = page_request(request, cap)
    if unpaged:
        chosen = items
    else:
        chosen = items[(page - 1) * per_page:page * per_page]
    body = {"_links": {"self": {"href": self_href}}}
    if not chosen and page > 1:
        body["_links"]["self"]["href"] = ""
        body["_embedded"] = {}
    else:
        body["_embedded"] = {key: [render(item) for item in chosen]}
    total_pages = -(-len(items) // per_page)
    if totals:
        more = page < total_pages
    elif unpaged:
        more = bool(chosen)
    else:
        more = bool(chosen) and len(chosen) == per_page
    if more:
        body["_links"]["next_page"] = {"href": _page_href(self_href, request, page + 1,
                                                          per_page)}
    if page > 1 and chosen:
        body["_links"]["prev_page"] = {"href": _page_href(self_href, request, page - 1,
                                                          per_page)}
    if totals:
        body["pagination"] = {"page": page, "per_page": per_page, "count": len(chosen),
                              "total_pages": total_pages, "total_count": len(items)}
    return body


def page_body(app, request, endpoint, key, items, render, self_href, totals=False):
    """``envelope`` with the app's paging settings: its cap and its unpaged templates."""
    return envelope(request, key, items, render, self_href, app.options["per_page_cap"],
                    unpaged=endpoint in app.options["unpaged"], totals=totals)


def listing(app, request, endpoint, key, items, render, self_href, totals=False):
    """One page of a collection as a HAL response."""
    return hal(request, page_body(app, request, endpoint, key, items, render, self_href, totals))
