"""Fuzz regression: wrong derivative: reverse mode (dot-product test) (both backends)

Found by python -m tests.fuzz.run --seed 502 (program seed 502003596); present before the
session that found it.
Observed:
    GradientCheckError: f: reverse mode (dot-product test with forward), argument 0:
      derivative:          0.0027398033229150904
      finite differences:  -0.0019255703088953524
Cause: the loop replaces 'a0' with a new array each iteration, and the other branch writes
into a0's buffer; the loop's carried 'a0' was still counted as a version of that buffer, so
the reverse sweep read the buffer (the first iteration's array) for every iteration instead of
popping each iteration's value.
"""
import numpy as np

def f(a0, _retval, x0):
    if _retval:
        for _retval0, e3 in zip(a0, a0[1:]):
            x0 = np.linalg.norm(a0)
            a0 = 0.5 * a0
    else:
        e3_ = a0
        e3_[:] += e3_
    return x0

# signature: python wrong result | reverse mode (dot-product test) | Assign AugAssign BinOp For FunctionDef If Import Return Subscript np.linalg.norm zip


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.8, -1.0, 0.1, 0.9, 0.4]), 1, 1.3)
XFAIL = {}
