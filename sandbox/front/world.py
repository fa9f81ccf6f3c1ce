"""The generated company: every record except conversations and what hangs off them.

Records are kept as plain dicts in the API's shape but without ``_links`` (which depend on the
host the sandbox is reached at); ``render.Renderer`` adds those. Contacts are many, so they are
generated on demand from their index, with only their timestamps kept in arrays.
"""
import random
from array import array

from . import words
from .ids import DAY, make_id, stamp
from .scales import SCALES

CUSTOM_FIELD_RESOURCES = ("accounts", "contacts", "conversations", "inboxes", "links",
                          "teammates")
SINGULAR = {"accounts": "Account", "contacts": "Contact", "conversations": "Conversation",
            "inboxes": "Inbox", "links": "Link", "teammates": "Teammate"}


class World:
    def __init__(self, seed, scale, anchor):
        self.seed = seed
        self.scale = scale
        self.counts = dict(SCALES[scale])
        self.anchor = float(anchor)
        self.start = self.anchor - self.counts["days"] * DAY
        self.company_domain = f"company{seed}.example.com"
        self.company = {"id": make_id("cmp", seed), "name": f"Sandbox Company {seed}"}
        self.custom_fields = {res: self._custom_fields(res) for res in CUSTOM_FIELD_RESOURCES}
        self.teammates = self._teammates()
        self.teams = self._teams()
        self.inboxes = self._inboxes()
        self.team_of_inbox = [i % len(self.teams) for i in range(len(self.inboxes))]
        self.channels = self._channels()
        self.teammate_groups = self._teammate_groups()
        self.tags = self._tags()
        self.contact_lists = self._contact_lists()
        self.accounts = self._accounts()
        self.links = self._links()
        self.rules = self._rules()
        self.message_template_folders = self._folders()
        self.message_templates = self._templates()
        self.shifts = self._shifts()
        self.statuses = self._statuses()
        self.contacts = ContactTable(self)

    # -- helpers -----------------------------------------------------------------------------
    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.seed,) + parts))

    def past_instant(self, rng, before=None):
        """A creation time up to a year before the data window opens."""
        before = self.start if before is None else before
        return stamp(before - rng.uniform(0, 365 * DAY))

    def field_values(self, resource, rng):
        values = {}
        for field in self.custom_fields[resource]:
            if rng.random() < 0.25:
                continue  # unset fields are simply absent
            values[field["name"]] = self.field_value(field, rng)
        return values

    def field_value(self, field, rng):
        kind = field["type"]
        if kind == "string":
            return rng.choice(words.TAG_WORDS)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "number":
            return rng.randint(1, 5000)
        if kind == "datetime":
            return stamp(self.start + rng.uniform(0, self.anchor - self.start))
        if kind == "teammate":
            return f"{rng.choice(words.FIRST_NAMES).lower()}@{self.company_domain}"
        if kind == "inbox":
            return rng.choice(words.INBOX_NAMES)
        return rng.choice(field["values"])["value"]

    def conversation_field_values(self, index):
        """A conversation's custom fields as drawn (before any edit)."""
        return self.field_values("conversations", self.rng("conversation-fields", index))

    # -- generators --------------------------------------------------------------------------
    def _custom_fields(self, resource):
        rng = self.rng("custom_fields", resource)
        offset = CUSTOM_FIELD_RESOURCES.index(resource) * 100
        fields = []
        for i in range(self.counts["fields_per_resource"]):
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

    def _teammates(self):
        teammates = []
        for i in range(self.counts["teammates"]):
            rng = self.rng("teammate", i)
            first = words.FIRST_NAMES[(i * 7 + self.seed) % len(words.FIRST_NAMES)]
            last = rng.choice(words.LAST_NAMES)
            username = f"{first}.{last}".lower() + (str(i) if i >= len(words.FIRST_NAMES) else "")
            teammates.append({
                "id": make_id("tea", i + 1),
                "email": f"{username}@{self.company_domain}",
                "username": username,
                "first_name": first,
                "last_name": last,
                "is_admin": i == 0,
                "is_available": rng.random() < 0.8,
                "is_blocked": False,
                "type": "user",
                "custom_fields": self.field_values("teammates", rng),
                "license_type": "regular",
            })
        return teammates

    def _teams(self):
        return [{"id": make_id("tim", i + 1), "name": words.TEAM_NAMES[i % len(words.TEAM_NAMES)]}
                for i in range(self.counts["teams"])]

    def _inboxes(self):
        inboxes = []
        for i in range(self.counts["inboxes"]):
            rng = self.rng("inbox", i)
            base = words.INBOX_NAMES[i % len(words.INBOX_NAMES)]
            suffix = "" if i < len(words.INBOX_NAMES) else f" {i // len(words.INBOX_NAMES) + 1}"
            inboxes.append({
                "id": make_id("inb", i + 1),
                "name": base + suffix,
                "is_private": False,
                "is_public": True,
                "custom_fields": self.field_values("inboxes", rng),
            })
        return inboxes

    def _channels(self):
        channels = []
        for i in range(len(self.inboxes) + 1):
            rng = self.rng("channel", i)
            name = self.inboxes[i]["name"] if i < len(self.inboxes) else "Unrouted"
            address = name.lower().replace(" ", "-") + "@" + self.company_domain
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

    def _teammate_groups(self):
        return [{
            "id": make_id("tgr", i + 1),
            "name": f"{words.TEAM_NAMES[(i + 3) % len(words.TEAM_NAMES)]} group",
            "description": "Teammates who share permissions",
            "is_managed_by_scim": False,
            "permissions": {"contacts": {"access": "all", "contact_list_ids": []}},
        } for i in range(self.counts["teammate_groups"])]

    def _tags(self):
        tags = []
        n = self.counts["tags"]
        for i in range(n):
            rng = self.rng("tag", i)
            name = words.TAG_WORDS[i % len(words.TAG_WORDS)]
            if i >= len(words.TAG_WORDS):
                name += f"-{i // len(words.TAG_WORDS) + 1}"
            created = self.past_instant(rng)
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
                "updated_at": stamp(rng.uniform(created, self.start)),
                "_parent": parent,
            })
        return tags

    def _contact_lists(self):
        return [{"id": make_id("grp", i + 1),
                 "name": f"{words.COMPANY_WORDS[i % len(words.COMPANY_WORDS)]} contacts",
                 "is_private": i % 4 == 3}
                for i in range(self.counts["contact_lists"])]

    def _accounts(self):
        accounts = []
        for i in range(self.counts["accounts"]):
            rng = self.rng("account", i)
            name = (f"{words.COMPANY_WORDS[i % len(words.COMPANY_WORDS)]} "
                    f"{words.COMPANY_SUFFIXES[(i // len(words.COMPANY_WORDS)) % 7]}")
            if i >= len(words.COMPANY_WORDS) * 7:
                name += f" {i // (len(words.COMPANY_WORDS) * 7) + 1}"
            created = stamp(self.start - rng.uniform(0, 365 * DAY) if rng.random() < 0.7
                            else self.start + rng.uniform(0, self.anchor - self.start - DAY))
            accounts.append({
                "id": make_id("acc", i + 1),
                "name": name,
                "logo_url": None,
                "description": f"{name} is a customer since {int(created) // (365 * DAY) + 1970}",
                "domains": [name.lower().replace(" ", "") + ".example.com"],
                "external_id": f"crm-{1000 + i}" if rng.random() < 0.6 else None,
                "custom_fields": self.field_values("accounts", rng),
                "created_at": created,
                "updated_at": stamp(rng.uniform(max(created, self.start), self.anchor - 60)),
            })
        return accounts

    def _links(self):
        links = []
        for i in range(self.counts["links"]):
            rng = self.rng("link", i)
            kind = words.LINK_TYPES[i % len(words.LINK_TYPES)]
            links.append({
                "id": make_id("top", i + 1),
                "name": f"{kind.upper()}-{100 + i}",
                "type": kind,
                "external_url": f"https://{kind}.example.com/items/{100 + i}",
                "custom_fields": self.field_values("links", rng),
            })
        return links

    def _rules(self):
        actions = ("Assign to teammate", "Add tag", "Move to inbox", "Send auto-reply",
                   "Archive", "Notify team")
        return [{"id": make_id("rul", i + 1),
                 "name": f"Rule {i + 1}: {actions[i % len(actions)].lower()}",
                 "actions": [actions[i % len(actions)], actions[(i + 2) % len(actions)]],
                 "is_private": False}
                for i in range(self.counts["rules"])]

    def _folders(self):
        folders = []
        for i in range(self.counts["message_template_folders"]):
            rng = self.rng("folder", i)
            created = self.past_instant(rng)
            folders.append({"id": make_id("rsf", i + 1),
                            "name": f"{words.TEAM_NAMES[i % len(words.TEAM_NAMES)]} replies",
                            "created_at": created,
                            "updated_at": stamp(rng.uniform(created, self.start))})
        return folders

    def _templates(self):
        templates = []
        n_folders = len(self.message_template_folders)
        for i in range(self.counts["message_templates"]):
            rng = self.rng("template", i)
            for_all = rng.random() < 0.7
            templates.append({
                "id": make_id("rsp", i + 1),
                "name": f"Reply about {words.SUBJECT_TOPICS[i % len(words.SUBJECT_TOPICS)]}",
                "subject": None if rng.random() < 0.3 else "Re: your request",
                "body": "<p>" + rng.choice(words.SENTENCES) + "</p>",
                "attachments": [],
                "is_available_for_all_inboxes": for_all,
                "inbox_ids": None if for_all else [self.inboxes[rng.randrange(len(self.inboxes))]["id"]],
                "_folder": rng.randrange(n_folders) if n_folders and rng.random() < 0.8 else None,
            })
        return templates

    def _shifts(self):
        shifts = []
        for i in range(self.counts["shifts"]):
            rng = self.rng("shift", i)
            created = self.past_instant(rng)
            start_hour = 6 + 4 * (i % 3)
            times = {day: {"start": f"{start_hour:02d}:00", "end": f"{start_hour + 8:02d}:00"}
                     for day in ("mon", "tue", "wed", "thu", "fri")}
            shifts.append({"id": make_id("shf", i + 1),
                           "name": ("Early", "Day", "Late")[i % 3] + f" shift {i + 1}",
                           "color": words.SHIFT_COLORS[i % len(words.SHIFT_COLORS)],
                           "timezone": words.TIMEZONES[i % len(words.TIMEZONES)],
                           "times": times,
                           "created_at": created,
                           "updated_at": stamp(rng.uniform(created, self.start))})
        return shifts

    def _statuses(self):
        statuses = []
        for i, (name, category) in enumerate(words.STATUSES):
            rng = self.rng("status", i)
            created = self.past_instant(rng)
            statuses.append({"id": make_id("sts", i + 1), "name": name, "category": category,
                             "description": None if i % 2 else f"Tickets that are {category}",
                             "created_at": created,
                             "updated_at": stamp(rng.uniform(created, self.start))})
        return statuses


class ContactTable:
    """Contacts generated from their index; only timestamps live in memory (and mutations)."""

    def __init__(self, world):
        self.world = world
        self.count = world.counts["contacts"]
        self.created = array("d")
        self.updated = array("d")
        span = world.anchor - world.start
        for i in range(self.count):
            rng = world.rng("contact", i)
            created = stamp(world.start - rng.uniform(0, 180 * DAY) if rng.random() < 0.5
                            else world.start + rng.uniform(0, span - DAY))
            self.created.append(created)
            self.updated.append(stamp(rng.uniform(max(created, world.start), world.anchor - 1)))
        self.version = 0  # bumped on every mutation, so sorted views know to rebuild

    def name(self, i):
        first = words.FIRST_NAMES[(i * 7 + self.world.seed) % len(words.FIRST_NAMES)]
        last = words.LAST_NAMES[(i * 11 + self.world.seed * 3) % len(words.LAST_NAMES)]
        return first, last

    def email(self, i):
        first, last = self.name(i)
        domain = words.DOMAINS[i % len(words.DOMAINS)]
        return f"{first}.{last}.{i}@{domain}".lower()

    def record(self, i):
        """The contact's fields (without ``_links``), the same every time for one index."""
        world = self.world
        rng = world.rng("contact-detail", i)
        first, last = self.name(i)
        handles = [{"handle": self.email(i), "source": "email"}]
        if rng.random() < 0.3:
            handles.append({"handle": f"+1555{i % 10000000:07d}", "source": "phone"})
        n_lists = len(world.contact_lists)
        lists = sorted(rng.sample(range(n_lists), rng.randint(0, min(2, n_lists))))
        return {
            "id": make_id("crd", i + 1),
            "name": f"{first} {last}",
            "description": rng.choice(("", "Key contact", "Prefers email", "Decision maker")),
            "avatar_url": f"https://avatars.example.com/{i + 1}.png",
            "is_spammer": False,
            "links": [],
            "_lists": lists,
            "handles": handles,
            "custom_fields": world.field_values("contacts", rng),
            "is_private": False,
            "_account": self.account_of(i),
            "updated_at": self.updated[i],
        }

    def account_of(self, i):
        n = len(self.world.accounts)
        return (i * 31 + self.world.seed) % n if n and i % 5 != 4 else None
