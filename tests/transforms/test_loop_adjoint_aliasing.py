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
