"""Suite-wide settings: Hypothesis runs the same on a loaded CI box as here (no timing checks,
no example database left in the work tree)."""
from hypothesis import HealthCheck, settings

settings.register_profile("suite", deadline=None, database=None, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")
