"""A reversed loop body must never yield one adjoint array for two carried values.

``c = a + b`` gives ``a`` and ``b`` the same cotangent; when both are carried by the loop, the
next reverse iteration updated one in place (the scatter of ``a[0]``) and so changed the other:
a silently wrong gradient (4.80 against 4.95 here) before the yields were made exclusive.
"""
import numpy as np
import pytest

from adcompiler.testing import check_grads


def shared_cotangent(x, n):
    a = x * 1.0
    b = x * 2.0
    s = 0.0
    for i in range(n):
        c = a + b
        a = c
        b = c * 1.0
        s = s + a[0]
    return np.sum(a * b) + s


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_carried_adjoints_sharing_a_cotangent(backend):
    check_grads(shared_cotangent, (np.arange(1.0, 4.0) * 0.1, 3), backend=backend)


# New arrays (elementwise results) are updated in place without a copy only while no other
# adjoint refers to them: each of these shares one new cotangent between two names.
def new_cotangent_shared_in_loop(x, n):
    a = x * 1.0
    b = x * 2.0
    s = 0.0
    for i in range(n):
        s = s + a[0] * b[1] + a[1]
        t = a + b
        a = t * 0.5
        b = t * 1.5
    return s + np.sum(a * b)


def new_cotangent_shared_straight(x):
    a = x * 1.0
    b = x * 2.0
    r = a[0] * b[1]
    t = a * b
    return np.sum(t * t) + np.sum(t) + r + np.sum(a + b)


def new_cotangent_through_views(m, n):
    s = 0.0
    p = m * 1.0
    for i in range(n):
        q = p.T
        s = s + q[0, 1] + p[1, 0]
        p = (q + p) * 0.5
    return s + np.sum(p * p)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", [
    (new_cotangent_shared_in_loop, (np.arange(1.0, 4.0) * 0.3, 3)),
    (new_cotangent_shared_straight, (np.array([0.3, -0.7, 1.1]),)),
    (new_cotangent_through_views, (np.array([[0.3, -0.7], [1.1, 0.4]]), 3)),
], ids=["loop", "straight", "views"])
def test_new_cotangents_shared_by_two_names(fn, args, backend):
    check_grads(fn, args, backend=backend)
    check_grads(fn, args, order=2, backend="python")


# Two Runge-Kutta stages get one new cotangent (k1 + k4 scaled once); the reversed loop of
# the helper writing k4 zeroes its adjoint in place, which must not zero k1's (it did: a
# silently wrong gradient of the RK4 benchmark, 0.0396 against 0.0458).
def _stage(x, y):
    z = np.empty(len(y))
    z[0] = x[0]
    for i in range(1, len(y)):
        z[i] = x[i] * y[i - 1]
    return z


def two_stages_one_cotangent(x, s):
    h = 0.5 / s
    y = np.zeros(len(x))
    for step in range(s):
        k1 = _stage(x, y)
        k4 = _stage(x, y + h * k1)
        y = y + h * (k1 + k4)
    return y[len(x) - 1]


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_loop_init_sharing_a_cotangent_with_a_live_adjoint(backend):
    check_grads(two_stages_one_cotangent, (np.array([1.0, 0.6, 1.1, 1.4]), 3), backend=backend)
