"""Fuzz regression: forward mode VerifierError when a branch replaces a constant array (fixed during this session)

Found by python -m tests.fuzz.run --seed 1 (program seed 1000153).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(a):
    u = np.full(5, 0.7)
    if a[0] > 0.0:
        u = a
    return np.sum(u)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.6, 0.8, 0.5, 0.1, 0.4]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
