"""List comprehensions and generator expressions: reduced by the builtin sum/max/min (the
loop Python runs, in its order), stacked by np.array/np.stack, or kept as a list that is
looped over, indexed, measured and reduced. Both modes, second order, both backends."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

Q = np.array([[[0.5, 0.1], [0.2, 0.3]], [[1.0, -0.4], [0.3, 0.8]], [[0.2, 0.0], [0.9, 0.1]]])
a = np.array([0.3, -0.7, 0.5, 0.2])


def sums_of_generators(x, n):
    return sum(x ** i for i in range(n)) + sum([x * k for k in range(3) if k != 1]) + \
        sum((x * i * j for i in range(2) for j in range(3)), 0.5)


def stack_of_matrices(Q, x):
    S = np.stack([Qk.T @ Qk * x for Qk in Q])
    return np.sum(S * S)


def list_value(a, x):
    ys = [np.sin(v * x) for v in a]
    total = 0.0
    for y in ys:
        total = total + y * x
    return sum(ys) * max(ys) + min(y * y for y in ys) + len(ys) * ys[1] + total


def max_and_min(a):
    return max(v * v for v in a) - min(abs(v) for v in a)


def sum_of_arrays(Q, x):
    ms = [Qk * x for Qk in Q]
    total = sum(ms)
    return np.sum(total * total) + np.sum(np.array(ms)) + np.sum(sum(q @ q for q in Q))


def comprehension_with_closure(a, w):
    def term(v, k):
        return np.tanh(v * w + k)
    return sum(term(v, k) for k, v in enumerate(a)) + np.sum(np.array([term(v, 0.5) for v in a]))


def comprehension_variable_is_its_own(a, x):
    """The generator's ``v`` is not the loop's ``v`` (an array bound later in the body), as in
    Python 3 (fuzz seeds 1901010387, 1902010559)."""
    v = a * x
    for i in range(2):
        s = sum(np.sin(v * x) for v in a)
        v = np.tanh(a * s)
    return np.sum(v) + sum(v * v for v in a)


def iterable_named_like_the_target(a, x):
    """``for v in v``: the iterable is the enclosing ``v``, read before the comprehension's
    own ``v`` exists (fuzz seed 2702009859)."""
    v = a * x
    return sum([np.sin(v * x) for v in v]) + max(v * v for v in v) + sum(np.cos(v) for v in v)


def ragged_pieces(a, x):
    """np.concatenate of pieces of different lengths (one of them empty)."""
    y = np.concatenate([a[:k] * x ** k for k in range(a.shape[0])])
    return np.sum(y * np.sin(y)) + np.sum(np.concatenate([a[k:] for k in range(2)]))


def lower_triangle_by_index_pieces(a, x):
    """Integer pieces, concatenated into index arrays (the strictly lower triangle, column by
    column, as vectorised GMM code builds its factors)."""
    d = 4
    rows = np.concatenate([np.arange(c + 1, d) for c in range(d - 1)])
    cols = np.concatenate([np.full(d - c - 1, c) for c in range(d - 1)])
    L = np.eye(d) * x
    L[rows, cols] = np.concatenate((a, a[:2])) * x
    return np.sum((L @ L.T) ** 2) + np.sum(np.concatenate([r * a for r in L]))


def index_pieces_in_a_loop(a, x):
    """Index arrays made in a loop body are saved for the reverse sweep as integers."""
    s = 0.0
    for k in range(3):
        idx = np.concatenate([np.arange(j, a.shape[0]) for j in range(k + 1)])
        s = s + np.sum(np.sin(a[idx] * x * s + a[idx]))
    return s


CASES = [(index_pieces_in_a_loop, (a, 0.6)), (ragged_pieces, (a, 0.8)), (lower_triangle_by_index_pieces, (a, 0.7)),
         (iterable_named_like_the_target, (a, 0.9)), (comprehension_variable_is_its_own, (a, 0.6)), (sums_of_generators, (0.7, 4)), (stack_of_matrices, (Q, 0.6)), (list_value, (a, 0.9)),
         (max_and_min, (a,)), (sum_of_arrays, (Q, 1.2)), (comprehension_with_closure, (a, 0.4))]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_values_and_derivatives(fn, args, backend):
    check_grads(fn, args, backend=backend)
    if backend == "python":
        assert ad.value_and_grad(fn, backend=backend)(*args)[0] == fn(*args)


@pytest.mark.parametrize("fn,args", [CASES[k] for k in (0, 1, 2, 3, 5, 7, 9)],
                         ids=[IDS[k] for k in (0, 1, 2, 3, 5, 7, 9)])
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_max_of_nothing_raises_as_python(backend):
    with pytest.raises(ValueError, match="max\\(\\) arg is an empty sequence"):
        max_and_min(np.zeros(0))
    with pytest.raises(ValueError, match="max\\(\\) arg is an empty sequence"):
        ad.grad(max_and_min, backend=backend)(np.zeros(0))


def stacked_with_if(a):
    return np.sum(np.array([v for v in a if v > 0.0]))


def _piece(a, k):
    return a[k:]


def concatenated_calls(a):
    return np.sum(np.concatenate([_piece(a, k) for k in range(2)]))


def dict_comprehension(a):
    d = {k: v for k, v in enumerate(a)}
    return d[0]


@pytest.mark.parametrize("fn,message", [
    (stacked_with_if, "only a list comprehension with one 'for' and no 'if'"),
    (concatenated_calls, "np.concatenate of a comprehension whose elements call your own"),
    (dict_comprehension, "dict comprehensions are not supported"),
])
def test_refused_with_a_located_error(fn, message):
    with pytest.raises(ad.CompileError, match=message) as info:
        ad.grad(fn, backend="python")(a)
    assert "test_comprehensions.py" in str(info.value)
