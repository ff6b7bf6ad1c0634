"""Arguments that are not differentiated and decide the code: ``None`` (an unset option,
tested with ``is None``) and strings used as flags are compile-time constants of the
specialisation; only the branch they choose is compiled."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

A = np.array([0.5, 1.5, -0.3, 0.9])


def windowed(x, a, _range=None, mode="sum"):
    if _range is None:
        lo, hi = 0, a.shape[0]
    else:
        lo, hi = _range
    s = np.sum(a[lo:hi] * x) if mode == "sum" else np.max(a[lo:hi] * x)
    if mode != "sum" and _range is not None:
        s = s * 2.0
    return s * x


def _norm(v, ord=None):
    if ord is None or ord == "l2":
        return np.sqrt(np.sum(v * v))
    return np.sum(np.abs(v))


def helper_option(a, w):
    return _norm(a * w) + _norm(a * w, "l1") + _norm(a, ord=None) * w


CASES = [(windowed, (0.7, A)), (windowed, (0.7, A, (1, 3))), (windowed, (0.7, A, None, "max")),
         (windowed, (0.7, A, (1, 3), "max")), (helper_option, (A, 0.4))]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES)
def test_constants_choose_the_code(fn, args, backend):
    check_grads(fn, args, backend=backend)
    value = ad.value_and_grad(fn, backend=backend)(*args)[0]
    assert value == pytest.approx(fn(*args), rel=1e-14)


def test_each_constant_is_its_own_specialisation():
    g = ad.grad(windowed, backend="python")
    assert g(0.7, A, None, "sum") == pytest.approx(2 * 0.7 * np.sum(A))
    assert g(0.7, A, None, "max") == pytest.approx(2 * 0.7 * np.max(A))
    def code(mode):
        text = ad.source(windowed, args=(0.7, A, None, mode))
        return "\n".join(line for line in text.splitlines() if not line.strip().startswith("#"))
    assert "np.max" not in code("sum") and "np.max" in code("max")


def is_on_a_number(x):
    return x * 2.0 if x is not None else 0.0


def test_a_number_is_never_none():
    assert ad.grad(is_on_a_number, backend="python")(1.5) == 2.0
