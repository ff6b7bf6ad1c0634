"""A vector added into one row of a cotangent (``bA[k] += f(u, v)``) prints as a loop over the
row where every vector has the row's length, and as the array expression where one of them is
broadcast; both give the gradient."""
import ast

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def rows(A, w, m):
    """Per row: a difference, a product and a transcendental of row vectors."""
    s = 0.0
    for k in range(A.shape[0]):
        c = A[k] - m[k]
        s += np.sum(np.sin(c * w) * c)
    return s


def one_row(A, w):
    s = 0.0
    for k in range(A.shape[0]):
        s += np.sum(np.exp(A[k] * w)) * A[k, 0]
    return s


RNG = np.random.default_rng(11)
CASES = {
    "same_lengths": (rows, (RNG.normal(size=(4, 3)), RNG.normal(size=3), RNG.normal(size=(4, 3)))),
    "w_broadcast": (rows, (RNG.normal(size=(4, 3)), RNG.normal(size=1), RNG.normal(size=(4, 3)))),
    "row_broadcast": (rows, (RNG.normal(size=(4, 1)), RNG.normal(size=3), RNG.normal(size=(4, 3)))),
    "mean_broadcast": (rows, (RNG.normal(size=(4, 3)), RNG.normal(size=3), RNG.normal(size=(4, 1)))),
    "one_row": (one_row, (RNG.normal(size=(5, 2)), RNG.normal(size=2))),
}


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("case", list(CASES))
def test_gradients(case, backend):
    fn, args = CASES[case]
    check_grads(fn, args, modes=("reverse",), backend=backend)


@pytest.mark.parametrize("case", ["same_lengths", "w_broadcast"])
def test_second_order(case):
    fn, args = CASES[case]
    check_grads(fn, args, modes=("reverse",), order=2, backend="python")


def test_the_rows_are_updated_by_a_loop_without_new_arrays():
    fn, args = CASES["same_lengths"]
    tree = ast.parse(ad.source(fn, args=args, wrt=(0, 1, 2)))
    # the row update is a loop over the row's elements (alone, or in a fused run)
    updates = [s for node in ast.walk(tree) if isinstance(node, ast.For) for s in node.body
               if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Subscript)
               and ast.unparse(s.target).startswith("bm")]
    assert updates, ast.unparse(tree)
    # the row's element expression calls nothing: no array is made for it
    assert not any(isinstance(n, ast.Call) for n in ast.walk(updates[0].value))


def test_no_stand_in_for_a_shape_the_values_give():
    fn, args = CASES["same_lengths"]
    assert "broadcast_like" not in ad.source(fn, args=args, wrt=(0, 1, 2))


def test_a_sum_back_to_a_shape_is_left_out_where_the_shapes_agree():
    fn, args = CASES["same_lengths"]
    tree = ast.parse(ad.source(fn, args=args, wrt=(0, 1, 2)))
    # under a test that the lengths agree (a single expression, or a fused run: see
    # test_fusion.py) nothing is summed back; the else has the sums
    guarded = [node for node in ast.walk(tree) if isinstance(node, ast.If)
               and isinstance(node.test, ast.Compare) and node.orelse
               and "unbroadcast" in "".join(ast.unparse(n) for n in node.orelse)]
    assert guarded, ast.unparse(tree)
    for node in guarded:
        assert "unbroadcast" not in "".join(ast.unparse(n) for n in node.body)
