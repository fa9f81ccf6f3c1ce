"""The Mage contract, as observed (../shared/mage/FACTS.md), held against both taps.

The source is the hand-off file `sample_configs/mage/source.py`, installed as a user installs
it and run by Mage's Python; Mage's own functions (registry mage-ai 0.9.80) find it, import
it, discover it, test its connection, load its sample data and read its logs; what only
Mage's integration runtime does (the destination's STATE handling, the state copy between
runs, the command lines of each pipeline style) is reproduced in mage.py, which says where
each piece comes from.

- Every stream of both taps, each in a process of its own, in three ways Mage runs a source
  (an integration pipeline with `--settings`, `--state FILE` and `--query_json` with null
  dates, `_offset` and `_limit`; the same on an @daily trigger; a batch pipeline with
  `--catalog FILE` and `--state_json`): a first run delivers the truth; its STATEs name only
  the stream; no bookmark key disappears; a second run from the state Mage saved (the shallow
  merge of the first run's STATEs, `currently_syncing` dropped) brings every change and
  nothing else (mage_contract.py).
- Runs SIGKILLed and resumed from the merged state lose nothing.
- Mage's log reader takes every LOG line of every run; an error fails the block with the
  tap's message.
- A state saved by Mage from earlier versions of tap-mode (keys since retired) syncs right.
"""
import json
import random
import time

import pytest

from demo.sandboxes import Sandbox
from tests.support.killer import KillSwitch

from .mage import (
    BatchPipeline,
    Destination,
    IntegrationPipeline,
    Mage,
    MageError,
    copy_state,
    merged_bookmarks,
    read_lines,
)
from .mage_contract import (
    PROFILES,
    STREAMS,
    STYLES,
    TAP_SETTINGS,
    SweepCache,
    pages_per_parent,
    select_every_stream,
)
from .postgres import free_port

APPS = ("front", "mode")
SECRET_KEYS = {"front": ("token",), "mode": ("access_token", "password")}
SWEEP_CASES = [(app, style, stream) for app in APPS for style in STYLES for stream in STREAMS[app]]


def sweep_id(case):
    return "-".join(case)


# -- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mage(mage_ai, tmp_path_factory):
    return Mage(mage_ai, tmp_path_factory.mktemp("mage"))


@pytest.fixture(scope="module")
def sandboxes():
    servers = {app: Sandbox(app, scale="tiny").start() for app in APPS}
    yield servers
    for server in servers.values():
        server.stop()


class RealMage:
    """The answers of Mage's own functions for both taps, asked in one process of Mage's
    Python (importing Mage's block utilities takes some seconds)."""

    def __init__(self, mage, sandboxes, folder):
        self.configs = {app: sandboxes[app].tap_config() for app in APPS}
        jobs, self.index = [], {}

        def ask(name, app, job):
            self.index[name, app] = len(jobs)
            jobs.append(job)

        for app in APPS:
            # Mage imports the source in its own process with its own argv: were that a sync's
            # flags, a source file running the tap on import would sync right there.
            flags = ["--config_json", json.dumps(self.configs[app]), "--log_to_stdout", "1"]
            ask("locate", app, mage.locate_job(app, flags))
        imports = len(jobs)
        unreachable = "http://127.0.0.1:{}".format(free_port())
        for app in APPS:
            config = self.configs[app]
            ask("discover", app, mage.discover_job(app, config))
            ask("discover_streams", app, mage.discover_streams_job(app, config))
            ask("discover_some", app, mage.discover_job(app, config, self.some_streams(app)))
            ask("connection", app, mage.test_connection_job(app, config))
            ask("bad_connection", app, mage.test_connection_job(app, bad_config(app, config)))
            ask("unreachable", app, mage.test_connection_job(app, dict(config, base_url=unreachable)))
        for app in APPS:
            sandboxes[app].reset_stats()
        try:   # the imports alone first: nothing else ran before
            self.results = mage.call(jobs[:imports])
        except MageError as error:   # the source replaced or ended Mage's process
            self.results = [{"error": str(error)} for _ in range(imports)]
        self.requests_after_import = {app: sandboxes[app].stats()["total"] for app in APPS}
        self.results += mage.call(jobs[imports:])
        # Sample data needs a catalog file, from Mage's discovery, every stream selected.
        self.catalogs = {app: select_every_stream(self.get("discover", app)["catalog"]) for app in APPS}
        sample_jobs = []
        for app in APPS:
            path = folder / "{}-catalog.json".format(app)
            path.write_text(json.dumps(self.catalogs[app]))
            sample_jobs.append(mage.sample_data_job(app, self.configs[app], path, self.sample_streams(app)))
        samples = mage.call(sample_jobs)
        self.samples = dict(zip(APPS, samples))

    @staticmethod
    def some_streams(app):
        return {"front": ["tags", "messages"], "mode": ["spaces", "query_runs"]}[app]

    @staticmethod
    def sample_streams(app):
        # A plain list and a child list: their first page (windowed streams may start empty).
        return {"front": ["tags", "messages"], "mode": ["groups", "queries"]}[app]

    def get(self, name, app):
        return self.results[self.index[name, app]]


def bad_config(app, config):
    return dict(config, **{key: "wrong-" + key for key in SECRET_KEYS[app]})


@pytest.fixture(scope="module")
def real_mage(mage, sandboxes, tmp_path_factory):
    return RealMage(mage, sandboxes, tmp_path_factory.mktemp("real-mage"))


@pytest.fixture(scope="module")
def sweeps(mage, real_mage, tmp_path_factory):
    return SweepCache(mage, real_mage.catalogs, tmp_path_factory)


def answer(result):
    assert "error" not in result, result.get("error", "") + "\n" + result.get("traceback", "")
    return result


# -- Mage finds, imports and discovers the source ------------------------------------------------

@pytest.mark.parametrize("app", APPS)
def test_mage_imports_the_source_file_without_starting_a_sync(app, mage, real_mage):
    result = answer(real_mage.get("locate", app))
    assert result["path"] == mage.source_file(app)
    assert result["stdout"] == "" and result["process_stdout"] == ""
    assert real_mage.requests_after_import[app] == 0, "importing the source file called the API"


@pytest.mark.parametrize("app", APPS)
def test_mage_discovers_every_stream_of_the_source(app, real_mage):
    catalog = answer(real_mage.get("discover", app))["catalog"]
    assert sorted(e["tap_stream_id"] for e in catalog["streams"]) == STREAMS[app]
    for entry in catalog["streams"]:
        cls = PROFILES[app].classes[entry["tap_stream_id"]]
        assert entry["replication_method"] == cls.replication_method   # what Mage's runs key on
    listed = answer(real_mage.get("discover_streams", app))["streams"]
    assert listed == [{"stream": name, "tap_stream_id": name} for name in STREAMS[app]]
    narrowed = answer(real_mage.get("discover_some", app))["catalog"]
    assert sorted(e["tap_stream_id"] for e in narrowed["streams"]) == sorted(real_mage.some_streams(app))


@pytest.mark.parametrize("app", APPS)
def test_mage_tests_the_connection(app, real_mage):
    assert answer(real_mage.get("connection", app))["ok"] is True
    failed = answer(real_mage.get("bad_connection", app))
    assert failed["ok"] is False
    assert "401" in failed["message"], failed["message"]
    for key in SECRET_KEYS[app]:
        assert "wrong-" + key not in failed["message"]


@pytest.mark.parametrize("app", APPS)
def test_mage_loads_sample_data(app, real_mage, sandboxes):
    sample = answer(real_mage.samples[app])
    assert sample["ok"], sample.get("message")
    truth = sandboxes[app].truth()
    assert sorted(sample["tables"]) == sorted(real_mage.sample_streams(app))
    for stream, table in sample["tables"].items():
        assert 0 < table["rows"] <= min(100, len(truth[stream])), stream
        assert set(PROFILES[app].classes[stream].key_properties) <= set(table["columns"]), stream


@pytest.mark.parametrize("app", APPS)
def test_test_connection_to_an_unreachable_api_fails_within_mages_limit(app, real_mage):
    result = answer(real_mage.get("unreachable", app))
    assert result["ok"] is False
    assert "timed out" not in result["message"], "--test_connection retried past Mage's 10 s"


# -- the sweep: every stream, each pipeline style, two runs ---------------------------------------

@pytest.mark.parametrize("case", SWEEP_CASES, ids=sweep_id)
def test_first_run_delivers_the_truth(case, sweeps):
    app, style, stream = case
    sweep = sweeps.get(app, style)
    run = sweep.first[stream]
    assert run.failure is None, run.failure
    truth = sweep.truth_before
    expected = sweep.truth_keys(truth, stream)
    got = sweep.keys(stream, run.records)
    assert got == expected, "missing {} extra {} (of {})".format(
        sorted(expected - got)[:5], sorted(got - expected)[:5], len(expected))
    sweep.profile.assert_values({stream: run.records}, truth, [stream])
    if run.records:
        assert run.saved is not None, "the destination saved no state after {} records".format(len(run.records))


@pytest.mark.parametrize("case", SWEEP_CASES, ids=sweep_id)
def test_bookmarks_name_only_the_stream_of_the_run(case, sweeps):
    app, style, stream = case
    sweep = sweeps.get(app, style)
    for number, run in ((1, sweep.first[stream]), (2, sweep.second[stream])):
        others = sorted({key for state in run.states for key in (state.get("bookmarks") or {}) if key != stream})
        assert not others, "run {} of {} alone bookmarks {}".format(number, stream, others)
        assert run.failure is None or "destination" not in run.failure, run.failure


@pytest.mark.parametrize("case", SWEEP_CASES, ids=sweep_id)
def test_no_bookmark_key_disappears(case, sweeps):
    """Within a run and from one run to the next: so the shallow merge Mage saves equals the
    run's last STATE."""
    app, style, stream = case
    sweep = sweeps.get(app, style)
    for number, run in ((1, sweep.first[stream]), (2, sweep.second[stream])):
        carried = set((((run.state_in or {}).get("bookmarks") or {}).get(stream)) or {})
        seen = set(carried)
        for index, state in enumerate(run.states):
            bookmark = (state.get("bookmarks") or {}).get(stream)
            keys = set(bookmark) if isinstance(bookmark, dict) else set()
            gone = seen - keys
            assert not gone, "run {}, STATE {}: {} dropped {} (had {})".format(
                number, index + 1, stream, sorted(gone), sorted(seen))
            seen |= keys
        if run.states:
            last = run.states[-1].get("bookmarks") or {}
            assert merged_bookmarks(run.states).get(stream) == last.get(stream), \
                "run {}: Mage's merge of the STATEs differs from the last STATE".format(number)


@pytest.mark.parametrize("case", SWEEP_CASES, ids=sweep_id)
def test_second_run_from_mages_saved_state_brings_the_changes_only(case, sweeps):
    app, style, stream = case
    sweep = sweeps.get(app, style)
    first, second = sweep.first[stream], sweep.second[stream]
    assert second.failure is None, second.failure
    incremental = sweep.pipeline.is_incremental(stream)
    if incremental and first.saved is not None:
        handed = {"bookmarks": first.saved["bookmarks"]}
        assert second.state_in == handed, "Mage handed the source {} rather than its saved state".format(
            second.state_in)

    # Both runs together hold every record of the truth after the changes (keys the truth no
    # longer has were deleted or merged away since run 1); what run 2 emitted is the truth
    # after the changes (what run 1 emitted was the truth before them: see the first test).
    problems = []
    union = {sweep.profile.key_of(stream, r) for run in (first, second) for r in run.records}
    truth = sweep.truth_after
    expected = sweep.truth_keys(truth, stream)
    missing = expected - union
    if missing:
        problems.append("lost {} of {}: {}{}".format(len(missing), len(expected), sorted(missing)[:5],
                                                    " (missing from run 1 too)" if missing <= sweep.truth_keys(
                                                        sweep.truth_before, stream) else ""))
    extra = union - expected - sweep.truth_keys(sweep.truth_before, stream)
    if extra:
        problems.append("emitted records the API never had: {}".format(sorted(extra)[:5]))
    current = [r for r in second.records if sweep.profile.key_of(stream, r) in expected]
    subset = [r for r in truth.get(stream, []) if sweep.profile.truth_key(stream, r) in sweep.keys(stream, current)]
    try:
        sweep.profile.assert_values({stream: current}, {stream: subset}, [stream])
    except AssertionError as error:
        problems.append("run 2 values: {}".format(str(error).splitlines()[0]))

    emitted = sweep.keys(stream, second.records)
    if not incremental:
        if emitted != expected:
            problems.append("a FULL_TABLE run is the whole table: {} of {} emitted".format(len(emitted), len(expected)))
        assert not problems, "\n".join(problems)
        return
    changed = sweep.changed_keys(stream, second.state_in) & expected
    not_brought = changed - emitted
    if not_brought:
        problems.append("{} of {} changed records not emitted: {}".format(len(not_brought), len(changed),
                                                                         sorted(not_brought)[:5]))
    again = [r for r in second.records if sweep.profile.key_of(stream, r) not in changed
             and not sweep.may_come_again(stream, r, second.state_in)]
    if again:
        problems.append("{} unchanged records emitted again (of {} emitted, {} changed): {}".format(
            len(again), len(emitted), len(changed), sorted(sweep.profile.key_of(stream, r) for r in again)[:5]))

    # Requests: a child list only for the parents that changed (and runs still pending).
    parents = sweep.changed_parents(stream)
    if parents is not None:
        path = sweep.profile.classes[stream].path
        pending = sum(len(v) for v in (((second.state_in or {}).get("bookmarks") or {}).get(stream) or {})
                      .get("pending", {}).values())
        walked = len(sweep.truth_before[sweep.profile.classes[stream].parent])
        bound = pages_per_parent(first.requests.get(path, 0), walked) * (parents + pending)
        if second.requests.get(path, 0) > bound:
            problems.append("{}: {} requests in run 2 for {} changed parents ({} pending runs), at most {}".format(
                path, second.requests.get(path, 0), parents, pending, bound))
    assert not problems, "\n".join(problems)


# -- Mage's log reader --------------------------------------------------------------------------

@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("style", STYLES)
def test_mage_reads_every_log_line_of_every_run(app, style, mage, sweeps):
    sweep = sweeps.get(app, style)
    outputs = sweep.outputs()
    parsed = mage.parse_logs(outputs, config=sweep.config, tags={"block_tags": {"uuid": "source"}})
    problems = []
    for output, seen in zip(outputs, parsed):
        if seen["raised"]:
            problems.append("{}: Mage failed the block: {}".format(output.path.name, seen["raised"]["message"]))
        logs = output.logs
        if len(seen["logged"]) != len(logs):
            dropped = [log for log in logs if not isinstance(log.get("tags"), dict)]
            problems.append("{}: {} of {} LOG lines reached Mage's log; dropped e.g. {}".format(
                output.path, len(seen["logged"]), len(logs), dropped[:1]))
        if output.not_json:
            problems.append("{}: lines that are not JSON: {}".format(output.path, output.not_json[:2]))
    assert not problems, "\n".join(problems[:10])
    assert sum(len(seen["logged"]) for seen in parsed) > 0


@pytest.mark.parametrize("app", APPS)
def test_a_failed_run_fails_the_block_with_the_taps_message(app, mage, sandboxes, real_mage, tmp_path):
    config = bad_config(app, real_mage.configs[app])
    pipeline = IntegrationPipeline(mage, app, config, real_mage.catalogs[app], tmp_path)
    stream = "tags" if app == "front" else "spaces"
    run = pipeline.run(stream)
    assert run.failure and run.output.code != 0
    assert run.saved is None
    seen = mage.parse_logs([run.output], config=config)[0]
    assert seen["raised"], "Mage's log reader took the failed run for a success"
    assert "401" in seen["raised"]["message"]
    for key in SECRET_KEYS[app]:
        assert config[key] not in seen["raised"]["message"] and config[key] not in run.output.text


# -- the source's flags, as Mage passes them ------------------------------------------------------

@pytest.mark.parametrize("app", APPS)
def test_flags_mage_passes_around_a_sync(app, mage, sandboxes, real_mage, tmp_path):
    """--show_templates; --config merged under --config_json; unknown flags ignored with a
    warning; the catalog's Mage settings echoed in SCHEMA messages."""
    config = real_mage.configs[app]
    template = mage.run_source(app, ["--show_templates"], tmp_path / "templates")
    assert template.code == 0, template.text
    assert set(json.loads(template.text)) == {"config"}

    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(bad_config(app, config)))
    fixed = {key: config[key] for key in SECRET_KEYS[app]}
    merged = mage.run_source(app, ["--config", wrong, "--config_json", json.dumps(fixed), "--test_connection"],
                             tmp_path / "merged")
    assert merged.code == 0, merged.text

    stream = "tags" if app == "front" else "groups"
    catalog = json.loads(json.dumps(real_mage.catalogs[app]))
    entry = next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)
    extras = {"replication_method": "FULL_TABLE", "unique_constraints": entry["key_properties"],
              "unique_conflict_method": "UPDATE", "partition_keys": ["_partition"]}
    entry.update(extras)
    out = mage.run_source(app, ["--config_json", json.dumps(config), "--log_to_stdout", "1", "--catalog_json",
                                json.dumps(catalog), "--selected_streams_json", json.dumps([stream]),
                                "--a_flag_from_a_newer_mage", "1"], tmp_path / "sync")
    assert out.code == 0, out.text[-2000:]
    assert any("a_flag_from_a_newer_mage" in log["message"] for log in out.logs)
    schema = out.of_type("SCHEMA")[0]
    assert {key: schema.get(key) for key in extras} == extras
    assert out.not_json == []


SETTINGS_YAML = """\
# Mage's settings file: the source's config and its catalog
config:
{config}
data_integration:
  catalog: {catalog}
"""


@pytest.mark.parametrize("app", APPS)
def test_a_settings_file_with_config_and_catalog(app, mage, real_mage, tmp_path):
    stream = "tags" if app == "front" else "groups"
    catalog = json.loads(json.dumps(real_mage.catalogs[app]))
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if not item["breadcrumb"]:
                item["metadata"]["selected"] = entry["tap_stream_id"] == stream
    # Unquoted values, as people write YAML: dates in it stay text.
    lines = "\n".join("  {}: {}".format(k, v) for k, v in real_mage.configs[app].items())
    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS_YAML.format(config=lines, catalog=json.dumps(catalog)))
    out = mage.run_source(app, ["--settings", path], tmp_path / "out")
    assert out.code == 0, out.text[-2000:]
    assert {m["stream"] for m in out.of_type("RECORD")} == {stream}


# -- kill and resume from the merged state -----------------------------------------------------------

KILL_STREAMS = {"front": ("messages", "events", "contacts"), "mode": ("spaces", "reports", "query_runs")}
KILLS = 3
KILL_SEED = 20261201


@pytest.mark.parametrize("app,stream", [(a, s) for a in APPS for s in KILL_STREAMS[a]])
def test_killed_runs_resumed_from_mages_merged_state_lose_nothing(app, stream, mage, real_mage, tmp_path):
    """Each run of a chain is SIGKILLed at a seeded random API request, its output (complete
    lines) read by the destination as Mage's destination reads it, the next run started from
    the state saved that way, until a run completes. (In a real pipeline a killed source fails
    its block and its destination never runs: the state then stays the previous one, an
    easier case than this.)"""
    profile = PROFILES[app]
    with Sandbox(app, scale="tiny") as sandbox:
        config = dict(sandbox.tap_config(), **TAP_SETTINGS[app])
        probe = IntegrationPipeline(mage, app, config, real_mage.catalogs[app], tmp_path / "probe")
        sandbox.reset_stats()
        whole = probe.run(stream)
        assert whole.failure is None, whole.failure
        requests = sandbox.stats()["total"]
        assert requests >= 2, "{} takes {} request: nothing to kill in".format(stream, requests)

        pipeline = IntegrationPipeline(mage, app, config, real_mage.catalogs[app], tmp_path / "chain")
        pipeline.destination_reads_failed_runs = True
        switch = KillSwitch(sandbox.server)
        rng = random.Random("{}:{}:{}".format(KILL_SEED, app, stream))
        delivered, kills, runs, log = {}, 0, 0, []
        remaining = requests   # about what is left of the sync after the kills so far
        while True:
            runs += 1
            assert runs <= KILLS + 2, "the chain does not end: {}".format(log)
            at = rng.randint(1, max(1, remaining - 1)) if kills < KILLS and remaining > 1 else None
            saved_before = pipeline.saved(stream)
            run = pipeline.run(stream, switch=switch, kill_at=at)
            for record in run.records:
                delivered[profile.key_of(stream, record)] = record
            log.append({"kill at": at, "killed": run.output.killed, "records": len(run.records),
                        "saved": run.saved is not None})
            if not run.output.killed:
                assert run.failure is None, run.failure
                break
            kills += 1
            remaining -= at
            assert run.output.code < 0, run.output.text[-1000:]
            if run.saved is None:   # nothing saved: the next run starts where this one did
                assert pipeline.saved(stream) == saved_before
        truth = sandbox.truth()
    expected = {profile.truth_key(stream, r) for r in truth[stream]}
    missing = expected - set(delivered)
    assert not missing, "lost {} of {} over {} runs {}: {}".format(len(missing), len(expected), runs, log,
                                                                 sorted(missing)[:5])
    profile.assert_values({stream: [delivered[k] for k in expected]}, truth, [stream])
    print("\n{} {}: {}".format(app, stream, log))
    assert kills >= 1, log


# -- a state saved by Mage from earlier versions of tap-mode -------------------------------------------

def test_state_saved_by_mage_from_earlier_versions_syncs_right(mage, real_mage, tmp_path):
    """tap-mode once dropped `done` from `spaces` at the end of the stream and `walk` from a
    change tracker at commit; Mage's merge kept both (every later run then synced no space,
    and sent the same changes again and again). Those states still exist in Mage: a run from
    one gets every space, and only the reports and definitions changed since the bookmark."""
    profile = PROFILES["mode"]
    with Sandbox("mode", scale="tiny") as sandbox:
        config = sandbox.tap_config()
        pipeline = IntegrationPipeline(mage, "mode", config, real_mage.catalogs["mode"], tmp_path)
        started = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        first = {s: pipeline.run(s) for s in ("spaces", "reports", "definitions")}
        for run in first.values():
            assert run.failure is None, run.failure
        tokens = [r["token"] for r in sandbox.truth()["spaces"]]
        # What Mage kept of the older versions' STATEs (spaces: `done` listing every space;
        # trackers: the first walk beside the bookmark it committed).
        pipeline.save("spaces", {"bookmarks": {"spaces": {"done": tokens}}})
        for stream in ("reports", "definitions"):
            cursor = first[stream].saved["bookmarks"][stream]["updated_at"]
            pipeline.save(stream, {"bookmarks": {stream: {"updated_at": cursor,
                                                          "walk": {"started": started, "max": cursor}}}})
        for round_number in (1, 2):
            changed = sandbox.mutate(12)
            truth = sandbox.truth()
            spaces = pipeline.run("spaces")
            assert spaces.failure is None, spaces.failure
            assert sorted(r["token"] for r in spaces.records) == sorted(tokens), \
                "round {}: spaces synced from Mage's old state".format(round_number)
            for stream in ("reports", "definitions"):
                run = pipeline.run(stream)
                assert run.failure is None, run.failure
                got = sorted(r["token"] for r in run.records)
                assert got == sorted(set(changed.get(stream, []))), \
                    "round {}: {} emitted {} records, {} changed since the bookmark".format(
                        round_number, stream, len(got), len(set(changed.get(stream, []))))
                profile.assert_values({stream: run.records},
                                      {stream: [r for r in truth[stream] if r["token"] in got]}, [stream])


# -- the reproduced parts behave as observed --------------------------------------------------------

def test_the_destination_reproduction_saves_what_mage_saves(tmp_path):
    """FACTS.md: the first bookmark key is the STATE's stream; any other key for a stream the
    process has not seen raises KeyError; STATEs merge per stream shallowly, so a key of an
    early STATE survives; `currently_syncing` is dropped; no record, no saved state."""
    def messages(*states, records=("messages",)):
        out = [{"type": "SCHEMA", "stream": s, "schema": {}, "key_properties": []} for s in records]
        out += [{"type": "RECORD", "stream": s, "record": {}} for s in records]
        return out + [{"type": "STATE", "value": v} for v in states]

    destination = Destination(tmp_path / "state")
    with pytest.raises(KeyError, match="conversations"):
        destination.consume(messages({"bookmarks": {"messages": {}, "conversations": {}}}))
    saved = destination.consume(messages(
        {"bookmarks": {"messages": {"done": ["a"], "at": 1}}, "currently_syncing": "messages"},
        {"bookmarks": {"messages": {"at": 2}}, "currently_syncing": None}))
    assert saved == {"bookmarks": {"messages": {"done": ["a"], "at": 2}}}
    assert json.loads((tmp_path / "state").read_text()) == saved
    assert destination.consume(messages({"bookmarks": {"messages": {"at": 3}}}, records=())) is None
    assert json.loads((tmp_path / "state").read_text()) == saved   # the file keeps what it had
    assert read_lines('{"a": 1}\nnot json\n\n') == [{"a": 1}]

    source, target = tmp_path / "source.json", tmp_path / "missing_state"
    copy_state(source, target)
    assert json.loads(source.read_text()) == {"bookmarks": {}} and target.read_text() == ""
    target.write_text('{"bookmarks": {"x": 1}}\n{"bookmarks": {"x": 2}}\n')
    copy_state(source, target)
    assert json.loads(source.read_text()) == {"bookmarks": {"x": 2}}


def test_batch_pipeline_hands_the_bookmarks_as_state_json(mage, real_mage, tmp_path):
    pipeline = BatchPipeline(mage, "mode", real_mage.configs["mode"], real_mage.catalogs["mode"], tmp_path)
    flags, state = pipeline.flags("reports", pipeline.config, None)
    assert "--state_json" not in flags and state is None   # a first run: no bookmarks yet
    pipeline.save("reports", {"bookmarks": {"reports": {"updated_at": "2024-01-01T00:00:00Z"}}})
    flags, state = pipeline.flags("reports", pipeline.config, None)
    assert json.loads(flags[flags.index("--state_json") + 1]) == state == {
        "bookmarks": {"reports": {"updated_at": "2024-01-01T00:00:00Z"}}}
    assert json.loads(flags[flags.index("--query_json") + 1])["_limit"] == 50000
    flags, state = pipeline.flags("spaces", pipeline.config, None)   # FULL_TABLE: no state, offset 0
    assert state is None and json.loads(flags[flags.index("--query_json") + 1])["_offset"] == 0
