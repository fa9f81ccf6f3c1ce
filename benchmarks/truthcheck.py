"""Whether a sync's output equals the sandbox's truth: every stream with the truth's keys, each
record once, every value the API sent (timestamps as instants) through the shared comparison
of tests/support/truth.py. Returns the problems found, as text; none means equal."""
from tap_engine.timefmt import epoch_to_rfc3339
from tests.support.truth import assert_stream_matches

# What each tap leaves out on purpose: HAL plumbing, and values Mode changes on every request.
DROPS = {"front": ("_links",), "mode": ("_links", "_forms", "web_preview_image", "flamingo_signature")}


def problems(kind, emitted, truth):
    found = []
    for cls in kind.tap().stream_classes:
        records = emitted.get(cls.name, [])
        if kind.name == "front" and cls.name == "analytics":
            found += _analytics_problems(records, truth["analytics"])
            continue
        try:
            assert_stream_matches(cls.name, records, truth[cls.name], cls.load_schema(),
                                  key=tuple(cls.key_properties), drops=DROPS[kind.name])
        except AssertionError as error:
            found.append(str(error).splitlines()[0])
        if len(records) != len(truth[cls.name]):
            found.append("{}: {} records emitted for {} in the truth".format(
                cls.name, len(records), len(truth[cls.name])))
    return found


def _analytics_problems(rows, days):
    """One row per day of data, each metric as that day's report has it."""
    got = {row.get("start_time"): row for row in rows}
    found = []
    for day in days:
        row = got.get(epoch_to_rfc3339(day["start"]))
        if row is None:
            found.append("analytics: no row for the day starting {}".format(epoch_to_rfc3339(day["start"])))
            continue
        wrong = [m["id"] for m in day["metrics"] if row.get(m["id"]) != m["value"]]
        if wrong:
            found.append("analytics {}: {} differ".format(row["start_time"], ", ".join(wrong[:3])))
    return found
