"""Fuzz regression: wrong derivative: reverse mode (dot-product test) (python)

Found by python -m tests.fuzz.run --seed 7 (program seed 7001977).
Observed:
    GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          -0.02235165008294041
      finite differences:  -0.0187278693052439
"""
import numpy as np

def h0(p0, p1):
    u1 = p1.copy()
    return (p0[2], np.linalg.norm(u1))

def f(x1, a0):
    b4 = np.sin(a0)
    i5 = 1
    b4[i5] = 1.0
    b7 = b4 * 1.0
    s8 = x1
    b4[-5] = 0.5
    s9, s10 = h0(a0, b4)
    return (s8, s10 + np.sum(b7))

# signature: python wrong result | reverse mode (dot-product test) | Assign BinOp FunctionDef Import Return Subscript h0 np.linalg.norm np.sin np.sum p1.copy


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.2, np.array([0.6, 1.7, 0.7, 0.4, -0.5]))
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
