"""Fuzz regression: CompileError in types.py:join_at (python forward)

Found by python -m tests.fuzz.run --seed 401 (program seed 401001210).
Observed:
    CompileError: /tmp/adcompiler-fuzz-4485/prog_14.py:33: 'c7' is float64[1d] on one path and float on another
        if x0 < -0.88:
      what to do: give it the same kind of value on every path (for an array, e.g. np.zeros_like(...) instead of 0.0)
"""
import numpy as np
def f(x2, a0, n0, x0):
    for i6 in range(1, n0):
        continue
        if x0:
            c7 = a0
        else:
            x2 = c7
    return 3.0

# signature: python CompileError | types.py:join_at | _ is floatN[Nd] on one path and float on another | Assign Continue For FunctionDef If Return range


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.5, np.array([0.9, -1.5, -1.0, -0.8, 1.4, -0.3]), 0, -0.7)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {'python': 'BUG: CompileError in types.py:join_at (python forward)', 'numba': 'BUG: CompileError in types.py:join_at (numba forward)'}
