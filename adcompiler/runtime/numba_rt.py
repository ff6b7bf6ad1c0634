"""Runtime helpers compiled with Numba for the ``numba`` backend.

Helpers whose code depends on array ranks (summing a broadcast cotangent back to an
argument's shape) are Numba overloads: the rank is a compile-time fact there.
"""
import numba
import numpy as np
from numba.core import types
from numba.extending import overload

from . import helpers

_jit = numba.njit(cache=True)
trip_count = _jit(helpers.trip_count)
reserve = _jit(helpers.reserve)
log_or_zero = _jit(helpers.log_or_zero)
fill_like = _jit(helpers.fill_like)
onehot_argmax = _jit(helpers.onehot_argmax)
onehot_argmin = _jit(helpers.onehot_argmin)
at_argmax = _jit(helpers.at_argmax)
at_argmin = _jit(helpers.at_argmin)
reshape_like = _jit(helpers.reshape_like)
cast_like = _jit(helpers.cast_like)
push_array = _jit(helpers.push_array)
pop_array1 = _jit(helpers.pop_array1)
pop_array2 = _jit(helpers.pop_array2)
pop_array3 = _jit(helpers.pop_array3)


def unbroadcast(g, x):
    """See helpers.unbroadcast; compiled per (rank of g, rank of x)."""
    return helpers.unbroadcast(g, x)


def expand_axis(g, x, axis):
    """See helpers.expand_axis; compiled per rank of x."""
    return helpers.expand_axis(g, x, axis)


@overload(unbroadcast)
def _unbroadcast(g, x):
    if not isinstance(x, types.Array):
        if isinstance(g, types.Array):
            return lambda g, x: np.sum(g)
        return lambda g, x: g
    if not isinstance(g, types.Array):
        return lambda g, x: np.full(x.shape, g)
    if g.ndim == 1 and x.ndim == 1:
        def same_rank_1(g, x):
            if g.shape[0] == x.shape[0]:
                return np.ascontiguousarray(g)
            out = np.empty(1, g.dtype)
            out[0] = g.sum()
            return out
        return same_rank_1
    if g.ndim == 2 and x.ndim == 1:
        def row_broadcast(g, x):
            s = np.ascontiguousarray(g).sum(axis=0)
            if s.shape[0] == x.shape[0]:
                return s
            out = np.empty(1, g.dtype)
            out[0] = s.sum()
            return out
        return row_broadcast
    if g.ndim == 2 and x.ndim == 2:
        def same_rank_2(g, x):
            c = np.ascontiguousarray(g)
            if x.shape[0] == 1 and c.shape[0] != 1:
                c = np.ascontiguousarray(c.sum(axis=0)).reshape((1, c.shape[1]))
            if x.shape[1] == 1 and c.shape[1] != 1:
                c = np.ascontiguousarray(c.sum(axis=1)).reshape((c.shape[0], 1))
            return c
        return same_rank_2
    if g.ndim > x.ndim and g.ndim >= 3:
        def leading_axis(g, x):          # sum the extra leading axis, then the rest
            return unbroadcast(np.ascontiguousarray(g).sum(axis=0), x)
        return leading_axis
    if g.ndim == x.ndim:
        def same_shape(g, x):
            if g.shape != x.shape:
                raise ValueError("adcompiler: broadcasting over rank > 2 in a cotangent")
            return np.ascontiguousarray(g)
        return same_shape
    return None


@overload(expand_axis)
def _expand_axis(g, x, axis):
    if x.ndim == 1:
        def rank_1(g, x, axis):
            return np.full(x.shape, g)
        return rank_1
    if x.ndim == 2:
        def rank_2(g, x, axis):
            out = np.empty(x.shape, np.float64)
            if axis % 2 == 0:
                for i in range(x.shape[0]):
                    out[i, :] = g
            else:
                for j in range(x.shape[1]):
                    out[:, j] = g
            return out
        return rank_2
    if x.ndim == 3:
        def rank_3(g, x, axis):
            out = np.empty(x.shape, np.float64)
            a = axis % 3
            if a == 0:
                for i in range(x.shape[0]):
                    out[i, :, :] = g
            elif a == 1:
                for j in range(x.shape[1]):
                    out[:, j, :] = g
            else:
                for k in range(x.shape[2]):
                    out[:, :, k] = g
            return out
        return rank_3
    return None
