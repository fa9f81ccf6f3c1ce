"""API-agnostic machinery shared by tap-front and tap-mode: CLI, config, catalog, selection,
state, record shaping, message output, HTTP with retries and pacing, and the sync walk."""
