"""Fuzz regression: CompileError(internal) in lower.py:emit (python forward)

Found by python -m tests.fuzz.run --seed 7 (program seed 7000367).
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

def f(x0, a0):
    b10 = np.zeros_like(a0)
    x0 = np.dot(a0, b10)
    return x0

# signature: python CompileError(internal) | lower.py:emit | dot is not supported for these argument types (dot of N-d and N-d arrays is not supported) | Assign FunctionDef Import Return np.dot np.zeros_like


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-0.3, np.array([-0.3, 0.1, 2.1]))
BACKENDS = ('python',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
