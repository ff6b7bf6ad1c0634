"""Regression: silently wrong forward-mode (and second-order) derivative: a view of a written
array chosen by a branch, then passed through an op (u = view + 1.0), kept sharing the tangent
buffer, so the later write b[1] = ... changed u's tangent

Found by the review of the shared-memory fixes (forward mode gave -4.77 instead of -3.81).
"""
import numpy as np


def f(a):
    b = np.sin(a)
    b[0] = 2.0 * a[1]
    u = (b[0:2] if a[0] > 0 else b[1:3]) + 1.0
    b[1] = 5.0 * a[3] * b[1]
    return np.sum(u * u) + np.sum(b * b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.7, -1.0, -0.8, 1.5]),)
XFAIL = {}
