"""Ground truth: every stream's records exactly as the list endpoints serve them, in the
order a full walk meets them, with parents' tokens added where the object lacks them."""
from .runs import query_runs_of

STREAMS = ("spaces", "reports", "queries", "charts", "report_runs", "query_runs",
           "report_filters", "report_schedules", "report_subscriptions", "datasets",
           "dataset_runs", "definitions", "data_sources", "memberships", "groups",
           "group_memberships", "space_memberships", "audit_logs")


def _tagged(record, **parents):
    for name, token in parents.items():
        record.setdefault(name, token)
    return record


def _report_children(world, render, report, out):
    token = report.token
    for query in report.queries:
        out["queries"].append(_tagged(render.query(query), report_token=token))
        for chart in query.charts:
            out["charts"].append(_tagged(render.chart(chart), report_token=token,
                                         query_token=query.token))
    for run in reversed(report.runs):
        out["report_runs"].append(_tagged(render.report_run(run), report_token=token))
        for query_run in query_runs_of(world, run):
            out["query_runs"].append(_tagged(render.query_run(query_run), report_token=token,
                                             report_run_token=run.token))
    for item in report.filters:
        out["report_filters"].append(_tagged(render.report_filter(item), report_token=token))
    for item in report.schedules:
        out["report_schedules"].append(_tagged(render.report_schedule(item),
                                               report_token=token))
    for item in report.subscriptions:
        out["report_subscriptions"].append(_tagged(render.report_subscription(item),
                                                   report_token=token))


def build_truth(world, render, hidden_space=None):
    """``hidden_space``: a space whose children answer 403, so a tap can reach none of them."""
    out = {stream: [] for stream in STREAMS}
    out["spaces"] = [render.space(space) for space in world.spaces]
    for space in world.spaces:
        if space.token == hidden_space:
            continue
        for report in space.reports:
            out["reports"].append(render.report(report))
            _report_children(world, render, report, out)
        for dataset in space.datasets:
            out["datasets"].append(render.report(dataset))
            for run in reversed(dataset.runs):
                out["dataset_runs"].append(_tagged(render.dataset_run(run),
                                                   dataset_token=dataset.token))
        for membership in space.memberships:
            out["space_memberships"].append(_tagged(render.space_membership(membership),
                                                    space_token=space.token))
    out["definitions"] = [render.definition(item) for item in world.definitions]
    out["data_sources"] = [render.data_source(item) for item in world.data_sources]
    out["memberships"] = [render.membership(user) for user in world.users]
    out["groups"] = [render.group(group) for group in world.groups]
    for group in world.groups:
        for membership in group.memberships:
            out["group_memberships"].append(_tagged(render.group_membership(membership),
                                                    group_token=group.token))
    out["audit_logs"] = [render.audit_entry(entry) for entry in world.audit_log]
    return out


def count_records(world, hidden_space=None):
    """Per-stream totals of ``build_truth`` without rendering anything."""
    counts = dict.fromkeys(STREAMS, 0)
    counts["spaces"] = len(world.spaces)
    for space in world.spaces:
        if space.token == hidden_space:
            continue
        counts["space_memberships"] += len(space.memberships)
        counts["datasets"] += len(space.datasets)
        counts["dataset_runs"] += sum(len(d.runs) for d in space.datasets)
        for report in space.reports:
            counts["reports"] += 1
            counts["queries"] += len(report.queries)
            counts["charts"] += sum(len(q.charts) for q in report.queries)
            counts["report_runs"] += len(report.runs)
            counts["query_runs"] += len(report.runs) * len(report.queries)
            counts["report_filters"] += len(report.filters)
            counts["report_schedules"] += len(report.schedules)
            counts["report_subscriptions"] += len(report.subscriptions)
    counts["definitions"] = len(world.definitions)
    counts["data_sources"] = len(world.data_sources)
    counts["memberships"] = len(world.users)
    counts["groups"] = len(world.groups)
    counts["group_memberships"] = sum(len(g.memberships) for g in world.groups)
    counts["audit_logs"] = len(world.audit_log)
    return counts
