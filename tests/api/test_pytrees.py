"""Tuples, lists and dicts as arguments and values (JAX's pytrees): the gradient has the
argument's structure; dicts and tuples built inside, passed to helpers and chosen by
branches. Checked against central differences of every float leaf, both backends."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.pytree import flatten, unflatten
from adcompiler.testing import check_grads

X = np.arange(6.0).reshape(3, 2) / 6.0
Y = np.array([1.0, 0.5, -0.2])
PARAMS = {"W": np.array([0.5, -0.2]), "b": 0.1, "extra": {"scale": (0.3, np.array([1.5, -0.5]))},
          "steps": 3}


def loss(params, X, y):
    W, b = params["W"], params["b"]
    scale, shift = params["extra"]["scale"]
    h = np.tanh(X @ W + b) * scale
    for _ in range(params["steps"]):
        h = h + 0.1 * np.sum(shift) * h
    return np.sum((h - y) ** 2)


def numerical(fn, args, position, eps=1e-6):
    """Central differences of ``fn`` wrt every float leaf of argument ``position``, in its
    structure (integer leaves get 0.0)."""
    leaves, structure = flatten(args[position])
    grads = []
    for k, leaf in enumerate(leaves):
        if isinstance(leaf, int):
            grads.append(0.0)
            continue
        leaf = np.asarray(leaf, dtype=float)
        g = np.zeros_like(leaf)
        for index in np.ndindex(leaf.shape):
            moved = []
            for sign in (1.0, -1.0):
                bumped = leaf.copy()
                bumped[index] += sign * eps
                new = list(leaves)
                new[k] = bumped if bumped.ndim else float(bumped)
                call = list(args)
                call[position] = unflatten(structure, iter(new))
                moved.append(fn(*call))
            g[index] = (moved[0] - moved[1]) / (2 * eps)
        grads.append(g if g.ndim else float(g))
    return unflatten(structure, iter(grads))


def assert_tree_close(got, want):
    g_leaves, g_structure = flatten(got)
    w_leaves, w_structure = flatten(want)
    assert g_structure == w_structure
    for a, b in zip(g_leaves, w_leaves):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_grad_has_the_arguments_structure(backend):
    value, g = ad.value_and_grad(loss, backend=backend)(PARAMS, X, Y)
    assert value == pytest.approx(loss(PARAMS, X, Y), rel=1e-14)
    assert set(g) == set(PARAMS) and isinstance(g["extra"]["scale"], tuple)
    assert g["steps"] == 0.0
    assert_tree_close(g, numerical(loss, (PARAMS, X, Y), 0))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_jvp_and_vjp_of_structured_arguments(backend):
    direction = {"W": np.array([1.0, -2.0]), "b": 0.5, "extra": {"scale": (0.2, np.array([0.1, 0.3]))},
                 "steps": 0}
    value, tangent = ad.jvp(loss, (PARAMS, X, Y), (direction, np.zeros_like(X), np.zeros(3)),
                            backend=backend)
    g = numerical(loss, (PARAMS, X, Y), 0)
    expected = sum(np.sum(np.asarray(a) * np.asarray(b))
                   for a, b in zip(flatten(g)[0], flatten(direction)[0]))
    assert tangent == pytest.approx(expected, rel=1e-5)
    value2, back = ad.vjp(loss, PARAMS, X, Y, backend=backend)
    assert value2 == value
    assert_tree_close(back(1.0)[0], g)


def test_lambda_over_a_tuple():
    assert ad.grad(lambda p: p[0] * p[1] ** 2, backend="python")((2.0, 3.0)) == (9.0, 12.0)
    assert ad.grad(lambda p: p[0] * p[1], backend="python")([2.0, 3.0]) == [3.0, 2.0]


def _apply(p, x):
    return p["w"] * x + p["nested"]["b"]


def dicts_inside(x, a):
    p = {"w": x * 2.0, "nested": {"b": np.sum(a)}}
    q = dict(u=x, v=a)
    if x > 0.5:
        p = {"w": x * 3.0, "nested": {"b": 1.0}}
    s, r = (x, a * x)
    return _apply(p, x) + np.sum(q["v"] * q["u"]) + np.sum(r) * s


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("x", [0.3, 0.7])
def test_dicts_built_inside(x, backend):
    check_grads(dicts_inside, (x, np.array([0.3, 0.4])), backend=backend)
    check_grads(dicts_inside, (x, np.array([0.3, 0.4])), order=2, backend="python")


def unpacks_a_dict(x):
    a, b = {"a": x, "b": x}
    return a


def missing_key(x):
    d = {"a": x}
    return d["b"]


@pytest.mark.parametrize("fn,message", [(unpacks_a_dict, "unpacking a dict gives its keys"),
                                        (missing_key, "the dict has no key 'b'")])
def test_refused_with_a_located_error(fn, message):
    with pytest.raises(ad.CompileError, match=message) as info:
        ad.grad(fn, backend="python")(0.5)
    assert "test_pytrees.py" in str(info.value)


def tuple_at_run_time(x, a, i):
    t = (x, x * x, np.sum(a))
    s = 0.0
    for k in range(3):
        s = s + t[k] * (k + 1.0)
    return s + t[i] + t[-1]


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_tuple_indexed_at_run_time(backend):
    for i in (0, 2, -2):
        check_grads(tuple_at_run_time, (0.7, np.array([0.5, 1.0]), i), backend=backend)
    with pytest.raises(IndexError):
        tuple_at_run_time(0.7, np.array([0.5, 1.0]), 3)
    with pytest.raises(IndexError, match="tuple index out of range"):
        ad.grad(tuple_at_run_time, backend=backend)(0.7, np.array([0.5, 1.0]), 3)


def vector_of(params, x):
    return np.array([params["a"] * x, np.sum(params["b"] * x), params["a"] * params["b"][0]])


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian_of_structured_arguments(mode):
    params = {"a": 2.0, "b": np.array([1.0, -0.5]), "n": 3}
    jac = ad.jacobian(vector_of, mode=mode, backend="python")(params, 1.5)
    assert set(jac) == {"a", "b", "n"}
    np.testing.assert_allclose(jac["a"], [1.5, 0.0, 1.0])
    np.testing.assert_allclose(jac["b"], [[0.0, 0.0], [1.5, 1.5], [2.0, 0.0]])
    assert np.array_equal(jac["n"], np.zeros(3))


def _leaf_dot(a, b):
    return sum(float(np.sum(np.asarray(x, dtype=float) * np.asarray(y, dtype=float)))
               for x, y in zip(flatten(a)[0], flatten(b)[0]))


TANGENT = {"W": np.array([1.0, -0.5]), "b": 0.3, "extra": {"scale": (0.7, np.array([0.2, 1.0]))},
           "steps": 0}


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_hvp_of_structured_arguments(backend):
    """H v in the structure of the argument, against differences of the gradient along v."""
    hv = ad.hvp(loss, backend=backend)((PARAMS, X, Y), (TANGENT, np.zeros_like(X), np.zeros(3)))
    eps = 1e-6
    moved = [unflatten(flatten(PARAMS)[1], iter(
        [p + sign * eps * t if not isinstance(p, int) else p
         for p, t in zip(flatten(PARAMS)[0], flatten(TANGENT)[0])])) for sign in (1.0, -1.0)]
    g_plus, g_minus = (ad.grad(loss, backend="python")(m, X, Y) for m in moved)
    want = unflatten(flatten(PARAMS)[1], iter(
        [(a - b) / (2 * eps) if not isinstance(p, int) else 0.0
         for a, b, p in zip(flatten(g_plus)[0], flatten(g_minus)[0], flatten(PARAMS)[0])]))
    assert_tree_close(hv, want)


def pair_loss(a, b):
    return np.sum(np.sin(a[0] * b["x"])) * a[1] + b["y"] ** 2 * a[1]


def pair_loss_flat(a0, a1, x, y):
    return pair_loss((a0, a1), {"x": x, "y": y})


def test_hessian_of_structured_arguments_is_nested_like_jax():
    a = (np.array([0.3, -0.2, 0.5]), 0.7)
    b = {"x": np.array([1.0, 2.0, 0.5]), "y": 1.5}
    H = ad.hessian(pair_loss, wrt=(0, 1), backend="python")(a, b)
    flat = ad.hessian(pair_loss_flat, wrt=(0, 1, 2, 3), backend="python")(a[0], a[1], b["x"], b["y"])
    # leaf k of the flat function is leaf k of (a, b) read in order
    where = [(0, 0), (0, 1), (1, "x"), (1, "y")]
    for i, (p, key_i) in enumerate(where):
        for j, (q, key_j) in enumerate(where):
            block = H[p][q][key_i][key_j]
            assert np.shape(block) == np.shape(flat[i][j])
            np.testing.assert_allclose(block, flat[i][j], rtol=1e-12)
    np.testing.assert_allclose(flat[0][0], np.asarray(flat[0][0]).T)     # symmetric
