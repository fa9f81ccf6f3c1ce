"""Local simulators of the Front and Mode APIs for tests, demos and benchmarks.

    from sandbox import make_app
    from sandbox.server import SandboxServer
    with SandboxServer(make_app("front", seed=1, scale="tiny"), rpm=100) as server:
        ...  # point a client at server.base_url

See sandbox/README.md.
"""

APP_NAMES = ("front", "mode")
SCALES = ("tiny", "small", "medium", "large")


def make_app(name, seed=1, scale="small", **options):
    """Build the simulated API called ``name`` ("front" or "mode")."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
    if name == "front":
        from .front import FrontApp as app_class
    elif name == "mode":
        # Imported lazily: each simulator is only loaded when asked for.
        from .mode import ModeApp as app_class
    else:
        raise ValueError(f"unknown sandbox app {name!r} (known: {', '.join(APP_NAMES)})")
    return app_class(seed=seed, scale=scale, **options)
