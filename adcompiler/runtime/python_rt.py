"""Runtime helpers for the plain-Python backend."""
from .helpers import trip_count, reserve, log_or_zero  # noqa: F401
