"""ad.jacobian in forward, reverse and auto mode against finite differences, with the
course's helix example."""
import numpy as np
import pytest

import adcompiler as ad


def helix(t, s):
    return np.array([np.sin(t) + s, np.cos(t), 6.0 * t / np.pi])


def layer(W, x):
    return np.tanh(W @ x)


def scalar_out(x, y):
    return np.sum(x * x) * y


def numerical_jacobian(fn, args, p, h=1e-6):
    x = np.asarray(args[p], dtype=float)
    cols = []
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = h
        up, down = list(args), list(args)
        up[p] = x + e.reshape(x.shape) if x.ndim else float(x + h)
        down[p] = x - e.reshape(x.shape) if x.ndim else float(x - h)
        cols.append((np.asarray(fn(*up)) - np.asarray(fn(*down))) / (2 * h))
    return np.stack(cols, axis=-1).reshape(np.shape(fn(*args)) + x.shape)


CASES = [(helix, (0.3, 1.0)), (layer, (np.arange(6.0).reshape(2, 3) / 10, np.array([0.5, -1.0, 2.0]))),
         (scalar_out, (np.array([0.3, -0.4]), 1.5))]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
@pytest.mark.parametrize("fn,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_jacobian(fn, args, mode, backend):
    J = ad.jacobian(fn, wrt=(0, 1), mode=mode, backend=backend)(*args)
    for p in (0, 1):
        np.testing.assert_allclose(J[p], numerical_jacobian(fn, args, p), rtol=1e-6, atol=1e-8)


def test_auto_picks_forward_for_tall_and_reverse_for_wide():
    tall = ad.jacobian(helix, wrt=0, backend="python")
    tall(0.3, 1.0)
    assert tall.chosen == "forward"
    wide = ad.jacobian(scalar_out, wrt=0, backend="python")
    wide(np.ones(4), 2.0)
    assert wide.chosen == "reverse"


def test_helix_jacobian_values():
    J = ad.jacobian(helix, wrt=(0, 1), backend="python")(0.3, 1.0)
    np.testing.assert_allclose(J[0], [np.cos(0.3), -np.sin(0.3), 6.0 / np.pi])
    np.testing.assert_allclose(J[1], [1.0, 0.0, 0.0])
