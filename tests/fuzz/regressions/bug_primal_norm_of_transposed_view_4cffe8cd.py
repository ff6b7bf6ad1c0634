"""Fuzz regression: wrong derivative: primal not bit-for-bit (python); fixed

np.linalg.norm was lowered as sqrt(sum(x * x)), which sums in another order than NumPy's
norm (a dot of the array raveled in memory order): the last bits differed for a transposed
view. It is now its own primitive, spelled np.linalg.norm.

Found by python -m tests.fuzz.run --seed 101 (program seed 101000386).
Observed:
    f: the forward-mode derivative's primal output 0 differs from Python's: -0.9054088530412454 instead of np.float64(-0.9054088530412463)
"""
import numpy as np

def f(a0):
    a0[1, 2] = 0.5
    v5 = a0.T
    return np.linalg.norm(v5)

# signature: python wrong result | primal not bit-for-bit | Assign FunctionDef Import Return Subscript np.linalg.norm


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([[2.643738, 0.579436, 1.148807, 0.789273], [0.429995, -0.548223, -0.1254, 2.500052]]),)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
