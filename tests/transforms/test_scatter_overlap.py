"""The adjoint of a view read beside its base (``x[::-1] + x``) gives the view and the base the
same cotangent array: adding it into the base's cotangent through the view, in place, would
read and write overlapping memory, which NumPy buffers and Numba does not (it was silently
wrong on the numba backend, found by the fuzzer). The add goes into a copy."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def reversed_plus_itself(x):
    return np.sum(np.sin(x[::-1] + x) * x)


def itself_plus_reversed(x):
    return np.sum(np.tanh(x + x[::-1]) ** 2)


def rows_reversed_plus_matrix(M):
    return np.sum(np.sin(M[::-1] + M) * M)


def shifted_window(x):
    return np.sum(np.cos(x[1:3] * 2.0 + x[0:2]))


CASES = [(reversed_plus_itself, (np.array([0.3, -1.2, 0.8, 2.0, 0.1]),)),
         (itself_plus_reversed, (np.array([0.3, -1.2, 0.8, 2.0]),)),
         (rows_reversed_plus_matrix, (np.arange(12.0).reshape(4, 3) / 7 - 0.5,)),
         (shifted_window, (np.array([0.3, -1.2, 0.8, 2.0]),))]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradients(fn, args, backend):
    check_grads(fn, args, order=2 if backend == "python" else 1, backend=backend)
    got = ad.grad(fn, backend=backend)(*args)
    want = ad.grad(fn, backend="python")(*args)
    assert np.allclose(got, want, rtol=1e-13, atol=1e-15)
