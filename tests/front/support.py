"""Helpers for tap-front's sandbox tests: a server whose data ends just before the test
starts (so the tap's default end, now, covers it and mutations come right after), a config
pointing at it, catalogs, and comparisons with the sandbox's ground truth."""
import itertools
import time

from sandbox import make_app
from sandbox.server import SandboxServer
from tap_engine.timefmt import epoch_to_rfc3339
from tap_front.streams import STREAMS
from tap_front.tap import FrontTap
from tests.support.runner import full_catalog, run_tap
from tests.support.truth import assert_stream_matches, validator

DAY = 86400
TOKEN = "sandbox-token"
SCHEMAS = {cls.name: cls.load_schema() for cls in STREAMS}
KEYS = {cls.name: tuple(cls.key_properties) for cls in STREAMS}
VALIDATORS = {name: validator(schema) for name, schema in SCHEMAS.items()}
_runs = itertools.count(1)


def start_front(scale="tiny", app_options=None, **server_options):
    # Data ends two minutes ago: older than any overlap a run reads again, newer than the
    # first day the tap asks for.
    anchor = int(time.time()) - 120
    app = make_app("front", seed=1, scale=scale, anchor=anchor, **(app_options or {}))
    return SandboxServer(app, **server_options).start()


def config_for(server, **overrides):
    """The first day of data as start date, no end date (now), fast polls and retries."""
    world = server.app.world
    config = {
        "token": TOKEN,
        "base_url": server.base_url,
        "start_date": epoch_to_rfc3339(world.start - world.start % DAY),
        "analytics_poll_seconds": 0.01,
        "retry_base_seconds": 0.01,
    }
    config.update(overrides)
    return config


def catalog(*names):
    """The full catalog with only `names` selected (all streams when none given)."""
    data = full_catalog(FrontTap)
    if names:
        unknown = set(names) - set(SCHEMAS)
        assert not unknown, unknown
        for entry in data["streams"]:
            if entry["tap_stream_id"] not in names:
                for item in entry["metadata"]:
                    if not item["breadcrumb"]:
                        item["metadata"]["selected"] = False
    return data


def sync(server, tmp_path, config=None, streams=(), state=None):
    """Run the tap's CLI in-process; every run gets its own folder for its files."""
    folder = tmp_path / "run{}".format(next(_runs))
    folder.mkdir()
    return run_tap(FrontTap, folder, config or config_for(server), catalog(*streams), state)


def assert_matches_truth(stream, emitted, truth):
    assert_stream_matches(stream, emitted, truth, SCHEMAS[stream], key=KEYS[stream])
    check = VALIDATORS[stream]
    for record in emitted:
        check(record)


def analytics_truth_rows(truth_days):
    """The sandbox's daily truth as the rows the tap emits."""
    rows = {}
    for day in truth_days:
        row = {"end_time": epoch_to_rfc3339(day["end"])}
        row.update({m["id"]: m["value"] for m in day["metrics"]})
        rows[epoch_to_rfc3339(day["start"])] = row
    return rows


def assert_analytics_match(emitted, truth_days):
    """Every day of data emitted with all 25 metrics as the report for that day says."""
    expected = analytics_truth_rows(truth_days)
    got = {row["start_time"]: row for row in emitted}
    missing = sorted(set(expected) - set(got))
    assert not missing, "analytics days not emitted: {}".format(missing[:5])
    check = VALIDATORS["analytics"]
    for start, want in expected.items():
        row = got[start]
        check(row)
        assert set(row) == set(SCHEMAS["analytics"]["properties"]), start
        for name, value in want.items():
            assert row[name] == value, "{} {}: {!r} != {!r}".format(start, name, row[name], value)


def endpoint_requests(stats, endpoint):
    return stats["endpoints"].get(endpoint, {}).get("requests", 0)
