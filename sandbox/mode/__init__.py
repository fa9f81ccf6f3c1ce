"""Simulated Mode Analytics REST API (see README.md in this directory)."""
from .app import ModeApp

__all__ = ["ModeApp"]
