"""`--about`: what the tap is and how to configure it, as text, JSON or Markdown (Meltano's
convention). The README's settings tables are this Markdown."""
import json

from .settings import settings_schema


def about_dict(tap):
    return {
        "name": tap.name,
        "description": tap.description,
        "version": tap.version(),
        "capabilities": list(tap.capabilities),
        "settings": settings_schema(tap.settings),
    }


def described(setting, value_format="{}"):
    """A setting's description, ending with the values it accepts when it has choices."""
    if setting.choices is None:
        return setting.description
    values = ", ".join(value_format.format(json.dumps(choice)) for choice in setting.choices)
    return "{} One of: {}.".format(setting.description, values)


def settings_markdown(settings):
    lines = ["| Setting | Required | Default | Description |", "|---|---|---|---|"]
    for s in settings:
        default = "" if s.default is None else "`{}`".format(json.dumps(s.default))
        kind = "secret" if s.secret else s.kind
        lines.append("| `{}` ({}) | {} | {} | {} |".format(s.name, kind, "yes" if s.required else "", default,
                                                         described(s, "`{}`")))
    return "\n".join(lines)


def streams_markdown(stream_classes):
    lines = ["| Stream | Key | Replication | Endpoint | Parent |", "|---|---|---|---|---|"]
    for cls in sorted(stream_classes, key=lambda c: c.name):
        method = cls.replication_method + (" on `{}`".format(cls.replication_key) if cls.replication_key else "")
        lines.append("| `{}` | {} | {} | `{}` | {} |".format(
            cls.name, ", ".join("`{}`".format(k) for k in cls.key_properties), method, cls.path or "",
            "`{}`".format(cls.parent) if cls.parent else ""))
    return "\n".join(lines)


def render(tap, fmt):
    info = about_dict(tap)
    if fmt == "json":
        return json.dumps(info, indent=2)
    if fmt == "markdown":
        return "\n".join([
            "# {}".format(tap.name), "", tap.description, "",
            "Version: {}".format(info["version"]), "",
            "## Capabilities", "", *["- `{}`".format(c) for c in tap.capabilities], "",
            "## Settings", "", settings_markdown(tap.settings), "",
            "## Streams", "", streams_markdown(tap.stream_classes), "",
        ])
    lines = ["{} {}".format(tap.name, info["version"]), tap.description,
             "capabilities: " + ", ".join(tap.capabilities), "settings:"]
    for s in tap.settings:
        lines.append("  {}{}: {}".format(s.name, " (required)" if s.required else "", described(s)))
    return "\n".join(lines)
