"""Regression: silently wrong gradient: writing into an array that a branch made another name
refer to (z is b1 or b2; the write into b1 must be seen through z, or rejected)

Found by hand while fixing bug_view_then_write_base. Observed: grad 3.0 instead of 6.0 (the
forward sweep even dropped the write).
"""
import numpy as np


def f(x, c):
    b1 = np.ones(3)
    b2 = np.zeros(3)
    if c > 0.0:
        z = b1
    else:
        z = b2
    b1[0] = x  # REJECT
    return np.sum(z) * x


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'reject'
ENTRY = 'f'
ARGS = (2.0, 1.0)
XFAIL = {}
