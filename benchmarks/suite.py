"""The benchmark suite: which benchmarks run for which tap, in what order, into one result."""
import os
import sys
import tempfile
import time

from . import budget, efficiency, hiding, memory, throughput
from .report import load_average, machine
from .taps import KINDS

# In the order they run; those in PER_TAP run once for each tap.
BENCHMARKS = {
    "efficiency": efficiency.run,   # 1 and 2, and an end-to-end figure at the efficiency scale
    "budget": budget.run,           # 3
    "hiding": hiding.run,           # 4 (Mode)
    "throughput": throughput.run,   # 5, in-process part
    "memory": memory.run,           # 6, and the end-to-end throughput runs
}
PER_TAP = ("efficiency", "budget", "hiding", "memory")


def run(profile, only=None, taps=("front", "mode"), workdir=None, log=sys.stderr):
    """Run the chosen benchmarks; return the results as one dict (see report.py)."""
    chosen = [name for name in BENCHMARKS if not only or name in only]
    started = time.perf_counter()
    results = {"profile": profile.name, "machine": machine(), "taps": {}, "timings": {}}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        root = workdir or scratch
        for name in chosen:
            if name not in PER_TAP:
                section_started = time.perf_counter()
                results["taps"].setdefault("engine", {})[name] = BENCHMARKS[name](profile)
                results["timings"][name] = round(time.perf_counter() - section_started, 1)
                continue
            for tap in taps:
                if name == "hiding" and tap != "mode":
                    continue
                print("benchmarks: {} / {} ...".format(tap, name), file=log, flush=True)
                section_started = time.perf_counter()
                section = BENCHMARKS[name](KINDS[tap], profile, os.path.join(root, tap, name))
                results["taps"].setdefault(tap, {})[name] = section
                results["timings"]["{}/{}".format(tap, name)] = round(time.perf_counter() - section_started, 1)
    results["seconds"] = time.perf_counter() - started
    results["load_average_at_end"] = load_average()
    return results
