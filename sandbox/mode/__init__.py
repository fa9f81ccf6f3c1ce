"""Simulated Mode Analytics REST API (see README.md in this directory)."""
from .simulator import ModeApp

__all__ = ["ModeApp"]
