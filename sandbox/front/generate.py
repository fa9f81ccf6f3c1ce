"""The company's records drawn from a seed: each record from its own seeded generator, so
adding one kind of record never shifts another."""
from . import words
from .content import generate_content
from .ids import DAY, make_id, stamp
from .relations import generate_relations
from .world import CUSTOM_FIELD_RESOURCES, ContactTable, World

SINGULAR = {"accounts": "Account", "contacts": "Contact", "conversations": "Conversation",
            "inboxes": "Inbox", "links": "Link", "teammates": "Teammate"}


def generate(seed, scale, anchor):
    """The world of ``seed`` at ``scale``, its data ending at ``anchor`` (epoch seconds)."""
    world = World(seed, scale, anchor)
    world.custom_fields = {res: _custom_fields(world, res) for res in CUSTOM_FIELD_RESOURCES}
    world.teammates = _teammates(world)
    world.teams = _teams(world)
    world.inboxes = _inboxes(world)
    world.team_of_inbox = [i % len(world.teams) for i in range(len(world.inboxes))]
    world.channels = _channels(world)
    world.teammate_groups = _teammate_groups(world)
    world.tags = _tags(world)
    world.contact_lists = _contact_lists(world)
    world.accounts = _accounts(world)
    world.links = _links(world)
    world.rules = _rules(world)
    world.message_template_folders = _folders(world)
    world.message_templates = _templates(world)
    world.shifts = _shifts(world)
    world.statuses = _statuses(world)
    world.contacts = ContactTable(world)
    # Relationships and the records hanging off them come last, from generators of their own.
    generate_relations(world)
    generate_content(world)
    return world


def _past_instant(world, rng):
    """A creation time up to a year before the data window opens."""
    return stamp(world.start - rng.uniform(0, 365 * DAY))


def _custom_fields(world, resource):
    rng = world.rng("custom_fields", resource)
    offset = CUSTOM_FIELD_RESOURCES.index(resource) * 100
    fields = []
    for i in range(world.counts["fields_per_resource"]):
        kind = words.CUSTOM_FIELD_TYPES[(i + offset // 100) % len(words.CUSTOM_FIELD_TYPES)]
        field = {
            "id": make_id("fld", offset + i + 1),
            "name": f"{SINGULAR[resource]} {rng.choice(words.TAG_WORDS)} {i + 1}",
            "description": f"Custom {kind} field for {resource}",
            "type": kind,
        }
        if kind == "enum":
            field["values"] = [{"value": w, "label": w.title()}
                               for w in rng.sample(words.TAG_WORDS, 3)]
        fields.append(field)
    return fields

def _teammates(world):
    teammates = []
    for i in range(world.counts["teammates"]):
        rng = world.rng("teammate", i)
        first = words.FIRST_NAMES[(i * 7 + world.seed) % len(words.FIRST_NAMES)]
        last = rng.choice(words.LAST_NAMES)
        username = f"{first}.{last}".lower() + (str(i) if i >= len(words.FIRST_NAMES) else "")
        teammates.append({
            "id": make_id("tea", i + 1),
            "email": f"{username}@{world.company_domain}",
            "username": username,
            "first_name": first,
            "last_name": last,
            "is_admin": i == 0,
            "is_available": rng.random() < 0.8,
            "is_blocked": False,
            "type": "user",
            "custom_fields": world.field_values("teammates", rng),
            "license_type": "regular",
        })
    return teammates

def _teams(world):
    return [{"id": make_id("tim", i + 1), "name": words.TEAM_NAMES[i % len(words.TEAM_NAMES)]}
            for i in range(world.counts["teams"])]

def _inboxes(world):
    inboxes = []
    for i in range(world.counts["inboxes"]):
        rng = world.rng("inbox", i)
        base = words.INBOX_NAMES[i % len(words.INBOX_NAMES)]
        suffix = "" if i < len(words.INBOX_NAMES) else f" {i // len(words.INBOX_NAMES) + 1}"
        inboxes.append({
            "id": make_id("inb", i + 1),
            "name": base + suffix,
            "is_private": False,
            "is_public": True,
            "custom_fields": world.field_values("inboxes", rng),
        })
    return inboxes

def _channels(world):
    channels = []
    for i in range(len(world.inboxes) + 1):
        rng = world.rng("channel", i)
        name = world.inboxes[i]["name"] if i < len(world.inboxes) else "Unrouted"
        address = name.lower().replace(" ", "-") + "@" + world.company_domain
        channels.append({
            "id": make_id("cha", i + 1),
            "name": name,
            "address": address,
            "type": rng.choice(words.CHANNEL_TYPES),
            "send_as": address,
            "settings": {"undo_send_time": rng.choice((0, 5, 10, 15, 30, 60)),
                         "all_teammates_can_reply": rng.random() < 0.7},
            "is_private": False,
            "is_valid": True,
        })
    return channels

def _teammate_groups(world):
    return [{
        "id": make_id("tgr", i + 1),
        "name": f"{words.TEAM_NAMES[(i + 3) % len(words.TEAM_NAMES)]} group",
        "description": "Teammates who share permissions",
        "is_managed_by_scim": False,
        "permissions": {"contacts": {"access": "all", "contact_list_ids": []}},
    } for i in range(world.counts["teammate_groups"])]

def _tags(world):
    tags = []
    n = world.counts["tags"]
    for i in range(n):
        rng = world.rng("tag", i)
        name = words.TAG_WORDS[i % len(words.TAG_WORDS)]
        if i >= len(words.TAG_WORDS):
            name += f"-{i // len(words.TAG_WORDS) + 1}"
        created = _past_instant(world, rng)
        # Every fifth tag after the first few is a child of an earlier one.
        parent = rng.randrange(0, max(1, i // 2)) if i >= 4 and i % 5 == 4 else None
        tags.append({
            "id": make_id("tag", i + 1),
            "name": name,
            "description": None if rng.random() < 0.5 else f"Conversations about {name}",
            "highlight": rng.choice(words.HIGHLIGHTS) if rng.random() < 0.7 else None,
            "is_private": False,
            "is_visible_in_conversation_lists": True,
            "created_at": created,
            "updated_at": stamp(rng.uniform(created, world.start)),
            "_parent": parent,
        })
    return tags

def _contact_lists(world):
    return [{"id": make_id("grp", i + 1),
             "name": f"{words.COMPANY_WORDS[i % len(words.COMPANY_WORDS)]} contacts",
             "is_private": i % 4 == 3}
            for i in range(world.counts["contact_lists"])]

def _accounts(world):
    accounts = []
    for i in range(world.counts["accounts"]):
        rng = world.rng("account", i)
        name = (f"{words.COMPANY_WORDS[i % len(words.COMPANY_WORDS)]} "
                f"{words.COMPANY_SUFFIXES[(i // len(words.COMPANY_WORDS)) % 7]}")
        if i >= len(words.COMPANY_WORDS) * 7:
            name += f" {i // (len(words.COMPANY_WORDS) * 7) + 1}"
        created = stamp(world.start - rng.uniform(0, 365 * DAY) if rng.random() < 0.7
                        else world.start + rng.uniform(0, world.anchor - world.start - DAY))
        accounts.append({
            "id": make_id("acc", i + 1),
            "name": name,
            "logo_url": None,
            "description": f"{name} is a customer since {int(created) // (365 * DAY) + 1970}",
            "domains": [name.lower().replace(" ", "") + ".example.com"],
            "external_id": f"crm-{1000 + i}" if rng.random() < 0.6 else None,
            "custom_fields": world.field_values("accounts", rng),
            "created_at": created,
            "updated_at": stamp(rng.uniform(max(created, world.start), world.anchor - 60)),
        })
    return accounts

def _links(world):
    links = []
    for i in range(world.counts["links"]):
        rng = world.rng("link", i)
        kind = words.LINK_TYPES[i % len(words.LINK_TYPES)]
        links.append({
            "id": make_id("top", i + 1),
            "name": f"{kind.upper()}-{100 + i}",
            "type": kind,
            "external_url": f"https://{kind}.example.com/items/{100 + i}",
            "custom_fields": world.field_values("links", rng),
        })
    return links

def _rules(world):
    actions = ("Assign to teammate", "Add tag", "Move to inbox", "Send auto-reply",
               "Archive", "Notify team")
    return [{"id": make_id("rul", i + 1),
             "name": f"Rule {i + 1}: {actions[i % len(actions)].lower()}",
             "actions": [actions[i % len(actions)], actions[(i + 2) % len(actions)]],
             "is_private": False}
            for i in range(world.counts["rules"])]

def _folders(world):
    folders = []
    for i in range(world.counts["message_template_folders"]):
        rng = world.rng("folder", i)
        created = _past_instant(world, rng)
        folders.append({"id": make_id("rsf", i + 1),
                        "name": f"{words.TEAM_NAMES[i % len(words.TEAM_NAMES)]} replies",
                        "created_at": created,
                        "updated_at": stamp(rng.uniform(created, world.start))})
    return folders

def _templates(world):
    templates = []
    n_folders = len(world.message_template_folders)
    for i in range(world.counts["message_templates"]):
        rng = world.rng("template", i)
        for_all = rng.random() < 0.7
        templates.append({
            "id": make_id("rsp", i + 1),
            "name": f"Reply about {words.SUBJECT_TOPICS[i % len(words.SUBJECT_TOPICS)]}",
            "subject": None if rng.random() < 0.3 else "Re: your request",
            "body": "<p>" + rng.choice(words.SENTENCES) + "</p>",
            "attachments": [],
            "is_available_for_all_inboxes": for_all,
            "inbox_ids": None if for_all else [world.inboxes[rng.randrange(len(world.inboxes))]["id"]],
            "_folder": rng.randrange(n_folders) if n_folders and rng.random() < 0.8 else None,
        })
    return templates

def _shifts(world):
    shifts = []
    for i in range(world.counts["shifts"]):
        rng = world.rng("shift", i)
        created = _past_instant(world, rng)
        start_hour = 6 + 4 * (i % 3)
        times = {day: {"start": f"{start_hour:02d}:00", "end": f"{start_hour + 8:02d}:00"}
                 for day in ("mon", "tue", "wed", "thu", "fri")}
        shifts.append({"id": make_id("shf", i + 1),
                       "name": ("Early", "Day", "Late")[i % 3] + f" shift {i + 1}",
                       "color": words.SHIFT_COLORS[i % len(words.SHIFT_COLORS)],
                       "timezone": words.TIMEZONES[i % len(words.TIMEZONES)],
                       "times": times,
                       "created_at": created,
                       "updated_at": stamp(rng.uniform(created, world.start))})
    return shifts

def _statuses(world):
    statuses = []
    for i, (name, category) in enumerate(words.STATUSES):
        rng = world.rng("status", i)
        created = _past_instant(world, rng)
        statuses.append({"id": make_id("sts", i + 1), "name": name, "category": category,
                         "description": None if i % 2 else f"Tickets that are {category}",
                         "created_at": created,
                         "updated_at": stamp(rng.uniform(created, world.start))})
    return statuses
