"""No hidden slow paths in the API: ``ad.vjp`` and ``ad.jacobian`` take the value from the
compiled derivative (never running the user's function as Python), which is Python's value
bit for bit on the python backend, array and tuple outputs included; ``ad.hessian`` and
``grad(grad(f))`` compute each column once."""
import math
import sys
from contextlib import contextmanager

import numpy as np
import pytest

import adcompiler as ad
from adcompiler import api
from adcompiler.runtime import helpers, numba_rt

BACKENDS = ["python", "numba"]


def loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + math.sin(x * s + i) * 0.5
    return s


def array_out(a, y):
    b = np.tanh(a * y) + a ** 2
    return b[::-1] * 1.5


def mixed_out(a, y):
    return np.sum(a * a) / 3.0, a * y, y ** 3


def float32_out(a):
    return np.sin(a) * 1.25


def int_array_out(a, k):
    return np.arange(k) * 2


def identity(a):
    return a


def view_of_input(a):
    return a[1:]


def matrix_out(a, y):
    return np.outer(a, a) * y


ARGS = {loop: (0.3, 50), array_out: (np.array([0.3, -1.2, 0.7]), 0.9),
        mixed_out: (np.array([0.3, -1.2, 0.7]), 1.1),
        float32_out: (np.array([0.5, -0.25], dtype=np.float32),),
        int_array_out: (np.array([0.5, -0.25]), 4), identity: (np.array([1.0, 2.0]),),
        view_of_input: (np.array([1.0, 2.0, 3.0]),), matrix_out: (np.array([0.3, -1.2]), 0.4)}


@contextmanager
def python_calls_of(fn):
    """A list collecting each call of ``fn``'s own code while the block runs."""
    calls = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is fn.__code__:
            calls.append(frame)
    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def same_bits(got, want):
    got, want = np.asarray(got), np.asarray(want)
    return got.shape == want.shape and np.array_equal(
        got.view(np.uint8) if got.dtype == want.dtype else got, want.view(np.uint8)
        if got.dtype == want.dtype else want)


def cotangent_like(value):
    if isinstance(value, tuple):
        return tuple(cotangent_like(v) for v in value)
    return np.full(np.shape(value), 0.5) if np.ndim(value) else 0.5


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn", list(ARGS), ids=lambda fn: fn.__name__)
def test_vjp_value_is_the_compiled_derivatives_not_a_python_call(fn, backend):
    args = ARGS[fn]
    want = fn(*[np.copy(a) for a in args])
    with python_calls_of(fn) as calls:
        value, back = ad.vjp(fn, *args, backend=backend)
        cts = back(cotangent_like(value))
    assert calls == []
    values, wants = (value, want) if isinstance(want, tuple) else ((value,), (want,))
    assert len(values) == len(wants)
    for got, expected in zip(values, wants):
        if isinstance(expected, np.ndarray):
            assert isinstance(got, np.ndarray) and got.dtype == expected.dtype
            if backend == "python":                    # bit for bit; Numba's math to rounding
                assert same_bits(got, expected), (got, expected)
            else:
                np.testing.assert_allclose(got, expected, rtol=1e-6)
        else:
            assert got == pytest.approx(float(expected), rel=0 if backend == "python" else 1e-12)
    assert len(cts) == len(args)


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_value_is_not_an_argument(backend):
    a = np.array([1.0, 2.0, 3.0])
    for fn in (identity, view_of_input):
        value, _ = ad.vjp(fn, a, backend=backend)
        assert not np.may_share_memory(value, a)
        value[0] = 99.0
        assert a[0] == 1.0 and a[1] == 2.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_gradients_of_array_outputs(backend):
    for fn in (array_out, mixed_out, matrix_out):     # float32: tests/corpus (larger eps)
        ad.testing.check_grads(fn, ARGS[fn], modes=("reverse",), backend=backend)


def test_vjp_cotangents_still_broadcast_and_wrong_shapes_are_refused():
    a, y = ARGS[array_out]
    value, back = ad.vjp(array_out, a, y, backend="python")
    ba, _ = back(1.0)                                   # broadcast to the output's shape
    np.testing.assert_allclose(ba, back(np.ones(3))[0])
    with pytest.raises(ValueError):
        back(np.ones(4))


@pytest.mark.parametrize("seed_like", [helpers.seed_like, numba_rt.seed_like],
                         ids=["python", "numba"])
def test_seed_like(seed_like):
    out = np.ones((2, 3))
    seed = np.arange(6.0).reshape(2, 3)
    assert seed_like(seed, out) is seed
    zero = seed_like(np.zeros((0, 0)), out)
    assert zero.shape == (2, 3) and not zero.any()
    with pytest.raises(ValueError):
        seed_like(np.ones((3, 2)), out)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
def test_jacobian_does_not_run_the_function_as_python(mode, backend):
    a, y = ARGS[matrix_out]
    with python_calls_of(matrix_out) as calls:
        J = ad.jacobian(matrix_out, wrt=(0, 1), mode=mode, backend=backend)(a, y)
    assert calls == []
    want0 = (np.einsum("ik,j->ijk", np.eye(2), a) + np.einsum("i,jk->ijk", a, np.eye(2))) * y
    np.testing.assert_allclose(J[0], want0, rtol=1e-12)
    np.testing.assert_allclose(J[1], np.outer(a, a), rtol=1e-12)


def test_jacobian_of_a_tuple_output_is_still_refused():
    for mode in ("forward", "reverse", "auto"):
        with pytest.raises(ad.CompileError, match="returns a tuple"):
            ad.jacobian(mixed_out, mode=mode, backend="python")(*ARGS[mixed_out])


def quartic(a, y):
    return np.sum(a ** 4) * y + np.sum(a) * y ** 3


def count_second_order_runs(monkeypatch):
    runs = []
    run = api._run_second_order

    def counting(*args, **kwargs):
        runs.append(1)
        return run(*args, **kwargs)
    monkeypatch.setattr(api, "_run_second_order", counting)
    return runs


def test_hessian_computes_each_column_once(monkeypatch):
    runs = count_second_order_runs(monkeypatch)
    a, y = np.array([0.5, -1.0, 2.0]), 0.7
    H = ad.hessian(quartic, wrt=(0, 1), backend="python")(a, y)
    assert len(runs) == 4                  # 3 columns for a, 1 for y (was 8: once per row)
    np.testing.assert_allclose(H[0][0], np.diag(12.0 * a ** 2 * y))
    np.testing.assert_allclose(H[0][1], 4.0 * a ** 3 + 3.0 * y ** 2)
    np.testing.assert_allclose(H[1][0], 4.0 * a ** 3 + 3.0 * y ** 2)
    np.testing.assert_allclose(H[1][1], 6.0 * np.sum(a) * y)
    runs.clear()
    grad_of_grad = ad.grad(ad.grad(quartic, wrt=1, backend="python"), wrt=1)
    assert grad_of_grad(a, y) == pytest.approx(6.0 * np.sum(a) * y)
    assert len(runs) == 1                  # the column it needs alone (was 2)
