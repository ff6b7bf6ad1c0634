"""Shape classes: a cotangent summed back to a shape it has by construction is the cotangent
itself, and the value kept only for its shape is no longer taped; where shapes may differ
(broadcasting, a loop that grows an array) the sum stays."""
import numpy as np
import pytest

import adcompiler as ad
import adcompiler.testing
from adcompiler.frontend import build_ssa
from adcompiler.ir.nodes import ArrayType, Op, walk_stmts
from adcompiler.transforms.shapes import same_shape_classes
from adcompiler.transforms.types import infer_types

BACKENDS = ["python", "numba"]


def horner(c, x):
    """The polynomial example's model: y keeps x's shape through the loop."""
    y = np.zeros_like(x)
    for k in range(len(c)):
        y = y * x + c[k]
    return np.sum(y * y)


def broadcast_in_loop(c, x, w):
    """y starts as x's shape and becomes (x * w)'s: the loop's carried array changes class."""
    y = np.zeros_like(x)
    for k in range(len(c)):
        y = y * w + c[k] * x
    return np.sum(y * y)


def grows(x):
    """A carried array whose shape grows every iteration."""
    y = x
    for k in range(3):
        y = np.concatenate((y, y * x[0]))
    return np.sum(y * y)


def branch(x, a):
    """Both branches keep x's shape; only one broadcasts in the other."""
    if a > 0.0:
        y = x * a
    else:
        y = np.sin(x)
    return np.sum(y * x)


def stages(x, s):
    """The RK4 workload's shape: a stage array made by np.empty(len(y)) in every step."""
    y = np.zeros(len(x))
    for step in range(s):
        k = np.empty(len(y))
        k[0] = x[0]
        for i in range(1, len(y)):
            k[i] = x[i] * y[i - 1]
        y = y + 0.1 * k
    return y[len(x) - 1]


def matrix_like(A):
    """np.zeros((A.shape[0], A.shape[1])) has A's shape; (A.shape[1], A.shape[0]) may not."""
    B = np.zeros((A.shape[0], A.shape[1]))
    C = np.ones((A.shape[1], A.shape[0]))
    return np.sum((B + A) * A) + np.sum(C * A.T)


CASES = [
    (horner, lambda r: (r.normal(size=4), r.normal(size=9))),
    (broadcast_in_loop, lambda r: (r.normal(size=3), r.normal(size=(1, 5)), r.normal(size=(4, 1)))),
    (grows, lambda r: (r.normal(size=3),)),
    (branch, lambda r: (r.normal(size=6), 0.7)),
    (branch, lambda r: (r.normal(size=6), -0.7)),
    (stages, lambda r: (r.normal(size=5), 3)),
    (matrix_like, lambda r: (r.normal(size=(3, 4)),)),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn, make", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_gradients_are_checked_against_differences(fn, make, backend):
    ad.testing.check_grads(fn, make(np.random.default_rng(2)), backend=backend)


def test_second_order():
    ad.testing.check_grads(horner, CASES[0][1](np.random.default_rng(3)), modes=("reverse",),
                           order=2, backend="python")


def test_horner_saves_nothing():
    args = CASES[0][1](np.random.default_rng(0))
    source = ad.source(horner, args=args, backend="python")
    assert "tape" not in source and "unbroadcast((x" not in source, source


def test_a_broadcast_in_the_loop_keeps_the_sum():
    args = CASES[1][1](np.random.default_rng(0))
    source = ad.source(broadcast_in_loop, args=args, wrt=(0, 1, 2), backend="python")
    assert "unbroadcast" in source, source


def _classes(fn, types):
    ir = infer_types(build_ssa(fn, types))
    return ir, same_shape_classes(ir)


def test_a_growing_carried_array_is_in_a_class_of_its_own():
    ir, cls = _classes(grows, [ArrayType("float64", 1)])
    x = ir.params[0]
    loop_result = next(r for s in ir.body.stmts if hasattr(s, "body") for r in s.results
                       if r in cls)
    assert cls[loop_result] is not cls[x]


def test_an_elementwise_chain_is_in_its_arguments_class():
    ir, cls = _classes(horner, [ArrayType("float64", 1), ArrayType("float64", 1)])
    x = ir.params[1]
    products = [s.result for s in walk_stmts(ir.body) if isinstance(s, Op) and s.prim == "mul"]
    assert products and all(cls[p] is cls[x] for p in products)


def test_a_stage_made_by_length_needs_no_shape_stand_in():
    args = CASES[5][1](np.random.default_rng(0))
    source = ad.source(stages, args=args, backend="python")
    assert "broadcast_like" not in source and "unbroadcast" not in source, source


def test_allocations_take_the_class_of_the_array_whose_lengths_they_use():
    ir, cls = _classes(matrix_like, [ArrayType("float64", 2)])
    A = ir.params[0]
    made = {s.prim: s.result for s in walk_stmts(ir.body) if isinstance(s, Op)
            and s.prim in ("zeros", "ones")}
    assert cls[made["zeros"]] is cls[A] and cls[made["ones"]] is not cls[A]


def test_horner_tangent_is_not_reshaped_in_the_loop():
    args = CASES[0][1](np.random.default_rng(0))
    source = ad.source(horner, mode="forward", args=args, wrt=0, backend="python")
    assert "shaped_like" not in source, source
