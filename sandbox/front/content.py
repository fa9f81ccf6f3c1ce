"""Records added with the relationships: signatures, time offs, shared views, knowledge bases
(categories, articles) and contact notes. Each from its own seeded generator, drawn after every
other record, so nothing drawn before changes. Private keys (``_owner``, ``_teammate``,
``_team``, ``_kb``, ...) hold the relationships; renderers drop them."""
from . import words
from .ids import DAY, make_id, stamp
from .relations import TEAM, TEAMMATE

TIME_OFF_NAMES = ("Vacation", "Out of office", "Conference", "Parental leave", "Sick leave")
LOCALES = (["en"], ["en", "fr"], ["en", "es", "de"])
NOTE_BODIES = ("Prefers a call over email.", "Renewal due next quarter.",
               "Asked for a discount last time.", "Key decision maker for the account.",
               "Sensitive about shipping delays.", "Met at the spring conference.")


def generate_content(world):
    world.signatures = _signatures(world)
    world.time_offs = _time_offs(world)
    world.views = _views(world)
    world.knowledge_bases = _knowledge_bases(world)
    world.knowledge_base_categories = _categories(world)
    world.knowledge_base_articles = _articles(world)
    world.contact_notes = _contact_notes(world)


def _created(world, rng):
    created = stamp(world.start - rng.uniform(0, 365 * DAY))
    return created, stamp(rng.uniform(created, world.start))


def _signatures(world):
    records, defaults = [], set()
    n_teammates, n_teams = len(world.teammates), len(world.teams)
    for i in range(world.counts["signatures"]):
        rng = world.rng("signature", i)
        owner = (TEAMMATE, rng.randrange(n_teammates)) if i % 2 == 0 else (TEAM, rng.randrange(n_teams))
        name = (world.teammates[owner[1]]["first_name"] if owner[0] == TEAMMATE
                else world.teams[owner[1]]["name"])
        channels = [c["id"] for c in rng.sample(world.channels, min(2, len(world.channels)))]
        records.append({
            "id": make_id("sig", i + 1),
            "name": f"{name} signature {i + 1}",
            "body": f"<div>—<br />{{{{user.name}}}}<br />{name}, {world.company['name']}</div>",
            "sender_info": None if rng.random() < 0.5 else f"{{{{user.name}}}} from {world.company['name']}",
            "is_private": owner[0] == TEAMMATE and rng.random() < 0.5,
            "is_visible_for_all_teammate_channels": rng.random() < 0.5,
            "is_default": owner not in defaults,  # an owner's first signature is its default
            "channel_ids": None if rng.random() < 0.5 else channels,
            "_owner": owner,
        })
        defaults.add(owner)
    return records


def _time_offs(world):
    records = []
    span = world.anchor - world.start
    holders = max(1, (len(world.teammates) + 1) // 2)  # half the teammates, some with several
    for i in range(world.counts["time_offs"]):
        rng = world.rng("time_off", i)
        start = stamp(world.start + rng.uniform(0, span))
        created = stamp(start - rng.uniform(DAY, 30 * DAY))
        end = None if rng.random() < 0.15 else stamp(start + rng.uniform(DAY, 14 * DAY))
        records.append({
            "id": make_id("vcr", i + 1),
            "name": rng.choice(TIME_OFF_NAMES),
            "start_at": start,
            "end_at": end,
            "created_at": created,
            "updated_at": stamp(rng.uniform(created, start)),
            "auto_responder": {
                "is_enabled": rng.random() < 0.6,
                "channel_ids": [world.channels[rng.randrange(len(world.channels))]["id"]],
                "is_contacts_only": rng.random() < 0.3,
                "body": "Thanks for reaching out, I will reply when I am back.",
            },
            "_teammate": i % holders,
        })
    return records


def _views(world):
    records = []
    for i in range(world.counts["views"]):
        rng = world.rng("view", i)
        team = i % len(world.teams)
        inboxes = [world.inboxes[j]["id"] for j, t in enumerate(world.team_of_inbox) if t == team]
        tags = [t["id"] for t in rng.sample(world.tags, min(len(world.tags), rng.randint(0, 2)))]
        assignees = [t["id"] for t in rng.sample(world.teammates, rng.randint(0, 2))]
        records.append({
            "id": make_id("lns", i + 1),
            "name": f"{words.TEAM_NAMES[team % len(words.TEAM_NAMES)]}: {words.SUBJECT_TOPICS[i % len(words.SUBJECT_TOPICS)]}",
            "highlight": rng.choice(words.HIGHLIGHTS) if rng.random() < 0.6 else None,
            "inbox_ids": inboxes,
            "tag_ids": tags[:1],
            "not_tag_ids": tags[1:],
            "no_tags": not tags and rng.random() < 0.3,
            "assignee_ids": assignees[:1],
            "not_assignee_ids": assignees[1:],
            "_team": team,
        })
    return records


def _knowledge_bases(world):
    records = []
    for i in range(world.counts["knowledge_bases"]):
        rng = world.rng("knowledge_base", i)
        created, updated = _created(world, rng)
        records.append({"id": make_id("knb", i + 1), "type": ("external", "internal")[i % 2],
                        "locales": list(LOCALES[i % len(LOCALES)]),
                        "created_at": created, "updated_at": updated})
    return records


def _categories(world):
    records, of_kb = [], {}
    n_kb = len(world.knowledge_bases)
    for i in range(world.counts["knowledge_base_categories"] if n_kb else 0):
        rng = world.rng("knowledge_base_category", i)
        kb = i % n_kb
        siblings = of_kb.setdefault(kb, [])
        parent = rng.choice(siblings) if siblings and rng.random() < 0.3 else None
        created, updated = _created(world, rng)
        records.append({"id": make_id("kbc", i + 1), "slug": f"/categories/{i + 1}",
                        "is_hidden": rng.random() < 0.15,
                        "locales": list(world.knowledge_bases[kb]["locales"]),
                        "created_at": created, "updated_at": updated,
                        "_kb": kb, "_parent": parent})
        siblings.append(i)
    return records


def _articles(world):
    records = []
    n_kb = len(world.knowledge_bases)
    categories = world.knowledge_base_categories
    for i in range(world.counts["knowledge_base_articles"] if n_kb else 0):
        rng = world.rng("knowledge_base_article", i)
        kb = i % n_kb
        own = [j for j, c in enumerate(categories) if c["_kb"] == kb]
        category = rng.choice(own) if own and rng.random() < 0.8 else None
        created, updated = _created(world, rng)
        records.append({"id": make_id("kba", i + 1), "slug": f"/articles/{i + 1}",
                        "locales": list(world.knowledge_bases[kb]["locales"]),
                        "created_at": created, "updated_at": updated,
                        "_kb": kb, "_category": category})
    return records


def _contact_notes(world):
    """``{contact index: [note, ...]}``, oldest first; each note was written before its
    contact's ``updated_at``, and no two notes of a contact share a ``created_at``."""
    rng = world.rng("contact-notes")
    table = world.contacts
    notes = {}
    for _ in range(world.counts["contact_notes"]):
        contact = rng.randrange(table.count)
        created = stamp(rng.uniform(table.created[contact], table.updated[contact]))
        note = {"_author": rng.randrange(len(world.teammates)), "body": rng.choice(NOTE_BODIES),
                "created_at": created, "is_private": False}
        if all(n["created_at"] != created for n in notes.get(contact, ())):
            notes.setdefault(contact, []).append(note)
    for found in notes.values():
        found.sort(key=lambda n: n["created_at"])
    return notes


def add_note(world, contact, author, at):
    """A new note (a mutation), newer than every other note of the contact."""
    world.contact_notes.setdefault(contact, []).append(
        {"_author": author, "body": NOTE_BODIES[author % len(NOTE_BODIES)], "created_at": at,
         "is_private": False})
