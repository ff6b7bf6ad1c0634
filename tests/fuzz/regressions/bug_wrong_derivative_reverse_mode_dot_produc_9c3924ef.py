"""Fuzz regression: wrong derivative: reverse mode (dot-product test) (python)

Found by python -m tests.fuzz.run --seed 7 (program seed 7000491).
Observed:
    GradientCheckError: f: reverse mode (dot-product test with forward), argument 1:
      derivative:          0.010252957620561644
      finite differences:  0.010249301297957375
"""
import numpy as np

def f(a0):
    for i4 in range(1, len(a0)):
        a0[i4] = 0.1 * a0 @ a0
    return np.mean(a0)

# signature: python wrong result | reverse mode (dot-product test) | Assign BinOp For FunctionDef Import Return Subscript len np.mean range


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-0.4, 1.0, -0.5]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
