"""Regression: silently wrong forward-mode derivative: the tangent of w = b[1:3] * 1.0 was the
tangent of the view b[1:3] itself (the rule passes it through), so the later writes into b's
tangent buffer changed w's tangent (the primal w is a new array)

Found by hand while fixing bug_copy_then_write_source.
"""
import numpy as np


def f(a, x):
    b = a.copy()
    s = 0.0
    for i in range(3):
        w = b[1:3] * 1.0
        b[1] = x * b[2]
        b[2] = np.sum(w) * x
        s = s + np.sum(w * b[1:3])
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.4, 0.5, 0.9]), 0.7)
XFAIL = {}
