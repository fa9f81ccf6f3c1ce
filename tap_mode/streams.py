"""Every Mode stream, by module: spaces (spaces.py), report parts (report_parts.py), runs
(runs.py), workspace lists (workspace.py) and audit logs (audit_logs.py)."""
from .audit_logs import AuditLogs
from .report_parts import Charts, Queries, ReportFilters, ReportSchedules, ReportSubscriptions
from .runs import DatasetRuns, QueryRuns, ReportRuns
from .spaces import Datasets, Reports, SpaceMemberships, Spaces
from .workspace import DataSources, Definitions, GroupMemberships, Groups, Memberships

STREAMS = (
    Spaces, SpaceMemberships, Reports, Queries, Charts, ReportFilters, ReportSchedules,
    ReportSubscriptions, ReportRuns, QueryRuns, Datasets, DatasetRuns, Definitions, DataSources,
    Memberships, Groups, GroupMemberships, AuditLogs,
)
