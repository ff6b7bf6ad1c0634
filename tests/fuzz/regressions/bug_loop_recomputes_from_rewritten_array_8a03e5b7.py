"""Regression: silently wrong reverse-mode gradient: an array expression of a buffer computed
in a loop body before the body writes into the buffer was recomputed at the start of the reverse
iteration, from the written contents

Found by hand while fixing bug_loop_reads_buffer_it_writes (a nested branch writes too).
"""
import numpy as np


def f(a, x):
    b = a.copy()
    s = 0.0
    for i in range(3):
        t = np.tanh(b)
        if x > 0.0:
            b[i] = x * t[i]
        s = s + np.sum(t * t)
    return s + np.sum(b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.4, 0.5, 0.9]), 0.6)
XFAIL = {}
