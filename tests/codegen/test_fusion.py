"""Runs of elementwise adjoint statements print as one loop over the elements where every
vector has one length, and as the array statements where one is broadcast; the gradient is
the same both ways and equal to the python backend's, and writes never move past reads."""
import ast

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def cell(params, state, xs):
    """An LSTM-like cell over a sequence: gates from slices of one weight row, the state
    written back by rows."""
    b = state.shape[1]
    state = state.copy()
    total = 0.0
    for t in range(xs.shape[0]):
        w = params[0]
        hidden = state[0]
        c = state[1]
        f = sigmoid(xs[t] * w[0:b] + hidden)
        g = np.tanh(hidden * w[b:2 * b] + params[1, 0:b])
        c = c * f + g * (1.0 - f)
        hidden = np.tanh(c) * f
        state[0] = hidden
        state[1] = c
        total += np.sum(hidden * xs[t])
    return total


def overlapping_slices(x, w):
    """Cotangent updates into overlapping slices of one vector."""
    b = len(w)
    u = np.sin(x[0:b] * w)
    v = np.cos(x[1:b + 1] * w)
    return np.sum(u * v + u * u)


def shifted_rows(A, w):
    """Each step reads the row the previous step's adjoint writes."""
    s = 0.0
    for k in range(1, A.shape[0]):
        s += np.sum(np.exp(A[k] * w) * A[k - 1])
    return s


RNG = np.random.default_rng(8)
CASES = {
    "cell": (cell, (RNG.normal(size=(2, 8)), RNG.normal(size=(2, 4)), RNG.normal(size=(3, 4)))),
    "cell_broadcast": (cell, (RNG.normal(size=(2, 8)), RNG.normal(size=(2, 4)),
                              RNG.normal(size=(3, 1)))),
    "overlapping_slices": (overlapping_slices, (RNG.normal(size=6), RNG.normal(size=5))),
    "overlapping_broadcast": (overlapping_slices, (RNG.normal(size=6), RNG.normal(size=1))),
    "shifted_rows": (shifted_rows, (RNG.normal(size=(4, 3)), RNG.normal(size=3))),
}


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("case", list(CASES))
def test_gradients(case, backend):
    fn, args = CASES[case]
    check_grads(fn, args, modes=("reverse",), backend=backend)


@pytest.mark.parametrize("case", list(CASES))
def test_the_backends_agree(case):
    fn, args = CASES[case]
    wrt = tuple(range(len(args)))
    got = ad.grad(fn, wrt=wrt)(*args)
    want = ad.grad(fn, wrt=wrt, backend="python")(*args)
    for g, w in zip(got, want):
        assert np.allclose(g, w, rtol=1e-13, atol=1e-15)


def test_second_order():
    fn, args = CASES["cell"]
    check_grads(fn, args, modes=("reverse",), order=2, backend="python")


def _fused_loops(fn, args):
    tree = ast.parse(ad.source(fn, args=args, wrt=tuple(range(len(args)))))
    return tree, [node for node in ast.walk(tree) if isinstance(node, ast.For)
                  and ast.unparse(node.iter).startswith("range(n")
                  and ast.unparse(node.target).startswith("j")
                  and sum(isinstance(s, (ast.Assign, ast.AugAssign)) for s in node.body) >= 2]


def test_the_cell_adjoint_is_one_loop_of_scalars():
    tree, loops = _fused_loops(*CASES["cell"])
    assert loops, ast.unparse(tree)
    # the fused loop makes no arrays: every call in it is on scalars
    calls = [ast.unparse(c.func) for loop in loops for c in ast.walk(loop)
             if isinstance(c, ast.Call)]
    assert all(name.startswith("math.") or name in ("len", "range") for name in calls), calls
    # where the lengths differ the statements run as written
    assert any(isinstance(node, ast.If) and node.orelse and
               any(loop in ast.walk(node) for loop in loops) for node in ast.walk(tree))


def per_row_terms(x, mu, q):
    """GMM's inner shape: per (i, k) a difference and a scaled difference that die in the
    iteration (one buffer each for all iterations), and a carried accumulation that does
    not (its arrays are made anew)."""
    total = 0.0
    acc = np.zeros(x.shape[1])
    for i in range(x.shape[0]):
        for k in range(mu.shape[0]):
            xc = x[i] - mu[k]
            qx = q[k] * xc
            total += np.dot(qx, qx) * 0.5
            acc = acc + qx * xc
    return total + np.sum(acc * acc)


X3 = RNG.normal(size=(4, 3))
MU = RNG.normal(size=(2, 3))
Q = RNG.normal(size=(2, 3))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_buffers_of_values_that_die_in_the_iteration(backend):
    check_grads(per_row_terms, (X3, MU, Q), backend=backend)
    source = ad.source(per_row_terms, args=(X3, MU, Q), wrt=(0, 1, 2))
    # the forward sweep's product has one buffer for all iterations (the difference is a
    # scalar of the fused loop only)
    assert "qx_buf = np.empty(0)" in source and "xc_buf" not in source, source
    # the carried sum is not put in a buffer: its value lives on into the next iteration
    assert "acc_buf" not in source, source


def test_fused_primal_arithmetic_keeps_the_value_bit_for_bit():
    value, _ = ad.value_and_grad(per_row_terms, wrt=(0, 1, 2), backend="python")(X3, MU, Q)
    assert value == per_row_terms(X3, MU, Q)
    value, _ = ad.value_and_grad(per_row_terms, wrt=(0, 1, 2))(X3, MU, Q)
    assert value == pytest.approx(per_row_terms(X3, MU, Q), rel=1e-14)


def per_iteration_in_parallel(x, w):
    """A fused run in a prange loop: each iteration's arrays are its own (no shared buffer,
    which parallel iterations would race on)."""
    s = 0.0
    for i in ad.prange(x.shape[0]):
        row = np.sin(x * x[i] * w)
        s += np.sum(row * row)
    return s


def test_no_shared_buffer_in_a_parallel_loop():
    # forward mode keeps the prange loop parallel: its fused runs make their own arrays
    args = (RNG.normal(size=300), 0.7)
    tangents = (RNG.normal(size=300), 1.0)
    source = ad.source(per_iteration_in_parallel, mode="forward", args=args)
    assert "in prange(" in source and "_buf" not in source, source
    want = ad.jvp(per_iteration_in_parallel, args, tangents, backend="python")
    for _ in range(10):
        got = ad.jvp(per_iteration_in_parallel, args, tangents)
        assert got[0] == pytest.approx(want[0], rel=1e-12) and \
            got[1] == pytest.approx(want[1], rel=1e-12)
