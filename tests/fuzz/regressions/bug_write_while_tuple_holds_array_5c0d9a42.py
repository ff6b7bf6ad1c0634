"""Regression: writing into an array that a tuple bound to another name still holds

Found by hand while fixing bug_view_then_write_base: the alias check skipped tuples. It was a
located error; a tuple holding the very array sees the write, as in Python, so it is now a
valid program whose gradient includes the write.
"""
import numpy as np


def f(x):
    b = np.ones(3)
    t = (b, 2.0)
    b[0] = x
    return np.sum(t[0]) * t[1]


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.7,)
XFAIL = {}
