"""A sync that dies mid-walk, resumed from its last STATE once the API is healthy again,
delivers everything: the union of both runs equals the truth."""
from .support import SCHEMAS, assert_analytics_match, assert_matches_truth, sync


def test_failed_run_resumed_from_its_state_completes_the_truth(front, tmp_path):
    # Comments fail for good after a while: the run stops inside the conversations tree.
    server = front("tiny", faults="500:after=15@/conversations/{id}/comments")
    failed = sync(server, tmp_path)
    assert failed.code == 1
    assert "/conversations/{conversation_id}/comments" in failed.stderr and "500" in failed.stderr
    state = failed.last_state
    assert state["currently_syncing"] == "conversations"

    server.set_faults("")
    resumed = sync(server, tmp_path, state=state)
    assert resumed.code == 0, resumed.stderr[-2000:]
    truth = server.truth()
    for stream in sorted(SCHEMAS):
        union = failed.records.get(stream, []) + resumed.records.get(stream, [])
        if stream == "analytics":
            assert_analytics_match(union, truth["analytics"])
        else:
            assert_matches_truth(stream, union, truth[stream])
