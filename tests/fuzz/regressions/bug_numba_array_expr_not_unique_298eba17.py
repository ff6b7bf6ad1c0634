"""Fuzz regression: Numba AssertionError "'ba_2_1' not unique" compiling a generated adjoint

Found by python -m tests.fuzz.run --seed 2 --backends numba (program seed 2000009).
Observed:
    [numba reverse] AssertionError: AssertionError: 'ba_2_1' not unique
      File "/work/main/.venv/lib/python3.11/site-packages/numba/core/lowering.py", line 676, in lower_assign
        return self.lower_expr(ty, value)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^
"""
import math
import numpy as np


def f(x, a):
    p = np.prod(np.tanh(a)) + (np.max(a) if x > 0.0 else x)
    return p


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.3, np.array([0.3, -0.2, 0.7]))
BACKENDS = ('numba',)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
