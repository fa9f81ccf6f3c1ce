"""The generated company: every record except conversations and what hangs off them.

Records are kept as plain dicts in the API's shape but without ``_links`` (which depend on the
host the sandbox is reached at); ``render.Renderer`` adds those. ``generate`` fills a world.
Contacts are many, so they are drawn on demand from their index, with only their timestamps
kept in arrays.
"""
import random
from array import array

from . import words
from .ids import DAY, make_id, stamp
from .scales import SCALES

CUSTOM_FIELD_RESOURCES = ("accounts", "contacts", "conversations", "inboxes", "links",
                          "teammates")


class World:
    def __init__(self, seed, scale, anchor):
        self.seed = seed
        self.scale = scale
        self.counts = dict(SCALES[scale])
        self.anchor = float(anchor)
        self.start = self.anchor - self.counts["days"] * DAY
        self.company_domain = f"company{seed}.example.com"
        self.company = {"id": make_id("cmp", seed), "name": f"Sandbox Company {seed}"}
        self.custom_fields = {}            # resource -> field definitions
        self.teammates = []
        self.teams = []
        self.inboxes = []
        self.team_of_inbox = []            # inbox index -> team index
        self.channels = []
        self.teammate_groups = []
        self.tags = []
        self.contact_lists = []
        self.accounts = []
        self.links = []
        self.rules = []
        self.message_template_folders = []
        self.message_templates = []
        self.shifts = []
        self.statuses = []
        self.contacts = None               # a ContactTable
        # Drawn after the records above (relations.py, content.py): relationships as index
        # pairs and owners, and the records that hang off teammates, teams and contacts.
        self.team_members = []             # (team, teammate), ascending
        self.team_inboxes = []             # (team, inbox)
        self.inbox_teammates = []          # (inbox, teammate): inbox access
        self.group_teammates = []          # (teammate group, teammate)
        self.group_teams = []              # (teammate group, team)
        self.group_inboxes = []            # (teammate group, inbox)
        self.shift_teammates = []          # (shift, teammate)
        self.tag_owners = []               # per record: an owner (relations.py) or None
        self.channel_owners = []
        self.inbox_owners = []
        self.rule_owners = []
        self.template_owners = []
        self.shift_owners = []
        self.contact_owners = []
        self.signatures = []
        self.time_offs = []
        self.views = []
        self.knowledge_bases = []
        self.knowledge_base_categories = []
        self.knowledge_base_articles = []
        self.contact_notes = {}            # contact index -> notes, oldest first

    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.seed,) + parts))

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
