"""Calls without a rule: their result type is known for sure (a standard-library function of
numbers, or a type the user declared with ad.non_differentiable(fn, returns=...)), or the
call is refused at compile time; it is never guessed."""
import math
import random

import numba
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.ir.nodes import ArrayType, FLOAT, INT, BOOL
from adcompiler.rules.opaque import opaque_result_type
from adcompiler.testing import check_grads

BACKENDS = ["python", "numba"]


def test_known_library_results_are_their_documented_types():
    assert opaque_result_type(math.gamma, [FLOAT]) == FLOAT
    assert opaque_result_type(math.factorial, [INT]) == INT
    assert opaque_result_type(math.isfinite, [FLOAT]) == BOOL
    assert opaque_result_type(random.random, []) == FLOAT
    assert opaque_result_type(random.randint, [INT, INT]) == INT


def test_unknown_results_are_not_guessed():
    assert opaque_result_type(np.kron, [ArrayType("float64", 1)] * 2) is None
    assert opaque_result_type(np.vander, [ArrayType("float64", 1)]) is None
    assert opaque_result_type(print, [FLOAT]) is None
    # random.gauss of an array mean is an array: known only for numbers
    assert opaque_result_type(random.gauss, [ArrayType("float64", 1), FLOAT]) is None


def gamma_gcd(x, n):
    return x * math.gamma(n + 0.5) + x * x * math.gcd(n, 6)


def factorial_loop(x, n):
    s = 0.0
    for i in range(math.factorial(n)):        # an int: a loop bound
        s = s + x * i
    return s


def degenerate_random(x):
    # uniform(a, a) is a, randint(a, a) is a: random calls with a known value
    s = x * random.uniform(1.5, 1.5)
    for i in range(random.randint(3, 3)):
        s = s * x
    return s


@pytest.mark.parametrize("backend", BACKENDS)
def test_known_scalar_calls_with_constant_arguments(backend):
    check_grads(gamma_gcd, (0.7, 3), backend=backend, order=2)
    check_grads(degenerate_random, (0.7,), backend=backend, order=2)
    assert ad.grad(gamma_gcd, backend=backend)(0.7, 3) == pytest.approx(
        math.gamma(3.5) + 2 * 0.7 * 3, rel=1e-14)


def test_known_int_result_as_a_loop_bound():
    # Numba has no math.factorial: the python backend only (limitations.md)
    check_grads(factorial_loop, (0.7, 3), backend="python")
    assert ad.grad(factorial_loop, backend="python")(0.7, 3) == 15.0


def test_ufunc_results_follow_numpy_type_resolution():
    f64, f32 = ArrayType("float64", 2), ArrayType("float32", 1)
    assert opaque_result_type(np.cbrt, [FLOAT]) == FLOAT
    assert opaque_result_type(np.isfinite, [f64]) == ArrayType("bool", 2)
    assert opaque_result_type(np.logaddexp, [f32, ArrayType("float32", 2)]) == ArrayType("float32", 2)
    assert opaque_result_type(np.gcd, [INT, INT]) == INT
    assert opaque_result_type(np.logaddexp, [f32, FLOAT]) is None      # weak or strong float?
    assert opaque_result_type(np.left_shift, [FLOAT, INT]) is None     # NumPy has no such loop
    assert opaque_result_type(np.cbrt, [FLOAT, FLOAT]) is None         # out= by position
    assert opaque_result_type(np.divmod, [FLOAT, FLOAT]) is None       # two results


def ufuncs_as_data(x, a):
    s = x * np.cbrt(27.0)
    if np.isfinite(np.cbrt(-8.0)):
        s = s * x
    w = np.where(np.signbit(a), 0.0, a)
    return s + np.sum(w * np.logaddexp(np.abs(a), 1.0) * x)


@pytest.mark.parametrize("backend", BACKENDS)
def test_ufuncs_without_rules_as_data(backend):
    a = np.array([[1, -2], [3, 0]])                  # data: vjp differentiates every float
    check_grads(ufuncs_as_data, (0.7, a), backend=backend, order=2)
    value, grad = ad.value_and_grad(ufuncs_as_data, backend=backend)(0.7, a)
    assert value == pytest.approx(ufuncs_as_data(0.7, a), rel=1e-14)
    data = np.sum(np.where(a < 0, 0.0, a) * np.logaddexp(np.abs(a), 1.0))
    assert grad == pytest.approx(2 * 3.0 * 0.7 + data, rel=1e-14)


def test_a_ufunc_of_a_differentiated_value_needs_a_rule():
    with pytest.raises(ad.CompileError, match="'numpy.cbrt', which has no rule .* a differentiated"):
        ad.grad(cbrt_times, backend="python")(8.0)


def cbrt_times(x):
    return np.cbrt(x) * x
