"""tap-mode: a Singer tap for the Mode Analytics API."""
from tap_engine.cli import entry_point


def main():
    from .tap import ModeTap
    entry_point(ModeTap)
