"""Changes between two syncs. Timestamps come from the real clock (never earlier than the
newest timestamp already in the data), so every change is newer than any bookmark."""
import math

from .generate import audit_entry
from .runs import query_runs_of
from .world import Run


class _Clock:
    """Strictly increasing epoch ms starting at ``max(now, newest + 1)``."""

    def __init__(self, now_ms, newest_ms):
        self.value = max(now_ms, newest_ms + 1)

    def tick(self, step=1):
        self.value += step
        return self.value


def _touch_report(report, stamp, changed):
    report.updated_at = stamp
    if report.token not in changed["reports"]:
        changed["reports"].append(report.token)


def _query_runs(world, run):
    return [query_run.token for query_run in query_runs_of(world, run)]


def mutate(world, rng, count, now_ms, hidden_space=None):
    """Apply about ``count`` changes; return ``{stream: [tokens changed or added]}``."""
    count = max(1, int(count))
    clock = _Clock(now_ms, world.newest_ms())
    changed = {"reports": [], "queries": [], "report_runs": [], "query_runs": [],
               "definitions": [], "audit_logs": []}
    live = [r for r in world.reports
            if r.kind == "Report" and r.state is None and r.space != hidden_space]

    # Runs that were pending, enqueued or running finish, the oldest first.
    unfinished = [r for r in live if r.runs and r.runs[-1].completed_at is None]
    unfinished.sort(key=lambda report: report.runs[-1].created_at)
    for report in unfinished[:max(1, count // 10)]:
        run = report.runs[-1]
        run.state = "succeeded" if rng.random() < 0.85 else "failed"
        run.completed_at = clock.tick(3)
        run.updated_at = clock.tick()
        changed["report_runs"].append(run.token)
        changed["query_runs"].extend(_query_runs(world, run))
        _touch_report(report, clock.tick(), changed)

    # Reports edited and saved.
    for report in rng.sample(live, min(len(live), math.ceil(count * 0.3))):
        report.edited_at = clock.tick()
        report.last_saved_at = clock.tick(2)
        _touch_report(report, clock.tick(), changed)

    # New manual runs; each changes its queries' last_run_id, so those are touched too. Some
    # are still running, to be finished by a later mutation.
    runnable = [r for r in live if r.queries and not (r.runs and r.runs[-1].completed_at is None)]
    for report in rng.sample(runnable, min(len(runnable), math.ceil(count * 0.3))):
        created = clock.tick()
        running = rng.random() < 0.2
        world.last_run_id += rng.randint(1, 29)
        run = Run(token=world.tokens.next(), id=world.last_run_id, report=report,
                  state="running" if running else "succeeded", created_at=created,
                  completed_at=None if running else clock.tick(5), updated_at=clock.tick(),
                  purged_at=None, parameters={}, executed_by=report.creator, scheduled=False)
        report.runs.append(run)
        world.index("run", run)
        changed["report_runs"].append(run.token)
        changed["query_runs"].extend(_query_runs(world, run))
        for query in report.queries:
            query.updated_at = clock.tick()
            changed["queries"].append(query.token)
        _touch_report(report, clock.tick(), changed)

    # A definition is edited.
    if world.definitions:
        definition = rng.choice(world.definitions)
        definition.updated_at = clock.tick()
        definition.last_saved_at = clock.tick(40)
        changed["definitions"].append(definition.token)

    # New audit log entries, appended in time order.
    for _ in range(math.ceil(count * 0.2)):
        entry = audit_entry(world, rng, clock.tick() * 1000 + rng.randint(0, 999))
        world.audit_log.append(entry)
        changed["audit_logs"].append(entry.id)

    return {stream: tokens for stream, tokens in changed.items() if tokens}
