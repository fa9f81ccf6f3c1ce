"""The two taps as the reliability tests drive them: a sandbox with distinctive credentials,
a config pointing the tap at it (quick retries, short timeouts), catalogs, and the sandbox's
ground truth reduced to record keys per stream, to compare with what the taps emitted."""
import base64
import time
from dataclasses import dataclass

from sandbox import make_app
from sandbox.server import SandboxServer
from tap_engine.catalog import select_all
from tap_engine.timefmt import epoch_to_rfc3339
from tap_front.tap import FrontTap
from tap_mode.tap import ModeTap
from tests.support.truth import assert_stream_matches, record_key

DAY = 86400
# Distinctive values: any trace of them in a tap's output is a leak, never a coincidence.
FRONT_TOKEN = "front-token-RELIAB-5c1e9a7b3d"
MODE_TOKEN = "mode-token-RELIAB-2f8d4b6a0c"
MODE_SECRET = "mode-secret-RELIAB-9e3a7c1f5b"
SECRETS = (FRONT_TOKEN, MODE_TOKEN, MODE_SECRET)


def secret_traces():
    """What a leak of the suite's secrets could look like in text: each value, its random
    part alone (a cut or escaped copy) and Mode's Basic credentials as sent."""
    traces = set(SECRETS)
    traces.update(secret.rsplit("-", 1)[1] for secret in SECRETS)
    traces.add(base64.b64encode("{}:{}".format(MODE_TOKEN, MODE_SECRET).encode()).decode())
    return traces


def assert_no_leak(*texts):
    for text in texts:
        for trace in secret_traces():
            assert trace not in text, "a secret (or part of one) appeared in a tap's output"


def _catalog(tap_cls, streams=()):
    catalog = select_all(tap_cls({}).discover()).to_dict()
    if streams:
        for entry in catalog["streams"]:
            if entry["tap_stream_id"] not in streams:
                for item in entry["metadata"]:
                    if not item["breadcrumb"]:   # the stream itself: () or []
                        item["metadata"]["selected"] = False
    return catalog


@dataclass(frozen=True)
class Profile:
    name: str
    tap_cls: type
    module: str
    drops: tuple          # properties the schemas leave out on purpose
    # A small tree that still has every kind of walk: lists, children, checkpoints.
    core_streams: tuple

    @property
    def classes(self):
        return {cls.name: cls for cls in self.tap_cls.stream_classes}

    def catalog(self, streams=()):
        return _catalog(self.tap_cls, streams)

    def start(self, faults="", app_options=None, **server_options):
        options = dict(self.app_defaults(), **(app_options or {}))
        app = make_app(self.name, seed=1, scale="tiny", **options)
        return SandboxServer(app, faults=faults, **server_options).start()

    @property
    def parallel_roots(self):
        return self.tap_cls({}).max_parallel_streams() > 1

    def tree_of(self, state):
        """stream -> the root stream whose walk it belongs to, with every stream selected, in
        a run from `state` (a stream may take its parent from selection and state: `parent_for`)."""
        selected = frozenset(self.classes)
        bookmarks = (state or {}).get("bookmarks") or {}
        out = {}
        for name, cls in self.classes.items():
            while cls.parent_for(selected, bookmarks):
                cls = self.classes[cls.parent_for(selected, bookmarks)]
            out[name] = cls.name
        return out

    def key_of(self, stream, record):
        cls = self.classes[stream]
        return record_key(record, cls.key_properties, cls.load_schema())

    def truth_keys(self, truth, streams=()):
        names = streams or [name for name in self.classes if name in truth]
        return {name: {self.truth_key(name, r) for r in truth[name]} for name in names}

    def emitted_keys(self, records, streams=()):
        names = streams or list(self.classes)
        return {name: {self.key_of(name, r) for r in records.get(name, [])} for name in names}

    def assert_values(self, records, truth, streams=()):
        """Every emitted record equals its truth record (shaping aside), each stream whole."""
        for name in streams or [n for n in self.classes if n in truth]:
            if name == "analytics":
                continue  # a row per day built from a report, keys compared elsewhere
            cls = self.classes[name]
            # Columns read from links are checked against the truth's relations apart
            # (tests/front/test_relations.py).
            links = cls.link_columns() if hasattr(cls, "link_columns") else ()
            emitted = [{k: v for k, v in r.items() if k not in links} for r in records.get(name, [])]
            assert_stream_matches(name, emitted, truth[name], cls.load_schema(), key=cls.key_properties, drops=self.drops)


class FrontProfile(Profile):
    def app_defaults(self):
        # Data ends two minutes ago, so "now" (the tap's default end) covers all of it.
        return {"token": FRONT_TOKEN, "anchor": int(time.time()) - 120}

    def config(self, server, **overrides):
        world = server.app.world
        config = {"token": FRONT_TOKEN, "base_url": server.base_url,
                  "start_date": epoch_to_rfc3339(world.start - world.start % DAY),
                  "analytics_poll_seconds": 0.01, "retry_base_seconds": 0.001, "request_timeout": 1,
                  "conversation_window_days": 3}
        config.update(overrides)
        return config

    def truth_key(self, stream, record):
        if stream == "analytics":
            return (round(float(record["start"]), 3),)   # as record_key reads start_time
        return self.key_of(stream, record)


class ModeProfile(Profile):
    def app_defaults(self):
        return {"token": MODE_TOKEN, "secret": MODE_SECRET}

    def config(self, server, **overrides):
        config = {"access_token": MODE_TOKEN, "password": MODE_SECRET, "workspace": "acme",
                  "base_url": server.base_url, "start_date": "2020-01-01T00:00:00Z",
                  "retry_base_seconds": 0.001, "request_timeout": 1, "max_workers": 4}
        config.update(overrides)
        return config

    def truth_key(self, stream, record):
        return self.key_of(stream, record)


FRONT = FrontProfile(
    "front", FrontTap, "tap_front", drops=("_links",),
    core_streams=("accounts", "contacts", "conversations", "messages", "comments", "events", "analytics", "tags"))
MODE = ModeProfile(
    "mode", ModeTap, "tap_mode", drops=("_links", "_forms", "web_preview_image", "flamingo_signature"),
    core_streams=("spaces", "reports", "queries", "report_runs", "query_runs", "definitions", "groups",
                  "group_memberships", "audit_logs"))
