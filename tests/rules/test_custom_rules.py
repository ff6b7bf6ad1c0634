"""Users' rules: @ad.rule (partials, and tangent/adjoint side by side), ad.non_differentiable,
ad.stop_gradient; and ad.testing.check_grads catching a planted wrong rule."""
import math
import sys
import threading

import numba
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.rules.table import PRIMITIVES
from adcompiler.testing import GradientCheckError, check_grads


def softplus(x):
    return np.log(1.0 + np.exp(x))


@ad.rule(softplus)
def softplus_partial(x):
    return 1.0 / (1.0 + np.exp(-x))


def scaled_product(a, b):
    return a * b * 3.0


@ad.rule(scaled_product)
def scaled_product_partials(a, b):
    return 3.0 * b, 3.0 * a


def wrong_product(a, b):
    return a * b


@ad.rule(wrong_product)
def wrong_product_partials(a, b):
    return b, b          # planted bug: d/db is a, not b


def sum_of_squares(x):
    return np.sum(x * x)


@ad.rule(sum_of_squares)
class SumOfSquares:
    def tangent(x, out, dx):
        return 2.0 * np.sum(x * dx)

    def adjoint(x, out, g):
        return 2.0 * g * x


@ad.non_differentiable
def bucket(x):
    return math.floor(x * 4.0) / 4.0


def uses_rules(x, y):
    s = 0.0
    for i in range(3):
        s = s + softplus(x * i - y) * scaled_product(x, y)
    return s + bucket(x) * y


def uses_vector_rule(x, w):
    return sum_of_squares(x * w) + w


def uses_rule_on_arrays(x):
    return np.sum(softplus(x) * x)


def uses_stop_gradient(x, y):
    return ad.stop_gradient(x * y) * x + y


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", [
    (uses_rules, (0.4, 0.3)), (uses_vector_rule, (np.array([0.3, -0.5, 0.8]), 1.5)),
    (uses_rule_on_arrays, (np.array([0.3, -0.5, 0.8]),)),
])
def test_custom_rules_in_both_modes(fn, args, backend):
    check_grads(fn, args, backend=backend)


def test_rule_is_used_not_the_source():
    """The generated code calls the user's function and lowers the rule's partials."""
    src = ad.source(uses_rules, "reverse", wrt=0)
    assert "_user_softplus" in src and "np.exp" in src


def test_non_differentiable_function_is_data():
    g = ad.grad(uses_rules, wrt=1, backend="python")(0.4, 0.3)
    h = 1e-6
    fd = (uses_rules(0.4, 0.3 + h) - uses_rules(0.4, 0.3 - h)) / (2 * h)
    assert g == pytest.approx(fd, rel=1e-6)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_stop_gradient(backend):
    gx, gy = ad.grad(uses_stop_gradient, wrt=(0, 1), backend=backend)(2.0, 3.0)
    assert (gx, gy) == (6.0, 1.0)
    _, t = ad.jvp(uses_stop_gradient, (2.0, 3.0), (1.0, 1.0), backend=backend)
    assert t == 7.0


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_check_grads_catches_a_planted_wrong_rule(backend):
    def f(x, y):
        return wrong_product(x, y) + x
    with pytest.raises(GradientCheckError, match="argument 1"):
        check_grads(f, (0.5, 2.0), backend=backend)


def test_check_grads_passes_a_right_rule():
    def f(x, y):
        return scaled_product(x, y) + x
    check_grads(f, (0.5, 2.0), backend="python", order=2)


def test_rule_with_wrong_arity_is_rejected():
    def g(a, b):
        return a + b
    with pytest.raises(TypeError, match="2 parameter"):
        @ad.rule(g)
        def g_partial(a):
            return 1.0


def test_missing_rule_names_what_to_do():
    import random

    def f(x):
        return random.gauss(x, 1.0)
    with pytest.raises(ad.CompileError, match="ad.rule"):
        ad.grad(f, backend="python")(1.0)


# -- functions without Python source registered as data, with the type they return ----------
@ad.non_differentiable(returns=float)
@numba.njit
def quantise(v):
    return math.floor(v * 4.0) / 4.0


@numba.njit
def half_count(n):
    return n // 2


@numba.njit
def lower_ones(n):
    return np.tri(n)


ad.non_differentiable(half_count, returns=int)
ad.non_differentiable(lower_ones, returns=(np.float64, 2))


def uses_declared_results(x, a, n):
    s = 0.0
    for i in range(half_count(n)):          # an int: a loop bound
        s = s + quantise(x * i) * x
    return s + np.sum(lower_ones(a.shape[0]) @ a * x)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_declared_result_types(backend):
    a = np.array([[0.3, -0.5], [0.8, 1.1]])
    check_grads(uses_declared_results, (0.45, a, 6), backend=backend, order=2)
    got = ad.value_and_grad(uses_declared_results, wrt=(0, 1), backend=backend)(0.45, a, 6)
    assert got[0] == pytest.approx(uses_declared_results(0.45, a, 6), rel=1e-14)
    np.testing.assert_allclose(got[1][1], np.tri(2).T @ np.full((2, 2), 0.45), rtol=1e-14)


def test_a_declared_result_is_checked():
    with pytest.raises(TypeError, match="returns="):
        ad.non_differentiable(abs, returns="float")
    with pytest.raises(TypeError, match="returns="):
        ad.non_differentiable(abs, returns=(np.complex128, 1))


def coarse(v):
    return math.floor(v * 4.0) / 4.0


def uses_coarse_declared_int(x):
    return coarse(x) * x


def test_a_declared_result_must_match_the_source():
    ad.non_differentiable(coarse, returns=int)
    with pytest.raises(ad.CompileError, match="declared to return int") as info:
        ad.grad(uses_coarse_declared_int, backend="python")(0.3)
    assert "return coarse(x) * x" in str(info.value)


def _unit_partial(x):
    return 1.0


def test_rules_registered_from_many_threads_at_once_get_distinct_names():
    threads, rounds = 16, 5
    functions = []
    for i in range(threads * rounds):
        namespace = {"__name__": "tests.rules.registered_from_threads"}
        exec("def scale(x):\n    return 2.0 * x\n", namespace)   # one __name__ for all
        namespace["scale"].__qualname__ = f"scale_{i}"
        functions.append(namespace["scale"])
    errors = []

    def register(fn, barrier):
        barrier.wait(timeout=60)
        try:
            ad.rule(fn)(_unit_partial)
        except Exception as exc:       # noqa: BLE001 - reported below, with the others
            errors.append(exc)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)        # switch threads often, so registrations interleave
    try:
        for r in range(rounds):
            barrier = threading.Barrier(threads)
            workers = [threading.Thread(target=register, args=(fn, barrier))
                       for fn in functions[r * threads:(r + 1) * threads]]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    names = [p.external[0] for p in PRIMITIVES.values()
             if getattr(p, "external", (None, None))[1] in functions]
    assert len(names) == len(functions) and len(set(names)) == len(names)
