"""Fuzz regression: CompileError(internal) in lower.py:emit (python forward)

Found by python -m tests.fuzz.run --seed 7 (program seed 7000259).
Observed:
    CompileError: /work/wt-fixes/adcompiler/rules/array.py:106: dot is not supported for these argument types (dot of 1-d and 0-d arrays is not supported)
        return np.dot(da, b), np.dot(a, db)
      File "/work/wt-fixes/adcompiler/frontend/lower.py", line 425, in value
        v = self.expr(node, env)
            ^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fixes/adcompiler/frontend/lower.py", line 497, in expr
        return self.call(node, env)
               ^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fixes/adcompiler/frontend/lower.py", line 795, in call
        return self.primitive_call(prim, args, node)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fixes/adcompiler/frontend/lower.py", line 833, in primitive_call
"""
import numpy as np

def h0(p0, p1):
    b1 = np.zeros_like(p1)
    return p1 @ b1

def f(a0, x0):
    s8 = 1.0
    return (s8, h0(x0, a0[::1]))

# signature: python CompileError(internal) | lower.py:emit | dot is not supported for these argument types (dot of N-d and N-d arrays is not supported) | Assign BinOp FunctionDef Import Return Subscript h0 np.zeros_like


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([-1.0, -0.5]), -1.4)
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
