"""tap-front: a Singer tap for the Front API."""
from tap_engine.cli import entry_point


def main():
    from .tap import FrontTap
    entry_point(FrontTap)
