"""Passes over the IR, each ``Function -> Function``, run as an explicit pipeline."""
