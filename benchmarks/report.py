"""The results as a table on stdout and as JSON (benchmarks/results.json)."""
import json
import os
import platform
import sys

RESULTS_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")
COLUMNS = ("tap", "figure", "median", "min", "max", "runs", "unit", "goal", "met")


def machine():
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average": load_average()}


def load_average():
    """1-minute load average: other work on the machine slows the timed figures (rates, wall
    times), not the request counts or the in-process CPU-time figure."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def _number(value):
    if isinstance(value, float):
        if abs(value) >= 1000:
            return "{:,.0f}".format(value)
        return "{:.3g}".format(value) if abs(value) < 10 else "{:.1f}".format(value)
    return str(value)


def _verdict(met):
    return "" if met is None else ("yes" if met else "NO")


def rows(results):
    for tap, sections in results["taps"].items():
        for section in sections.values():
            for fig in section.get("figures", []):
                yield fig, [tap, fig["name"], _number(fig["median"]), _number(fig["min"]), _number(fig["max"]),
                            str(fig["runs"]), fig["unit"], fig["goal"] or "", _verdict(fig["met"])]


def table(results):
    body = list(rows(results))
    cells = [list(COLUMNS)] + [cells for _, cells in body]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    line = lambda row: "  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()  # noqa: E731
    out = [line(cells[0]), line(["-" * w for w in widths])] + [line(row) for row in cells[1:]]
    notes = ["  {} / {}: {}".format(cells[0], fig["name"], fig["note"]) for fig, cells in body if fig.get("note")]
    head = "benchmarks ({} profile): {} cores, Python {}, {:.0f} s; load average {} at start, {} at end".format(
        results["profile"], results["machine"]["cores"], results["machine"]["python"], results["seconds"],
        results["machine"]["load_average"], results.get("load_average_at_end"))
    return "\n".join([head, ""] + out + ["", "notes:"] + notes)


def write(results, path=RESULTS_PATH):
    with open(path, "w") as out:
        json.dump(results, out, indent=2, sort_keys=True, default=str)
        out.write("\n")


def print_table(results, stream=None):
    print(table(results), file=stream or sys.stdout)
