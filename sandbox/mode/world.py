"""The simulated workspace's internal records: compact slotted objects holding plain values
(timestamps as epoch ms). Rendering into Mode's HAL bodies lives in ``render``."""


class Record:
    __slots__ = ()

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.pop(name, None))
        if values:
            raise TypeError(f"{type(self).__name__} has no fields {sorted(values)}")


class User(Record):
    __slots__ = (
        "activated_at",
        "admin",
        "created_at",
        "email",
        "id",
        "invited",
        "managed_by_scim",
        "name",
        "state",
        "token",
        "username",
    )


class Group(Record):
    __slots__ = (
        "created_at",
        "creator",
        "description",
        "group_type",
        "id",
        "managed",
        "memberships",
        "name",
        "state",
        "token",
    )   # memberships: [GroupMembership]


class GroupMembership(Record):
    __slots__ = ("created_at", "creator", "group", "token", "user")


class DataSource(Record):
    __slots__ = (
        "adapter",
        "adapter_version",
        "created_at",
        "creator",
        "database",
        "description",
        "host",
        "id",
        "is_default",
        "name",
        "port",
        "token",
        "updated_at",
        "username",
        "vendor",
        "warehouse",
    )


class Definition(Record):
    __slots__ = (
        "created_at",
        "creator",
        "data_source",
        "description",
        "id",
        "last_run",
        "last_saved_at",
        "name",
        "source",
        "token",
        "updated_at",
    )


class Space(Record):
    __slots__ = (
        "created_at",
        "creator",
        "datasets",
        "default_access_level",
        "description",
        "free_default",
        "id",
        "memberships",
        "name",
        "reports",
        "restricted",
        "space_type",
        "state",
        "token",
        "viewed",
    )


class SpaceMembership(Record):
    __slots__ = ("created_at", "creator", "member", "member_type", "space", "token")


class Report(Record):
    """A report, or a dataset (``kind == "Dataset"``): Mode serves both as report objects."""
    __slots__ = (
        "archived",
        "created_at",
        "creator",
        "data_source",
        "description",
        "drilldowns_enabled",
        "edited_at",
        "expected_runtime",
        "filters",
        "full_width",
        "id",
        "is_embedded",
        "is_signed",
        "kind",
        "last_saved_at",
        "manual_run_disabled",
        "name",
        "public",
        "published_at",
        "queries",
        "run_privately",
        "runs",
        "schedules",
        "shared",
        "space",
        "state",
        "subscriptions",
        "theme_id",
        "token",
        "updated_at",
        "view_count",
    )


class Query(Record):
    __slots__ = (
        "charts",
        "columns",
        "created_at",
        "creator",
        "data_source",
        "explorations_count",
        "id",
        "name",
        "raw_query",
        "report",
        "token",
        "updated_at",
    )


class Chart(Record):
    __slots__ = (
        "chart_type",
        "color_palette_token",
        "created_at",
        "creator",
        "query",
        "switch_view_token",
        "title",
        "token",
        "updated_at",
        "view_version",
    )


class Run(Record):
    """A report run or a dataset run; its query runs are derived, not stored (see ``runs``)."""
    __slots__ = (
        "completed_at",
        "created_at",
        "executed_by",
        "id",
        "parameters",
        "purged_at",
        "report",
        "scheduled",
        "state",
        "token",
        "updated_at",
    )


class ReportFilter(Record):
    __slots__ = (
        "control_type",
        "created_at",
        "data_type",
        "filter_type",
        "formula",
        "id",
        "name",
        "options",
        "report",
        "row_order",
        "token",
        "updated_at",
    )


class Schedule(Record):
    __slots__ = (
        "created_at",
        "creator",
        "frequency",
        "hour",
        "last_run_at",
        "last_scheduled_run",
        "last_succeeded_at",
        "minute",
        "name",
        "next_scheduled_run",
        "report",
        "subscriber_count",
        "time_zone",
        "timeout",
        "token",
        "updated_at",
    )


class Subscription(Record):
    __slots__ = (
        "created_at",
        "csv_attachments",
        "data_previews",
        "data_tables",
        "email_subscriber_count",
        "pdf_attachments",
        "report",
        "report_links",
        "schedule",
        "token",
        "updated_at",
    )


class AuditEntry(Record):
    __slots__ = (
        "action",
        "actor",
        "context",
        "description",
        "entity_id",
        "entity_name",
        "entity_type",
        "id",
        "timestamp_us",
    )


class World:
    """Everything the simulator serves, with lookups by token."""

    def __init__(self):
        self.salt = ""                        # seeds derived tokens and result rows
        self.tokens = None                    # the TokenMint that issued every token
        self.last_run_id = 0
        self.account_id = 0
        self.organization_token = ""
        self.created_at = 0
        self.users: list[User] = []
        self.groups: list[Group] = []
        self.data_sources: list[DataSource] = []
        self.definitions: list[Definition] = []
        self.spaces: list[Space] = []
        self.reports: list[Report] = []       # reports and datasets, by id
        self.audit_log: list[AuditEntry] = []  # ascending by timestamp
        self.palette_tokens: list[str] = []
        self.by_token: dict[str, dict[str, object]] = {}
        self.reports_by_data_source: dict[str, list[Report]] = {}

    def index(self, kind, record):
        self.by_token.setdefault(kind, {})[record.token] = record

    def find(self, kind, token):
        return self.by_token.get(kind, {}).get(token)

    def newest_ms(self):
        """The latest timestamp anywhere in the data, so mutations can stay ahead of it."""
        newest = self.created_at
        for report in self.reports:
            newest = max(newest, report.updated_at or 0)
            if report.runs:
                newest = max(newest, report.runs[-1].updated_at or 0)
        for definition in self.definitions:
            newest = max(newest, definition.updated_at or 0)
        if self.audit_log:
            newest = max(newest, self.audit_log[-1].timestamp_us // 1000)
        return newest
