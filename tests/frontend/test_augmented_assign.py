"""``a += b`` on an array writes into it, as in Python: other names of that array see the new
values (they did not: the primal was silently wrong), a helper's ``out += ...`` reaches the
caller's array, the dtype stays ``a``'s, and where the memory is another array's (a view) the
result is a located error. A name nobody else sees is simply rebound (no copy, no tape)."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

BACKENDS = ["python", "numba"]


def alias_sees_the_write(x):
    y = x * 2.0
    z = y
    z += 1.0
    return np.sum(y * x)


def argument_alias(x):
    y = x
    y *= 3.0
    return np.sum(x * x)


def _grow(u, k):
    u += k * u


def helper_writes_through_augmented(x, k):
    y = x.copy()
    _grow(y, k)
    _grow(y, k)
    return np.sum(y * y)


def in_a_loop_with_an_alias(x, k):
    y = x * 1.0
    first = y
    for _ in range(3):
        y += k * y
    return np.sum(first * x)


def time_steps(u0, k):
    u = u0.copy()
    for _ in range(4):
        u += k * u * (1.0 - u)
    return np.sum(u)


def into_a_view(x):
    p = x[0:2]
    p += 3.0
    return np.sum(x)


def int_array_plus_float(x):
    n = np.arange(3)
    n += x
    return np.sum(x)


def float32_keeps_its_type(x, w):
    y = x.copy()
    y *= w
    return np.sum(y * y)


def argument_alias_in_a_loop(x, k):
    y = x
    for _ in range(3):
        y += k * y
    return np.sum(x * x)


def alias_in_a_while_loop(x, k):
    y = x * 1.0
    z = y
    i = 0
    while i < 2:
        z *= 1.0 + k
        i += 1
    return np.sum(y)


def alias_in_a_branch(x, k):
    y = x * 1.0
    z = y
    if k > 0.0:
        z -= k
    return np.sum(y * y)


def _scale_and_sum(u, k):
    u *= k
    return np.sum(u)


def helper_with_a_result_writes_through_augmented(x, k):
    y = x * 1.0
    s = _scale_and_sum(y, k)
    return s + np.sum(y * y)


RNG = np.random.default_rng(2)
CASES = [(alias_sees_the_write, (RNG.normal(size=3),)),
         (argument_alias, (RNG.normal(size=3),)),
         (helper_writes_through_augmented, (RNG.normal(size=3), 0.5)),
         (in_a_loop_with_an_alias, (RNG.normal(size=3), 0.3)),
         (time_steps, (RNG.uniform(size=4), 0.3)),
         (argument_alias_in_a_loop, (RNG.normal(size=3), 0.3)),
         (alias_in_a_while_loop, (RNG.normal(size=3), 0.3)),
         (alias_in_a_branch, (RNG.normal(size=3), 0.3)),
         (helper_with_a_result_writes_through_augmented, (RNG.normal(size=3), 0.7))]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_values_are_pythons_and_gradients_check(fn, args, backend):
    inputs = [np.copy(a) for a in args]
    value = ad.value_and_grad(fn, backend=backend)(*inputs)[0]
    assert value == fn(*[np.copy(a) for a in args])
    assert all(np.array_equal(a, b) for a, b in zip(inputs, args))   # the caller's arrays
    check_grads(fn, args, backend=backend)


def test_second_order():
    check_grads(alias_sees_the_write, CASES[0][1], order=2, backend="python")


def test_a_name_nobody_else_sees_is_rebound():
    source = ad.source(time_steps, args=CASES[4][1], wrt=(0, 1))
    assert "[:]" not in source and "tape_u" in source, source


def test_writing_into_a_view_is_a_located_error():
    with pytest.raises(ad.CompileError, match="view of another array") as err:
        ad.grad(into_a_view)(np.ones(3))
    assert "test_augmented_assign.py" in str(err.value)


def test_a_float_result_into_an_integer_array_is_refused_as_numpy_does():
    with pytest.raises(ad.CompileError, match="NumPy refuses"):
        ad.grad(int_array_plus_float)(np.ones(3))


@pytest.mark.parametrize("backend", BACKENDS)
def test_float32_stays_float32(backend):
    x = np.array([0.5, -1.0, 2.0], np.float32)
    w = np.array([0.3, 0.7, -1.1])
    value, (gx, gw) = ad.value_and_grad(float32_keeps_its_type, wrt=(0, 1), backend=backend)(x, w)
    y = (x * w).astype(np.float32)
    assert value == float32_keeps_its_type(x.copy(), w)
    assert gx.dtype == np.float32
    assert np.allclose(gx, 2.0 * y * w, rtol=1e-6) and np.allclose(gw, 2.0 * y * x, rtol=1e-6)
