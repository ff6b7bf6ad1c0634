"""Regression (passes): an array expression of a buffer computed in a loop body, then an inner
loop writing the buffer; the reverse sweep must not recompute the expression from the written
contents

Written by hand next to bug_loop_reads_buffer_it_writes.
"""
import numpy as np


def f(a, x):
    b = a.copy()
    s = 0.0
    for i in range(3):
        t = np.tanh(b)
        for j in range(2):
            b[j + i] = b[j + i] * x
        s = s + np.sum(t * b)
    k = 0
    while k < 3:
        v = b[k] + b[k + 1]
        b[k + 1] = v * x
        s = s + v * b[k]
        k += 1
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (np.array([0.3, -0.4, 0.5, 0.9]), 0.7)
XFAIL = {}
