"""Chart ``view`` / ``view_vegas`` objects: deep, and keyed by the query's column names, so
their key sets vary from chart to chart (the point a tap's schema must survive)."""
import random

_COLUMN_TYPES = {"integer": "NUMBER", "float": "NUMBER", "timestamp": "TIMESTAMP",
                 "boolean": "BOOLEAN", "string": "STRING"}


def _field(name):
    return f"[{name}]"


def _axis(scale_type=None):
    axis = {"numberRange": {"min": None, "max": None},
            "numberFormat": {"format": None, "precision": None},
            "title": None, "titleEnabled": True}
    if scale_type:
        axis["scaleType"] = scale_type
    return axis


def _encoded(rng, name, kind):
    entry = {"id": f"{rng.getrandbits(16):04x}", "formula": _field(name),
             "variable": {"type": "CONTINUOUS" if kind in ("integer", "float") else "DISCRETE"}}
    if kind in ("integer", "float"):
        entry["aggregation"] = rng.choice(("SUM", "AVG", "COUNT"))
    return entry


def view_vegas(chart):
    """The version-2 chart description."""
    rng = random.Random(chart.token)
    columns = chart.query.columns
    measures = [c for c in columns if c[1] in ("integer", "float")]
    dimensions = [c for c in columns if c not in measures]
    field_formats = {}
    for name, kind in columns:
        col_type = _COLUMN_TYPES[kind]
        pane = {"colType": col_type, "type": "date" if kind == "timestamp" else "default",
                "horizontalAlignment": "left" if col_type == "STRING" else "right"}
        if kind == "timestamp":
            pane["dateFormat"] = rng.choice(("hour", "day", "month"))
        field_formats[_field(name)] = {"paneFormat": {"default": pane}, "axisFormat": {},
                                       "headerFormat": {}, "legendFormat": {}}
    encoding = {"row": [], "column": [], "x": [], "y": [], "x2": [], "y2": [], "value": []}
    if chart.chart_type == "table":
        marks = {"text": {"values": [_encoded(rng, n, k) for n, k in columns]}}
    else:
        marks = {"color": {"values": []}, "size": {"values": []}}
        if dimensions:
            encoding["x"] = [_encoded(rng, *dimensions[0])]
        if measures:
            encoding["y"] = [_encoded(rng, *measures[0])]
    marks.update({"label": {"values": []}, "detail": {"values": []},
                  "tooltip": {"values": []}})
    marks["type"] = {"value": "Text" if chart.chart_type == "table" else "Automatic",
                     "automatic": True}
    encoding["marks"] = {"channel": "*", "series": [], "properties": marks}
    encoding["sorts"] = [{"source": _field(columns[0][0]), "type": "DATA",
                          "descending": rng.random() < 0.3}]
    encoding["filter"] = []
    encoding["totals"] = {"grand": {"row": False, "column": False}}
    chart_format = {
        "xAxis": dict(_axis(), dateFormat="auto", rotate=None),
        "yAxis": _axis("linear"), "y2Axis": _axis("linear"),
        "legend": {"enabled": True, "position": "auto", "title": None, "titleEnabled": True},
        "nullToZero": False, "showValues": rng.random() < 0.5,
        "colors": {"theme": chart.color_palette_token, "custom": [], "map": {}},
    }
    if chart.chart_type == "table":
        chart_format["flatTable"] = {
            "general": {"sizingStyle": "sizeToFit", "density": "standard",
                        "rowNumbers": False},
            "columns": [{"id": _field(n), "colType": _COLUMN_TYPES[k]} for n, k in columns]}
    elif chart.chart_type == "bigValue":
        chart_format["bigValue"] = {"description": None, "primaryTrendFormat": {"label": None}}
    return {"format": chart_format, "fieldFormats": field_formats, "fieldColors": {},
            "title": chart.title, "description": "", "chartType": chart.chart_type,
            "encoding": encoding}


def legacy_view(chart):
    """The version-1 chart description, still served for old charts."""
    rng = random.Random(chart.token)
    columns = chart.query.columns
    return {"type": chart.chart_type, "title": chart.title,
            "xAxis": {"column": columns[0][0], "label": None},
            "series": [{"column": name, "color": f"#{rng.getrandbits(24):06x}",
                        "aggregate": "sum"}
                       for name, kind in columns[1:] if kind in ("integer", "float")],
            "settings": {"stacked": rng.random() < 0.3, "showLegend": True}}
