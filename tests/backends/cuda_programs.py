"""prange programs run on backend="cuda" (tests/backends/test_cuda.py, under Numba's CUDA
simulator, and ptx_kernels.py, compiled to PTX): maps, gathers, scatters with many repeated
indices, reductions, a stencil in a time loop. Sizes are tiny: the simulator runs each GPU
thread as a Python thread."""
import numpy as np

from adcompiler import prange

IDX = np.array([0, 2, 2, 1, 0, 2, 2, 2])


def map_and_reduction(x, w):
    y = np.empty(x.shape[0])
    s = 0.0
    for i in prange(x.shape[0]):
        t = np.tanh(w * x[i])
        if t > 0.1:
            y[i] = t * t
        else:
            y[i] = np.sin(t)
        s += y[i] * x[i]
    return np.sum(y * y) + s


def gather(x, w):
    y = np.zeros(IDX.shape[0])
    for i in prange(IDX.shape[0]):
        y[i] = x[IDX[i]] * w + np.exp(x[IDX[i]] * 0.1)
    return np.sum(y ** 2)


def scatter_add(x, w):
    acc = np.zeros(3)
    for i in prange(IDX.shape[0]):
        acc[IDX[i]] += x[i] ** 2 * w
    return np.sum(acc * acc)


def stencil_steps(u0, kappa):
    u = u0.copy()
    n = u.shape[0]
    for t in range(2):
        new = np.empty(n)
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in prange(1, n - 1):
            new[i] = u[i] + kappa * (u[i - 1] - 2.0 * u[i] + u[i + 1]) + 0.1 * np.tanh(u[i])
        u = new
    return np.sum(u ** 2)


def rows(x, a):
    out = np.zeros((x.shape[0], 2))
    s = 0.0
    for i in prange(x.shape[0]):
        for j in range(2):
            out[i, j] = np.sin(a[i, j] * x[i])
            s += a[i, j] * out[i, j]
    return np.sum(out * out) + s


def stencil_2d(u0, kappa):
    # an inner loop saving values: slots i * m + j of the tapes
    u = u0.copy()
    n, m = u.shape
    for t in range(2):
        new = u.copy()
        for i in prange(1, n - 1):
            for j in range(1, m - 1):
                lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
                new[i, j] = u[i, j] + 0.1 * np.tanh(kappa * lap)
        u = new
    return np.sum(u * u)


X = np.linspace(0.1, 0.9, 8)
A = np.arange(16.0).reshape(8, 2) / 10
PROGRAMS = [(map_and_reduction, (X, 0.5)), (gather, (X, 0.7)), (scatter_add, (X, 1.3)),
            (stencil_steps, (X, 0.2)), (rows, (X, A)),
            (stencil_2d, (np.random.default_rng(3).random((5, 4)), 0.7))]
