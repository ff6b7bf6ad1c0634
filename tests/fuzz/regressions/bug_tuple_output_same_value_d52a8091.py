"""Fuzz regression: reverse mode: VerifierError for a function returning the same value twice

Found by python -m tests.fuzz.run --seed 1 (program seed 1000298).
Observed:
    [python reverse] VerifierError: VerifierError: f_vjp/yield: %bx.314 used before definition or out of scope
      File "/work/main/adcompiler/transforms/pipeline.py", line 60, in derivative_ir
        return run_pipeline(passes_for(fn, mode, kinds, active_positions))
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"""
import math
import numpy as np


def f(x):
    return x, x


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.6,)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
