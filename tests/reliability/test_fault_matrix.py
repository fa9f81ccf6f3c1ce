"""Every fault the sandbox injects, for both taps.

Absorbed: a fault on every 11th request (a rate no request meets ten times in a row), or a few
stalls past the client timeout: the sync completes and equals the ground truth.
Persistent: one endpoint fails on every request after a few went through: the run exits 1 with
one last line naming the stream, the endpoint and the status, after a bounded number of
attempts, having printed a STATE from which a healthy run delivers everything that is missing.
"""
import re
import threading

import pytest

from tap_engine.http import HttpClient

from .profiles import FRONT, MODE
from .runs import last_line, retries_logged, spawn, sync
from .tables import add_row

MAX_TRIES = 10       # HttpClient's attempts per request, both taps
# Child lists are fetched on 4 workers with up to 8 submitted at once: the requests already
# under way when one of them fails for good finish their own attempts.
IN_FLIGHT = 8

ABSORBED = {
    "429": "429:every=11:retry=0.01",
    "429-bare": "429-bare:every=11",
    "429-frac": "429-frac:every=11:retry=0.02",
    "burst": "burst:every=11:retry=0.02",
    "500": "500:every=11",
    "502": "502:every=11",
    "503": "503:every=11",
    "504": "504:every=11",
    "423": {"front": "423:every=2@/analytics/*", "mode": "423:every=11"},
    "reset": "reset:every=11",
    "stall": "stall:every=40:times=2:seconds=1.5",   # request_timeout is 1 s
    "truncated": "truncated:every=11",
    "html": "html:every=11",
}

# Mode's core streams walk every kind of list its other streams do, at half the requests.
ABSORBED_STREAMS = {"front": (), "mode": MODE.core_streams}

# kind -> (endpoint, requests let through first, stream named in the error, status shown)
PERSISTENT = {
    "front": {
        "429": ("/events", 3, "events", "HTTP 429"),
        "429-bare": ("/contacts", 1, "contacts", "HTTP 429"),
        "429-frac": ("/conversations/search/{query}", 2, "conversations", "HTTP 429"),
        "burst": ("/conversations/{id}/messages", 10, "messages", "HTTP 429"),
        "500": ("/conversations/{id}/comments", 10, "comments", "HTTP 500"),
        "502": ("/contacts", 1, "contacts", "HTTP 502"),
        "503": ("/events", 3, "events", "HTTP 503"),
        "504": ("/conversations/search/{query}", 2, "conversations", "HTTP 504"),
        "423": ("/analytics/reports", 5, "analytics", "HTTP 423"),
        "reset": ("/conversations/{id}/messages", 10, "messages", "connection reset"),
        "stall": ("/contacts", 1, "contacts", "no answer in time"),
        "truncated": ("/events", 3, "events", "not JSON"),
        "html": ("/tags", 0, "tags", "HTTP 502"),
    },
    "mode": {
        "429": ("/spaces/{space}/reports", 3, "reports", "HTTP 429"),
        "429-bare": ("/reports/{report}/queries", 10, "queries", "HTTP 429"),
        "429-frac": ("/reports/{report}/runs", 10, "report_runs", "HTTP 429"),
        "burst": ("/audit_logs", 2, "audit_logs", "HTTP 429"),
        "500": ("/definitions", 0, "definitions", "HTTP 500"),
        "502": ("/groups/{group}/memberships", 1, "group_memberships", "HTTP 502"),
        "503": ("/reports/{report}/runs/{run}/query_runs", 20, "query_runs", "HTTP 503"),
        "504": ("/spaces/{space}/reports", 3, "reports", "HTTP 504"),
        "423": ("/audit_logs", 2, "audit_logs", "HTTP 423"),
        "reset": ("/reports/{report}/queries", 10, "queries", "connection reset"),
        "stall": ("/audit_logs", 2, "audit_logs", "no answer in time"),
        "truncated": ("/groups", 0, "groups", "not JSON"),
        "html": ("/reports/{report}/runs", 10, "report_runs", "HTTP 502"),
    },
}
PERSISTENT_OPTIONS = {"retry": {"429": "retry=0.01", "429-frac": "retry=0.02", "burst": "retry=0.02"},
                      "stall": "seconds=1.5"}


def _placeholders_blank(text):
    return re.sub(r"\{\w+\}", "{}", text)


def _absorbed_spec(profile, kind):
    spec = ABSORBED[kind]
    return spec[profile.name] if isinstance(spec, dict) else spec


def _persistent_spec(kind, endpoint, after):
    options = ["after={}".format(after)] if after else []
    if kind in PERSISTENT_OPTIONS["retry"]:
        options.append(PERSISTENT_OPTIONS["retry"][kind])
    if kind == "stall":
        options.append(PERSISTENT_OPTIONS["stall"])
    return ":".join([kind] + options) + "@" + endpoint


def _records_vs_truth(profile, records, truth, streams=()):
    emitted = profile.emitted_keys(records, streams or [n for n in profile.classes if n in truth])
    expected = profile.truth_keys(truth, streams)
    missing = {name: expected[name] - emitted.get(name, set()) for name in expected}
    extra = {name: emitted.get(name, set()) - expected[name] for name in expected}
    got = sum(len(expected[name] & emitted.get(name, set())) for name in expected)
    return got, sum(len(keys) for keys in expected.values()), missing, extra


def _assert_complete(profile, records, truth, streams=()):
    got, total, missing, extra = _records_vs_truth(profile, records, truth, streams)
    assert not any(missing.values()), {k: sorted(v)[:3] for k, v in missing.items() if v}
    assert not any(extra.values()), {k: sorted(v)[:3] for k, v in extra.items() if v}
    profile.assert_values(records, truth, streams)
    return "{}/{}".format(got, total)


def test_max_tries_is_what_the_bounds_assume():
    assert HttpClient("http://127.0.0.1:1").max_tries == MAX_TRIES


@pytest.mark.parametrize("kind", list(ABSORBED))
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_absorbed_faults_leave_the_output_equal_to_the_truth(profile, kind, sandbox, tmp_path):
    spec = _absorbed_spec(profile, kind)
    server = sandbox(profile, faults=spec)
    streams = ABSORBED_STREAMS[profile.name]
    run = sync(profile, tmp_path, profile.config(server), profile.catalog(streams))
    stats = server.stats()
    fired = sum(rule["fired"] for rule in server.faults.describe()["rules"])
    truth = server.truth(streams or None)
    add_row("Fault matrix, absorbed (tiny scale; Front every stream, Mode its core streams)",
            ("tap", "fault", "spec", "requests", "faults", "retries", "outcome", "records vs truth"),
            (profile.name, kind, spec, stats["total"], fired, retries_logged(run.stderr), "exit {}".format(run.code),
             "{}/{}".format(*_records_vs_truth(profile, run.records, truth, streams)[:2])))
    assert run.code == 0, last_line(run.stderr)
    assert fired > 0, "the fault never fired"
    # Every fault that reached the tap costs one retry (a stall outlasts the timeout here).
    assert retries_logged(run.stderr) >= stats["faults"]
    _assert_complete(profile, run.records, truth, streams)


def _start_persistent(profile, kind, sandbox):
    endpoint, after = PERSISTENT[profile.name][kind][:2]
    return sandbox(profile, faults=_persistent_spec(kind, endpoint, after))


def _check_failure_then_resume(profile, kind, server, failed, tmp_path):
    """The failed run's last line, its attempts at the endpoint, and a healthy run from its
    last STATE that completes the truth."""
    endpoint, after, stream, status = PERSISTENT[profile.name][kind]
    # Counted as the fault rule sees them: a stalled request is answered (and counted) late.
    attempts = server.faults.describe()["rules"][0]["seen"] - after
    line = last_line(failed.stderr)
    catalog = profile.catalog(profile.core_streams)

    server.set_faults("")
    resumed = sync(profile, tmp_path, profile.config(server), catalog, state=failed.last_state)
    truth = server.truth(profile.core_streams)
    union = {name: failed.records.get(name, []) + resumed.records.get(name, []) for name in truth}
    got, total = _records_vs_truth(profile, union, truth)[:2]
    add_row("Fault matrix, persistent (tiny scale, core streams; then a healthy run from the last STATE)",
            ("tap", "fault", "endpoint", "attempts", "retries", "exit", "last line", "resumed", "records vs truth"),
            (profile.name, kind, endpoint, attempts, retries_logged(failed.stderr), failed.code,
             line.split(": ", 1)[-1][:90], "exit {}".format(resumed.code), "{}/{}".format(got, total)))

    assert failed.code == 1
    # /events is read by events and, as their change feed, by the conversations: a first sync
    # walks both at once, and either may meet the fault first.
    readers = ("stream events", " (change feed): /events") if endpoint == "/events" else (
        "stream {}".format(stream),)
    # The tap names an endpoint by its own template, whose placeholders are the context keys.
    assert any(reader in line for reader in readers) and status in line, line
    assert _placeholders_blank(endpoint) in _placeholders_blank(line), line
    # Bounded: each request in flight gives up after MAX_TRIES attempts.
    assert MAX_TRIES <= attempts <= MAX_TRIES * IN_FLIGHT, attempts
    assert failed.states, "no STATE before the failure"
    assert resumed.code == 0, last_line(resumed.stderr)
    _assert_complete(profile, union, truth)


@pytest.mark.parametrize("kind", [kind for kind in ABSORBED if kind != "stall"])
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_persistent_fault_fails_clearly_and_the_next_run_resumes(profile, kind, sandbox, tmp_path):
    server = _start_persistent(profile, kind, sandbox)
    failed = sync(profile, tmp_path, profile.config(server), profile.catalog(profile.core_streams))
    _check_failure_then_resume(profile, kind, server, failed, tmp_path)


def test_a_persistent_stall_fails_clearly_and_the_next_run_resumes(sandbox, tmp_path):
    """The same for a request that never answers in time; MAX_TRIES timeouts are the bound
    being tested, so both taps wait them out at once, as processes."""
    servers = {profile: _start_persistent(profile, "stall", sandbox) for profile in (FRONT, MODE)}
    failed = {}

    def run(profile):
        failed[profile] = spawn(profile, tmp_path / profile.name, profile.config(servers[profile]),
                                profile.catalog(profile.core_streams))

    threads = [threading.Thread(target=run, args=(profile,)) for profile in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for profile, server in servers.items():
        _check_failure_then_resume(profile, "stall", server, failed[profile], tmp_path)
