"""Killed containers: each tap, run as a process, is SIGKILLed at a seeded random API request,
restarted from the last STATE it printed, killed again, and so on until a run finishes (a
chain). The records printed by each chain hold every ground-truth record; what a restart
prints again is measured against what the killed run printed after its last STATE.

A restart may print again, by design:
- tail: records a killed run printed after its last STATE (the page or window it was in);
- full table: FULL_TABLE streams have no bookmark, and a resumed run goes on from the stream
  it was in, then syncs the streams before it again: those are read from their beginning;
- incremental by design: what any incremental run from that state reads again: Front records
  at or after the bookmark (less the configured overlap), e.g. a conversation active on both
  sides of a search window's end with its messages, comments, inboxes and followers, a contact
  with its notes, or the analytics day still in
  progress (the lookback window is 0 here, so it adds no re-reads of its own); Mode's lists it
  cannot filter, whose bookmark is committed once the whole list is walked (the state holds
  the walk in progress), and runs the state lists as pending (read until they are final).
- in flight: with root streams synced at once (tap-front), records of a page whose own STATE
  had not come yet, though another root's STATE had (see `ProcessRun.in_flight`).
Anything else printed twice is progress lost, and fails the test.
"""
import json
import random
from dataclasses import dataclass

import pytest

from tap_engine.timefmt import parse_utc
from tests.support.killer import KillSwitch

from .profiles import FRONT, MODE
from .runs import last_line, spawn
from .tables import add_row

KILLS = 20
SEED = 20261122

CASES = {
    # (profile, streams, config, app options, kills land within this share of a sync's requests)
    # Front: every stream, reports done at their first poll (polling is not what is tested);
    # its checkpoints are close together, so kills early in each run still move the chain on.
    "front": (FRONT, (), {"lookback_window": 0}, {"report_polls": 0}, 0.5),
    # Mode: the streams of every kind of walk; audit logs in yearly windows (fewer requests).
    # A group of spaces is one checkpoint, most of a tiny sync: kills range over all of it.
    "mode": (MODE, MODE.core_streams, {"audit_logs_window_days": 400, "max_workers": 2}, {}, 1.0),
}


@dataclass
class Restart:
    at: int             # the API request the killed run died at
    stream: str         # the stream its last STATE says it was in
    printed: int        # records it printed
    tail: int           # of those, after its last STATE
    started: str = ""   # the state it started from (with `at`: the kill point)
    again: int = 0      # records the next run printed that the chain had printed before
    in_tail: int = 0
    full_table: int = 0
    by_design: int = 0
    in_flight: int = 0
    unexplained: tuple = ()   # (stream, key) of the records counted in `other`

    @property
    def other(self):
        return self.again - self.in_tail - self.full_table - self.by_design - self.in_flight


def _instant(text):
    return parse_utc(text).timestamp() if text else None


def _reread_by_design(profile, stream, record, state, config, updated_of):
    """Whether any incremental run from `state` reads this record (see the module docstring)."""
    bookmark = ((state or {}).get("bookmarks") or {}).get(stream) or {}
    if profile is MODE:
        if bookmark.get("progress"):
            return True
        waiting = {token for tokens in (bookmark.get("pending") or {}).values() for token in tokens}
        return record.get("report_run_token" if stream == "query_runs" else "token") in waiting
    if stream == "analytics":
        end = _instant(bookmark.get("end_time"))
        return end is not None and _instant(record["start_time"]) >= end - end % 86400
    cursor = _instant(bookmark.get("updated_at"))
    if cursor is None:
        return False
    since = cursor - config.get("overlap_seconds", 60)
    if stream in ("contacts", "conversations"):
        return _instant(record.get("updated_at")) >= since
    if stream in ("messages", "comments", "conversation_inboxes", "conversation_followers"):
        return updated_of.get(record["conversation_id"], cursor) >= since
    if stream == "contact_notes":
        return updated_of.get(record["contact_id"], cursor) >= since
    return False


class Chain:
    """One chain of runs; `printed` is what it delivered, `restarts` what each kill cost."""

    def __init__(self, profile, config):
        self.profile = profile
        self.config = config
        self.state = None
        self.printed = {}        # (stream, key) -> record
        self.uncommitted = set()  # printed after a killed run's last STATE, not printed since
        self.in_flight = set()    # printed after the last STATE of their own tree, not printed since
        self.restarts = []
        self.runs = 0

    def account(self, run, at):
        """Fold one run's output in; a killed run (at request `at`) adds a Restart, which the
        next run's output completes."""
        self.runs += 1
        profile, classes = self.profile, self.profile.classes
        records = [((s, profile.key_of(s, r)), r, after) for s, r, after in run.printed()]
        updated_of = {r["id"]: _instant(r.get("updated_at")) for (s, _), r, _ in records
                      if s in ("conversations", "contacts")}
        if self.runs > 1:
            restart = self.restarts[-1]
            for item, record, _ in records:
                if item not in self.printed:
                    continue
                restart.again += 1
                if item in self.uncommitted:
                    restart.in_tail += 1
                elif classes[item[0]].replication_method == "FULL_TABLE":
                    restart.full_table += 1
                elif _reread_by_design(profile, item[0], record, self.state, self.config, updated_of):
                    restart.by_design += 1
                elif item in self.in_flight:
                    restart.in_flight += 1
                else:
                    restart.unexplained += (item,)
        printed_now = {item for item, _, _ in records}
        self.printed.update((item, record) for item, record, _ in records)
        if run.killed:
            tail = {item for item, _, after in records if after}
            self.uncommitted = (self.uncommitted - printed_now) | tail
            flying = {records[n][0] for n in run.in_flight(profile.tree_of(self.state))} if profile.parallel_roots else set()
            self.in_flight = (self.in_flight - printed_now) | (flying - tail)
            stream = (run.last_state or self.state or {}).get("currently_syncing") or "-"
            self.restarts.append(Restart(at, stream, len(records), len(tail), _fingerprint(self.state)))
            self.state = run.last_state or self.state


def _fingerprint(state):
    return json.dumps(state, sort_keys=True)


def _run_chains(profile, server, tmp_path, config, catalog, rng, max_at):
    """Chains until KILLS kills, each run to its end. A kill point (the state a run starts
    from, the request it dies at) is never used twice."""
    switch = KillSwitch(server)
    chains, kills, tried = [], 0, set()
    while kills < KILLS:
        chain = Chain(profile, config)
        chains.append(chain)
        while True:
            at = None
            while kills < KILLS and (at is None or (_fingerprint(chain.state), at) in tried):
                at = rng.randint(1, max_at)   # a point not met before: same state, other request
            tried.add((_fingerprint(chain.state), at))
            run = spawn(profile, tmp_path, config, catalog, chain.state, switch=switch, kill_at=at)
            chain.account(run, at)
            if not run.killed:
                assert run.code == 0, last_line(run.stderr)
                break
            assert run.code < 0 and "Traceback" not in run.stderr, run.stderr[-500:]
            kills += 1
    return chains


@pytest.mark.parametrize("name", list(CASES))
def test_killed_runs_resume_from_their_last_state_and_lose_nothing(name, sandbox, tmp_path):
    profile, streams, overrides, app_options, share = CASES[name]
    server = sandbox(profile, app_options=app_options)
    config, catalog = profile.config(server, **overrides), profile.catalog(streams)
    # An uninterrupted run: how many requests a whole sync takes, so kills land all over it.
    whole = spawn(profile, tmp_path, config, catalog)
    assert whole.code == 0, last_line(whole.stderr)
    requests = server.stats()["total"]

    rng = random.Random("{}:{}".format(SEED, name))
    chains = _run_chains(profile, server, tmp_path, config, catalog, rng, max(KILLS, int(requests * share)))

    truth = server.truth(streams or None)
    expected = profile.truth_keys(truth, streams)
    title = "Kill and resume: {} (tiny scale, SIGKILL at a seeded random request of {})".format(name, requests)
    columns = ("chain", "killed at request", "in stream", "printed", "after last STATE", "printed again",
               "tail", "full table", "incremental by design", "in flight", "other")
    restarts = [r for chain in chains for r in chain.restarts]
    points = {(r.started, r.at) for r in restarts}
    for number, chain in enumerate(chains, 1):
        for r in chain.restarts:
            add_row(title, columns, (number, r.at, r.stream, r.printed, r.tail, r.again, r.in_tail,
                                     r.full_table, r.by_design, r.in_flight, r.other))
        union = {}
        for (stream, _), record in chain.printed.items():
            union.setdefault(stream, []).append(record)
        emitted = profile.emitted_keys(union, list(expected))
        missing = {s: sorted(expected[s] - emitted[s])[:3] for s in expected if expected[s] - emitted[s]}
        assert not missing, "chain {} lost records: {}".format(number, missing)
        profile.assert_values(union, truth, streams)
    add_row("Kill and resume: summary",
            ("tap", "requests per sync", "chains", "runs", "kills", "distinct points", "streams killed in",
             "records vs truth (each chain)", "printed again: tail/full table/by design/in flight/other"),
            (name, requests, len(chains), sum(c.runs for c in chains), len(restarts), len(points),
             len({r.stream for r in restarts}), "{0}/{0}".format(sum(len(v) for v in expected.values())),
             "/".join(str(sum(getattr(r, f) for r in restarts))
                      for f in ("in_tail", "full_table", "by_design", "in_flight", "other"))))

    assert len(restarts) >= KILLS and len(points) >= KILLS
    lost_progress = [(r.at, r.stream, r.unexplained[:5]) for r in restarts if r.other]
    assert not lost_progress, lost_progress
