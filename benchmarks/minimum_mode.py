"""The fewest requests a full sync of every Mode stream can make, from the sandbox's truth and
the end-of-list rules of `sandbox/mode/README.md`, with `per_page=30` (Mode's cap):

- a page-numbered list offers `_links.next_page` exactly when a page is full, so it ends on
  its first short page, or on an empty page after a full last one;
- the lists that ignore `page` (`/spaces`, `/data_sources`, `/groups`) always offer
  `next_page`, but a first page that is not exactly 30 long already shows it is the whole
  list (a paged list never offers more after a short page, nor serves more than 30); only a
  list of exactly 30 needs the second, identical page;
- report and dataset runs carry real `pagination` totals: no page past the end;
- audit logs are one window over the whole history, its `next_token` null on the last page.

Each parent list is read once and each child list once per parent record: a record's counters
(`runs_count`, `query_count`, ...) are not taken as proof that a list is empty."""
import collections
import math

PER_PAGE = 30
UNPAGED = ("/spaces", "/data_sources", "/groups")


def paged_pages(count):
    return count // PER_PAGE + 1


def unpaged_pages(count):
    return 2 if count == PER_PAGE else 1


def total_pages(count):
    return max(1, math.ceil(count / PER_PAGE))


def _children(truth, stream, parent_field, parents):
    per_parent = collections.Counter(record[parent_field] for record in truth[stream])
    return sum(paged_pages(per_parent[token]) for token in parents)


def minimum_requests(truth):
    """Per endpoint template, the requests of a full sync of every stream."""
    spaces = [s["token"] for s in truth["spaces"]]
    reports = [r["token"] for r in truth["reports"]]
    queries = [q["token"] for q in truth["queries"]]
    report_runs = [r["token"] for r in truth["report_runs"]]
    datasets = [d["token"] for d in truth["datasets"]]
    groups = [g["token"] for g in truth["groups"]]
    runs_per_report = collections.Counter(r["report_token"] for r in truth["report_runs"])
    runs_per_dataset = collections.Counter(r["dataset_token"] for r in truth["dataset_runs"])
    out = {
        "/spaces": unpaged_pages(len(spaces)),
        "/data_sources": unpaged_pages(len(truth["data_sources"])),
        "/groups": unpaged_pages(len(groups)),
        "/definitions": paged_pages(len(truth["definitions"])),
        "/memberships": paged_pages(len(truth["memberships"])),
        "/spaces/{space}/reports": _children(truth, "reports", "space_token", spaces),
        "/spaces/{space}/datasets": _children(truth, "datasets", "space_token", spaces),
        "/spaces/{space}/memberships": _children(truth, "space_memberships", "space_token", spaces),
        "/reports/{report}/queries": _children(truth, "queries", "report_token", reports),
        "/reports/{report}/filters": _children(truth, "report_filters", "report_token", reports),
        "/reports/{report}/schedules": _children(truth, "report_schedules", "report_token", reports),
        "/reports/{report}/subscriptions": _children(truth, "report_subscriptions", "report_token", reports),
        "/reports/{report}/queries/{query}/charts": _children(truth, "charts", "query_token", queries),
        "/reports/{report}/runs": sum(total_pages(runs_per_report[r]) for r in reports),
        "/reports/{report}/runs/{run}/query_runs": _children(truth, "query_runs", "report_run_token", report_runs),
        "/datasets/{dataset}/runs": sum(total_pages(runs_per_dataset[d]) for d in datasets),
        "/groups/{group}/memberships": _children(truth, "group_memberships", "group_token", groups),
        "/audit_logs": total_pages(len(truth["audit_logs"])),
    }
    return out


def for_server(server):
    return minimum_requests(server.truth())
