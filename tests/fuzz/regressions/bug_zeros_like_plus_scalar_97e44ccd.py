"""Fuzz regression: silently wrong forward mode for np.zeros_like(a) + x (fixed in 13cb7ce)

Found by hand probing while writing the generator; the generator produces the same pattern.
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x, a):
    return np.sum(np.zeros_like(a) + x)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.7, np.array([0.13, -0.13, 0.64, 0.1]))
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
