"""Helpers the generated code calls: plain Python (``python_rt``) and njit (``numba_rt``)."""
