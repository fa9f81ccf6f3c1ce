"""Repeat a measurement and summarise it: median, min and max, as every figure is reported."""
import statistics


def summarize(values):
    values = list(values)
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def repeat(func, runs):
    return summarize(func() for _ in range(runs))


def figure(name, values, unit, goal=None, passed=None, note=""):
    """One row of the results: a summary of `values` (a list, or an existing summary), the
    goal as text and whether it is met (None when the figure has no goal)."""
    summary = values if isinstance(values, dict) else summarize(values)
    return dict(summary, name=name, unit=unit, goal=goal, met=passed, note=note)
