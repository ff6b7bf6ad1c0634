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
