"""Regression: writing into an array that a tuple bound to another name still holds

Found by hand while fixing bug_view_then_write_base: the alias check skipped tuples.
"""
import numpy as np


def f(x):
    b = np.ones(3)
    t = (b, 2.0)
    b[0] = x  # REJECT
    return np.sum(t[0]) * t[1]


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'reject'
ENTRY = 'f'
ARGS = (0.7,)
XFAIL = {}
