"""Regression: silently wrong reverse-mode gradient: an element read in a loop body and then
overwritten in the same iteration was re-read by the reverse sweep before the overwritten
element was put back (so it saw t * 2.0 instead of t)

Found by hand while fixing bug_loop_reads_buffer_it_writes.
"""
import numpy as np


def f(a):
    b = a.copy()
    s = 0.0
    for i in range(3):
        t = b[i]
        b[i] = t * 2.0
        s = s + t * t
    return s + np.sum(b)


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.4, 0.5, 0.9]),)
XFAIL = {}
