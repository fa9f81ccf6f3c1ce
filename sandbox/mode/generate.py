"""Deterministic workspace data from a seed, a scale and an anchor time.

Everything happens before the anchor. Some records are placed on purpose so that every scale
has the shapes a tap must cope with; ``Landmarks`` names them for tests and documentation."""
import random
from dataclasses import dataclass, field

from . import words
from .generate_reports import ReportGeneration
from .ids import IdMint, TokenMint, random_uuid
from .timefmt import DAY, HOUR, MINUTE, SECOND
from .world import AuditEntry, DataSource, Definition, Group, GroupMembership, Space, SpaceMembership, User, World

HISTORY = 3 * 365 * DAY


@dataclass
class Landmarks:
    """Tokens of the records placed on purpose."""
    crowded_space: str = ""          # more reports than one page holds
    empty_space: str = ""            # no reports at all
    busy_report: str = ""            # more runs than one page holds
    report_without_queries: str = ""
    query_without_charts: str = ""
    soft_deleted_reports: list[str] = field(default_factory=list)
    reports_with_unfinished_runs: list[str] = field(default_factory=list)
    purged_runs: list[str] = field(default_factory=list)   # results answer 404


class _Generator(ReportGeneration):
    def __init__(self, seed, scale, anchor_ms):
        self.rng = random.Random(seed)
        self.scale = scale
        self.anchor = anchor_ms
        self.start = anchor_ms - HISTORY
        self.tokens = TokenMint(self.rng)
        self.world = World()
        self.world.salt = f"mode-sandbox:{seed}"
        self.world.created_at = self.start
        self.world.tokens = self.tokens      # mutations keep minting unique tokens
        self.landmarks = Landmarks()

    # -- small helpers -------------------------------------------------------------------
    def between(self, low, high):
        return self.rng.randint(low, max(low, high))

    def chance(self, probability):
        return self.rng.random() < probability

    def sorted_times(self, count, low, high):
        return sorted(self.between(low, high) for _ in range(count))

    def active_username(self):
        while True:
            user = self.rng.choice(self.world.users)
            if user.state == "active":
                return user.username

    # -- the workspace -------------------------------------------------------------------
    def run(self):
        world = self.world
        world.account_id = self.between(700000, 799999)
        world.organization_token = self.tokens.next()
        world.palette_tokens = [self.tokens.next() for _ in range(3)]
        self.make_users()
        self.make_groups()
        self.make_data_sources()
        self.make_spaces()
        self.make_reports()
        self.number_runs()
        self.make_definitions()
        self.make_space_memberships()
        self.make_audit_log()
        return world, self.landmarks

    def make_users(self):
        ids = IdMint(self.rng, 745000)
        taken = set()
        for index, created in enumerate(
                self.sorted_times(self.scale.users, self.start, self.anchor - 30 * DAY)):
            first = self.rng.choice(words.FIRST_NAMES)
            last = self.rng.choice(words.LAST_NAMES)
            username = f"{first}_{last}"
            if username in taken:
                username += str(index)
            taken.add(username)
            invited = index > 1 and self.chance(0.08)
            banned = index > 1 and not invited and self.chance(0.03)
            self.world.users.append(User(
                token=self.tokens.next(), id=ids.next(), username=username,
                name=f"{first.title()} {last.title()}",
                email=f"{first}.{last}{index}@example.com",
                created_at=created,
                activated_at=None if invited else created + self.between(MINUTE, 2 * DAY),
                admin=index < 2 or self.chance(0.05),
                state="pending" if invited else "banned" if banned else "active",
                invited=invited, managed_by_scim=self.chance(0.1)))

    def make_groups(self):
        ids = IdMint(self.rng, 88000)
        for index, created in enumerate(
                self.sorted_times(self.scale.groups, self.start + 20 * DAY,
                                  self.anchor - 20 * DAY)):
            name = words.GROUP_NAMES[index % len(words.GROUP_NAMES)]
            if index >= len(words.GROUP_NAMES):
                name += f" {index // len(words.GROUP_NAMES) + 1}"
            group = Group(token=self.tokens.next(), id=ids.next(), name=name,
                          description=self.rng.choice((None, f"Members of {name}")),
                          group_type="custom", state="active", managed=self.chance(0.2),
                          created_at=created, creator=self.active_username(), memberships=[])
            size = self.between(2, min(12, len(self.world.users)))
            for user in self.rng.sample(self.world.users, size):
                group.memberships.append(GroupMembership(
                    token=self.tokens.next(), group=group, user=user,
                    created_at=self.between(created, self.anchor - DAY),
                    creator=group.creator))
            self.world.groups.append(group)
            self.world.index("group", group)

    def make_data_sources(self):
        ids = IdMint(self.rng, 34400)
        for index, created in enumerate(
                self.sorted_times(self.scale.data_sources, self.start, self.start + 300 * DAY)):
            vendor, adapter, port, version = words.VENDORS[index % len(words.VENDORS)]
            role = ("Warehouse", "Replica", "Events", "Finance")[index // len(words.VENDORS) % 4]
            name = f"{vendor.title()} {role}"
            source = DataSource(
                token=self.tokens.next(), id=ids.next(), name=name,
                description=self.rng.choice(("", "Primary analytics database",
                                             "Read replica for reporting")),
                adapter=adapter, adapter_version=version, vendor=vendor,
                database=self.rng.choice(("analytics", "prod", "warehouse", "events")),
                host=f"{vendor}-{index}.db.internal.example", port=port,
                username="mode_reader",
                warehouse="COMPUTE_WH" if vendor == "snowflake" else None,
                created_at=created,
                updated_at=self.between(created, self.anchor - 10 * DAY),
                is_default=index == 0, creator=self.world.users[0].username)
            self.world.data_sources.append(source)
            self.world.index("data_source", source)

    def make_spaces(self):
        owners = self.world.users[:max(1, len(self.world.users) // 6)]
        plans = [None] * self.scale.spaces + owners     # None: a shared space
        self.rng.shuffle(plans)
        times = self.sorted_times(len(plans), self.start, self.anchor - 60 * DAY)
        spaces, shared_count = [], 0
        for owner, created in zip(plans, times):
            if owner is None:
                base = words.SPACE_NAMES[shared_count % len(words.SPACE_NAMES)]
                laps = shared_count // len(words.SPACE_NAMES)
                name = f"{base} {laps + 1}" if laps else base
                shared_count += 1
                space = Space(
                    token=self.tokens.next(), name=name, space_type="custom",
                    description=self.rng.choice((None, f"Reports for the {name} team")),
                    restricted=self.chance(0.15), free_default=self.chance(0.7),
                    default_access_level=self.rng.choice(("edit", "view", "view")),
                    creator=self.active_username())
            else:
                space = Space(token=self.tokens.next(), name="Personal", space_type="private",
                              description=None, restricted=True, free_default=False,
                              default_access_level="none", creator=owner.username)
            space.state = "active"
            space.viewed = self.chance(0.6)
            space.created_at = created
            space.reports, space.datasets, space.memberships = [], [], []
            spaces.append(space)
        # Ids follow creation time; the list endpoint serves spaces by id.
        ids = IdMint(self.rng, 1905000)
        for space in spaces:
            space.id = ids.next()
            self.world.index("space", space)
        self.world.spaces = spaces
        shared_spaces = [s for s in spaces if s.space_type == "custom"]
        self.landmarks.crowded_space = shared_spaces[0].token
        self.landmarks.empty_space = shared_spaces[-1].token

    # -- the rest ------------------------------------------------------------------------
    def make_definitions(self):
        ids = IdMint(self.rng, 40000)
        runnable = [r for r in self.world.reports if r.runs and r.queries]
        for created in self.sorted_times(self.scale.definitions, self.start + 30 * DAY,
                                         self.anchor - 5 * DAY):
            table = self.rng.choice(sorted(words.TABLES))
            columns = ", ".join(name for name, _ in words.TABLES[table])
            updated = self.between(created, self.anchor - HOUR)
            source_report = self.rng.choice(runnable) if runnable else None
            definition = Definition(
                token=self.tokens.next(), id=ids.next(),
                name=f"{table}_{self.rng.choice(('base', 'clean', 'latest', 'daily'))}",
                description=self.rng.choice(("", f"Reusable {table} query")),
                source=f"SELECT {columns}\\nFROM {table}",
                data_source=self.rng.choice(self.world.data_sources), created_at=created,
                updated_at=updated, last_saved_at=updated + self.between(10, 90),
                last_run=(source_report, source_report.runs[-1], 0) if source_report else None,
                creator=self.active_username())
            self.world.definitions.append(definition)
            self.world.index("definition", definition)

    def make_space_memberships(self):
        users_by_name = {user.username: user for user in self.world.users}
        for space in self.world.spaces:
            if space.space_type == "private":
                members = [users_by_name[space.creator]]
            else:
                pool = self.world.users + self.world.groups
                members = self.rng.sample(pool, self.between(1, min(6, len(pool))))
            for member in members:
                space.memberships.append(SpaceMembership(
                    token=self.tokens.next(), space=space, member=member,
                    member_type="UserGroup" if isinstance(member, Group) else "User",
                    created_at=self.between(space.created_at, self.anchor - DAY),
                    creator=space.creator))

    def make_audit_log(self):
        world, rng = self.world, self.rng
        for stamp in self.sorted_times(self.scale.audit_logs, self.start, self.anchor - SECOND):
            world.audit_log.append(audit_entry(world, rng, stamp * 1000 + self.between(0, 999)))


def audit_entry(world, rng, timestamp_us):
    """One audit log entry about a random object of the kind its action concerns."""
    action, description, entity_type = rng.choice(words.AUDIT_ACTIONS)
    if entity_type == "workspace_membership":
        user = rng.choice(world.users)
        entity = (user.username, user.token)
    elif entity_type == "group" and world.groups:
        group = rng.choice(world.groups)
        entity = (group.name, group.token)
    elif entity_type == "collection":
        space = rng.choice(world.spaces)
        entity = (space.name, space.token)
    elif entity_type == "workspace_connection":
        source = rng.choice(world.data_sources)
        entity = (source.name, source.token)
    elif entity_type == "report" and world.reports:
        report = rng.choice(world.reports)
        entity = (report.name, report.token)
    else:
        entity = (f"token {rng.randint(1, 99)}", f"{rng.getrandbits(48):012x}")
    context = {"correlation_id": random_uuid(rng)}
    if action == "connection_group_added_with_role" and world.groups:
        group = rng.choice(world.groups)
        context.update(group_id=group.token, group_name=group.name,
                       role=rng.choice(("view", "query")))
    elif action == "collection_access_changed":
        context.update(old_level="view", new_level=rng.choice(("edit", "none")))
    octets = ((11, 220), (0, 255), (0, 255), (1, 254))
    ip = ".".join(str(rng.randint(low, high)) for low, high in octets)
    return AuditEntry(
        id=random_uuid(rng), timestamp_us=timestamp_us, action=action, description=description,
        actor=(rng.choice(world.users), ip, rng.choice(words.USER_AGENTS)),
        entity_type=entity_type, entity_name=entity[0], entity_id=entity[1], context=context)


def generate(seed, scale, anchor_ms):
    """``(World, Landmarks)`` for a seed, a ``Scale`` and an anchor in epoch ms."""
    return _Generator(seed, scale, anchor_ms).run()
