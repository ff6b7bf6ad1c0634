"""Fuzz regression: CompileError(internal) in lower.py:emit (numba forward)

Found by python -m tests.fuzz.run --seed 22 (program seed 22000113).
Observed:
    CompileError: /work/wt-fuzzgen/adcompiler/rules/array.py:106: dot is not supported for these argument types (dot of 1-d and 0-d arrays is not supported)
        return np.dot(da, b), np.dot(a, db)
      File "/work/wt-fuzzgen/adcompiler/frontend/lower.py", line 485, in value
        v = self.expr(node, env)
            ^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fuzzgen/adcompiler/frontend/lower.py", line 560, in expr
        return self.call(node, env)
               ^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fuzzgen/adcompiler/frontend/lower.py", line 829, in call
        return self.primitive_call(prim, args, node)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fuzzgen/adcompiler/frontend/lower.py", line 867, in primitive_call
"""
import numpy as np

def f(a0):
    b5 = np.zeros_like(a0)
    return a0 @ b5[::1]

# signature: numba CompileError(internal) | lower.py:emit | dot is not supported for these argument types (dot of N-d and N-d arrays is not supported) | Assign BinOp FunctionDef Import Return Subscript np.zeros_like


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-0.3, 0.4, -1.6]),)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
