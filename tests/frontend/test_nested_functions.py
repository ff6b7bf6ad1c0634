"""Nested functions, closures and lambdas, as JAX users write them: inlined where they are
called, reading the enclosing function's variables as they are at the call (Python's late
binding), in both modes, second order and on both backends."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def closure_over_argument(x, y):
    def sq(t):
        return t * t * y
    return sq(x) + sq(y)


def lambda_sees_later_value(a, w):
    scale = 2.0
    g = lambda t: np.sin(t) * scale * w       # noqa: E731 - the form under test
    s = 0.0
    for i in range(3):
        scale = scale + 1.0                   # g reads the new value at each call
        s = s + np.sum(g(a))
    return s


def _apply_twice(fn, v):
    return fn(fn(v))


def passed_to_helper(x, c):
    def step(v, k=2.0):
        return v * c + k
    return _apply_twice(step, x)


def called_in_while_condition(x):
    def power(ix, ik=1):
        return ix ** ik
    total = 0.0
    k = 0
    while power(x, k + 1) < 5.0 and k < 10:
        k = k + 1
        total = total + power(x, k)
    return total


def nested_uses_loop_carried_array(u0, kappa, steps):
    def laplacian(v):
        out = np.empty(v.shape[0] - 2)
        for i in range(1, v.shape[0] - 1):
            out[i - 1] = v[i - 1] - 2.0 * v[i] + v[i + 1]
        return out
    u = u0.copy()
    for _ in range(steps):
        new = u.copy()
        new[1:-1] = u[1:-1] + kappa * laplacian(u)
        u = new
    return np.sum(u * u)


def nested_of_nested(x):
    a = x * 2.0

    def outer(t):
        def inner(s):
            return s * a + t
        return inner(t) * inner(a)
    return outer(x)


def local_names_stay_local(x):
    def h(t):
        scale = 3.0          # a local of h: the global below is not touched
        return t * scale
    return h(x) + scale * x


scale = 0.5


CASES = [
    (closure_over_argument, (0.7, 1.3)),
    (lambda_sees_later_value, (np.array([0.1, 0.5, -0.4]), 0.4)),
    (passed_to_helper, (0.5, 1.5)),
    (called_in_while_condition, (1.3,)),
    (nested_uses_loop_carried_array, (np.array([0.0, 0.3, 0.9, 0.2, 0.1, 0.0]), 0.2, 3)),
    (nested_of_nested, (0.8,)),
    (local_names_stay_local, (1.1,)),
]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_python_backend(fn, args):
    check_grads(fn, args, backend="python")


@pytest.mark.parametrize("fn,args", [CASES[1], CASES[3], CASES[4]], ids=[IDS[1], IDS[3], IDS[4]])
def test_numba_backend(fn, args):
    check_grads(fn, args, backend="numba")


@pytest.mark.parametrize("fn,args", [CASES[0], CASES[2], CASES[5]], ids=[IDS[0], IDS[2], IDS[5]])
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def _loss(w, X, y):
    r = X @ w - y
    return np.sum(r * r)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_grad_of_lambda_closing_over_arrays(backend):
    X = np.arange(6.0).reshape(3, 2)
    y = np.ones(3)
    w = np.array([0.5, -0.2])
    g = ad.grad(lambda w: _loss(w, X, y), backend=backend)
    assert np.allclose(g(w), 2.0 * X.T @ (X @ w - y))
    check_grads(lambda w: _loss(w, X, y), (w,), backend=backend)
    X = X * 2.0          # a new value of the captured variable: g sees it, as Python would
    assert np.allclose(g(w), 2.0 * X.T @ (X @ w - y))


def test_captured_array_of_another_rank_recompiles():
    data = np.array([1.0, 2.0])
    f = ad.grad(lambda t: t * np.sum(data), backend="python")
    assert f(1.0) == 3.0
    data = np.ones((2, 2))
    assert f(1.0) == 4.0
    # indexing means another thing for another rank: the derivative is compiled again (here
    # the function no longer returns a scalar), never run with the old code
    data = np.array([1.0, 2.0])
    g = ad.grad(lambda t: t * data[1], backend="python")
    assert g(1.0) == 2.0
    data = np.array([1.0, 5.0])
    assert g(1.0) == 5.0
    data = np.ones((2, 2))
    with pytest.raises(ad.CompileError, match="grad needs"):
        g(1.0)


def test_jvp_and_source_of_lambdas():
    value, tangent = ad.jvp(lambda t: np.sin(t) * 2.0, (0.3,), (1.0,), backend="python")
    assert value == np.sin(0.3) * 2.0 and tangent == pytest.approx(2.0 * np.cos(0.3))
    square, cube = ad.grad(lambda u: u * u, backend="python"), ad.grad(lambda u: u * u * u, backend="python")
    assert (square(3.0), cube(2.0)) == (6.0, 12.0)
    assert "bq = 3.0 * bout" in ad.source(lambda q: q * 3.0)


WEIGHTS = np.array([0.5, 2.0, -1.0])


def reads_global_array(x):
    return np.sum(WEIGHTS * x * x)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_global_array_is_read_at_each_call(backend):
    global WEIGHTS
    x = np.array([1.0, 2.0, 3.0])
    g = ad.grad(reads_global_array, backend=backend)
    assert np.array_equal(g(x), 2.0 * WEIGHTS * x)
    saved = WEIGHTS
    try:
        WEIGHTS = np.array([1.0, 1.0, 1.0])
        assert np.array_equal(g(x), 2.0 * x)
    finally:
        WEIGHTS = saved


def writes_into_captured(x, a):
    def put(v):
        a[0] = v
        return v
    return put(x) * np.sum(a)


def returns_nested(x):
    def h(t):
        return t * x
    return h


def writes_global_array(x):
    WEIGHTS[0] = x
    return x


def recursive_nested(x):
    def r(t):
        return r(t * 0.5) if t > 1.0 else t
    return r(x)


@pytest.mark.parametrize("fn,args,message", [
    (writes_into_captured, (0.5, np.ones(3)), "nested function 'put' writes into 'a'"),
    (returns_nested, (0.5,), "nested function 'h' is used as a value"),
    (writes_global_array, (0.5,), "global or captured array"),
    (recursive_nested, (3.0,), "recursive call to 'r'"),
])
def test_refused_with_a_located_error(fn, args, message):
    with pytest.raises(ad.CompileError, match=message) as info:
        ad.grad(fn, backend="python")(*args)
    assert "test_nested_functions.py" in str(info.value)


def _scatter_params(params):
    out = np.zeros(4)
    for k in range(params.shape[0]):
        out[_scatter_params.index[k]] = params[k]
    return out


_scatter_params.index = np.array([3, 0, 2])


def reads_function_attribute(params):
    return np.sum(_scatter_params(params) * np.arange(1.0, 5.0))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_function_attribute_array_is_read_at_each_call(backend):
    p = np.array([0.5, -1.0, 2.0])
    check_grads(reads_function_attribute, (p,), backend=backend)
    assert np.array_equal(ad.grad(reads_function_attribute, backend=backend)(p), [4.0, 1.0, 3.0])
