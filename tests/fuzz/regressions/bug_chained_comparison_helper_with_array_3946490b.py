"""Fuzz regression: valid program rejected in reverse mode: a helper that writes an array, called in the middle of a chained comparison

Found by python -m tests.fuzz.run --seed 1 (program seed 1001673).
Observed:
    [python reverse] CompileError: CompileError: /work/main/tests/fuzz/regressions/bug_chained_comparison_helper_with_array_3946490b.py:13: reverse mode: array 'b' is created inside a loop or branch and then written into
        b[0] = p
      what to do: create the array before the loop (e.g. one 2-d array for all steps)
"""
import math
import numpy as np


def h(p):
    b = np.zeros(2)
    b[0] = p
    return np.sum(b * b)


def f(x):
    s = x
    if -1.0 < h(x) < 1.0:
        s = 2.0 * x
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.3,)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
