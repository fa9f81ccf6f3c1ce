"""Query results: rows whose columns are the query's, generated from the query run's token
so that every download of the same run gives the same rows."""
import csv
import gzip
import io
import random

from . import words
from .timefmt import iso_ms


def result_rows(query_run):
    rng = random.Random(query_run.token)
    columns = query_run.query.columns
    start = query_run.created_at - 30 * 86_400_000
    rows = []
    for number in range(rng.randint(3, 40)):
        row = {}
        for name, kind in columns:
            if kind == "integer":
                row[name] = rng.randint(1, 10_000) if not name.endswith("_id") else number + 1
            elif kind == "float":
                row[name] = round(rng.uniform(1, 5000), 2)
            elif kind == "boolean":
                row[name] = rng.random() < 0.5
            elif kind == "timestamp":
                row[name] = iso_ms(rng.randint(start, query_run.created_at))
            else:
                row[name] = rng.choice(words.STRING_VALUES)
        rows.append(row)
    return rows


def rows_as_csv_gzip(query_run):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [name for name, _ in query_run.query.columns]
    writer.writerow(names)
    for row in result_rows(query_run):
        writer.writerow(["true" if v is True else "false" if v is False else v
                         for v in (row[name] for name in names)])
    # mtime=0: identical bytes for identical rows.
    return gzip.compress(buffer.getvalue().encode(), mtime=0)
