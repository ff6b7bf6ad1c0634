"""Fuzz regression: a rejected call reported at another line

In a loop that reads flag9 before binding it, the call without a rule (np.cumsum) failed in
the pass that guessed flag9's type, and the read was reported instead of the call. Fixed:
every guessed type is tried, and an error all of them give alike is the program's own.

Found by python -m tests.fuzz.run --kind reject --seed 102 (program seed 102003372).
Observed:
    expected line [43], got 34:
    /tmp/adcompiler-fuzz-23630/prog_6148.py:34: 'flag9' is read in this loop before the loop assigns it, and it has no value before the loop
        flag9 = (x0 if flag9 else x1) > -0.23
      what to do: give 'flag9' a value before the loop
"""
import contextlib
import random
import math
import numpy as np
def f(x1, x0):
    for i7 in range(2):
            flag9 = (x0 if flag9 else x1) > -0.23
            rj1 = np.cumsum(np.ones(3))  # REJECT
    return C1 + 1.0 * s18, C1

# signature: reject | wrong line | grad


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'reject'
ENTRY = 'f'
ARGS = (0.152118, 0.874244)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
