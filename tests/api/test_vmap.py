"""``ad.vmap``: a function mapped over axis 0 of its arguments, as jax.vmap; a mapped
Jacobian or gradient runs its loop over the batch in compiled code and gives what a Python
loop of calls gives."""
import numpy as np
import pytest

import adcompiler as ad


def project(cam, X, weight):
    """A small vector function of a camera-like vector and a point (a 2 x 5 and 2 x 3
    Jacobian per observation)."""
    Xc = X - cam[0:3]
    p = Xc[0:2] / Xc[2]
    return weight * p * (1.0 + cam[3] * np.sum(p * p)) + cam[4]


def energy(x, a):
    return np.sum(np.sin(x) * a) + a * a


RNG = np.random.default_rng(5)
CAMS = RNG.normal(size=(7, 5)) * 0.1
POINTS = RNG.normal(size=(7, 3)) + np.array([0.0, 0.0, 4.0])
WEIGHTS = RNG.uniform(0.5, 1.5, size=7)


def loop(fn, args, axes):
    rows = [fn(*[a[b] if ax is not None else a for a, ax in zip(args, axes)])
            for b in range(len(args[0]))]
    if isinstance(rows[0], tuple):
        return tuple(np.stack([r[k] for r in rows]) for k in range(len(rows[0])))
    return np.stack(rows)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_a_mapped_jacobian_is_the_loop_of_jacobians(backend):
    J = ad.jacobian(project, wrt=(0, 1, 2), backend=backend)
    args = (CAMS, POINTS, WEIGHTS)
    got = ad.vmap(J)(*args)
    want = loop(J, args, (0, 0, 0))
    assert [g.shape for g in got] == [(7, 2, 5), (7, 2, 3), (7, 2)]
    for g, w in zip(got, want):
        assert np.array_equal(g, w)


def test_a_mapped_jacobian_runs_a_compiled_loop():
    mapped = ad.vmap(ad.jacobian(project, wrt=1))
    got = mapped(CAMS, POINTS, WEIGHTS)
    assert got.shape == (7, 2, 3)
    assert any(loop is not None for loop in mapped._compiled.values())


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_unmapped_arguments_and_gradients(backend):
    xs = RNG.normal(size=(6, 4))
    g = ad.grad(energy, wrt=(0, 1), backend=backend)
    got = ad.vmap(g, in_axes=(0, None))(xs, 0.7)
    want = loop(g, (xs, 0.7), (0, None))
    assert np.allclose(got[0], want[0], rtol=1e-14) and np.allclose(got[1], want[1], rtol=1e-14)
    vg = ad.value_and_grad(energy, backend=backend)
    value, grads = ad.vmap(vg, in_axes=(0, None))(xs, 0.7)
    assert np.allclose(value, [energy(x, 0.7) for x in xs], rtol=1e-14)
    assert np.allclose(grads, np.cos(xs) * 0.7, rtol=1e-14)


def test_any_function_maps_by_a_python_loop():
    got = ad.vmap(lambda x, y: x * y + 1.0)(np.arange(3.0), np.ones((3, 2)))
    assert np.array_equal(got, np.arange(3.0)[:, None] * np.ones((3, 2)) + 1.0)


def test_bad_axes_and_sizes_are_errors():
    with pytest.raises(ValueError, match="different sizes"):
        ad.vmap(energy)(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="axis 0 or not at all"):
        ad.vmap(energy, in_axes=(1, None))(np.ones((3, 2)), 1.0)
    with pytest.raises(ValueError, match="at least one mapped"):
        ad.vmap(energy, in_axes=(None, None))(np.ones(3), 1.0)
