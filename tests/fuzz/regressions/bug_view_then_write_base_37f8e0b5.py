"""Fuzz regression: silently wrong value and derivative: writing into an array while a slice (view) of it is bound to another name

Found by python -m tests.fuzz.run --seed 1 (program seed 1000201), shrunk, then minimised by hand.
Observed:
    [python forward] value from jvp: GradientCheckError: f: value from jvp:
      derivative:          3.0
      finite differences:  2.09
"""
import math
import numpy as np


def f(x):
    b = np.ones(3)
    a = b[0:3]
    b[1] = x  # REJECT
    return np.sum(a * a)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'reject'
ENTRY = 'f'
ARGS = (-0.3,)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
