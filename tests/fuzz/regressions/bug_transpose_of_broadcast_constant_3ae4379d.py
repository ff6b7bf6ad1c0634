"""Fuzz regression: CompileError inside the compiler (rules/array.py: attribute '.T' of a number) for the transpose of zeros((3, 3)) + x (fixed in 13cb7ce)

Found by python -m tests.fuzz.run --seed 1 (program seed 1001512).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x):
    u = np.zeros((3, 3)) + x
    v = u.T
    return v[0, 1]


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.4,)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
