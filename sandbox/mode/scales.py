"""How much data each scale generates. Counts of derived streams (runs, queries, charts, ...)
follow from these knobs; ``ModeApp.scale_counts()`` reports the exact totals."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    data_sources: int
    definitions: int
    users: int
    groups: int
    spaces: int              # shared spaces; a few private ones are added for some users
    reports: int
    datasets: int
    runs_per_report: float   # mean of a skewed distribution
    crowded_space_reports: int   # one space always holds this many (multi-page at 30)
    busy_report_runs: int        # one report always has this many runs (multi-page at 30)
    audit_logs: int


SCALES = {
    "tiny": Scale(data_sources=2, definitions=3, users=12, groups=2, spaces=5, reports=50,
                  datasets=3, runs_per_report=1.5, crowded_space_reports=35,
                  busy_report_runs=35, audit_logs=45),
    "small": Scale(data_sources=4, definitions=10, users=40, groups=5, spaces=14, reports=220,
                   datasets=12, runs_per_report=5.0, crowded_space_reports=45,
                   busy_report_runs=70, audit_logs=400),
    "medium": Scale(data_sources=8, definitions=30, users=150, groups=12, spaces=40,
                    reports=1200, datasets=60, runs_per_report=7.0,
                    crowded_space_reports=90, busy_report_runs=150, audit_logs=3000),
    "large": Scale(data_sources=15, definitions=80, users=600, groups=30, spaces=120,
                   reports=5000, datasets=200, runs_per_report=7.0,
                   crowded_space_reports=200, busy_report_runs=400, audit_logs=20000),
}


def scale_named(name):
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None
