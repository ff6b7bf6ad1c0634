"""Fuzz regression: silently wrong values: two equal array expressions are merged although the first is written into

Found by python -m tests.fuzz.run --seed 1 (program seed 1001004), shrunk, then minimised by hand.
Observed:
    [python forward] value from jvp: GradientCheckError: f: value from jvp:
      derivative:          -0.8000000000000002
      finite differences:  -2.9999999999999996
    [numba forward] value from jvp: GradientCheckError: f: value from jvp:
      derivative:          -0.8000000000000002
      finite differences:  -2.9999999999999996
"""
import math
import numpy as np


def f(a):
    b = a * 2.0
    b[0] = 0.0
    c = a * 2.0
    return np.sum(c) + np.sum(b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-1.1, 0.1, -0.2, -0.2, 0.1]),)
BACKENDS = ('python', 'numba')
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
