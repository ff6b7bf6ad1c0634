"""Fuzz regression: TypeError in types.py:join (python forward). Then a located CompileError (a
helper returning an array on one path and a float on another); now valid: the helper's
``if p0:`` tests a constant, so only the branch taken is compiled, as only it runs.

Found by python -m tests.fuzz.run --seed 21 (program seed 21001725).
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

def h1(p0):
    if p0:
        return np.full((4, 4), p0)
    return p0

def f(a0, x1):
    a0 = h1(0.522)
    return x1

# signature: python TypeError | types.py:join | a value is floatN[Nd] on one path and float on another | Assign FunctionDef If Import Return h1 np.full


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([[-0.2, 0.7, 0.7, -0.4], [-0.3, -0.8, 0.4, -0.4], [1.4, -0.9, 1.7, 0.2], [1.4, -0.3, 0.4, -1.2]]), -1.4)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
