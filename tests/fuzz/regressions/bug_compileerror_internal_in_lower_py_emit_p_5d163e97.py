"""Fuzz regression: CompileError(internal) in lower.py:emit (python forward)

Found by python -m tests.fuzz.run --seed 21 (program seed 21001183).
Observed:
    CompileError: /work/wt-fuzzgen/adcompiler/rules/array.py:106: dot is not supported for these argument types (dot of 0-d and 1-d arrays is not supported)
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

def h0(p0, p1):
    b1 = np.zeros(5)
    b2 = b1
    return b2 @ p1

def f(x0, a0):
    s5 = h0(x0, a0)
    return s5

# signature: python CompileError(internal) | lower.py:emit | dot is not supported for these argument types (dot of N-d and N-d arrays is not supported) | Assign BinOp FunctionDef Import Return h0 np.zeros


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.2, np.array([-1.4, -0.0, 0.5, 0.9, 1.2]))
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
