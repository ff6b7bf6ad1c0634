"""Fuzz regression: a valid program rejected: a helper that returns an array from inside a
while loop, called on its own result, gives "method '.reshape()' of a number is not
supported" (and, called once, TypeError "a value is float64[1d] on one path and float on
another" from types.join): the return-in-loop desugaring joins the array with a float

Found by python -m tests.fuzz.run --seed 21 (program seed 21000329), minimised by hand.
"""
import numpy as np


def h1(p0, p1=1):
    k3 = 0
    while k3 < p1:
        k3 += 1
        if k3 > 1:
            return p0 * 1.0
        v4 = p0.reshape(1, 5)
    return np.sin(p0)


def f(a0, n0):
    u7 = h1(h1(a0, p1=n0))
    return np.sum(u7)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.1, 0.2, 0.3, 0.4, 0.5]), 3)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
