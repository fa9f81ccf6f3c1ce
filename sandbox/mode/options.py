"""The simulator's options: defaults, validation and which ones need fresh data."""

DEFAULTS = {
    "workspace": "acme",            # the {workspace} in /api/{workspace}
    "token": "sandbox-token",       # HTTP Basic user
    "secret": "sandbox-secret",     # HTTP Basic password
    "token_type": "workspace",      # "workspace" (admin API key) or "member" (personal)
    "anchor": "2026-10-01T00:00:00Z",   # all generated data precedes this moment
    "deleted_space": None,          # space token (or True: a built-in pick) whose routes 403
    "member_spaces": None,          # spaces the token belongs to; None: 0 workspace, 2 member
    "unpaged": ("/spaces", "/data_sources", "/groups"),  # templates that ignore `page`
    "per_page_cap": 30,             # larger per_page values are silently reduced to this
    "runs_filter_error": True,      # `filter` on report runs answers 500, as reported live
}

REGENERATING = ("anchor",)
TOKEN_TYPES = ("workspace", "member")


def validate(name, value):
    """The value to store for an option; ``KeyError`` for unknown names, ``ValueError`` for
    unusable values."""
    if name not in DEFAULTS:
        raise KeyError(name)
    if name in ("workspace", "token", "secret", "anchor") and not (
            isinstance(value, str) and value):
        raise ValueError(f"{name} must be a non-empty string")
    if name == "token_type" and value not in TOKEN_TYPES:
        raise ValueError(f"token_type must be one of {', '.join(TOKEN_TYPES)}")
    if name == "unpaged":
        if isinstance(value, str):
            value = [part for part in value.split(",") if part]
        value = frozenset(value or ())
    if name == "per_page_cap":
        value = int(value)
        if value < 1:
            raise ValueError("per_page_cap must be positive")
    if name == "member_spaces" and value is not None:
        value = int(value)
    if name == "runs_filter_error":
        value = bool(value)
    return value
