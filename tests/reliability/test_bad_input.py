"""Hand-edited inputs: a bad config, state or catalog ends the run before anything is written:
one line on stderr naming the problem, exit code 2, nothing on stdout, no traceback. An
unknown config key is only a warning."""
import pytest

from .profiles import FRONT, MODE
from .runs import spawn, sync


@pytest.fixture(scope="module")
def servers():
    started = {profile.name: profile.start() for profile in (FRONT, MODE)}
    yield started
    for server in started.values():
        server.stop()


def _drop(key):
    return lambda config: {k: v for k, v in config.items() if k != key}


def _set(**values):
    return lambda config: dict(config, **values)


# (name, how the good config is spoiled, what the error line names)
CONFIG_CASES = {
    "front": [
        ("missing token", _drop("token"), "'token'"),
        ("token not a string", _set(token=12345678), "'token'"),
        ("start_date unparseable", _set(start_date="yesterday"), "'start_date'"),
        ("start_date a number", _set(start_date=20200101), "'start_date'"),
        ("end_date impossible", _set(end_date="2026-13-45"), "'end_date'"),
        ("request_timeout not a number", _set(request_timeout="soon"), "'request_timeout'"),
        ("retry_base_seconds negative", _set(retry_base_seconds=-1), "'retry_base_seconds'"),
        ("lookback_window fractional", _set(lookback_window=1.5), "'lookback_window'"),
        ("incremental_range unknown", _set(incremental_range="weekly"), "'incremental_range'"),
        ("base_url not a URL", _set(base_url="not-a-url"), "'base_url'"),
        ("base_url not HTTP", _set(base_url="ftp://127.0.0.1:21"), "'base_url'"),
    ],
    "mode": [
        ("missing password", _drop("password"), "'password'"),
        ("missing workspace", _drop("workspace"), "'workspace'"),
        ("access_token a list", _set(access_token=["x"]), "'access_token'"),
        ("start_date unparseable", _set(start_date="2020-02-30"), "'start_date'"),
        ("max_workers not a number", _set(max_workers="many"), "'max_workers'"),
        ("max_workers zero", _set(max_workers=0), "'max_workers'"),
        ("audit_logs_window_days a word", _set(audit_logs_window_days="month"), "'audit_logs_window_days'"),
        ("base_url not a URL", _set(base_url="app.mode.com"), "'base_url'"),
    ],
}

STATE_CASES = {
    "front": [
        ("older shape: bookmark as a string", {"bookmarks": {"contacts": "2026-01-01T00:00:00Z"}}),
        ("foreign shape: a whole STATE message", {"type": "STATE", "value": {"bookmarks": {}}}),
        ("foreign shape: Meltano's wrapper", {"singer_state": {"bookmarks": {}}}),
        ("not an object", ["bookmarks"]),
        ("unparseable bookmark", {"bookmarks": {"contacts": {"updated_at": "garbage"}}}),
        ("bookmark of the wrong type", {"bookmarks": {"conversations": {"updated_at": ["2026-01-01"]}}}),
        ("analytics bookmark unparseable", {"bookmarks": {"analytics": {"end_time": "soon"}}}),
        ("events overlap ids as a list", {"bookmarks": {"events": {"emitted_at": "2026-01-01T00:00:00Z",
                                                                    "recent_ids": ["evt_1", "evt_2"]}}}),
        ("currently_syncing not a name", {"bookmarks": {}, "currently_syncing": 7}),
    ],
    "mode": [
        ("older shape: bookmark as a string", {"bookmarks": {"reports": "2026-01-01T00:00:00Z"}}),
        ("foreign shape: a whole STATE message", {"type": "STATE", "value": {"bookmarks": {}}}),
        ("unparseable bookmark", {"bookmarks": {"audit_logs": {"timestamp": "last tuesday"}}}),
        ("bookmark of the wrong type", {"bookmarks": {"report_runs": {"created_at": {"at": 1}}}}),
    ],
}

CATALOG_CASES = [
    ("a stream this tap does not have", lambda catalog: dict(catalog, streams=catalog["streams"] + [
        dict(catalog["streams"][0], tap_stream_id="no_such_stream", stream="no_such_stream")]), "no_such_stream"),
    ("streams not a list", lambda catalog: {"streams": "all"}, "catalog"),
    ("not an object", lambda catalog: [catalog], "catalog"),
]


def _assert_refused(run, names=None):
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == 2, run.stderr[-800:]
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert len(lines) == 1, lines
    if names:
        assert names in lines[0], lines[0]
    return lines[0]


def _profile(name):
    return FRONT if name == "front" else MODE


def _small_catalog(profile):
    return profile.catalog(("tags",) if profile is FRONT else ("groups",))


@pytest.mark.parametrize("name,case", [(n, c) for n, cases in CONFIG_CASES.items() for c in cases],
                         ids=lambda v: v[0] if isinstance(v, tuple) else v)
def test_a_bad_config_is_refused_in_one_line(name, case, servers, tmp_path):
    profile = _profile(name)
    _, spoil, names = case
    run = sync(profile, tmp_path, spoil(profile.config(servers[name])), _small_catalog(profile))
    _assert_refused(run, names)


@pytest.mark.parametrize("name,case", [(n, c) for n, cases in STATE_CASES.items() for c in cases],
                         ids=lambda v: v[0] if isinstance(v, tuple) else v)
def test_a_state_of_another_shape_is_refused_in_one_line(name, case, servers, tmp_path):
    profile = _profile(name)
    run = sync(profile, tmp_path, profile.config(servers[name]), state=case[1])
    _assert_refused(run, "state")


@pytest.mark.parametrize("case", CATALOG_CASES, ids=lambda c: c[0])
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_bad_catalog_is_refused_in_one_line(profile, case, servers, tmp_path):
    _, spoil, names = case
    run = sync(profile, tmp_path, profile.config(servers[profile.name]), spoil(profile.catalog()))
    _assert_refused(run, names)


@pytest.mark.parametrize("which", ["config", "state", "catalog"])
@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_file_that_is_not_json_is_refused_by_the_process(profile, which, servers, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"token": "abc", "start_date": ')
    config = profile.config(servers[profile.name])
    if which == "config":
        run = spawn(profile, tmp_path, None, extra_args=["--config", str(broken)])
    else:
        run = spawn(profile, tmp_path, config, extra_args=["--" + which, str(broken)])
    line = _assert_refused(run, "{} file".format(which))
    assert "not valid JSON" in line


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_missing_state_file_is_refused(profile, servers, tmp_path):
    config = profile.config(servers[profile.name])
    run = sync(profile, tmp_path, config, _small_catalog(profile),
               extra_args=["--state", str(tmp_path / "nowhere.json")])
    _assert_refused(run, "not found")


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_an_unknown_config_key_is_a_warning_and_the_run_goes_on(profile, servers, tmp_path):
    server = servers[profile.name]
    config = dict(profile.config(server), tokn="typo of a key")
    run = sync(profile, tmp_path, config, _small_catalog(profile))
    assert run.code == 0, run.stderr[-800:]
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "'tokn'" in warnings[0], warnings
    assert "typo of a key" not in run.stderr   # the value may be a misplaced secret
    assert run.records

