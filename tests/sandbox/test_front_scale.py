"""Scales: the documented counts, and the larger scales' laziness. The large scale builds in
a few seconds; set SANDBOX_LARGE=1 to include it."""
import os
import threading

import pytest
import requests
from conftest import FRONT_TOKEN, REPO

from sandbox import make_app


@pytest.mark.parametrize("scale,low,high", [("tiny", 500, 2000), ("small", 4000, 15000),
                                            ("medium", 50000, 150000)])
def test_scale_sizes(scale, low, high):
    counts = make_app("front", scale=scale).scale_counts()
    total = sum(counts.values())
    assert low <= total <= high, counts


@pytest.mark.skipif(not os.environ.get("SANDBOX_LARGE"), reason="set SANDBOX_LARGE=1 to build it")
def test_large_scale_has_hundreds_of_thousands_of_events_and_messages():
    app = make_app("front", scale="large")
    counts = app.scale_counts()
    assert counts["events"] > 200000 and counts["messages"] > 100000
    assert app.timelines.CACHE_SIZE < counts["conversations"]  # timelines are re-drawn on demand


def test_conversations_are_redrawn_identically_after_eviction():
    app = make_app("front", scale="tiny")
    conv = app.timelines.items[3]
    first = app.timelines.activities(conv)
    app.timelines._cache.clear()
    assert app.timelines.activities(conv) == first


def test_unknown_scale_or_app():
    with pytest.raises(ValueError):
        make_app("front", scale="huge")
    with pytest.raises(ValueError):
        make_app("zendesk")


def test_concurrent_walks_while_mutating(sandbox):
    server = sandbox("front", scale="tiny")
    errors = []

    def walker():
        with requests.Session() as session:
            session.headers["Authorization"] = "Bearer " + FRONT_TOKEN
            url = server.base_url + "/events"
            for _ in range(40):
                response = session.get(url, timeout=10)
                if not response.ok:
                    errors.append(response.status_code)
                    return
                url = response.json()["_pagination"]["next"]
                if not url:
                    return

    threads = [threading.Thread(target=walker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(5):
        server.mutate(4)
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


def test_readme_documents_the_front_scale_counts():
    readme = (REPO / "sandbox" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Scales", 1)[1].split("###", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].isdigit():
            table[cells[0]] = [int(cell) for cell in cells[1:]]
    scales = ("tiny", "small", "medium") + (("large",) if os.environ.get("SANDBOX_LARGE") else ())
    for column, scale in enumerate(scales):
        counts = make_app("front", seed=1, scale=scale).scale_counts()
        assert {stream: row[column] for stream, row in table.items()} == counts, scale
