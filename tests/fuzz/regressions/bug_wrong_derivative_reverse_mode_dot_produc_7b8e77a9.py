"""Fuzz regression: wrong derivative: reverse mode (dot-product test) (python)

Found by python -m tests.fuzz.run --seed 7 (program seed 7001799).
Observed:
    GradientCheckError: f: reverse mode (dot-product test with forward), argument 1:
      derivative:          0.0
      finite differences:  nan
"""
import numpy as np

def f(a0):
    return np.prod(a0 - a0[::1])

# signature: python wrong result | reverse mode (dot-product test) | BinOp FunctionDef Import Return Subscript np.prod


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-1.5, -1.5, -0.5]),)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
