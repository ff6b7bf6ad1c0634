"""Fuzz regression: AttributeError in frontend/desugar.py for a for-each loop over an array with break (fixed in 13cb7ce)

Found by python -m tests.fuzz.run --seed 1 (program seed 1000074).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(a):
    s = 0.0
    for e in a:
        if e > 0.5:
            break
        s = s + e * e
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.2, 0.7, 0.1]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
