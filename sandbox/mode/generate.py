"""Deterministic workspace data from a seed, a scale and an anchor time.

Everything happens before the anchor. Some records are placed on purpose so that every scale
has the shapes a tap must cope with; ``Landmarks`` names them for tests and documentation."""
import random
from dataclasses import dataclass, field

from . import vocabulary as words
from .ids import IdMint, TokenMint, random_uuid
from .model import (
    AuditEntry,
    Chart,
    DataSource,
    Definition,
    Group,
    GroupMembership,
    Query,
    Report,
    ReportFilter,
    Run,
    Schedule,
    Space,
    SpaceMembership,
    Subscription,
    User,
    World,
)

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
HISTORY = 3 * 365 * DAY
PURGE_AGE = 540 * DAY          # runs older than this have had their results purged
NON_FINAL_STATES = ("pending", "enqueued", "running")


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


class _Generator:
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

    # -- reports, queries, charts, runs --------------------------------------------------
    def make_reports(self):
        world, scale = self.world, self.scale
        crowded = world.find("space", self.landmarks.crowded_space)
        others = [s for s in world.spaces
                  if s.token not in (self.landmarks.crowded_space, self.landmarks.empty_space)]
        weights = [self.rng.random() + (0.05 if s.space_type == "private" else 0.3)
                   for s in others]
        homes = [crowded] * min(scale.crowded_space_reports, scale.reports)
        homes += self.rng.choices(others, weights, k=scale.reports - len(homes))
        plans = [(space, "Report") for space in homes]
        plans += [(space, "Dataset") for space in self.rng.choices(others + [crowded],
                                                                   k=scale.datasets)]
        drafts = []
        for space, kind in plans:
            created = self.between(space.created_at + DAY, self.anchor - 2 * DAY)
            drafts.append((created, space, kind))
        drafts.sort(key=lambda draft: draft[0])
        ids = IdMint(self.rng, 2934000)
        reports = [self.make_report(ids.next(), created, space, kind)
                   for created, space, kind in drafts]
        world.reports = reports
        plain = [r for r in reports if r.kind == "Report"]
        self.place_landmarks(plain)
        for report in reports:
            self.make_runs(report, busy=report.token == self.landmarks.busy_report)
            if report.kind == "Report":
                self.make_filters(report)
                self.make_schedules(report)
        for report in reports:
            space = world.find("space", report.space)
            (space.datasets if report.kind == "Dataset" else space.reports).append(report)
            world.index("dataset" if report.kind == "Dataset" else "report", report)
            if report.kind == "Report":
                for source in {q.data_source.token: q.data_source for q in report.queries}:
                    world.reports_by_data_source.setdefault(source, []).append(report)

    def place_landmarks(self, plain):
        """Pin the odd shapes onto reports picked by position, so every seed has them."""
        marks = self.landmarks
        busy = plain[len(plain) // 3]
        marks.busy_report = busy.token
        without_queries = plain[1]
        without_queries.queries = []
        marks.report_without_queries = without_queries.token
        with_charts = next(r for r in plain[2:] if r.queries and r is not busy)
        with_charts.queries[0].charts = []
        marks.query_without_charts = with_charts.queries[0].token
        candidates = [r for r in plain if r not in (busy, without_queries, with_charts)]
        soft = [candidates[3]] + [r for r in candidates[4:] if self.chance(0.015)]
        for report in soft:
            report.state = "soft_deleted"
        marks.soft_deleted_reports = [r.token for r in soft]

    def make_report(self, report_id, created, space, kind):
        rng = self.rng
        edited = self.between(created, self.anchor - HOUR)
        saved = edited + self.between(200, 40 * SECOND)
        subject = rng.choice(words.REPORT_SUBJECTS)
        name = f"{subject} {rng.choice(words.REPORT_CUTS)}"
        if kind == "Dataset":
            name = f"{subject} dataset"
        report = Report(
            token=self.tokens.next(), id=report_id, kind=kind, space=space.token, name=name,
            description=rng.choice(("", "", f"{name} for {space.name}")),
            created_at=created, edited_at=edited, last_saved_at=saved,
            updated_at=saved + self.between(100, MINUTE),
            published_at=self.between(created, edited) if self.chance(0.2) else None,
            theme_id=rng.choice((1, 2, 3, 3, 5)), archived=self.chance(0.05),
            public=self.chance(0.08), full_width=self.chance(0.2),
            manual_run_disabled=self.chance(0.05), run_privately=self.chance(0.7),
            drilldowns_enabled=self.chance(0.9), is_embedded=self.chance(0.05),
            is_signed=self.chance(0.03), shared=self.chance(0.15),
            expected_runtime=round(rng.uniform(0.3, 120.0), 5),
            view_count=self.between(0, 600), state=None,
            creator=self.active_username(),
            data_source=rng.choice(self.world.data_sources),
            runs=[], filters=[], schedules=[], subscriptions=[])
        count = 1 if kind == "Dataset" else rng.choices((1, 2, 3, 4), (45, 30, 17, 8))[0]
        report.queries = [self.make_query(report, index, kind) for index in range(count)]
        return report

    def make_query(self, report, index, kind):
        rng = self.rng
        table = rng.choice(sorted(words.TABLES))
        columns = words.TABLES[table]
        keep = sorted(rng.sample(range(len(columns)), self.between(2, len(columns))))
        picked = [columns[i] for i in keep]
        source = report.data_source if index == 0 or self.chance(0.8) else rng.choice(
            self.world.data_sources)
        selected = ", ".join(name for name, _ in picked)
        since = next((name for name, kind_ in columns if kind_ == "timestamp"), columns[0][0])
        sql = (f"SELECT {selected}\nFROM {source.database}.{table}\n"
               f"WHERE {since} >= '{{{{ start_date }}}}'\nLIMIT 5000")
        created = report.created_at + self.between(SECOND, 20 * MINUTE)
        cut = rng.choice(("by day", "totals", "detail", "latest"))
        query = Query(
            token=self.tokens.next(), id=0, report=report,
            name=f"Query {index + 1}" if self.chance(0.4) else f"{table.title()} {cut}",
            raw_query=sql, data_source=source, columns=picked, created_at=created,
            updated_at=self.between(created, report.last_saved_at),
            explorations_count=self.between(0, 3) if self.chance(0.3) else 0,
            creator=report.creator)
        query.id = 10149000 + report.id * 5 + index   # unique, increasing with the report
        chart_count = 0 if kind == "Dataset" else rng.choices((0, 1, 2, 3), (20, 45, 25, 10))[0]
        query.charts = [self.make_chart(query) for _ in range(chart_count)]
        return query

    def make_chart(self, query):
        created = self.between(query.created_at, query.report.last_saved_at)
        return Chart(
            token=self.tokens.next(), query=query, chart_type=self.rng.choice(words.CHART_TYPES),
            view_version=2 if self.chance(0.85) else 1, created_at=created,
            updated_at=self.between(created, query.report.last_saved_at),
            color_palette_token=self.rng.choice(self.world.palette_tokens),
            switch_view_token=self.tokens.next(),
            title=self.rng.choice(("", f"{query.name} chart")), creator=query.creator)

    def make_runs(self, report, busy):
        rng, scale = self.rng, self.scale
        if busy:
            count = scale.busy_report_runs
        else:
            count = min(int(rng.expovariate(1.0 / scale.runs_per_report)),
                        int(scale.runs_per_report * 8))
        if count == 0:
            return
        low = max(q.created_at for q in report.queries) if report.queries else report.created_at
        times = self.sorted_times(count, low + HOUR, self.anchor - 5 * MINUTE)
        for created in times:
            runtime = min(self.between(800, 3 * MINUTE), self.anchor - SECOND - created)
            state = rng.choices(("succeeded", "failed", "cancelled"), (86, 9, 5))[0]
            completed = created + runtime
            old = created < self.anchor - PURGE_AGE
            report.runs.append(Run(
                token=self.tokens.next(), id=0, report=report, state=state,
                created_at=created, completed_at=completed,
                updated_at=min(completed + self.between(5, 400), self.anchor - 1),
                purged_at=created + 180 * DAY if old else None,
                parameters={"start_date": "2026-01-01"} if self.chance(0.1) else {},
                executed_by=self.active_username(), scheduled=self.chance(0.3)))
        if busy:
            # Whatever their age, the busy report's oldest runs have had their results purged.
            for run in report.runs[:3]:
                halfway = run.created_at + (self.anchor - run.created_at) // 2
                run.purged_at = run.purged_at or halfway
                self.landmarks.purged_runs.append(run.token)
        # The first eligible report, then about 3% of the rest, end with a run in progress.
        eligible = report.kind == "Report" and report.queries and not busy and not report.state
        unfinished = eligible and (
            not self.landmarks.reports_with_unfinished_runs or self.chance(0.03))
        if unfinished:
            last = report.runs[-1]
            last.created_at = max(last.created_at, self.anchor - 30 * MINUTE)
            last.state = rng.choice(NON_FINAL_STATES)
            last.completed_at = None
            last.updated_at = last.created_at + self.between(10, 3 * SECOND)
            self.landmarks.reports_with_unfinished_runs.append(report.token)
        report.updated_at = max(report.updated_at, report.runs[-1].updated_at)

    def number_runs(self):
        """Run ids increase with creation time across the whole workspace."""
        runs = [run for report in self.world.reports for run in report.runs]
        runs.sort(key=lambda run: run.created_at)
        ids = IdMint(self.rng, 1897000000)
        for run in runs:
            run.id = ids.next()
            self.world.index("run", run)
        self.world.last_run_id = runs[-1].id if runs else 1897000000

    def make_filters(self, report):
        if not report.queries or not self.chance(0.12):
            return
        columns = report.queries[0].columns
        for order in range(self.between(1, min(3, len(columns)))):
            name, kind = columns[order]
            created = self.between(report.created_at, report.last_saved_at)
            if kind in ("integer", "float"):
                spec = ("NUMBER", "RANGE", "range_slider", {"min": 0, "max": 1000})
            elif kind == "timestamp":
                spec = ("DATE", "RANGE", "date_range",
                        {"start": "2026-01-01", "end": "2026-09-30"})
            else:
                spec = ("STRING", "DISCRETE", "dropdown",
                        {"selected": self.rng.sample(words.STRING_VALUES, 3),
                         "mode": "INCLUDE"})
            report.filters.append(ReportFilter(
                token=self.tokens.next(), id=report.id * 10 + order, report=report,
                name=name.replace("_", " ").title(), row_order=order,
                formula=f"[{name}]", data_type=spec[0], filter_type=spec[1],
                control_type=spec[2], options=spec[3], created_at=created,
                updated_at=self.between(created, report.last_saved_at)))

    def make_schedules(self, report):
        if not report.queries or not self.chance(0.15):
            return
        for _ in range(self.between(1, 2)):
            created = self.between(report.created_at, report.last_saved_at)
            frequency, period = self.rng.choice(
                (("hourly", HOUR), ("daily", DAY), ("daily", DAY), ("weekly", 7 * DAY)))
            hour = self.between(0, 23)
            last_scheduled = self.anchor - self.anchor % HOUR - self.between(1, 4) * HOUR
            succeeded = [r for r in report.runs if r.state == "succeeded"]
            schedule = Schedule(
                token=self.tokens.next(), report=report,
                name=self.rng.choice((None, f"{frequency.title()} refresh")),
                frequency=frequency, hour=f"{(hour % 12) or 12}:00 {'am' if hour < 12 else 'pm'}",
                minute="the top of the hour", time_zone=self.rng.choice(
                    ("UTC", "America/New_York", "Europe/Berlin")),
                timeout=self.rng.choice((900, 3600, 86100)), created_at=created,
                updated_at=self.between(created, self.anchor - HOUR),
                last_run_at=report.runs[-1].created_at if report.runs else None,
                last_succeeded_at=succeeded[-1].completed_at if succeeded else None,
                last_scheduled_run=last_scheduled,
                next_scheduled_run=last_scheduled + period,
                subscriber_count=self.between(0, 8), creator=report.creator)
            report.schedules.append(schedule)
            if self.chance(0.5):
                sub_created = self.between(created, self.anchor - HOUR)
                report.subscriptions.append(Subscription(
                    token=self.tokens.next(), report=report, schedule=schedule,
                    created_at=sub_created,
                    updated_at=self.between(sub_created, self.anchor - HOUR),
                    data_previews=self.chance(0.6), data_tables=self.chance(0.3),
                    csv_attachments=self.chance(0.3), pdf_attachments=self.chance(0.2),
                    report_links=True, email_subscriber_count=schedule.subscriber_count))

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
