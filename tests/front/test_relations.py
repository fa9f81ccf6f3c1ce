"""Relationships: the id columns read from `_links` equal the truth's; the lists hanging off
conversations and contacts are read again only for the parents that changed, and what changed
reaches the next run."""
import pytest

from .support import LINK_COLUMNS, assert_matches_truth, config_for, endpoint_requests, start_front, sync

CONVERSATION_LISTS = ("conversation_inboxes", "conversation_followers")
LIST_ENDPOINTS = {"conversation_inboxes": "/conversations/{id}/inboxes",
                  "conversation_followers": "/conversations/{id}/followers"}
STREAMS = ("conversations",) + CONVERSATION_LISTS + ("contacts", "contact_notes")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    server = start_front("small")
    try:
        run = sync(server, tmp_path_factory.mktemp("links"), streams=tuple(LINK_COLUMNS))
        yield {"run": run, "truth": server.truth()}
    finally:
        server.stop()


def test_link_columns_equal_the_relations_of_the_truth(small):
    run, truth = small["run"], small["truth"]
    assert run.code == 0, run.stderr[-2000:]
    for stream, columns in sorted(LINK_COLUMNS.items()):
        expected = truth["link_ids"].get(stream) or _from_links(stream, truth[stream])
        emitted = run.records.get(stream, [])
        assert len(emitted) == len(truth[stream]) > 0, stream
        wrong = [(record["id"], column, record.get(column), expected[record["id"]].get(column))
                 for record in emitted for column in columns
                 if record.get(column) != expected[record["id"]].get(column)]
        assert not wrong, (stream, wrong[:5])
        # Not all null: the sandbox has every kind of relation.
        for column in columns:
            assert any(record.get(column) for record in emitted), (stream, column)


# The sandbox keeps knowledge base structure only in the links it renders.
LINK_OF = {"category_id": "category", "parent_category_id": "parent_category"}


def _from_links(stream, records):
    return {r["id"]: {column: (r["_links"]["related"].get(link) or "").rsplit("/", 1)[-1] or None
                      for column, link in LINK_OF.items()} for r in records}


def _rows_of(records, key, parents):
    return sorted((r[key], r[next(k for k in r if k != key)]) for r in records if r[key] in parents)


def test_changed_conversations_and_contacts_alone_have_their_lists_read_again(front, tmp_path):
    server = front("tiny")
    first = sync(server, tmp_path, streams=STREAMS)
    assert first.code == 0, first.stderr[-2000:]
    changed = {}
    for kind in ("move", "message", "follow", "note"):
        for stream, ids in server.mutate(3, kinds=[kind]).items():
            changed.setdefault(stream, set()).update(ids)
    truth = server.truth()
    server.reset_stats()
    run = sync(server, tmp_path, config_for(server), streams=STREAMS, state=first.last_state)
    assert run.code == 0, run.stderr[-2000:]
    stats = server.stats()

    new_events = {e["id"]: e for e in truth["events"] if e["id"] in changed["events"]}
    touched = {e["conversation"]["id"] for e in new_events.values()}
    assert touched
    for stream in CONVERSATION_LISTS:
        # One request per conversation an event changed, none for the others.
        assert endpoint_requests(stats, LIST_ENDPOINTS[stream]) == len(touched), stream
        emitted = run.records.get(stream, [])
        assert {r["conversation_id"] for r in emitted} <= touched, stream   # some have no follower
        assert _rows_of(emitted, "conversation_id", touched) == _rows_of(truth[stream], "conversation_id", touched)
    # Moved conversations are in their new inbox.
    inbox_of = {r["conversation_id"]: r["inbox_id"] for r in run.records["conversation_inboxes"]}
    for conversation in truth["conversations"]:
        if conversation["id"] in touched:
            assert inbox_of[conversation["id"]] in {r["inbox_id"] for r in truth["conversation_inboxes"]
                                                    if r["conversation_id"] == conversation["id"]}
    # Notes: read for the contacts that changed (a note moves its contact's updated_at) only.
    noted = set(changed["contact_notes"])
    walked = {r["id"] for r in run.records["contacts"]}   # the changed ones, and the overlap's
    assert set(changed["contacts"]) <= walked and len(walked) < len(truth["contacts"]) / 4
    assert endpoint_requests(stats, "/contacts/{id}/notes") == len(walked)
    emitted_notes = [r for r in run.records["contact_notes"] if r["contact_id"] in noted]
    assert_matches_truth("contact_notes", emitted_notes, [n for n in truth["contact_notes"] if n["contact_id"] in noted])


def test_contact_notes_alone_read_only_the_contacts_changed_since_their_own_bookmark(front, tmp_path):
    # One stream per process, as Mage runs them: contacts are read for the notes only, from
    # the notes' bookmark, and nothing of contacts is emitted or kept.
    server = front("tiny")
    first = sync(server, tmp_path, streams=("contact_notes",))
    assert first.code == 0 and set(first.last_state["bookmarks"]) == {"contact_notes"}, first.stderr[-2000:]
    changed = server.mutate(4, kinds=["note"])
    truth = server.truth()
    server.reset_stats()
    run = sync(server, tmp_path, config_for(server), streams=("contact_notes",), state=first.last_state)
    assert run.code == 0, run.stderr[-2000:]
    assert "contacts" not in run.records
    # The changed contacts, and those of the overlap before the bookmark (a few at most).
    asked = endpoint_requests(server.stats(), "/contacts/{id}/notes")
    assert len(set(changed["contacts"])) <= asked <= len(set(changed["contacts"])) + 3
    noted = set(changed["contact_notes"])
    assert_matches_truth("contact_notes", run.records["contact_notes"],
                         [n for n in truth["contact_notes"] if n["contact_id"] in noted])
