"""Fuzz regression: wrong derivative: value from jvp (python)

Found by python -m tests.fuzz.run --seed 7 (program seed 7001818).
Observed:
    GradientCheckError: f: value from jvp:
      derivative:          4.040196209142292
      finite differences:  4.034517196481265
"""
import numpy as np

def h2(p0, p1):
    b8 = np.sin(p0)
    return np.mean(b8)

def f(a0):
    b10 = np.sin(a0)
    b10[1, 1] = 1.0
    s22 = h2(a0, b10)
    return s22 + np.mean(b10)

# signature: python wrong result | value from jvp | Assign BinOp FunctionDef Import Return Subscript h2 np.mean np.sin


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([[-0.4, 0.6, 0.8, -0.5], [0.5, -1.0, -0.3, 0.7]]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
