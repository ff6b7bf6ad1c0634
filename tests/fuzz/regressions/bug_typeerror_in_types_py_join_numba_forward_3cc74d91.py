"""Fuzz regression: TypeError in types.py:join (numba forward)

Found by python -m tests.fuzz.run --seed 22 (program seed 22000306).
Observed:
    TypeError: a value is float64[2d] on one path and float on another
      File "/work/wt-fuzzgen/adcompiler/transforms/types.py", line 53, in block
        block(stmt.then_body)
      File "/work/wt-fuzzgen/adcompiler/transforms/types.py", line 53, in block
        block(stmt.then_body)
      File "/work/wt-fuzzgen/adcompiler/transforms/types.py", line 65, in block
        block(stmt.body)
      File "/work/wt-fuzzgen/adcompiler/transforms/types.py", line 56, in block
        widen(r, join(atom_type(a), atom_type(c)))
                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fuzzgen/adcompiler/transforms/types.py", line 17, in join
        raise TypeError(f"a value is {a} on one path and {b} on another")
"""
import numpy as np
def h0(p0, p1=0.65):
    for e1 in p0:
        if p1:
            return p0
    return p0

def f(x2, a0, x1):
    u3 = h0(a0, x1)
    return x2

# signature: numba TypeError | types.py:join | a value is floatN[Nd] on one path and float on another | Assign For FunctionDef If Return h0


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (1.1, np.array([[-0.7, 1.1], [1.0, -1.5], [-0.8, -0.2], [-0.9, 1.0]]), 0.8)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
