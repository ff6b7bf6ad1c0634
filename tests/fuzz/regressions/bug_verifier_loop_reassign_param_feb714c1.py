"""Fuzz regression: reverse mode: VerifierError when a loop that may not run reassigns a parameter

Found by python -m tests.fuzz.run --seed 2 --backends numba (program seed 2000235).
Observed:
    [python reverse] VerifierError: VerifierError: f_vjp/add: %by.20 used before definition or out of scope
      File "/work/main/adcompiler/transforms/pipeline.py", line 60, in derivative_ir
        return run_pipeline(passes_for(fn, mode, kinds, active_positions))
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"""
import math
import numpy as np


def f(x, n, y):
    for i in range(2, n):
        x = y
    return x


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.8, 3, 0.6)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
