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
        if "queries" in out:
            out["queries"].append(_tagged(render.query(query), report_token=token))
        if "charts" in out:
            for chart in query.charts:
                out["charts"].append(_tagged(render.chart(chart), report_token=token,
                                             query_token=query.token))
    for run in reversed(report.runs):
        if "report_runs" in out:
            out["report_runs"].append(_tagged(render.report_run(run), report_token=token))
        if "query_runs" in out:
            for query_run in query_runs_of(world, run):
                out["query_runs"].append(_tagged(render.query_run(query_run),
                                                 report_token=token, report_run_token=run.token))
    for stream, records, renderer in (
            ("report_filters", report.filters, render.report_filter),
            ("report_schedules", report.schedules, render.report_schedule),
            ("report_subscriptions", report.subscriptions, render.report_subscription)):
        if stream in out:
            out[stream].extend(_tagged(renderer(item), report_token=token) for item in records)


def build_truth(world, render, hidden_space=None, streams=None):
    """``hidden_space``: a space whose children answer 403, so a tap can reach none of them.
    ``streams``: build only these (rendering every stream of a large workspace takes seconds)."""
    wanted = [s for s in STREAMS if streams is None or s in streams]
    out = {stream: [] for stream in wanted}
    if "spaces" in out:
        out["spaces"] = [render.space(space) for space in world.spaces]
    for space in world.spaces:
        if space.token == hidden_space:
            continue
        for report in space.reports:
            if "reports" in out:
                out["reports"].append(render.report(report))
            _report_children(world, render, report, out)
        for dataset in space.datasets:
            if "datasets" in out:
                out["datasets"].append(render.report(dataset))
            if "dataset_runs" in out:
                out["dataset_runs"].extend(
                    _tagged(render.dataset_run(run), dataset_token=dataset.token)
                    for run in reversed(dataset.runs))
        if "space_memberships" in out:
            out["space_memberships"].extend(
                _tagged(render.space_membership(membership), space_token=space.token)
                for membership in space.memberships)
    flat = (("definitions", world.definitions, render.definition),
            ("data_sources", world.data_sources, render.data_source),
            ("memberships", world.users, render.membership),
            ("groups", world.groups, render.group),
            ("audit_logs", world.audit_log, render.audit_entry))
    for stream, records, renderer in flat:
        if stream in out:
            out[stream] = [renderer(record) for record in records]
    if "group_memberships" in out:
        out["group_memberships"] = [
            _tagged(render.group_membership(membership), group_token=group.token)
            for group in world.groups for membership in group.memberships]
    return out


def stream_counts(world, hidden_space=None):
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
