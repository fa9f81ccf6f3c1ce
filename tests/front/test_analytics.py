"""Analytics reports: polled until done, one complete row per day; a report that is not done
never becomes a row, and a failed one fails the run after the other streams, by window."""
from .support import assert_analytics_match, assert_matches_truth, config_for, endpoint_requests, sync


def test_reports_running_for_several_polls_give_complete_rows(front, tmp_path):
    polls = 4
    server = front("tiny", app_options={"report_polls": polls})
    run = sync(server, tmp_path, streams=("analytics",))
    assert run.code == 0, run.stderr[-2000:]
    truth = server.truth()["analytics"]
    rows = run.records["analytics"]
    assert_analytics_match(rows, truth)
    assert len(rows) == len(truth)
    stats = server.stats()
    assert endpoint_requests(stats, "/analytics/reports") == len(truth)
    # Each report polled until done, and not once more.
    assert endpoint_requests(stats, "/analytics/reports/{id}") == len(truth) * (polls + 1)
    assert run.last_state["bookmarks"]["analytics"]["end_time"]


def test_locked_answers_are_waited_out(front, tmp_path):
    server = front("tiny", faults="423:every=3@/analytics/reports/{id}")
    run = sync(server, tmp_path, streams=("analytics",))
    assert run.code == 0, run.stderr[-2000:]
    assert_analytics_match(run.records["analytics"], server.truth()["analytics"])
    assert server.stats()["faults"] > 0


def test_failed_reports_fail_the_run_after_the_other_streams(front, tmp_path):
    server = front("tiny", app_options={"report_fail": True})
    run = sync(server, tmp_path, streams=("analytics", "tags", "teammates"))
    assert run.code == 1
    assert "analytics" not in run.records       # no row for a report that is not done
    truth = server.truth()
    # "teammates" comes after "analytics": the failure waited for it.
    assert_matches_truth("teammates", run.records["teammates"], truth["teammates"])
    assert_matches_truth("tags", run.records["tags"], truth["tags"])
    message = run.stderr.strip().splitlines()[-1]
    first_day = config_for(server)["start_date"][:10]
    assert "analytics" in message and "could not compute" in message and first_day in message, message
    assert not run.last_state["bookmarks"].get("analytics", {}).get("end_time")


def test_hourly_range_falls_back_to_daily_rows_with_a_warning(front, tmp_path):
    server = front("tiny")
    run = sync(server, tmp_path, config_for(server, incremental_range="hourly"), streams=("analytics",))
    assert run.code == 0, run.stderr[-2000:]
    assert "whole days" in run.stderr
    assert_analytics_match(run.records["analytics"], server.truth()["analytics"])


def test_rerun_pulls_the_lookback_days_again(front, tmp_path):
    server = front("tiny")
    first = sync(server, tmp_path, streams=("analytics",))
    server.reset_stats()
    again = sync(server, tmp_path, config_for(server, lookback_window=3), state=first.last_state,
                 streams=("analytics",))
    assert again.code == 0, again.stderr[-2000:]
    days = [row["start_time"] for row in again.records["analytics"]]
    # Three days back from the bookmark (mid-today), today included.
    assert len(days) == 4 and days == sorted(days)
    assert days[-1] == first.records["analytics"][-1]["start_time"]


def test_a_report_locked_for_good_fails_the_run_in_bounded_requests(front, tmp_path):
    server = front("tiny", faults="423@/analytics/reports/{id}")   # every poll answers 423
    config = config_for(server, retry_base_seconds=0.001)
    config["end_date"] = config["start_date"][:10] + "T23:59:59Z"   # one day: one report
    run = sync(server, tmp_path, config, streams=("analytics", "tags"))
    assert run.code == 1
    assert "analytics" in run.stderr.strip().splitlines()[-1]
    assert_matches_truth("tags", run.records["tags"], server.truth()["tags"])
    reports = endpoint_requests(server.stats(), "/analytics/reports")
    # Each report's poll gets the client's retry budget (10 tries), never more.
    assert endpoint_requests(server.stats(), "/analytics/reports/{id}") <= reports * 10
