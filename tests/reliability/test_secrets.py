"""Secrets never leave: not in the output of a DEBUG run (logged URLs, METRIC lines, retries),
not in error messages or tracebacks, not in a settings file's parse error, and the bearer
token never goes to a host other than the configured API, even when a pagination link points
elsewhere. Every run here is checked by `runs.py` for any trace of the suite's distinctive
secrets (whole, cut, or as Mode's Basic credentials)."""
import pytest
import requests

from tests.support.scripted_http import ScriptedServer

from .profiles import FRONT, FRONT_TOKEN, MODE, MODE_SECRET, assert_no_leak
from .runs import last_line, spawn, sync

DEBUG = {"LOGGING_LEVEL": "DEBUG"}
FAULTS = "500:every=25,reset:first=1,429:every=30:retry=0.01,truncated:first=1@/groups"
# A host the tap was not configured for answers as a foreign API would.
STRANGER_ANSWER = (401, {"Content-Type": "application/json"},
                   {"_error": {"status": 401, "title": "Unauthorized", "message": "who are you?"}})


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_debug_run_through_faults_prints_no_secret(profile, sandbox, tmp_path):
    server = sandbox(profile, faults=FAULTS)
    run = spawn(profile, tmp_path, profile.config(server), profile.catalog(profile.core_streams), env=DEBUG)
    assert run.code == 0, last_line(run.stderr)
    # DEBUG adds a METRIC line per request (and Mode's client logs each path asked for).
    assert "METRIC" in run.stderr
    assert server.stats()["faults"] > 0


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_error_paths_at_debug_print_no_secret(profile, sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGGING_LEVEL", "DEBUG")
    server = sandbox(profile, faults="500:after=3")
    catalog = profile.catalog(profile.core_streams)
    failed = sync(profile, tmp_path, profile.config(server), catalog)        # retries, then gives up
    assert failed.code == 1 and "HTTP 500" in last_line(failed.stderr)

    server.set_faults("")
    wrong = {"token": "front-token-RELIAB-000wrong000"} if profile is FRONT else {"password": MODE_SECRET + "x"}
    refused = sync(profile, tmp_path, profile.config(server, **wrong), catalog)
    assert refused.code == 1 and "401" in last_line(refused.stderr)
    assert_no_leak(refused.stdout, refused.stderr)


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_library_error_quoting_the_request_headers_is_masked(profile, sandbox, tmp_path, monkeypatch):
    """A bug below the tap whose message quotes the headers sent (as requests' InvalidHeader
    does): the one-line error and the DEBUG traceback show them masked."""
    def broken(self, method, url, headers=None, **kwargs):
        raise RuntimeError("cannot send {} with headers {}".format(url, headers))

    monkeypatch.setenv("LOGGING_LEVEL", "DEBUG")
    monkeypatch.setattr(requests.Session, "request", broken)
    server = sandbox(profile)
    run = sync(profile, tmp_path, profile.config(server), profile.catalog(profile.core_streams))
    assert run.code == 1
    assert "Traceback" in run.stderr and "Authorization" in run.stderr and "********" in run.stderr


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_secret_pasted_with_its_line_break_works_and_stays_hidden(profile, sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGGING_LEVEL", "DEBUG")
    server = sandbox(profile)
    key = "token" if profile is FRONT else "password"
    config = profile.config(server)
    config[key] = config[key] + "\n"
    run = sync(profile, tmp_path, config, profile.catalog(("tags",) if profile is FRONT else ("groups",)),
               extra_args=["--test"])
    assert run.code == 0, last_line(run.stderr)
    assert "whitespace" in run.stderr and "connection ok" in run.stderr


@pytest.mark.parametrize("profile", [FRONT, MODE], ids=["front", "mode"])
def test_a_settings_file_that_breaks_on_the_secret_line_does_not_quote_it(profile, tmp_path):
    key, secret = ("token", FRONT_TOKEN) if profile is FRONT else ("password", MODE_SECRET)
    settings = tmp_path / "settings.yaml"
    settings.write_text('config:\n  {}: "{}\n  start_date: 2020-01-01\n'.format(key, secret))
    run = spawn(profile, tmp_path, None, extra_args=["--settings", str(settings)])
    assert run.code == 2 and "not valid YAML" in last_line(run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_token_never_follows_a_pagination_link_to_another_host(host, sandbox, tmp_path):
    with ScriptedServer(default=STRANGER_ANSWER) as stranger:
        server = sandbox(FRONT, app_options={"link_host": stranger.url_on(host)})
        run = sync(FRONT, tmp_path, FRONT.config(server), FRONT.catalog(("contacts",)))
        seen = list(stranger.requests)
    assert seen, "the second page was never asked for"
    for request in seen:
        assert "Authorization" not in request["headers"] and "authorization" not in request["headers"]
        assert_no_leak(request["path"], str(request["headers"]), request["body"].decode("utf-8", "replace"))
    assert "not sending credentials to untrusted host" in run.stderr
    # The stranger's 401 is final: one clear line, no retry storm against it.
    assert run.code == 1 and "HTTP 401" in last_line(run.stderr) and "stream contacts" in last_line(run.stderr)
    assert len(seen) == 1
