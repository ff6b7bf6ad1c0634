"""Fuzz regression: the primal of a sum over a reshaped transpose differed in the last bit

reshape was generated as np.ascontiguousarray(x).reshape(s), a C-ordered copy, where NumPy
returns a view of the transpose and sums it in its own order. Fixed: _rt.reshape is NumPy's
reshape on the python backend (Numba, which reshapes contiguous arrays only, copies).

Found by python -m tests.fuzz.run --seed 201 (program seed 201001691).
Observed:
    f: the forward-mode derivative's primal output 0 differs from Python's: 0.05027815124213042 instead of np.float64(0.05027815124213039)
"""
import numpy as np
def h0(p0, p1, p2):
    v1 = p0.reshape(3, 3)
    p2 = v1
    return p2.sum()

def f(x2, a1):
    s19 = h0(a1.T, x2, a1)
    return s19

# signature: python wrong result | primal not bit-for-bit | Assign FunctionDef Return h0 p0.reshape p2.sum


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (1.1, np.array([[0.4, -0.4, 0.3], [0.3, -0.5, -0.6], [-0.3, -0.9, 0.7]]))
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
