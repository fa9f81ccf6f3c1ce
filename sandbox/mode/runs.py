"""Query runs, derived from a report run and its report's queries instead of being stored:
at large scale that saves tens of thousands of objects."""
from collections import namedtuple

from .ids import derive_token

QueryRun = namedtuple("QueryRun", "token id query run state created_at completed_at")

FINAL_STATES = ("succeeded", "failed", "cancelled")


def query_run_state(run_state, index, count):
    if run_state == "succeeded":
        return "succeeded"
    if run_state == "failed":
        return "failed" if index == count - 1 else "succeeded"
    if run_state == "cancelled":
        return "cancelled"
    if run_state == "running":
        return "running" if index == 0 else "enqueued"
    return "enqueued"


def query_run_token(world, run, query):
    return derive_token(world.salt, run.token, query.token)


def query_runs_of(world, run):
    """The query runs of a report run, in the report's query order."""
    queries = run.report.queries
    result = []
    for index, query in enumerate(queries):
        state = query_run_state(run.state, index, len(queries))
        created = run.created_at + 40 * (index + 1)
        completed = None
        if state in FINAL_STATES and run.completed_at is not None:
            completed = max(created, run.completed_at - 30 * (len(queries) - 1 - index))
        result.append(QueryRun(
            token=query_run_token(world, run, query),
            id=run.id * 8 + index, query=query, run=run, state=state,
            created_at=created, completed_at=completed))
    return result


def find_query_run(world, run, token):
    for query_run in query_runs_of(world, run):
        if query_run.token == token:
            return query_run
    return None


def last_query_run_id(query):
    """``last_run_id`` of a query: its run in the report's latest run."""
    runs = query.report.runs
    if not runs:
        return None
    return runs[-1].id * 8 + query.report.queries.index(query)


def last_successful_run(report):
    for run in reversed(report.runs):
        if run.state == "succeeded":
            return run
    return None
