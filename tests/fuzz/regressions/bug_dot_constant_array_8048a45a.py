"""Fuzz regression: CompileError from inside the compiler (rules/array.py) for a dot with a constant array

Found by python -m tests.fuzz.run --seed 1 (program seed 1000751).
Observed:
    [python forward] CompileError(internal): CompileError: /work/main/adcompiler/rules/array.py:106: dot is not supported for these argument types (dot of 0-d and 1-d arrays is not supported)
        return np.dot(da, b), np.dot(a, db)
      File "/work/main/adcompiler/frontend/lower.py", line 425, in value
        v = self.expr(node, env)
"""
import math
import numpy as np


def f(a):
    u = np.ones(2)
    return u @ a


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.1]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
