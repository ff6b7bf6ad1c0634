"""np.array of nested lists: rows of numbers (some differentiated) stacked into a matrix,
checked in both modes on both backends, and the ragged forms refused with a located error."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def rotation_energy(x, y):
    m = np.array([[x, -y], [y, x * x]])
    v = np.array([1.0, 2.0])
    return np.sum((m @ v) ** 2) + m[1, 0] * m[0, 1]


def tensor_of_rows(x, a):
    t = np.array([[[x, 1.0], [a[0], x]], [[a[1], a[0]], [2.0, x * a[1]]]])
    return np.sum(np.sin(t) * t)


def rows_of_arrays(a, x):
    m = np.array([a, a * x, np.tanh(a)])
    return np.sum(m @ a)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", [
    (rotation_energy, (0.7, -0.3)),
    (tensor_of_rows, (0.4, np.array([0.3, -0.8]))),
    (rows_of_arrays, (np.array([0.2, -0.5, 0.9]), 0.6)),
])
def test_nested_array_literals(fn, args, backend):
    check_grads(fn, args, backend=backend)


def ragged(x):
    return np.sum(np.array([[x, 1.0], x]))


def test_ragged_literal_is_a_located_error():
    with pytest.raises(ad.CompileError, match=r"test_array_literals.py:\d+: np.array of a ragged list"):
        ad.grad(ragged, backend="python")(0.5)
