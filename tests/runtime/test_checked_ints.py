"""Integer arithmetic in compiled code is Python's or raises: never a wrapped-around value.

Python integers are unbounded, Numba's are 64-bit. Generated code computes an integer
operation whose range codegen cannot bound through a checked helper; here each helper is
compared with Python's exact result on values around every boundary.
"""
import itertools
import math
import random

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.runtime import numba_rt

BIG = 2 ** 63
VALUES = [0, 1, -1, 2, -2, 3, 2 ** 31, -2 ** 31, 2 ** 32 + 1, 3037000499, 3037000500,
          -3037000500, BIG - 1, -BIG, -BIG + 1, BIG // 2, -BIG // 2, 12345678901]
_RNG = random.Random(0)
VALUES += [_RNG.randrange(-BIG, BIG) for _ in range(12)]

BINARY = [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b),
          ("floordiv", lambda a, b: a // b), ("mod", lambda a, b: a % b)]


def _agrees(helper, exact, *args):
    """The helper gives Python's value, or OverflowError exactly when that leaves int64."""
    try:
        got = helper(*args)
    except OverflowError:
        return not -BIG <= exact < BIG
    return got == exact


@pytest.mark.parametrize("name,exact", BINARY, ids=[n for n, _ in BINARY])
def test_binary_helpers_are_exact_or_raise(name, exact):
    helper = getattr(numba_rt, "checked_" + name)
    wrong = [(a, b) for a, b in itertools.product(VALUES, VALUES)
             if not (b == 0 and name in ("floordiv", "mod")) and not _agrees(helper, exact(a, b), a, b)]
    assert wrong == []


def test_power_negation_and_abs_are_exact_or_raise():
    wrong = [(a, k) for a in VALUES for k in range(0, 70, 3)
             if not _agrees(numba_rt.checked_pow, a ** k, a, k)]
    wrong += [a for a in VALUES if not _agrees(numba_rt.checked_neg, -a, a)]
    wrong += [a for a in VALUES if not _agrees(numba_rt.checked_abs, abs(a), a)]
    assert wrong == []


@pytest.mark.parametrize("name,exact", [("int", int), ("round", round), ("floor", math.floor),
                                        ("ceil", math.ceil), ("trunc", math.trunc)])
def test_float_to_int_is_exact_or_raises(name, exact):
    helper = getattr(numba_rt, "checked_" + name)
    for x in [0.0, -0.5, 2.5, 1e18, -9.2e18, 9.3e18, 1e30, -1e30, -9223372036854775808.0]:
        assert _agrees(helper, exact(x), x), x
    for x, error in [(math.inf, OverflowError), (-math.inf, OverflowError), (math.nan, ValueError)]:
        with pytest.raises(error):
            exact(x)
        with pytest.raises(error):
            helper(x)


def big_power(x, n):
    return x * float(n ** 40)


def factorial_scale(x, k):
    p = 1
    for i in range(1, k):
        p = p * i
    return x * float(p)


def float_to_int(x):
    return x * int(x)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", [(big_power, (1.5, 3)), (factorial_scale, (0.5, 30)),
                                     (float_to_int, (1e30,))],
                         ids=["power", "loop_product", "float_to_int"])
def test_integers_past_int64(fn, args, backend):
    if backend == "python":    # Python's own integers: exact, in both modes
        value, grad = ad.value_and_grad(fn, backend=backend)(*args)
        assert value == fn(*args)
        _, tangent = ad.jvp(fn, args, (1.0,) + (0,) * (len(args) - 1), backend=backend)
        assert grad == tangent
    else:
        with pytest.raises(OverflowError):
            ad.value_and_grad(fn, backend=backend)(*args)
        with pytest.raises(OverflowError):
            ad.jvp(fn, args, (1.0,) + (0,) * (len(args) - 1), backend=backend)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_integers_in_range_are_unchanged(backend):
    assert ad.value_and_grad(big_power, backend=backend)(1.5, 2) == (1.5 * 2.0 ** 40, 2.0 ** 40)
    value, grad = ad.value_and_grad(factorial_scale, backend=backend)(0.5, 21)
    assert value == 0.5 * float(math.factorial(20)) and grad == float(math.factorial(20))


def shifted_sum(x):
    s = 0.0
    n = x.shape[0]
    for t in range(3):
        for i in range(1, n - 1):
            s = s + x[i - 1] * x[i + 1] + float(t * n + i)
    return s


def test_index_arithmetic_stays_plain_code():
    grad = ad.grad(shifted_sum)
    grad(np.arange(5.0))
    source = grad.source
    for plain in ("i - 1", "i + 1", "t * n"):
        assert plain in source
    assert "checked" not in source


def test_unbounded_integers_are_checked_in_the_source():
    grad = ad.grad(factorial_scale)
    grad(0.5, 3)
    assert "_rt.checked_mul(p, i)" in grad.source


def packed_triangle(x, L):
    # a running index into packed storage, stepped by one in a nest of loops
    d = x.shape[0]
    s = 0.0
    idx = d
    for col in range(d):
        for row in range(col + 1, d):
            s = s + L[idx] * x[row] * x[col]
            idx += 1
    return s


def offset_counter(x, start):
    idx = start         # the user's integer: any value
    s = 0.0
    for i in range(x.shape[0]):
        s = s + x[i] * float(idx)
        idx += 1
    return s


def test_a_counter_stepped_by_one_from_a_dimension_stays_plain_code():
    x, L = np.array([0.3, -1.2, 2.0]), np.arange(1.0, 7.0)
    source = ad.source(packed_triangle, args=(x, L), backend="numba")
    assert "checked" not in source, source
    ad.testing.check_grads(packed_triangle, (x, L), positions=(0, 1), backend="numba")


def test_a_counter_from_an_unbounded_integer_is_checked():
    x = np.array([0.3, -1.2])
    source = ad.source(offset_counter, args=(x, 3), backend="numba")
    assert "_rt.checked_add" in source, source
    with pytest.raises(OverflowError):
        ad.grad(offset_counter)(x, 2 ** 63 - 2)
    assert ad.grad(offset_counter)(x, 5).tolist() == [5.0, 6.0]
