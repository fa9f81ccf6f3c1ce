"""The Mode simulator's data, truth, mutation, options and routing, called directly."""
import base64
import json
import re
import time
from pathlib import Path

import pytest

from sandbox.app import Request
from sandbox.mode import ModeApp
from sandbox.mode.timefmt import parse_iso_ms
from sandbox.mode.truth import STREAMS

VOLATILE = ("web_preview_image", "flamingo_signature")
TOKEN = re.compile(r"^[0-9a-f]{12}$")
ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ANCHOR_MS = parse_iso_ms("2026-10-01T00:00:00Z")
PARENTS = {
    "reports": ("space_token",), "datasets": ("space_token",),
    "queries": ("report_token",), "report_filters": ("report_token",),
    "report_schedules": ("report_token",), "report_subscriptions": ("report_token",),
    "report_runs": ("report_token",), "charts": ("report_token", "query_token"),
    "query_runs": ("report_token", "report_run_token"), "dataset_runs": ("dataset_token",),
    "group_memberships": ("group_token",), "space_memberships": ("space_token",),
}


@pytest.fixture(scope="module")
def tiny():
    """Read-only: tests that change the app build their own."""
    return ModeApp(seed=1, scale="tiny")


def call(app, path, accept="application/hal+json", **query):
    headers = {"authorization": "Basic " + base64.b64encode(b"sandbox-token:sandbox-secret").decode(),
               "accept": accept}
    response = app.handle(Request("GET", path, {k: [str(v)] for k, v in query.items()}, headers))
    return response.status, json.loads(response.body) if response.body else None


def stable(records):
    return [{k: v for k, v in record.items() if k not in VOLATILE} for record in records]


def timestamps(value, key=""):
    """Every (key, value) pair below ``value`` whose key names a moment."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from timestamps(inner, name)
    elif isinstance(value, list):
        for inner in value:
            yield from timestamps(inner, key)
    elif isinstance(value, str) and (key.endswith("_at") or key in (
            "timestamp", "last_scheduled_run", "next_scheduled_run")):
        yield key, value


# -- generation -----------------------------------------------------------------------------
def test_same_seed_same_data_other_seed_other_data(tiny):
    again = ModeApp(seed=1, scale="tiny").truth()
    truth = tiny.truth()
    for stream in STREAMS:
        assert stable(again[stream]) == stable(truth[stream]), stream
    other = ModeApp(seed=2, scale="tiny").truth()
    assert [r["token"] for r in other["reports"]] != [r["token"] for r in truth["reports"]]


@pytest.mark.parametrize("scale", ["tiny", "small"])
def test_scale_counts_match_truth(scale):
    app = ModeApp(seed=1, scale=scale)
    truth = app.truth()
    assert set(truth) == set(STREAMS)
    assert app.scale_counts() == {stream: len(records) for stream, records in truth.items()}


def test_readme_documents_the_scale_counts():
    readme = (Path(__file__).resolve().parents[2] / "sandbox" / "mode" / "README.md").read_text()
    table = {}
    for line in readme.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in STREAMS:
            table[cells[0]] = [int(cell) for cell in cells[1:]]
    assert set(table) == set(STREAMS)
    for column, scale in enumerate(("tiny", "small", "medium", "large")):
        counts = ModeApp(seed=1, scale=scale).scale_counts()
        assert {stream: row[column] for stream, row in table.items()} == counts, scale


def test_tiny_has_the_shapes_a_tap_must_page_through(tiny):
    truth = tiny.truth()
    marks = tiny.landmarks
    per_space = [r for r in truth["reports"] if r["space_token"] == marks.crowded_space]
    assert len(per_space) > 30
    assert sum(1 for r in truth["report_runs"] if r["report_token"] == marks.busy_report) > 30
    assert not any(r["space_token"] == marks.empty_space for r in truth["reports"])
    assert not any(q["report_token"] == marks.report_without_queries for q in truth["queries"])
    assert not any(c["query_token"] == marks.query_without_charts for c in truth["charts"])
    assert {r["state"] for r in truth["reports"] if r["token"] in marks.soft_deleted_reports} == {
        "soft_deleted"}
    assert any(r["state"] in ("pending", "enqueued", "running") for r in truth["report_runs"])
    assert len(truth["audit_logs"]) > 30


def test_all_data_precedes_the_anchor_and_the_anchor_is_an_option(tiny):
    for stream, records in tiny.truth().items():
        for key, value in timestamps(records):
            if key == "next_scheduled_run":
                continue         # a schedule's next run lies in the future by nature
            assert parse_iso_ms(value) < ANCHOR_MS, (stream, key, value)
    earlier = ModeApp(seed=1, scale="tiny", anchor="2024-03-01T00:00:00Z").truth()
    newest = max(parse_iso_ms(r["updated_at"]) for r in earlier["reports"])
    assert newest < parse_iso_ms("2024-03-01T00:00:00Z")


def test_timestamp_styles(tiny):
    truth = tiny.truth()
    for stream, records in truth.items():
        for key, value in timestamps(records):
            if stream == "audit_logs":
                assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", value)
            elif key in ("last_scheduled_run", "next_scheduled_run"):
                assert value.endswith(".000+00:00"), value
            else:
                assert ISO_MS_Z.match(value), (stream, key, value)


def test_tokens_ids_and_counters(tiny):
    truth = tiny.truth()
    for stream, records in truth.items():
        if stream in ("memberships", "audit_logs"):
            continue     # keyed by member_token / a UUID
        keys = [record["token"] for record in records]
        assert all(TOKEN.match(key) for key in keys), stream
        assert len(keys) == len(set(keys)), stream
    for report in truth["reports"]:
        assert isinstance(report["id"], int)
        for counter in ("query_count", "chart_count", "runs_count", "schedules_count"):
            assert isinstance(report[counter], int)
    assert all("viewable?" in space for space in truth["spaces"])


def test_child_records_carry_existing_parent_tokens(tiny):
    truth = tiny.truth()
    known = {
        "space_token": {s["token"] for s in truth["spaces"]},
        "report_token": {r["token"] for r in truth["reports"]},
        "query_token": {q["token"] for q in truth["queries"]},
        "report_run_token": {r["token"] for r in truth["report_runs"]},
        "dataset_token": {d["token"] for d in truth["datasets"]},
        "group_token": {g["token"] for g in truth["groups"]},
    }
    for stream, parents in PARENTS.items():
        for record in truth[stream]:
            for parent in parents:
                assert record[parent] in known[parent], (stream, parent)


def test_truth_records_are_the_list_endpoint_objects(tiny):
    truth = tiny.truth()
    space = tiny.landmarks.crowded_space
    status, body = call(tiny, f"/api/acme/spaces/{space}/reports")
    assert status == 200
    listed = stable(body["_embedded"]["reports"])
    assert listed == stable([r for r in truth["reports"] if r["space_token"] == space][:30])
    report = tiny.landmarks.busy_report
    _, body = call(tiny, f"/api/acme/reports/{report}/runs")
    expected = [dict(r) for r in truth["report_runs"] if r["report_token"] == report][:30]
    for record in expected:
        record.pop("report_token")
    assert body["_embedded"]["report_runs"] == expected
    assert truth["reports"][0]["_forms"] and truth["reports"][0]["_links"]


def test_truth_can_be_limited_to_some_streams(tiny):
    partial = tiny.truth(["reports", "audit_logs"])
    assert set(partial) == {"reports", "audit_logs"}
    assert stable(partial["reports"]) == stable(tiny.truth()["reports"])


# -- mutation -------------------------------------------------------------------------------
def test_mutate_changes_truth_with_fresh_timestamps():
    app = ModeApp(seed=1, scale="tiny")
    before = app.truth()
    newest_before = max(value for _, value in timestamps(before["reports"]))
    called_at = int(time.time() * 1000)
    changed = app.mutate(10)
    after = app.truth()
    assert changed["reports"] and changed["report_runs"] and changed["audit_logs"]
    reports = {r["token"]: r for r in after["reports"]}
    for token in changed["reports"]:
        report = reports[token]
        assert report["updated_at"] > newest_before
        assert parse_iso_ms(report["updated_at"]) >= called_at     # from the real clock
        assert stable([report]) != stable([r for r in before["reports"] if r["token"] == token])
    runs = {r["token"]: r for r in after["report_runs"]}
    assert all(token in runs for token in changed["report_runs"])
    assert all(runs[token]["updated_at"] > newest_before for token in changed["report_runs"])
    query_runs = {q["token"] for q in after["query_runs"]}
    assert set(changed["query_runs"]) <= query_runs
    edited = {d["token"]: d for d in after["definitions"]}[changed["definitions"][0]]
    assert edited["updated_at"] > newest_before
    logs = after["audit_logs"]
    assert [entry["id"] for entry in logs[-len(changed["audit_logs"]):]] == changed["audit_logs"]
    again = app.mutate(3)
    latest = {r["token"]: r for r in app.truth()["reports"]}
    assert min(latest[t]["updated_at"] for t in again["reports"]) > max(
        reports[t]["updated_at"] for t in changed["reports"])


def test_mutate_finishes_runs_that_were_in_progress():
    app = ModeApp(seed=1, scale="tiny")
    unfinished = {r["token"] for r in app.truth()["report_runs"]
                  if r["state"] in ("pending", "enqueued", "running")}
    assert unfinished
    changed = set()
    for _ in range(len(unfinished)):
        changed |= set(app.mutate(10)["report_runs"])
    assert unfinished <= changed
    states = {r["token"]: r["state"] for r in app.truth()["report_runs"]}
    assert {states[token] for token in unfinished} <= {"succeeded", "failed"}


def test_mutate_keeps_away_from_a_deleted_space():
    app = ModeApp(seed=1, scale="tiny", deleted_space=True)
    hidden = {r["token"] for r in ModeApp(seed=1, scale="tiny").truth()["reports"]
              if r["space_token"] == app.deleted_space}
    assert hidden
    for _ in range(5):
        assert not hidden & set(app.mutate(20).get("reports", []))


# -- options --------------------------------------------------------------------------------
def test_unknown_options_raise_key_error_and_bad_values_value_error():
    with pytest.raises(KeyError):
        ModeApp(seed=1, scale="tiny", colour="blue")
    app = ModeApp(seed=1, scale="tiny")
    with pytest.raises(KeyError):
        app.set_option("colour", "blue")
    with pytest.raises(ValueError):
        app.set_option("token_type", "robot")
    with pytest.raises(ValueError):
        app.set_option("deleted_space", "ffffffffffff")
    assert app.deleted_space is None and app.setting("deleted_space") is None
    with pytest.raises(ValueError):
        ModeApp(seed=1, scale="huge")


def test_credentials_and_workspace_are_options():
    app = ModeApp(seed=1, scale="tiny", workspace="globex", token="t0k", secret="s3cr3t")
    headers = {"authorization": "Basic " + base64.b64encode(b"t0k:s3cr3t").decode()}
    response = app.handle(Request("GET", "/api/globex/data_sources", {}, headers))
    assert response.status == 200
    assert json.loads(response.body)["_links"]["self"]["href"] == "/api/globex/data_sources"
    assert app.handle(Request("GET", "/api/acme/data_sources", {}, headers)).status == 404
    assert call(app, "/api/globex/data_sources")[0] == 401


def test_member_tokens_see_their_spaces_and_their_account():
    app = ModeApp(seed=1, scale="tiny", token_type="member")
    status, body = call(app, "/api/acme/spaces")
    assert status == 200 and len(body["_embedded"]["spaces"]) == 2
    status, account = call(app, "/api/account")
    assert status == 200 and account["user"] is True


def test_only_reads_are_served():
    app = ModeApp(seed=1, scale="tiny")
    headers = {"authorization": "Basic " + base64.b64encode(b"sandbox-token:sandbox-secret").decode()}
    response = app.handle(Request("POST", "/api/acme/reports/abc/runs", {}, headers))
    assert response.status == 405


# -- routing --------------------------------------------------------------------------------
@pytest.mark.parametrize("path, template", [
    ("/api/verify", "/api/verify"),
    ("/api/account", "/api/account"),
    ("/api/acme/spaces", "/spaces"),
    ("/api/acme/collections", "/spaces"),
    ("/api/acme/collections/abc123abc123/reports", "/spaces/{space}/reports"),
    ("/api/acme/spaces/abc123abc123/datasets", "/spaces/{space}/datasets"),
    ("/api/acme/data_sources/abc123abc123/reports", "/data_sources/{data_source}/reports"),
    ("/api/acme/reports/abc123abc123", "/reports/{report}"),
    ("/api/acme/reports/abc123abc123/runs/", "/reports/{report}/runs"),
    ("/api/acme/reports/a/runs/b/query_runs", "/reports/{report}/runs/{run}/query_runs"),
    ("/api/acme/reports/a/runs/b/query_runs/c/results/content.csv",
     "/reports/{report}/runs/{run}/query_runs/{query_run}/results/content.csv"),
    ("/api/acme/reports/a/queries/b/charts", "/reports/{report}/queries/{query}/charts"),
    ("/api/acme/datasets/a/runs", "/datasets/{dataset}/runs"),
    ("/api/acme/memberships/lite", "/memberships/lite"),
    ("/api/acme/groups/a/memberships", "/groups/{group}/memberships"),
    ("/api/acme/audit_logs", "/audit_logs"),
    ("/api/acme/nothing/here", "(unmatched)"),
    ("/elsewhere", "(unmatched)"),
])
def test_endpoint_of_names_the_path_template(tiny, path, template):
    assert tiny.endpoint_of(Request("GET", path, {}, {})) == template


def test_every_template_is_routed(tiny):
    templates = tiny.endpoint_templates()
    assert len(templates) == len(set(templates))
    for template in templates:
        if template.startswith("/api/"):
            continue
        path = "/api/acme" + re.sub(r"\{\w+\}", "abc123abc123", template)
        assert tiny.endpoint_of(Request("GET", path, {}, {})) == template
