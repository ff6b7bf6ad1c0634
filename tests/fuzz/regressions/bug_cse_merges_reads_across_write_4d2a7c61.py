"""Fuzz regression: silently wrong reverse-mode gradient: a (dead) np.cos(b) read before a
write into b was merged by derivative-cse with the cos(b) of the adjoint of np.sin(b) after
the write (the reverse sweep reads the buffer b by its first name, so the two ops looked
equal although the buffer's contents differ between them)

Found by a targeted run of the generator (use_arrays=True, seed 602948), shrunk, then
minimised by hand.
Observed:
    [python reverse] reverse mode (dot-product test): GradientCheckError: f: reverse mode
    (dot-product test with forward), argument 0:
      derivative:          -0.01586773179493774
      finite differences:  -0.010324676561455847
"""
import numpy as np


def f(x0, n1, a0):
    b = a0 * 1.0
    u3 = np.cos(b)
    b[0] = x0
    a0[n1] += x0
    s = np.sum(np.sin(b)) + np.prod(np.sin(a0).reshape(1, 3))
    for i in range(2):
        t = np.cos(b)
        b[i + 1] = x0 * t[i]
        s = s + np.sum(np.sin(b))
    return s


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.9, 0, np.array([0.3, -0.5, 1.2]))
XFAIL = {}
