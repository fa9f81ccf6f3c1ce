"""Reports and what hangs off them (queries, charts, runs, filters, schedules and
subscriptions), as the workspace generator makes them. Every draw comes from the generator's
one seeded stream, so the order of the calls is part of the data."""
from . import words
from .ids import IdMint
from .timefmt import DAY, HOUR, MINUTE, SECOND
from .world import Chart, Query, Report, ReportFilter, Run, Schedule, Subscription

PURGE_AGE = 540 * DAY          # runs older than this have had their results purged
NON_FINAL_STATES = ("pending", "enqueued", "running")


class ReportGeneration:
    """The report half of ``generate._Generator``, whose ``__init__`` sets up the state both
    halves use (and which has the small helpers)."""

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
