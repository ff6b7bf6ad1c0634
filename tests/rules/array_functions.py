"""One small function per array primitive (argument shapes are given by the test table)."""
import numpy as np

from adcompiler.runtime import helpers as rt


def sum_(x): return np.sum(x * x)
def sum_method(x): return (x * x).sum()
def sum_axis0(x): return np.sum(np.sum(x * x, axis=0) * np.arange(x.shape[1]))
def sum_axis1(x): return np.sum(np.sin(x.sum(axis=1)))
def mean_(x): return np.mean(np.exp(x))
def mean_axis(x): return np.sum(np.mean(x * x, axis=0) * 3.0)
def max_(x): return np.max(x * 2.0) + x.max()
def min_(x): return np.min(x * x) + x.min()
def max_axis(x): return np.sum(np.max(x, axis=0) ** 2) + np.sum(x.max(axis=-1) * 3.0)
def min_axis(x): return np.sum(np.sin(np.min(x, axis=1))) + np.sum(x.min(axis=0))
def max_min_axis_3d(t): return np.sum(np.max(t, axis=1) ** 2) + np.sum(np.min(t, axis=-1) * np.max(t, axis=0))
def prod_axis(x): return np.sum(np.prod(x, axis=0) ** 2) + np.sum(x.prod(axis=-1))
def prod_axis_3d(t): return np.sum(np.prod(t, axis=2) * 2.0) + np.sum(np.prod(t, axis=-3) ** 2) + t.prod()
def keepdims(x): return np.sum(np.sum(x, axis=1, keepdims=True) * x) + np.sum(x.max(axis=0, keepdims=True) * x)
def keepdims_whole(x): return np.sum(np.mean(x, keepdims=True) * x) + np.sum(np.min(x, keepdims=True) ** 2)
def dot_vv(a, b): return np.dot(a, b)
def dot_mv(a, b): return np.sum(np.tanh(np.dot(a, b)))
def dot_vm(a, b): return np.sum(np.dot(a, b) ** 2)
def matmul_mm(a, b): return np.sum(np.sin(a @ b))
def dot_method(a, b): return np.sum(a.dot(b) ** 2)
def outer(a, b): return np.sum(np.outer(a, b) ** 2)
def transpose(a): return np.sum(a.T * np.arange(a.shape[0]))
def transpose_fn(a): return np.sum(np.transpose(a) ** 3)
def getitem(x): return x[0] * x[1] + x[-1] ** 2 + x[1] * x[1]
def getitem_2d(x): return x[0, 1] * x[1, 0] + x[1, 1] ** 2 + np.sum(x[0] * x[1])
def where(x, y): return np.sum(np.where(x > 0.0, x * y, y * y))
def clip(x): return np.sum(np.clip(x, -0.5, 0.5) ** 2)
def copy(x): return np.sum(x.copy() * np.copy(x))
def norm(x): return np.linalg.norm(x)
def broadcast_row(a, r): return np.sum((a + r) ** 2)
def broadcast_col(a, c): return np.sum(np.exp(a * c))
def broadcast_scalar(a, s): return np.sum(a * s + s)
def maximum(a, b): return np.sum(np.maximum(a, b) ** 2 + np.minimum(a, b))
def abs_(a): return np.sum(np.abs(a) * a)


def slices(x): return np.sum(x[1:] * x[:-1]) + np.sum(x[::2] ** 2) + x[-1] * np.sum(x[:2])
def slices_2d(a): return np.sum(a[:, 1] * a[0, :3]) + np.sum(a[1:, ::2] ** 2) + np.sum(a[None, 0, :] * 2.0)


def for_each(x):
    s = 0.0
    for v in x:
        s = s + v * v * np.sin(v)
    return s


def diff_loop(x):
    s = 0.0
    for i in range(1, len(x)):
        s = s + np.sum(x[:i] * x[i])
    return s


def prod(x): return np.prod(x * 0.5 + 1.5)
def reshape(x): return np.sum(x.reshape(2, 6) * np.arange(6.0)) + np.sum(np.reshape(x, (4, 3))[1] ** 2)
def ravel(a): return np.sum(a.ravel() * np.arange(a.size)) + np.sum(np.ravel(a.T) ** 2)
def concatenate(a, b): return np.sum(np.concatenate((a, b * 2.0)) * np.arange(7.0))
def stack(a, b): return np.sum(np.stack((a, b)) ** 2) + np.sum(np.stack([a, a * b])[1])
def pack(a, b): return np.sum(np.array([a, b * a, 3.0]) ** 2) + np.sum(np.array((a, b)) * a)


def setitem(x, y):
    z = x * 1.0
    z[0] = y[1] * z[2]
    z[1] += z[0] * y[0]
    return np.sum(z * z)


def setitem_2d(x):
    z = np.zeros((3, 4))
    z[1, 2] = x[0, 0] * x[1, 1]
    z[0, 1] = z[1, 2] ** 2 + x[0, 2]
    return np.sum(z * x)


def setslice(x, v):
    z = x * 1.0
    z[1:, :] = v * z[0]
    z[:, 1] += np.sin(z[:, 2])
    z[0] = 0.5
    return np.sum(z * x)


def setslice_loop(x, s):
    """The reverse sweep of a slice write outside loops saves the old slice with slice_copy,
    whose tangent serves second derivatives (test_array_writes checks those)."""
    z = x * 1.0
    z[1:3] = z[:2] * s
    for k in range(2):
        z[::2] += z[1::2] * z[0]
    return np.sum(z ** 2)


def trace_(x): return np.trace(x * x) + np.trace(x) ** 2
def diag_(x): return np.sum(np.sin(np.diag(x)) * np.diag(np.diag(x) * 2.0))


IDX = np.array([0, 2, 2, 3, -1, 0])     # repeated and negative indices


def _well_conditioned(x): return x + 3.0 * np.eye(3)
def inv_(x): return np.sum(np.linalg.inv(_well_conditioned(x)) * np.arange(9.0).reshape(3, 3))
def det_(x): return np.linalg.det(_well_conditioned(x)) ** 2
def slogdet_(x):
    sign, logdet = np.linalg.slogdet(_well_conditioned(x) - 6.0 * np.eye(3))
    return sign * logdet
def solve_(x, b): return np.sum(np.sin(np.linalg.solve(_well_conditioned(x), b)))
def solve_matrix(x, b): return np.sum(np.linalg.solve(_well_conditioned(x), b) ** 2)
def einsum_(a, b): return np.sum(np.einsum("ij,jk->ik", a, b) ** 2) + np.einsum("ii", a[:, :3])
def cholesky_(x): return np.sum(np.linalg.cholesky(x @ x.T + np.eye(3)) * np.arange(9.0).reshape(3, 3))


def gather(x): return np.sum(x[IDX] ** 2) + np.sum(np.sin(x[IDX]))
def gather_rows(m): return np.sum(np.tanh(m[IDX[:3]]) * m[IDX[3:]])
def gather_pairs(m): return np.sum(m[IDX[:5] % 3, IDX[1:]] ** 2) + np.sum(np.sin(m[IDX[3:] - 1, IDX[:3]]))


V, W, M, N = (4,), (3,), (3, 4), (4, 2)
CASES = [
    (sum_, "sum", [V]), (sum_method, "sum", [M]), (sum_axis0, "sum_axis", [M]),
    (sum_axis1, "sum_axis", [M]), (mean_, "mean", [M]), (mean_axis, "sum_axis", [M]),
    (max_, "amax", [V]), (min_, "amin", [M]), (max_axis, "amax_axis", [M]),
    (min_axis, "amin_axis", [M]), (max_min_axis_3d, "amax_axis", [(3, 3, 3)]),
    (prod_axis, "prod_axis", [M]), (keepdims, "sum_axis", [M]), (keepdims_whole, "amin_axis", [M]), (prod_axis_3d, "prod_axis", [(2, 3, 2)]), (dot_vv, "dot", [V, V]), (dot_mv, "dot", [M, V]),
    (dot_vm, "dot", [W, M]), (matmul_mm, "dot", [M, N]), (dot_method, "dot", [M, V]),
    (outer, "outer", [V, W]), (transpose, "transpose", [M]), (transpose_fn, "transpose", [M]),
    (getitem, "getitem", [V]), (getitem_2d, "getitem", [M]), (where, "where", [V, V]),
    (clip, "clip", [V]), (copy, "copy", [M]), (norm, "norm", [V]), (norm, "norm", [M]),
    (broadcast_row, "add", [M, (4,)]), (broadcast_col, "mul", [M, (3, 1)]),
    (broadcast_scalar, "mul", [M, ()]), (maximum, "max", [V, V]), (abs_, "abs", [M]),
    (setitem, "setitem", [V, V]), (setitem_2d, "setitem", [M]),
    (slices, "slice", [(6,)]), (slices_2d, "slice", [M]), (for_each, "getitem", [V]),
    (diff_loop, "slice", [(5,)]), (prod, "prod", [V]), (reshape, "reshape", [M]),
    (ravel, "reshape", [M]), (concatenate, "concatenate", [V, W]), (stack, "stack", [V, V]),
    (pack, "stack", [(), ()]), (setslice, "setslice", [M, V]),
    (setslice_loop, "slice_copy", [V, ()]), (trace_, "trace", [M]), (trace_, "trace", [(3, 3)]),
    (diag_, "diag", [V]), (diag_, "diag", [M]),
    (gather, "take", [V]), (gather_rows, "take", [(4, 3)]),
    (gather_pairs, "take_pairs", [(3, 4)]),
    (inv_, "inv", [(3, 3)]), (det_, "det", [(3, 3)]), (slogdet_, "slogdet_log", [(3, 3)]),
    (slogdet_, "slogdet_sign", [(3, 3)]), (solve_, "solve", [(3, 3), (3,)]),
    (solve_matrix, "solve", [(3, 3), (3, 2)]), (cholesky_, "cholesky", [(3, 3)]),
    (einsum_, "einsum", [M, (4, 2)]),
]


# -- helpers the generated code calls; their tangents serve second derivatives ---------------
def unbroadcast_(g, x): return np.sum(rt.unbroadcast(g, x) * x)
def cast_like_(g, x): return np.sum(rt.cast_like(g, x) * x)
def fill_like_(x, v): return np.sum(rt.fill_like(x, v) * x)
def expand_axis_(g, x): return np.sum(rt.expand_axis(g, x, 1) * x)
def onehot_argmax_(x, g): return np.sum(rt.onehot_argmax(x, g) * x)
def onehot_argmin_(x, g): return np.sum(rt.onehot_argmin(x, g) * x)
def at_argmax_(d, x): return rt.at_argmax(d, x) * 2.0
def at_argmin_(d, x): return rt.at_argmin(d, x) * 2.0
def at_argmax_axis_(d, x): return np.sum(rt.at_argmax_axis(d, x, 1) ** 2)
def at_argmin_axis_(d, x): return np.sum(rt.at_argmin_axis(d, x, 0) * 2.0)
def onehot_argmax_axis_(x, g): return np.sum(rt.onehot_argmax_axis(x, g, 0) * x)
def onehot_argmin_axis_(x, g): return np.sum(rt.onehot_argmin_axis(x, g, 1) * x)
def prod_others_(x): return np.sum(rt.prod_others(x) * x)
def prod_others_axis_(x): return np.sum(rt.prod_others_axis(x, 1) ** 2)
def reshape_like_(g, x): return np.sum(rt.reshape_like(g, x) * x)
def seed_like_(g, x): return np.sum(rt.seed_like(g, x) * x)
def diag_adjoint_(x, g): return np.sum(rt.diag_adjoint(x, g) ** 2) * np.sum(x)
def diagonal_like_(x, g): return np.sum(rt.diagonal_like(x, g) * x) * g
def scatter_add_(x, g): return np.sum(rt.scatter_add(x, IDX, g) * x)
def scatter_add_pairs_(x, g): return np.sum(rt.scatter_add_pairs(x, IDX % 3, IDX, g) * x)


HELPER_CASES = [
    (unbroadcast_, "unbroadcast", [M, (1, 4)]), (cast_like_, "cast_like", [V, V]),
    (fill_like_, "fill_like", [V, ()]), (expand_axis_, "expand_axis", [(2,), (2, 3)]),
    (onehot_argmax_, "onehot_argmax", [V, ()]), (onehot_argmin_, "onehot_argmin", [V, ()]),
    (at_argmax_, "at_argmax", [V, V]), (at_argmin_, "at_argmin", [V, V]),
    (reshape_like_, "reshape_like", [(12,), M]), (seed_like_, "seed_like", [M, M]),
    (at_argmax_axis_, "at_argmax_axis", [M, M]), (at_argmin_axis_, "at_argmin_axis", [M, M]),
    (onehot_argmax_axis_, "onehot_argmax_axis", [M, (4,)]),
    (onehot_argmin_axis_, "onehot_argmin_axis", [M, (3,)]),
    (prod_others_, "prod_others", [M]), (prod_others_axis_, "prod_others_axis", [M]),
    (diag_adjoint_, "diag_adjoint", [V, (4, 4)]), (diag_adjoint_, "diag_adjoint", [M, (3,)]),
    (diagonal_like_, "diagonal_like", [M, ()]), (scatter_add_, "scatter_add", [V, (6,)]),
    (scatter_add_pairs_, "scatter_add_pairs", [M, (6,)]),
]
