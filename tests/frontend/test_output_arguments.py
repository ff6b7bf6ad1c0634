"""Helpers with output arguments (C style: ``def fill(y, out): out[i] = ...``): the write goes
into the caller's array, as in Python, also through several levels of helpers, in loops and
in nested functions; the caller's own arguments are never modified."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def fill(y, out):
    for i in range(y.shape[0]):
        out[i] = np.sin(y[i]) * 2.0
    out[0] = out[0] + 1.0


def step(u, new, k):
    fill(u * k, new)
    return np.sum(new)


def through_two_helpers(u, k):
    out = np.zeros(u.shape[0])
    s = step(u, out, k)
    t = np.zeros(3)
    for j in range(3):
        fill(u * j, t)
        s = s + np.sum(t * t)
    return s + np.sum(out * u)


def into_an_argument(u, out):
    fill(u, out)
    return np.sum(out * out)


def early_return_writer(v, out, x):
    if x > 0.0:
        out[0] = x * 2.0
        return x
    out[1] = x * 3.0
    return -x


def branches_of_a_writer(u, x):
    out = u * 1.0
    r = early_return_writer(u, out, x)
    return np.sum(out * out) * r


def nested_writer(u, w):
    out = np.zeros(2)

    def put(v, target):
        target[0] = v * w
        target[1] = v + w
    put(np.sum(u), out)
    return np.sum(out * u[:2])


CASES = [(through_two_helpers, (np.array([0.3, -0.5, 0.8]), 0.7)),
         (into_an_argument, (np.array([0.3, -0.5, 0.8]), np.zeros(3))),
         (branches_of_a_writer, (np.array([0.3, -0.5, 0.8]), 0.6)),
         (branches_of_a_writer, (np.array([0.3, -0.5, 0.8]), -0.6)),
         (nested_writer, (np.array([0.3, -0.5, 0.8]), 0.4))]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES)
def test_writes_reach_the_caller(fn, args, backend):
    check_grads(fn, args, backend=backend)      # also: the arguments are left unmodified
    value = ad.value_and_grad(fn, backend=backend)(*args)[0]
    assert value == pytest.approx(fn(*[np.copy(a) for a in args]), rel=1e-14)


@pytest.mark.parametrize("fn,args", CASES[:3])
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def writer_in_conditional(u, x):
    out = np.zeros(3)
    s = step(u, out, x) if x > 0.0 else 0.0
    return s + np.sum(out)


def writer_with_a_view(u, x):
    out = np.zeros(3)
    head = out[:2]
    fill(u, out)
    return np.sum(head) * x


@pytest.mark.parametrize("fn,message", [
    (writer_in_conditional, "is called where it may not run"),
    (writer_with_a_view, "this call writes into an array that 'head' may share memory with"),
])
def test_refused_with_a_located_error(fn, message):
    with pytest.raises(ad.CompileError, match=message) as info:
        ad.grad(fn, backend="python")(np.array([0.3, -0.5, 0.8]), 0.5)
    assert "test_output_arguments.py" in str(info.value)
