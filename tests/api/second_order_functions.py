"""Scalar loss functions with loops, branches, in-place writes and reductions, for Hessians."""
import math

import numpy as np


def loop_branch(x, y, n):
    """A for loop with a branch on a carried value (tapes of floats and booleans)."""
    s = 0.0
    for i in range(n):
        if s < 1.0:
            s = s + x * math.sin(y * i)
        else:
            s = s * 0.5
    return s * y


def while_loop(x, y):
    """A data-dependent while loop (a doubling tape and an iteration counter)."""
    s = x
    k = 0
    while s < 10.0 and k < 50:
        s = s * (1.0 + y * y) + math.exp(0.1 * x)
        k += 1
    return s * x


def early_return(x, y, n):
    """break and an early return from inside a loop."""
    s = 0.0
    for i in range(n):
        s = s + math.tanh(x * i + y)
        if s > 2.5:
            return s * s * y
    return s * x


def mlp_loss(W, b, x):
    """A tanh layer, broadcasting, a reduction: unbroadcast and fill_like in the adjoint."""
    h = np.tanh(W @ x + b)
    return np.sum(h * h) + 0.5 * np.sum(W * W)


def stencil(u0, k):
    """In-place writes in a time loop: restored elements and scatters in the adjoint."""
    u = u0.copy()
    v = np.zeros(len(u))
    for t in range(3):
        for i in range(1, len(u) - 1):
            v[i] = u[i] + k * (u[i + 1] - 2.0 * u[i] + u[i - 1])
        for i in range(1, len(u) - 1):
            u[i] = v[i] * v[i] * 0.5 + u[i]
    return np.sum(u * u) + k * u[0]


def reductions(x, A):
    """max, mean, sum with axis, slices: arg-max and expand-axis helpers."""
    m = np.max(x * x)
    s = np.sum(A * x[None, :], axis=1)
    return m + np.mean(s * s) + np.sum(x[1:] * x[:-1])


def axis_reductions(A, t):
    """max/min/prod along axes, and products through exact zeros (their second derivatives
    do not vanish there)."""
    return (np.sum(np.max(A, axis=1) ** 3) + np.sum(np.min(A, axis=0) ** 2) + np.prod(A[0] + A[1])
            + np.sum(np.prod(t, axis=1) ** 2) + np.prod(t))


def powers(a, b, x):
    """a ** b with both differentiated (the b-partial log(a) a**b has a derivative in a too),
    scalar and elementwise."""
    return a ** b + np.sum(x ** b) + np.sum(a ** x)


def branch_view_then_write(a):
    """A view chosen by a branch, copied by an op, then the viewed array written."""
    b = np.sin(a)
    b[0] = 2.0 * a[1]
    u = (b[0:2] if a[0] > 0 else b[1:3]) + 1.0
    b[1] = 5.0 * a[3] * b[1]
    return np.sum(u * u) + np.sum(b * b)


CASES = [
    (loop_branch, (0.3, 1.2, 5)),
    (while_loop, (0.7, 0.4)),
    (early_return, (0.4, 0.3, 6)),
    (early_return, (0.1, -0.2, 3)),
    (mlp_loss, (np.array([[0.3, -0.2, 0.1], [0.5, 0.4, -0.6]]), np.array([0.1, -0.3]),
                np.array([0.7, -0.4, 0.2]))),
    (stencil, (np.array([0.3, -0.2, 0.5, 0.1, -0.4]), 0.2)),
    (reductions, (np.array([0.3, -0.9, 0.5, 0.2]), np.arange(12.0).reshape(3, 4) / 10.0)),
    (axis_reductions, (np.array([[0.3, -0.9, 0.5], [0.8, 0.1, -0.4], [-0.2, 0.6, 0.7]]),
                       np.array([[0.0, 1.2, 0.0], [0.9, 0.0, 1.1]]))),
    (powers, (1.7, 2.3, np.array([0.5, 1.2, 2.0]))),
    (branch_view_then_write, (np.array([0.7, -1.0, -0.8, 1.5]),)),
]
