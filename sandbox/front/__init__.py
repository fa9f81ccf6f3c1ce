"""The simulated Front Core API."""
from .app import FrontApp

__all__ = ["FrontApp"]
