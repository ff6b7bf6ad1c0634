"""Array programs with loops that overwrite array elements (the reverse sweep must restore
each overwritten value), used by test_array_writes."""
import numpy as np


def heat(u0, k, steps):
    n = len(u0)
    U = np.zeros((steps + 1, n))
    for i in range(n):
        U[0, i] = u0[i]
    for t in range(steps):
        for i in range(1, n - 1):
            U[t + 1, i] = U[t, i] + k * (U[t, i + 1] - 2.0 * U[t, i] + U[t, i - 1])
    return np.sum(U[steps] ** 2)


def overwrite_many_times(x, a):
    y = x * 1.0
    s = 0.0
    for it in range(3):
        for i in range(len(y)):
            y[i] = np.sin(y[i] * a) + y[i]
        s = s + y[0] * y[-1]
    return s + np.sum(y * y)


def write_into_parameter(x):
    x[0] = x[0] * x[1]
    x[1] += 3.0 * x[0]
    return np.sum(x * x)


def write_in_branch(x, c):
    y = np.zeros(3)
    if c > 0.0:
        y[0] = x[0] * c
    else:
        y[1] = x[1]
    y[2] = y[0] + y[1] * c
    return y[2] * y[0] + c


def running_max(x):
    best = x[0]
    out = np.zeros(len(x))
    for i in range(len(x)):
        if x[i] > best:
            best = x[i]
        out[i] = best * x[i]
    return np.sum(out)


def returns_written_array(x):
    y = x * 2.0
    for i in range(1, len(y)):
        y[i] = y[i] + y[i - 1] * 0.5
    return y


def alias_then_write(x):
    y = x * 1.0
    z = y
    z[0] = 1.0
    return np.sum(y)


def write_into_view(x):
    y = x * 1.0
    r = y.T
    r[0, 0] = 1.0
    return np.sum(y)


def write_into_chosen_array(x, c):
    a = x * 1.0
    b = x * 2.0
    y = a if c > 0.0 else b
    y[0] = 3.0
    return np.sum(a)


def helper_writes(v):
    v[0] = 0.0
    return v[1]


def calls_writing_helper(x):
    y = x * 1.0
    return helper_writes(y) + y[0]


def horner(c, x):
    y = np.zeros_like(x)
    for k in range(len(c)):
        y = y * x + c[k]
    return np.sum(y * y)


def carried_matrix(A, v):
    M = A * 1.0
    for it in range(3):
        if np.sum(M) > 0.0:
            M = np.tanh(M @ A)
        else:
            M = M * v
    return np.sum(M * M)


def while_array(x):
    y = x * 1.0
    k = 0
    while np.sum(y * y) < 50.0 and k < 20:
        y = y * 1.5 + 0.1
        k += 1
    return np.sum(np.sin(y))
