"""Fuzz regression: wrong derivative (nan) of np.prod at an array containing 0.0

Found by python -m tests.fuzz.run --seed 1 (program seeds 1000184, 1000602, 1000626, 1000970).
Observed:
    [python forward] forward mode: GradientCheckError: f: forward mode, argument 0, output 0:
      derivative:          nan
      finite differences:  0.08182209137931976
    [numba forward] forward mode: GradientCheckError: f: forward mode, argument 0, output 0:
      derivative:          nan
      finite differences:  0.08182209137931976
"""
import math
import numpy as np


def f(a):
    return np.prod(a)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([1.3, 0.6, 0.0, 1.0]),)
BACKENDS = ('python', 'numba')
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
