"""Values crossing region boundaries: outputs returned twice, loop bodies yielding outer values,
returns of arrays from inside loops, arrays created and written in a branch, and chained
comparisons whose middle operand is a call. Checked in both modes, on both backends."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def same_output_twice(x, a):
    y = a * x
    return x, y, x, y


def loop_yields_outer_value(x, n, y):
    for i in range(2, n):
        x = y
    return x


def loop_swaps(x, n, y):
    for i in range(n):
        x, y = y, x
    return 2.0 * x + y


def while_yields_outer_array(a, n, b):
    k = 0
    while k < n:
        a = b
        k += 1
    return np.sum(a * a)


def returns_slice_from_while(p):
    k = 0
    while k < 2:
        k += 1
        if p[0] > 0.0:
            return p[::1] * p[1]
    return p


def uses_slice_return(p):
    s = returns_slice_from_while(p)
    return np.sum(s * s)


def returns_pair_from_nested_loops(p, n):
    for i in range(n):
        for j in range(n):
            if p[j] > 0.6:
                return p[j:] * p[i], p[j]
    return p, 0.5


def uses_pair_return(p, n):
    a, b = returns_pair_from_nested_loops(p, n)
    return np.sum(a) * b


def buffer_after_early_return(x, a):
    if x > 5.0:
        return x
    b = np.zeros(3)
    b[0] = x
    b[1] = a[0] * x
    b[0] = b[0] * b[1]
    return np.sum(b * a)


def buffer_in_each_branch(x, a):
    if x > 0.0:
        b = a.copy()
        for i in range(3):
            b[i] = b[i] * x
    else:
        b = np.ones(3)
        b[2] = x * x
    return np.sum(np.sin(b) * a)


def helper_with_buffer(p):
    b = np.zeros(2)
    b[0] = p
    return np.sum(b * b) + p


def chained_comparison_of_calls(x, y):
    s = x
    if -1.0 < helper_with_buffer(x) < helper_with_buffer(y) < 2.0:
        s = 2.0 * x * y
    return s


def call_in_and(x, y):
    return x * y if helper_with_buffer(x) < 0.5 and helper_with_buffer(y) > 0.2 else x - y


a3 = np.array([0.3, -0.2, 0.7])
CASES = [
    (same_output_twice, (0.6, a3)),
    (loop_yields_outer_value, (0.8, 4, 0.6)),
    (loop_yields_outer_value, (0.8, 1, 0.6)),
    (loop_swaps, (0.8, 3, 0.6)),
    (while_yields_outer_array, (np.array([1.0, 2.0]), 3, np.array([0.5, 3.0]))),
    (uses_slice_return, (a3,)),
    (uses_slice_return, (-a3,)),
    (uses_pair_return, (a3, 3)),
    (uses_pair_return, (0.1 * a3, 3)),
    (buffer_after_early_return, (0.5, a3)),
    (buffer_after_early_return, (6.0, a3)),
    (buffer_in_each_branch, (0.5, a3)),
    (buffer_in_each_branch, (-0.5, a3)),
    (chained_comparison_of_calls, (0.3, 0.5)),
    (chained_comparison_of_calls, (0.5, 0.3)),
    (call_in_and, (0.3, 0.6)),
    (call_in_and, (0.9, 0.1)),
]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_both_modes(fn, args, backend):
    check_grads(fn, args, backend=backend)


def test_middle_operand_of_a_chained_comparison_is_evaluated_once():
    text = ad.source(chained_comparison_of_calls, wrt=(0, 1))
    # one array per call of the helper: h(x) and h(y), not h(y) twice
    code = [line for line in text.splitlines() if not line.strip().startswith("#")]
    assert sum("np.zeros(2)" in line for line in code) == 2


def helper_buffer_in_loop(x):
    s = 0.0
    for i in range(3):
        s = s + helper_with_buffer(x * (i + 1.0))
    return s


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_buffer_created_in_a_loop_by_a_helper(backend):
    check_grads(helper_buffer_in_loop, (0.5,), backend=backend, order=2 if backend == "python" else 1)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", [
    (buffer_after_early_return, (0.5, a3)),
    (buffer_in_each_branch, (0.5, a3)),
    (buffer_in_each_branch, (-0.5, a3)),
    (chained_comparison_of_calls, (0.3, 0.5)),
    (uses_pair_return, (a3, 3)),
], ids=["early_return", "each_branch_then", "each_branch_else", "chained", "pair_return"])
def test_second_derivatives(fn, args, backend):
    # forward over reverse; for a buffer created in a branch the reverse sweep restores
    # elements into its export from the branch, whose tangent must be the latest one
    from ..api.test_second_order import numerical_hessian_block
    wrt = tuple(i for i, a in enumerate(args) if not isinstance(a, int))
    H = ad.hessian(fn, wrt=wrt, backend=backend)(*args)
    for i, p in enumerate(wrt):
        for j, q in enumerate(wrt):
            np.testing.assert_allclose(H[i][j], numerical_hessian_block(fn, args, p, q),
                                       rtol=1e-5, atol=1e-6)
