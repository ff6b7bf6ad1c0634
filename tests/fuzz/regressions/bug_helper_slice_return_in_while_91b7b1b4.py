"""Fuzz regression: TypeError 'a value is float64[1d] on one path and float on another' for a helper returning a slice from inside a while loop

Found by python -m tests.fuzz.run --seed 1 (program seed 1000236).
Observed:
    [python forward] TypeError: TypeError: a value is float64[1d] on one path and float on another
      File "/work/main/adcompiler/transforms/pipeline.py", line 28, in run_pipeline
        ir = pass_(ir)
             ^^^^^^^^^
"""
import math
import numpy as np


def h0(p):
    k = 0
    while k < 1:
        k += 1
        if p[0] > 5.0:
            return p[::1]
    return p


def f(a):
    s = h0(a)
    return np.sum(s * s)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.2, 0.7]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
