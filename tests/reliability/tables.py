"""Summary tables the reliability tests fill row by row; conftest prints them at the end of a
verbose (-v) or uncaptured (-s) run."""
TABLES = {}   # title -> (columns, rows)


def add_row(title, columns, row):
    TABLES.setdefault(title, (columns, []))[1].append([str(cell) for cell in row])


def render(title, columns, rows):
    widths = [max(len(str(c)), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    line = "  ".join("{:<%d}" % w for w in widths)
    out = [title, line.format(*columns), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    return "\n".join(out)
