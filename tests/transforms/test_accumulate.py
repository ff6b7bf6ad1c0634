"""A cotangent element updated at a loop-invariant index through a loop is summed in a scalar
and added once after the loop: the gradients stay right, the primal stays bit for bit."""
import ast

import numpy as np
import pytest

import adcompiler as ad
import adcompiler.testing

BACKENDS = ["python", "numba"]


def triangular(a, x):
    """The GMM inner loop: ``x[col]`` is read at a fixed index by the whole row loop."""
    n = len(x)
    q = np.zeros(n)
    k = 0
    for col in range(n):
        for row in range(col + 1, n):
            q[row] += a[k] * x[col]
            k += 1
    return np.sum(q * q)


def two_fixed_indices(x, w):
    """Two invariant reads of one array, and of a 2-d array, in one loop."""
    s = 0.0
    for i in range(len(x) - 1):
        for j in range(len(w)):
            s += w[j] * x[i] * x[i + 1] + w[j] * w[j] * x[0]
    return s


def varying_and_fixed(x, w):
    """``x[i]`` varies with the inner loop, ``w[0, 1]`` does not: only the latter is summed."""
    s = 0.0
    for i in range(len(x)):
        s += x[i] * w[0, 1] * x[i] + np.sin(w[1, 0]) * x[i]
    return s


def read_in_a_branch(x, y):
    """The cotangent of ``x[0]`` is added only in some iterations (not promoted: in a branch)."""
    s = 0.0
    for i in range(len(y)):
        if y[i] > 0.0:
            s += x[0] * y[i]
        else:
            s += y[i] * y[i]
    return s


def acc(acc, x):
    """A user's name equal to the accumulator's hint."""
    acc1_ = 0.0
    for i in range(len(x)):
        acc1_ += acc[0] * x[i]
    return acc1_


CASES = [
    (triangular, lambda r: (r.normal(size=10), r.normal(size=5))),
    (two_fixed_indices, lambda r: (r.normal(size=6), r.normal(size=4))),
    (varying_and_fixed, lambda r: (r.normal(size=7), r.normal(size=(2, 2)))),
    (read_in_a_branch, lambda r: (r.normal(size=3), r.normal(size=8))),
    (acc, lambda r: (r.normal(size=2), r.normal(size=5))),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn, make", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradients_are_checked_against_differences(fn, make, backend):
    args = make(np.random.default_rng(3))
    ad.testing.check_grads(fn, args, modes=("reverse",), backend=backend)


@pytest.mark.parametrize("fn, make", CASES[:3], ids=[c[0].__name__ for c in CASES[:3]])
def test_second_order(fn, make):
    ad.testing.check_grads(fn, make(np.random.default_rng(4)), modes=("reverse",), order=2,
                           backend="python")


def test_the_row_loop_adds_into_a_scalar():
    tree = ast.parse(ad.grad(triangular, wrt=(0, 1)).source)
    innermost = [node for node in ast.walk(tree) if isinstance(node, ast.For)
                 and not any(isinstance(n, ast.For) for n in ast.walk(node) if n is not node)]
    written = {ast.unparse(node.target).split("[")[0] for loop in innermost
               for node in ast.walk(loop) if isinstance(node, ast.AugAssign)
               and isinstance(node.target, ast.Subscript)}
    # the row loop still scatters into a's cotangent (its index varies), not into x's
    assert written and not any(name.startswith("bx") for name in written), written


def test_the_primal_value_is_bit_for_bit():
    rng = np.random.default_rng(5)
    a, x = rng.normal(size=45), rng.normal(size=10)
    value, _ = ad.value_and_grad(triangular, wrt=(0, 1), backend="python")(a, x)
    assert value == triangular(a, x)


def test_a_name_of_the_users_is_kept():
    x = np.arange(5.0)
    grads = ad.grad(acc, wrt=(0, 1), backend="python")(np.array([2.0, 0.0]), x)
    assert np.allclose(grads[0], [np.sum(x), 0.0]) and np.allclose(grads[1], 2.0)


def shared_weights(x, w):
    """A map whose every iteration reads w[0] and w[1]: their cotangents are reductions."""
    y = np.empty(len(x))
    for i in ad.prange(len(x)):
        y[i] = np.sin(x[i] * w[0]) + w[1] * x[i] * x[i]
    return np.sum(y * y)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_parallel_loop_sums_a_shared_weight_as_a_reduction(backend):
    rng = np.random.default_rng(6)
    args = (rng.normal(size=40), rng.normal(size=2))
    ad.testing.check_grads(shared_weights, args, modes=("reverse",), backend=backend)
    got = ad.grad(shared_weights, wrt=(0, 1), backend=backend)(*args)
    want = ad.grad(shared_weights, wrt=(0, 1), backend="python")(*args)
    assert all(np.allclose(g, h, rtol=1e-12) for g, h in zip(got, want))
    tree = ast.parse(ad.source(shared_weights, args=args, wrt=(0, 1), backend=backend))
    parallel = [node for node in ast.walk(tree) if isinstance(node, ast.For)
                and isinstance(node.iter, ast.Call) and getattr(node.iter.func, "id", "") == "prange"]
    assert parallel, ast.unparse(tree)
    into_bw = [n for loop in parallel for n in ast.walk(loop) if isinstance(n, ast.AugAssign)
               and ast.unparse(n.target).startswith("bw")]
    assert into_bw == [], ast.unparse(tree)
