"""The Front app's options: defaults, validation, and the one only a new app takes."""

DEFAULTS = {
    "token": "sandbox-token",       # the bearer token that authenticates
    "missing_scopes": [],           # endpoint templates or scope names the token lacks (403)
    "ticketing": True,              # False: /company/statuses answers 404
    "link_host": None,              # origin for pagination links instead of the swapped host
    "short_pages": True,            # every third page holds half a page
    "empty_pages": False,           # every fifth page is empty (and still has a next link)
    "report_polls": 2,              # polls answered "running" before a report is done
    "report_fail": False,           # reports end "failed"
    "export_polls": 2,
    "export_fail": False,
    "export_max_days": 31,          # wider exports end "too_big"
    "contact_updated_at": True,     # False: contacts carry no updated_at
}
BUILD_ONLY = ("anchor",)            # only when the app is built: the data's end instant


def validate(name, value):
    """The value to store for a runtime option; ``KeyError`` for unknown names,
    ``ValueError`` for the build-only ones."""
    if name in BUILD_ONLY:
        raise ValueError(f"{name} can only be given when the app is built")
    if name not in DEFAULTS:
        raise KeyError(name)
    if name == "missing_scopes" and isinstance(value, str):
        value = [v for v in value.split(",") if v]
    return value
