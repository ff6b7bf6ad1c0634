"""Fuzz regression: unlocated CompileError 'reverse mode: a bool array defined in only one branch is needed by the reverse sweep' (fixed during this session)

Found by python -m tests.fuzz.run --seed 1 (program seed 1001934).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


C0 = 1.283


def h0(p0):
    if C0:
        p0 = np.where(p0 > p0.T, p0, 0.5)
    return np.sum(p0)


def f(a0):
    b4 = a0
    s7 = h0(b4)
    return s7


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([[0.2, -0.7, -1.0, 0.5], [0.6, 0.8, -0.7, 0.8], [0.5, -1.4, 0.3, 1.1], [-0.7, -0.6, -0.6, 1.5]]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
