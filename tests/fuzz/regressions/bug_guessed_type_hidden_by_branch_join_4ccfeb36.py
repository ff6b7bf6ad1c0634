"""Fuzz regression: CompileError in types.py:join_at (both modes, both backends)

Found by python -m tests.fuzz.run --seed 401 (program seed 401001210), reduced by hand.
Observed:
    CompileError: prog_14.py:33: 'c7' is float64[1d] on one path and float on another
        if x0 + i6 < 0.0:
Cause: 'c7' is read in the loop before it is bound there, so the frontend lowers the body
with guessed types for it; the inner branch's result (array or the guess) had no type and
the outer branch's join with the guess (after `continue`) gave the guess back, so the guess
looked right. The guess is now checked against every value reaching the body's end.
"""
import math

import numpy as np


def f(x2, a0, n0, x0):
    for i6 in range(1, n0):
        if float(n0) > 4.5:
            continue
        if x0 + i6 < 0.0:
            c7 = a0 * 1.0
        else:
            x2 = x2 * 0.5 + 0.5 * math.tanh(np.mean(c7))
    return x2 * x2

# signature: python CompileError | types.py:join_at | _ is floatN[Nd] on one path and float on another | Assign Continue For FunctionDef If Return range


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.5, np.array([0.9, -1.5, -1.0, -0.8, 1.4, -0.3]), 4, -1.5)
XFAIL = {}
