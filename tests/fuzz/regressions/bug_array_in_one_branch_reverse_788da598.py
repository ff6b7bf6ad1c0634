"""Fuzz regression: reverse mode TypeError 'a value is bool on one path and float64[1d] on another' (fixed in 97c17b7)

Found by python -m tests.fuzz.run --seed 1 (program seeds 1000056, 1000073).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x, a):
    if x > 0.0:
        return x
    return np.sum(np.tanh(a))


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.5, np.array([0.3, -0.2, 0.5]))
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
