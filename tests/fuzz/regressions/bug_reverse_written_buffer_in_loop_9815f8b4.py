"""Fuzz regression: wrong reverse-mode derivative: a loop replaces an array computed from a buffer it then writes into

Found by python -m tests.fuzz.run --seed 1 (program seed 1001002), shrunk, then minimised by hand.
Observed:
    [python reverse] reverse mode (dot-product test): GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          -0.12945359172955276
      finite differences:  -0.12455964803655074
    [numba reverse] reverse mode (dot-product test): GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          -0.12945359172955276
      finite differences:  -0.12455964803655074
"""
import math
import numpy as np


def f(a):
    b = a * 1.0
    for k in range(1, 3):
        a = np.sin(b * 1.0)
        b[k] = b[k] + 0.5
    return np.dot(a, a)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.7, -1.0, -0.8, -1.5, -1.1]),)
BACKENDS = ('python', 'numba')
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
