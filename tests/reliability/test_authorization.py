"""Credentials that do not (fully) work: a wrong token fails once, clearly, without a retry
storm; a token missing the scope for some streams skips those with a warning naming the scope
and delivers the others; `--test` tells a bad token from a good one."""
import pytest

from .profiles import FRONT, MODE, MODE_SECRET
from .runs import last_line, sync
from .tables import add_row

WRONG = {"front": {"token": "front-token-RELIAB-000wrong000"}, "mode": {"password": MODE_SECRET + "-old"}}


def _requests(server):
    return server.stats()["total"]


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_wrong_token_fails_once_and_clearly(profile, sandbox, tmp_path):
    server = sandbox(profile)
    run = sync(profile, tmp_path, profile.config(server, **WRONG[profile.name]))
    line = last_line(run.stderr)
    add_row("Authorization", ("tap", "case", "requests", "exit", "last line"),
            (profile.name, "wrong token, sync", _requests(server), run.code, line))
    assert run.code == 1
    assert "HTTP 401" in line and ("Invalid or missing API token" in line or "unauthorized" in line.lower()), line
    assert _requests(server) == 1                      # a 401 is never retried
    assert not run.records
    assert "retry" not in run.stderr


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_connection_check_tells_a_wrong_token_from_a_good_one(profile, sandbox, tmp_path):
    server = sandbox(profile)
    bad = sync(profile, tmp_path, profile.config(server, **WRONG[profile.name]), extra_args=["--test"])
    bad_requests = _requests(server)
    good = sync(profile, tmp_path, profile.config(server), extra_args=["--test"])
    add_row("Authorization", ("tap", "case", "requests", "exit", "last line"),
            (profile.name, "wrong token, --test", bad_requests, bad.code, last_line(bad.stderr)))
    assert bad.code == 1 and "HTTP 401" in last_line(bad.stderr) and bad.stdout == ""
    assert bad_requests == 1
    assert good.code == 0 and last_line(good.stderr) == "connection ok" and good.stdout == ""


def test_front_streams_without_their_scope_are_skipped_and_the_others_delivered(sandbox, tmp_path):
    # A root stream (contacts) and a child (messages, under conversations) the token cannot read.
    server = sandbox(FRONT, app_options={"missing_scopes": ["/contacts", "messages:read"]})
    run = sync(FRONT, tmp_path, FRONT.config(server), FRONT.catalog(FRONT.core_streams))
    stats = server.stats()
    forbidden = {ep: v["statuses"].get("403", 0) for ep, v in stats["endpoints"].items() if v["statuses"].get("403")}
    add_row("Authorization", ("tap", "case", "requests", "exit", "last line"),
            ("front", "scopes contacts, messages missing", stats["total"], run.code,
             "403s: {}; warnings: {}".format(forbidden, sum("lacks the scope" in w for w in run.stderr.splitlines()))))
    assert run.code == 0, last_line(run.stderr)
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING") and "skipped" in line]
    assert any("contacts:read" in w and "contacts" in w for w in warnings), warnings
    assert any("messages:read" in w and "messages" in w for w in warnings), warnings
    # A 403 is not retried: contacts are asked once; messages once for each conversation
    # already in flight on the workers (up to 8 at once) when the first 403 came back, and
    # never again after the stream is skipped.
    assert set(forbidden) == {"/contacts", "/conversations/{id}/messages"}, forbidden
    assert forbidden["/contacts"] == 1 and forbidden["/conversations/{id}/messages"] <= 8, forbidden
    assert not run.records.get("contacts") and not run.records.get("messages")
    truth = server.truth()
    delivered = [s for s in FRONT.core_streams if s not in ("contacts", "messages")]
    expected = FRONT.truth_keys(truth, delivered)
    assert FRONT.emitted_keys(run.records, delivered) == expected
    FRONT.assert_values(run.records, truth, delivered)
    # The connection check sees a valid token: the missing scopes show when the streams are read.
    check = sync(FRONT, tmp_path, FRONT.config(server), extra_args=["--test"])
    assert check.code == 0 and last_line(check.stderr) == "connection ok"


def test_mode_audit_logs_without_a_workspace_token_are_skipped_and_the_others_delivered(sandbox, tmp_path):
    # A personal (member) token: /audit_logs answers 403, everything else is readable.
    server = sandbox(MODE, app_options={"token_type": "member"})
    run = sync(MODE, tmp_path, MODE.config(server), MODE.catalog(MODE.core_streams))
    stats = server.stats()
    add_row("Authorization", ("tap", "case", "requests", "exit", "last line"),
            ("mode", "member token (no audit logs)", stats["total"], run.code,
             next((w for w in run.stderr.splitlines() if "audit_logs" in w), "")[:110]))
    assert run.code == 0, last_line(run.stderr)
    assert any(line.startswith("WARNING") and "audit_logs" in line and "403" in line
               for line in run.stderr.splitlines()), run.stderr[-1500:]
    assert stats["endpoints"]["/audit_logs"]["requests"] == 1
    truth = server.truth()
    delivered = [s for s in MODE.core_streams if s != "audit_logs"]
    assert MODE.emitted_keys(run.records, delivered) == MODE.truth_keys(truth, delivered)
    check = sync(MODE, tmp_path, MODE.config(server), extra_args=["--test"])
    assert check.code == 0 and last_line(check.stderr) == "connection ok"
