"""Fuzz regression: numba BackendError 'reshape() supports contiguous array only' for np.min of a slice (fixed in 97c17b7)

Found by python -m tests.fuzz.run --seed 2 --backends numba (program seed 2000010).
Observed:
    fails no more: the bug was fixed in the compiler; kept as a regression test
"""
import math
import numpy as np


def f(x, a):
    x -= np.min(a[::1])
    return x


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-1.2, np.array([0.26, -0.77, -0.12, -0.57, -0.08, -0.34]))
BACKENDS = ('numba',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
