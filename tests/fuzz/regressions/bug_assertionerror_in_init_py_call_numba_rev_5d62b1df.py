"""Fuzz regression: AssertionError in __init__.py:__call__ (numba reverse)

Found by python -m tests.fuzz.run --seed 22 (program seed 22000082).
Observed:
    AssertionError: 'bu7_2_1' not unique
      File "/work/main/.venv/lib/python3.11/site-packages/numba/core/lowering.py", line 676, in lower_assign
        return self.lower_expr(ty, value)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/main/.venv/lib/python3.11/site-packages/numba/core/lowering.py", line 1481, in lower_expr
        res = self.context.special_ops[expr.op](self, expr)
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/main/.venv/lib/python3.11/site-packages/numba/np/ufunc/array_exprs.py", line 368, in _lower_array_expr
        with _legalize_parameter_names(expr_var_unique) as expr_params:
      File "/root/.pyenv/versions/3.11.7/lib/python3.11/contextlib.py", line 137, in __enter__
        return next(self.gen)
               ^^^^^^^^^^^^^^
"""
import math
import numpy as np

def h0(p0, p1=0.12):
    return np.ones(6) * p0

def h1(p0, p1, p2):
    s2, s3 = (p2.sum(), p0)
    return (1.0, math.tanh(s2 - s2) ** 2)

def f(a0, n0, x0, x1):
    b5 = a0
    u7 = h0(math.exp(0.5 * math.cos(x0)), p1=np.arccos(0.5 * np.tanh(x1)))
    s8, s9 = h1(x1, b5, np.exp(-u7 ** 2))
    return round(math.atan(x0 * x0) if -0.84 < b5.sum() < 0.84 else x1 / (1.0 + u7[n0 - 1] ** 2)) * 0.5 + (math.atan(x0 * x0) if -0.84 < b5.sum() < 0.84 else x1 / (1.0 + u7[n0 - 1] ** 2)) + -0.7 * s9 + 1.0 * np.mean(u7)

# signature: numba AssertionError | __init__.py:__call__ | _ not unique | Assign BinOp Compare FunctionDef IfExp Import Return Subscript b5.sum h0 h1 math.atan math.cos math.exp math.tanh np.arccos np.exp np.mean np.ones np.tanh p2.sum round


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.598852, -0.955112, 0.02404, 0.932762, 0.155116, 1.239499]), 4, -0.45635, 0.830342)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
