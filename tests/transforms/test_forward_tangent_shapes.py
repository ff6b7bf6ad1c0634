"""Forward mode: the tangent of an elementwise op of two arrays of one rank takes the result's
shape by a shape test (``_rt.shaped_like``), not zeros and an addition, and needs none where
every array argument varies; where an axis of size 1 is broadcast it is still the result's
shape."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def product_sum(a, b):
    return np.sum(np.sin(a * b + a))


rng = np.random.default_rng(3)
CASES = [(rng.normal(size=(3, 4)), rng.normal(size=(3, 4))),
         (rng.normal(size=(3, 1)), rng.normal(size=(1, 4))),
         (rng.normal(size=(3, 1)), rng.normal(size=(3, 4)))]


def test_no_zeros_for_a_same_rank_product():
    src = ad.source(product_sum, mode="forward", args=CASES[0], wrt=(1,))
    assert "np.zeros_like" not in src and "_rt.shaped_like(" in src, src


def test_no_shape_test_where_every_array_argument_varies():
    # the tangents have their values' shapes, so their sum has the result's
    src = ad.source(product_sum, mode="forward", args=CASES[0])
    assert "np.zeros_like" not in src and "shaped_like" not in src, src


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("k", range(len(CASES)))
def test_broadcast_shapes(k, backend):
    check_grads(product_sum, CASES[k], order=2 if backend == "python" else 1, backend=backend)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("k", range(len(CASES)))
@pytest.mark.parametrize("position", [0, 1])
def test_broadcast_shapes_one_argument_varying(k, position, backend):
    args = CASES[k]
    tangent = [np.zeros_like(a) for a in args]
    tangent[position] = rng.normal(size=args[position].shape)
    _, got = ad.jvp(product_sum, args, tangent, backend=backend)
    h = 1e-6
    ahead = [a + h * t for a, t in zip(args, tangent)]
    behind = [a - h * t for a, t in zip(args, tangent)]
    assert np.isclose(got, (product_sum(*ahead) - product_sum(*behind)) / (2 * h), rtol=1e-6)


def step(u, kappa):
    """A new state made by np.empty, every element written from active values."""
    new = np.empty(len(u))
    new[0] = u[0]
    for i in range(1, len(u)):
        new[i] = u[i] + kappa * (u[i - 1] - u[i])
    return np.sum(new * new)


def constant_first(x):
    """np.empty, then a constant written before the first active value: that element's
    tangent is zero, so the tangent buffer starts as zeros."""
    z = np.empty(len(x))
    z[0] = 1.0
    for i in range(1, len(x)):
        z[i] = x[i] * z[i - 1]
    return np.sum(z)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn, args", [(step, (rng.normal(size=5), 0.3)),
                                      (constant_first, (rng.normal(size=5),))])
def test_tangents_of_empty_arrays(fn, args, backend):
    check_grads(fn, args, backend=backend)


def test_the_tangent_of_an_empty_array_is_empty_until_written():
    src = ad.source(step, mode="forward", args=(rng.normal(size=5), 0.3))
    assert "np.empty_like(new)" in src and "zeros_like" not in src, src
    src = ad.source(constant_first, mode="forward", args=(rng.normal(size=5),))
    assert "np.zeros_like(z" in src and "empty_like" not in src, src
