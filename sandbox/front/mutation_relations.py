"""The mutation kinds that change relationships: ``follow`` and ``unfollow`` (a teammate starts
or stops following a conversation) and ``note`` (a new note on a contact).

The spec has no event type for followers, so following emits no event and leaves the
conversation's ``updated_at`` alone; the conversation is listed under
``changed["conversation_followers"]``. A note moves its contact's ``updated_at`` (so
``/contacts?q[updated_after]`` finds it); the contact is listed under ``contacts`` and
``contact_notes``."""
from .content import add_note
from .ids import conversation_id, make_id
from .relations import followers

RELATION_CHANGES = ("follow", "unfollow", "note")


def follow_applies(kind, conv, world):
    following = followers(world, conv)
    if kind == "follow":
        return len(following) < len(world.teammates)
    return bool(following)


def follow(run, conv, start):
    """``run`` is a ``mutation._Mutation``."""
    following = followers(run.world, conv)
    if start:
        teammate = run.rng.choice([t for t in range(len(run.world.teammates)) if t not in following])
        conv.followers = tuple(sorted(following + (teammate,)))
    else:
        teammate = run.rng.choice(following)
        conv.followers = tuple(t for t in following if t != teammate)
    run.touched.add(conv.index)
    _changed(run, "conversation_followers", conversation_id(conv.index))
    return True


def note(run):
    table = run.world.contacts
    index = run.rng.randrange(table.count)
    at = run.clock()
    add_note(run.world, index, run.teammate(), at)
    table.updated[index] = at
    table.version += 1
    contact = make_id("crd", index + 1)
    _changed(run, "contacts", contact)
    _changed(run, "contact_notes", contact)
    return True


def _changed(run, stream, value):
    ids = run.changed.setdefault(stream, [])
    if value not in ids:
        ids.append(value)
