"""Fuzz regression: valid program rejected in reverse mode: array created after an early return

Found by python -m tests.fuzz.run --seed 1 (program seed 1000378).
Observed:
    [python reverse] CompileError: CompileError: /work/main/tests/fuzz/regressions/bug_buffer_after_early_return_bd430e01.py:16: reverse mode: array 'b' is created inside a loop or branch and then written into
        return np.sum(b * b)
      what to do: create the array before the loop (e.g. one 2-d array for all steps)
"""
import math
import numpy as np


def f(x):
    if x > 5.0:
        return x
    b = np.zeros(2)
    b[0] = x
    return np.sum(b * b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.5,)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
