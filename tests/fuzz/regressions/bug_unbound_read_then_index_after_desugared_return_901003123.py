"""Fuzz regression: CompileError after a read of a name no path binds (both modes and backends)

Found by python -m tests.fuzz.run --seed 901 (program seed 901003123), reduced by hand; present
before the session that found it.
Observed:
    CompileError: prog.py:9: indexing is only supported on arrays and on tuples with a constant index
        return np.sum(u1[::-1]) * p0
Cause: the early return inside the first branch is desugared by copying the tail into both
branches, so on the else path 'u1' is read where no path binds it. Python raises
UnboundLocalError there at run time; the frontend gave the read a float placeholder and then
refused the indexing that follows on that (never completed) path. Now the path ends at a
definite unbound read (frontend/lower.py _Unreachable): the branch's results are placeholders
typed by the other paths.
"""
import numpy as np


def f(p0):
    if not (p0 > 0.1):
        if p0 > -1.45:
            return np.sum(np.full(6, p0))
        u1 = np.zeros(6) + p0
    else:
        p0 = p0 * 2.0
    return np.sum(u1[::-1]) * p0

# signature: python CompileError | lower.py:expr | indexing is only supported on arrays and on tuples with a constant index | If Return Subscript


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-2.0,)
XFAIL = {}
