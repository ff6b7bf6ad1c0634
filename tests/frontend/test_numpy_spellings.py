"""NumPy's other spellings of what the compiler knows: the ufuncs of the operators
(np.add, np.multiply, ...) and functions that are other NumPy code (np.asarray,
np.atleast_1d/2d/3d, np.column_stack, np.vstack, np.hstack). Values are NumPy's bit for bit
(the python backend), derivatives checked in both modes, second order and on both backends."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

A = np.array([[0.5, -1.0, 0.3], [0.2, 0.7, -0.4], [1.1, 0.0, 0.6]])
a = np.array([0.3, -0.2, 0.9])
b = np.array([1.1, 0.4, -0.6])


def ufuncs(a, b, x):
    y = np.multiply(np.add(a, b), np.subtract(a, x)) + np.divide(np.negative(a), 2.0 + b * b)
    return np.sum(y) + np.multiply(x, x) + np.positive(x) - np.true_divide(x, 3.0)


def stacks(a, b, A):
    c = np.column_stack((a, b, A))
    v = np.vstack((a, A, b))
    h = np.hstack((a, b))
    h2 = np.hstack((A, A * 2.0))
    return np.sum(c * c) + np.sum(np.sin(v)) + np.sum(h ** 3) + np.sum(h2 @ h2.T)


def at_least(a, x):
    u = np.atleast_2d(a)
    w = np.atleast_1d(x)
    z = np.atleast_3d(a)
    m = np.asarray(a) * np.asarray(x, dtype=float)
    return np.sum(u @ u.T) + np.sum(w * a) + np.sum(z) * x + np.sum(m) + \
        np.sum(np.asarray([x, 2.0 * x]))


def trace_and_shapes(A, x):
    s = np.column_stack((A[0], A[1]))
    return np.trace(A * x) + np.trace(A @ A.T) * x + np.trace(s.T @ s) + \
        np.sum(np.atleast_3d(A)) * x


def new_axes(a):
    return np.sum(a[::2, np.newaxis] * a[np.newaxis, :]) + np.sum(a[:, None] ** 2)


def filled_like(a, x):
    """np.empty_like filled element by element; np.full with an integer fill holds integers."""
    y = np.empty_like(a)
    for i in range(a.shape[0]):
        y[i] = np.sin(a[i] * x)
    ints = np.full(a.shape[0], 2)
    ints[0] = 1.5                       # stored as 1, as NumPy stores it
    return np.sum(y * y * ints)


CASES = [(filled_like, (a, 0.9)), (new_axes, (a,)), (ufuncs, (a, b, 0.7)), (stacks, (a, b, A)), (at_least, (a, 0.6)),
         (trace_and_shapes, (A, 0.8))]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_values_and_derivatives(fn, args, backend):
    check_grads(fn, args, backend=backend)
    if backend == "python":
        assert ad.value_and_grad(fn, backend=backend)(*args)[0] == fn(*args)


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def test_shapes_and_memory_order_are_numpys():
    def shapes(a, A):
        return np.column_stack((a, A)), np.vstack((a, A)), np.hstack((A, A)), np.atleast_3d(A)
    got = ad.jvp(shapes, (a, A), (a, A), backend="python")[0]
    for g, want in zip(got, shapes(a, A)):
        assert g.shape == want.shape and g.flags.c_contiguous == want.flags.c_contiguous
        assert np.array_equal(g, want)
