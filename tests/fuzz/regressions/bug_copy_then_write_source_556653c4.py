"""Fuzz regression: silently wrong derivatives: a = b * 1.0 (a copy) followed by a write into b

Found by python -m tests.fuzz.run --seed 1 (program seed 1000201), shrunk, then minimised by hand.
Observed:
    [python forward] forward mode: GradientCheckError: f: forward mode, argument 0, output 0:
      derivative:          -0.5284194531652076
      finite differences:  -0.3963145900343079
    [numba forward] forward mode: GradientCheckError: f: forward mode, argument 0, output 0:
      derivative:          -0.5284194531652076
      finite differences:  -0.3963145900343079
"""
import math
import numpy as np


def f(x):
    b = np.ones(4)
    b[0] = x
    a = b * 1.0
    b[1] += x
    return np.sum(a) + np.sum(b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.3,)
BACKENDS = ('python', 'numba')
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
