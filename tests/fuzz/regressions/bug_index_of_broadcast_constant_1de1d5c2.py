"""Fuzz regression: TypeError 'indexing a scalar' in rules/array.py, and IndexError in generated code, for an element of zeros((2, 2)) + x (fixed in 13cb7ce)

Found by python -m tests.fuzz.run --seed 2 --backends numba (program seed 2000211); seed 1 (1000980, 1001562).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x, i):
    u = np.zeros((2, 2)) + x
    return u[i, i % 2]


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.4, 1)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
