"""Requests a walk needs, computed from the sandbox's truth alone: the fewest a tap can send
while honouring Mode's paging facts (pages of 30; a page-numbered list ends only on an empty
or repeated page; run lists carry real totals; audit logs end when no cursor comes back)."""
import collections
import datetime
import math

PER_PAGE = 30


def list_pages(count, unpaged=False):
    if count == 0:
        return 1
    if unpaged:
        return 2  # the second page repeats the first
    return count // PER_PAGE + 1  # a full last page links to an empty one


def run_pages(count):
    return max(1, math.ceil(count / PER_PAGE))


def audit_pages(count):
    return max(1, math.ceil(count / PER_PAGE))


def _count(records, field):
    return collections.Counter(record[field] for record in records)


def _parse(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def audit_windows(timestamps, start, end, days):
    """Pages per [low, high) window from `start` to `end`, as the tap cuts them."""
    step = datetime.timedelta(days=days)
    stamps = sorted(_parse(t) for t in timestamps)
    low, pages = start, 0
    while True:
        high = min(low + step, end)
        pages += audit_pages(sum(1 for t in stamps if low <= t < high))
        if high >= end:
            return pages
        low = high


def report_part_requests(truth, report_tokens, saved_tokens=None):
    """Requests for the parts of these reports (queries, charts, filters, schedules,
    subscriptions), one walk of each list. Charts and filters change only when a report is
    saved: they are read for `saved_tokens` (default: the same reports)."""
    tokens = set(report_tokens)
    saved = tokens if saved_tokens is None else set(saved_tokens)
    charts = _count(truth["charts"], "query_token")
    out = {"/reports/{report}/queries/{query}/charts": sum(
        list_pages(charts[q["token"]]) for q in truth["queries"] if q["report_token"] in saved)}
    for stream, endpoint, reports in (("queries", "/reports/{report}/queries", tokens),
                                      ("report_filters", "/reports/{report}/filters", saved),
                                      ("report_schedules", "/reports/{report}/schedules", tokens),
                                      ("report_subscriptions", "/reports/{report}/subscriptions", tokens)):
        per_report = _count(truth[stream], "report_token")
        out[endpoint] = sum(list_pages(per_report[t]) for t in reports)
    return out


def full_sync_requests(truth, unpaged, audit_start, audit_end, window_days):
    """Per endpoint template, the requests of a full sync of every stream."""
    def flat(name, endpoint):
        return list_pages(len(truth[name]), endpoint in unpaged)

    spaces = [s["token"] for s in truth["spaces"]]
    reports = [r["token"] for r in truth["reports"]]
    datasets = [d["token"] for d in truth["datasets"]]
    groups = [g["token"] for g in truth["groups"]]
    per = {name: _count(truth[name], field) for name, field in (
        ("reports", "space_token"), ("datasets", "space_token"), ("space_memberships", "space_token"),
        ("report_runs", "report_token"), ("query_runs", "report_run_token"),
        ("dataset_runs", "dataset_token"), ("group_memberships", "group_token"))}
    out = {
        # One more /spaces call: the client verifies the credentials on entry.
        "/spaces": flat("spaces", "/spaces") + 1,
        "/spaces/{space}/reports": sum(list_pages(per["reports"][s]) for s in spaces),
        "/spaces/{space}/datasets": sum(list_pages(per["datasets"][s]) for s in spaces),
        "/spaces/{space}/memberships": sum(list_pages(per["space_memberships"][s]) for s in spaces),
        "/reports/{report}/runs": sum(run_pages(per["report_runs"][r]) for r in reports),
        "/reports/{report}/runs/{run}/query_runs": sum(
            list_pages(per["query_runs"][run["token"]]) for run in truth["report_runs"]),
        "/datasets/{dataset}/runs": sum(run_pages(per["dataset_runs"][d]) for d in datasets),
        "/definitions": flat("definitions", "/definitions"),
        "/data_sources": flat("data_sources", "/data_sources"),
        "/memberships": flat("memberships", "/memberships"),
        "/groups": flat("groups", "/groups"),
        "/groups/{group}/memberships": sum(list_pages(per["group_memberships"][g]) for g in groups),
        "/audit_logs": audit_windows([e["timestamp"] for e in truth["audit_logs"]], audit_start, audit_end,
                                     window_days),
    }
    out.update(report_part_requests(truth, reports))
    return out
