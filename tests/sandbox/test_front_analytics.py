"""Analytics: the report and export jobs, and metrics that agree with the daily truth."""
import csv
import io

import pytest

from sandbox.front.analytics import ADDITIVE, METRIC_IDS, whole_days
from sandbox.front.ids import DAY

POLL_LIMIT = 10


@pytest.fixture
def front(sandbox):
    return sandbox("front", scale="tiny")


def run_report(http, server, body):
    created = http.post(server.base_url + "/analytics/reports", json=body)
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["status"] == "running" and report["progress"] == 0 and report["metrics"] == []
    progress = [0]
    for _ in range(POLL_LIMIT):
        report = http.get(report["_links"]["self"]).json()
        if report["status"] != "running":
            return report, progress
        progress.append(report["progress"])
    pytest.fail("report never finished")


def values(report):
    return {m["id"]: m["value"] for m in report["metrics"]}


def test_report_runs_then_matches_the_truth_for_its_day(front, front_http):
    day = front.truth()["analytics"][8]
    report, progress = run_report(front_http, front, {
        "start": day["start"], "end": day["end"], "metrics": list(METRIC_IDS)})
    assert report["status"] == "done" and report["progress"] == 100
    assert progress == sorted(progress) and len(progress) == 3 and 0 < progress[-1] < 100
    assert report["metrics"] == day["metrics"]
    types = {m["id"]: m["type"] for m in report["metrics"]}
    assert types["avg_first_response_time"] == "duration"
    assert types["pct_tagged_conversations"] == "percentage"
    assert types["num_messages_sent"] == "number"


def test_window_counts_are_the_sum_of_their_days(front, front_http):
    days = front.truth()["analytics"][3:10]
    report, _ = run_report(front_http, front, {
        "start": days[0]["start"] + 3600, "end": days[-1]["end"] - 3600, "metrics": list(ADDITIVE)})
    got = values(report)
    for metric in ADDITIVE:
        daily = sum(m["value"] for d in days for m in d["metrics"] if m["id"] == metric)
        assert got[metric] == daily, metric
    assert got["num_messages_received"] > 0


def test_filters_partition_the_counts(front, front_http):
    world = front.app.world
    start, end = world.start, world.anchor
    whole, _ = run_report(front_http, front, {"start": start, "end": end,
                                              "metrics": ["num_messages_received", "new_segments_count"]})
    parts = [run_report(front_http, front, {
        "start": start, "end": end, "metrics": ["num_messages_received", "new_segments_count"],
        "filters": {"inbox_ids": [inbox["id"]]}})[0] for inbox in world.inboxes]
    for metric in ("num_messages_received", "new_segments_count"):
        assert sum(values(p)[metric] for p in parts) == values(whole)[metric] > 0
    tagged, _ = run_report(front_http, front, {
        "start": start, "end": end, "metrics": ["new_segments_count"],
        "filters": {"tag_ids": [world.tags[0]["id"]], "inbox_ids": [world.inboxes[0]["id"]]}})
    assert values(tagged)["new_segments_count"] < values(parts[0])["new_segments_count"]


def test_reports_can_fail(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"report_fail": True, "report_polls": 0})
    report, _ = run_report(front_http, server, {"start": server.app.world.start,
                                                "end": server.app.anchor, "metrics": ["num_sla_breach"]})
    assert report["status"] == "failed" and report["metrics"] == []


@pytest.mark.parametrize("body,message", [
    ({"start": 1, "end": 2, "metrics": ["nope"]}, "unknown metrics"),
    ({"start": 1, "end": 2}, "metrics"),
    ({"end": 2, "metrics": ["num_sla_breach"]}, "start and end"),
    ({"start": 1, "end": 2, "metrics": ["num_sla_breach"], "filters": {"colour_ids": []}}, "filters"),
    ({"start": 1, "end": 2, "metrics": ["num_sla_breach"], "timezone": "Mars/Olympus"}, "timezone"),
])
def test_bad_report_requests_are_400(front_tiny, front_http, body, message):
    response = front_http.post(front_tiny.base_url + "/analytics/reports", json=body)
    assert response.status_code == 400 and message in response.json()["_error"]["message"]


def test_unknown_report_is_404(front_tiny, front_http):
    assert front_http.get(front_tiny.base_url + "/analytics/reports/abc").status_code == 404


def test_windows_round_to_whole_days():
    day = 1_790_000_000 - 1_790_000_000 % DAY
    assert whole_days(day + 5, day + 7) == (day, day + DAY)
    assert whole_days(day, day + DAY) == (day, day + DAY)
    start, end = whole_days(day + 5, day + 7, "America/New_York")
    assert end - start == DAY and (start - day) % 3600 == 0 and start != day


def test_423_fault_on_polls_means_not_ready(sandbox, front_http):
    server = sandbox("front", scale="tiny", faults="423:first=1@/analytics/reports/{id}")
    created = front_http.post(server.base_url + "/analytics/reports", json={
        "start": server.app.world.start, "end": server.app.anchor, "metrics": ["num_sla_breach"]})
    poll = front_http.get(created.json()["_links"]["self"])
    assert poll.status_code == 423 and poll.json()["_error"]["status"] == 423
    assert front_http.get(created.json()["_links"]["self"]).ok


def run_export(http, server, body):
    created = http.post(server.base_url + "/analytics/exports", json=body)
    assert created.status_code == 201, created.text
    export = created.json()
    assert export["status"] == "running" and export["id"].startswith("exp_")
    for _ in range(POLL_LIMIT):
        export = http.get(export["_links"]["self"]).json()
        if export["status"] != "running":
            return export
    pytest.fail("export never finished")


def test_export_of_messages_downloads_a_csv_of_the_window(front, front_http, http):
    truth = front.truth()
    day = truth["analytics"][5]
    export = run_export(front_http, front, {"start": day["start"], "end": day["end"], "type": "messages"})
    assert export["status"] == "done" and export["filename"].endswith(".csv")
    download = http.get(export["url"])  # a signed URL: no token
    assert download.ok and download.headers["Content-Type"] == "text/csv"
    assert export["size"] == len(download.content)
    rows = list(csv.DictReader(io.StringIO(download.text)))
    expected = {m["id"] for m in truth["messages"] if day["start"] <= m["created_at"] < day["end"]}
    assert {r["Message API ID"] for r in rows} == expected
    received = next(m["value"] for m in day["metrics"] if m["id"] == "num_messages_received")
    assert sum(r["Direction"] == "Inbound" for r in rows) == received


def test_export_of_events_with_chosen_columns(front, front_http, http):
    day = front.truth()["analytics"][5]
    export = run_export(front_http, front, {"start": day["start"], "end": day["end"], "type": "events",
                                            "columns": ["Activity API ID", "Type", "Nonsense"]})
    rows = list(csv.reader(io.StringIO(http.get(export["url"]).text)))
    assert rows[0] == ["Activity API ID", "Type", "Nonsense"]
    assert rows[1:] and all(r[0].startswith("evt_") and r[2] == "" for r in rows[1:])


def test_export_download_needs_its_signature(front, front_http, http):
    day = front.truth()["analytics"][5]
    export = run_export(front_http, front, {"start": day["start"], "end": day["end"], "type": "events"})
    assert http.get(export["url"].split("?")[0]).status_code == 403


def test_wide_exports_are_too_big_and_exports_can_fail(sandbox, front_http):
    server = sandbox("front", scale="tiny", app_options={"export_max_days": 2})
    world = server.app.world
    export = run_export(front_http, server, {"start": world.start, "end": world.start + 3 * DAY,
                                             "type": "messages"})
    assert export["status"] == "too_big"
    server.set_option("export_fail", True)
    export = run_export(front_http, server, {"start": world.start, "end": world.start + DAY,
                                             "type": "messages"})
    assert export["status"] == "failed" and "url" not in export
    bad = front_http.post(server.base_url + "/analytics/exports",
                          json={"start": world.start, "end": world.anchor, "type": "calls"})
    assert bad.status_code == 400
