"""np.linalg: inv, det, slogdet, solve (vector and matrix right-hand sides) and cholesky with
their standard rules, at fixed well-conditioned matrices, in random directions (for cholesky
also non-symmetric ones: NumPy reads the lower triangle), both modes and backends; second
order for all, cholesky included."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

A = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.2], [-0.3, 0.6, 1.8]])
b = np.array([0.5, -1.0, 0.7])
B = np.arange(6.0).reshape(3, 2) / 5
S = A @ A.T + np.eye(3)
W = np.arange(9.0).reshape(3, 3)


def inverse(A):
    return np.sum(np.linalg.inv(A) * W)


def determinant(A):
    return np.linalg.det(A) ** 2


def log_determinant(A):
    sign, logdet = np.linalg.slogdet(A)
    return sign * logdet + np.linalg.slogdet(-A)[1]


def solve_vector(A, b):
    return np.sum(np.sin(np.linalg.solve(A, b)))


def solve_matrix(A, B):
    return np.sum(np.linalg.solve(A, B) ** 2)


def cholesky(S):
    L = np.linalg.cholesky(S)
    return np.sum(L * W)


CASES = [(inverse, (A,)), (determinant, (A,)), (log_determinant, (A,)), (solve_vector, (A, b)),
         (solve_matrix, (A, B)), (cholesky, (S,))]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_linalg_rules(fn, args, backend):
    check_grads(fn, args, backend=backend)


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def test_second_order_through_cholesky_on_numba():
    check_grads(cholesky, (S,), order=2, backend="numba")
