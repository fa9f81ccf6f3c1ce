"""How big each benchmark runs: `full` is `make bench`, `smoke` is the test suite's check that
every benchmark still produces figures (smallest scales, fast budgets, one run each)."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    name: str
    # 1 and 2: full sync, then incremental runs after 1% mutations
    efficiency_scale: str = "medium"
    incremental_runs: int = 3
    # 3: rate-limit use
    budget_rpm: int = 600
    budget_latency_ms: int = 50
    budget_scales: dict = field(default_factory=lambda: {"front": "small", "mode": "tiny"})
    contention_scale: str = "tiny"
    budget_options: dict = field(default_factory=dict)   # extra sandbox switches
    budget_runs: int = 3
    # 4: latency hiding (Mode)
    hiding_latency_ms: int = 300
    hiding_rpm: int = 240
    hiding_scale: str = "tiny"
    hiding_runs: int = 3
    # 5: throughput
    inprocess_records: int = 200_000
    inprocess_runs: int = 5
    # 6: memory (the small runs are also the end-to-end throughput runs)
    memory_small: str = "small"
    memory_large: str = "large"
    memory_small_runs: int = 3
    memory_large_runs: int = 2


FULL = Profile("full")

SMOKE = Profile(
    "smoke",
    efficiency_scale="tiny", incremental_runs=1,
    # Budgets that take seconds; no burst tier, which would only add retries at this pace.
    budget_rpm=12000, budget_latency_ms=1, budget_scales={"front": "tiny", "mode": "tiny"},
    budget_options={"burst": False}, budget_runs=1,
    hiding_latency_ms=2, hiding_rpm=30000, hiding_runs=1,
    inprocess_records=2000, inprocess_runs=1,
    memory_small="tiny", memory_large="tiny", memory_small_runs=1, memory_large_runs=1,
)

PROFILES = {"full": FULL, "smoke": SMOKE}
