"""Fuzz regression: reverse mode TypeError 'bool on one path and bool[1d] on another' (fixed in 97c17b7)

Found by python -m tests.fuzz.run --seed 1 (program seed 1000023).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x, a, b):
    return x if x > 0.0 else np.sum(np.where(a > b, a, 0.5))


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.5, np.array([0.3, -0.2, 0.5]), np.array([0.1, 0.4, -0.6]))
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
