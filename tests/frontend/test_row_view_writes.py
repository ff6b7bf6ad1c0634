"""Writes through a row taken by integer indices (``row = M[i]``, ``plane = T[0]``) go into
the array it views, as in NumPy, and every row of that array held by a name is taken again
after the write, so it sees it too. Writes through other views (slices, transposes, a row
carried through a loop) stay located errors."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def augmented_row(x):
    y = np.zeros((3, 3))
    r = y[1]
    r += x
    return np.sum(y * x[0])


def rows_in_a_loop(x):
    M = np.outer(x, x)
    for i in range(3):
        row = M[i]
        row[i] = 2.0 * row[i] + x[i]
        row[0] = row[1] * x[2]
    return np.sum(M * M)


def plane_and_rows(x):
    T = np.zeros((2, 3, 3))
    T[0] = np.outer(x, x)
    plane = T[0]
    plane[1, :] = x * 3.0
    r = T[0, 2]
    r *= x
    return np.sum(T * T) + np.sum(plane) + np.sum(r)


def second_name_of_a_row(x):
    M = np.outer(x, x)
    r = M[1]
    s = r
    r[0] = 5.0
    return np.sum(s * x)


def negative_indices(x):
    M = np.outer(x, x)
    r = M[-1]
    r[-1] = 5.0 * x[0]
    return np.sum(M * r[0])


def in_a_branch(x):
    M = np.outer(x, x)
    r = M[0]
    if x[0] > 0.0:
        r[1] = 7.0 * x[1]
    return np.sum(M * M)


def row_carried_through_a_loop(x):
    M = np.outer(x, x)
    r = M[0]
    for i in range(3):
        r[i] = r[i] * x[i]
    return np.sum(M)


def through_a_slice(x):
    y = x * 2.0
    v = y[1:]
    v[0] = 3.0
    return np.sum(y)


CASES = [augmented_row, rows_in_a_loop, plane_and_rows, second_name_of_a_row,
         negative_indices, in_a_branch]
X = np.array([0.5, -1.0, 2.0])


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", CASES, ids=[f.__name__ for f in CASES])
def test_values_are_numpys_and_gradients_check(fn, backend):
    value = ad.value_and_grad(fn, backend=backend)(X.copy())[0]
    assert value == fn(X.copy())
    check_grads(fn, (X,), order=2 if backend == "python" else 1, backend=backend)


@pytest.mark.parametrize("fn", [row_carried_through_a_loop, through_a_slice])
def test_other_views_are_located_errors(fn):
    with pytest.raises(ad.CompileError) as err:
        ad.grad(fn)(X.copy())
    assert "test_row_view_writes.py" in str(err.value)
