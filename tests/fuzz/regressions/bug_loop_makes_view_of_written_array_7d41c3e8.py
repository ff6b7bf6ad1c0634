"""Regression: a loop-carried name becomes a view of an array the loop writes into

Found by hand while fixing bug_view_then_write_base: in the second iteration 'a' (a view of b
from the first) must see the write b[i] = x, which a functional SSA value cannot.
"""
import numpy as np


def f(x):
    b = np.ones(3)
    a = np.zeros(2)
    s = 0.0
    for i in range(2):  # REJECT
        b[i] = x * i
        s = s + np.sum(a)
        a = b[0:2]
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'reject'
ENTRY = 'f'
ARGS = (0.7,)
XFAIL = {}
