"""Plain-text tables for the demo, and the tap's own per-stream summary lines read back from
its stderr (`stream X done: N records (R requests for its tree, S s)`, see tap_engine/progress.py)."""
import re

SUMMARY_LINE = re.compile(
    r"stream (?P<stream>\S+) done: (?P<records>\d+) records "
    r"\((?P<requests>\d+) requests for its tree, (?P<seconds>[\d.]+) s\)")


def stream_summaries(stderr):
    """{stream: {"records", "requests", "seconds"}} from a tap's stderr."""
    found = {}
    for match in SUMMARY_LINE.finditer(stderr):
        found[match["stream"]] = {"records": int(match["records"]), "requests": int(match["requests"]),
                                  "seconds": float(match["seconds"])}
    return found


def table(headers, rows, right=()):
    """Rows of strings under headers; columns named in `right` are right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        out = []
        for header, cell, width in zip(headers, cells, widths):
            text = str(cell)
            out.append(text.rjust(width) if header in right else text.ljust(width))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule] + [line(row) for row in rows])


def percent(part, whole):
    return "{:.0f}%".format(100.0 * part / whole) if whole else "-"
