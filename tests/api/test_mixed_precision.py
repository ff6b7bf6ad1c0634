"""A float32 parameter vector with float64 data follows NumPy's type promotion: the value is
NumPy's, the gradient has the parameter's dtype (float32), on both backends."""
import numpy as np
import pytest

import adcompiler as ad


def loss(w, X, y):
    r = X @ w - y
    return np.sum(r * r) + 0.1 * np.sum(w * w) + np.sum(np.outer(w, y[:2]) * X[:2])


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_float32_parameters_with_float64_data(backend):
    w = np.array([0.5, -0.2], dtype=np.float32)
    X = np.arange(6.0).reshape(3, 2)
    y = np.array([1.0, 0.5, -0.3])
    value, g = ad.value_and_grad(loss, backend=backend)(w, X, y)
    assert value == pytest.approx(loss(w, X, y), rel=1e-15)
    assert g.dtype == np.float32
    g64 = ad.grad(loss, backend="python")(w.astype(np.float64), X, y)
    np.testing.assert_allclose(g, g64, rtol=1e-6)
    _, tangent = ad.jvp(loss, (w, X, y), (np.ones(2, np.float32), np.zeros_like(X), np.zeros(3)),
                        backend=backend)
    assert tangent == pytest.approx(np.sum(g64), rel=1e-6)
