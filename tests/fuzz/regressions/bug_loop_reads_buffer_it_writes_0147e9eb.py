"""Fuzz regression: wrong reverse-mode derivative: a loop reads the whole array it writes into

Found by python -m tests.fuzz.run --seed 3 --backends numba (program seed 3000279) and --seed 1 (1000237), shrunk, then minimised by hand.
Observed:
    [python reverse] reverse mode (dot-product test): GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          0.056878401151681024
      finite differences:  0.10087517140750739
    [numba reverse] reverse mode (dot-product test): GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          0.056878401151680996
      finite differences:  0.10087517140750736
"""
import math
import numpy as np


def f(a):
    b = np.copy(a)
    for i in range(2):
        b[i] = np.sum(np.tanh(b))
    return b[1]


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-1.1, 0.1, -0.2, -0.2, 0.1]),)
BACKENDS = ('python', 'numba')
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
