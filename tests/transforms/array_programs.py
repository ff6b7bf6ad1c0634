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


def row_into_column(x, s):
    """NumPy writes this row into the column element by element without buffering (b[2, 2]
    gets the b[1, 2] it has just written; fuzz seed 2102008490), unlike a shift along the
    same axes: refused."""
    b = x * s
    b[:, -1] = b[1, :]
    return np.sum(np.tanh(b))


def shifts_along_the_same_axes(x, s):
    """Overlapping writes NumPy computes as if the value were copied first."""
    b = x * s
    b[1:, 1:] = b[:-1, :-1]
    b[::-1] = b
    b[:, 0] = b[:, 1]
    b[1] = b[2]
    return np.sum(np.tanh(b) * np.arange(b.size).reshape(b.shape))


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


# -- slice and row writes: the reverse sweep restores the overwritten slice from a tape ------

def heat_in_place(u0, c, steps):
    u = u0.copy()
    for t in range(steps):
        u[1:-1] = u[1:-1] + c * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return np.sum(u ** 2)


def slice_write_scalar(x, s):
    y = x * 1.0
    y[1:3] = s * x[0]
    y[::2] += s
    y[3:] = 0.5
    return np.sum(y * y * x)


def strided_and_reversed_writes(x, s):
    y = np.zeros(6)
    y[::2] = x[:3] * s
    y[5:0:-2] = np.sin(x[3:]) + y[::2]
    y[:2] += y[4:]
    return np.sum(y ** 3) + s * y[1]


def row_into_block(a, v):
    z = a * 1.0
    z[0:2, :] = v * z[2]
    z[1:, 1:3] += v[:2] * 0.5
    z[:, 0] = np.cos(z[:, 1])
    return np.sum(z ** 2)


def size1_broadcast_write(a, r):
    z = np.zeros((3, 4))
    z[:, :] = r
    z[1:, :] += a * z[0:2]
    return np.sum(z * z) + z[2, 3]


def rows_in_a_loop(a, x):
    z = a * 1.0
    for i in range(z.shape[0]):
        z[i, 1:] = z[i, 1:] * x[i] + z[i - 1, :-1]
        z[i] = np.tanh(z[i])
    return np.sum(z * a)


def columns_in_a_loop(a, s):
    z = a * 1.0
    for j in range(1, z.shape[1]):
        z[:, j] = z[:, j - 1] * s + np.sin(z[:, j])
    return np.sum(z ** 2)


def shift_into_itself(x, s):
    y = x * 1.0
    for k in range(3):
        y[1:] = y[:-1] * s
        y[0] = y[-1] + s
    return np.sum(y * x)


def slice_write_while(x, c):
    y = x * 1.0
    k = 0
    while np.sum(y * y) < 40.0 and k < 6:
        y[1:] += c * y[:-1] ** 2
        y[:2] = y[:2] * 1.5
        k += 1
    return np.sum(np.sin(y))


def slice_write_in_branch(x, c):
    y = x * 1.0
    for k in range(4):
        if y[0] > c:
            y[:2] = y[1:3] * c
        else:
            y[2:] = y[2:] - np.sin(y[:2]) * c
    return np.sum(y ** 2)


def moving_window(x, s):
    y = np.zeros(len(x) + 3)
    for i in range(len(x)):
        y[i:i + 3] += x[i] * s * y[i + 1:i + 4] + x[i]
    return np.sum(y * y)


def slice_write_into_parameter(x, a, b):
    x[a:b] = x[:b - a] * x[a]
    x[1:] += x[:-1] * 0.5
    return np.sum(x * x)


# -- writes that stay rejected -------------------------------------------------------------

def write_through_mask(x):
    y = x * 1.0
    y[x > 0.0] = 0.0
    return np.sum(y)


def write_through_slice_view(x):
    y = x * 1.0
    r = y[1:]
    r[0:2] = 1.0
    return np.sum(y)


def write_matrix_into_row(a):
    z = a * 1.0
    z[0] = a * 2.0
    return np.sum(z)


def write_array_into_element(x):
    y = x * 1.0
    y[0] = x * 2.0
    return np.sum(y)


def write_through_2d_index_array(x, idx):
    y = x * 1.0
    y[idx] = 0.0
    return np.sum(y)


def write_with_newaxis(x):
    y = x * 1.0
    y[None, 1:] = 2.0
    return np.sum(y)
