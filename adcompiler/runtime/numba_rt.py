"""Runtime helpers compiled with Numba for the ``numba`` backend.

Helpers whose code depends on array ranks (summing a broadcast cotangent back to an
argument's shape) are Numba overloads: the rank is a compile-time fact there.
"""
import math

import numba
import numpy as np
from numba.core import types
from numba.extending import overload

from . import helpers

_jit = numba.njit(cache=True)
trip_count = _jit(helpers.trip_count)
reserve = _jit(helpers.reserve)
private_partials = _jit(helpers.private_partials)
add_partials = _jit(helpers.add_partials)


#: Numba's thread pool size, a constant: numba.get_num_threads() inside compiled code would
#: make every function calling it uncacheable (a ctypes global). Any count of chunks is
#: correct; this one gives each thread one.
_THREADS = numba.config.NUMBA_NUM_THREADS


@_jit
def num_chunks(count):
    """One private accumulator per thread, at most one per iteration."""
    return max(1, min(_THREADS, count))
log_or_zero = _jit(helpers.log_or_zero)
inv_or_zero = _jit(helpers.inv_or_zero)
fill_like = _jit(helpers.fill_like)
diagonal_like = _jit(helpers.diagonal_like)
scatter_add = _jit(helpers.scatter_add)
take_pairs = _jit(helpers.take_pairs)
scatter_add_pairs = _jit(helpers.scatter_add_pairs)
tril_mask = _jit(helpers.tril_mask)
onehot_argmax = _jit(helpers.onehot_argmax)
onehot_argmin = _jit(helpers.onehot_argmin)
at_argmax = _jit(helpers.at_argmax)
at_argmin = _jit(helpers.at_argmin)
reshape_like = _jit(helpers.reshape_like)
cast_like = _jit(helpers.cast_like)
seed_like = _jit(helpers.seed_like)
shaped_like = _jit(helpers.shaped_like)


@_jit
def _with_room(tape, top, end, wanted):
    """``tape``, or where it is shorter than ``end``, a copy of its first ``top`` entries
    with room for ``wanted`` (or double its length), element by element."""
    if end <= tape.shape[0]:
        return tape
    grown = np.empty(max(end, wanted, 2 * tape.shape[0]), tape.dtype)
    for k in range(top):
        grown[k] = tape[k]
    return grown


def push_array(tape, top, x, pushes=1):
    """See helpers.push_array. Compiled inline, element by element: a slice assignment
    (``tape[a:b] = flat``) checks for overlap and may copy first, and ``np.ravel`` of a
    vector costs more than copying its elements, for the small arrays saved once per
    iteration."""
    return helpers.push_array(tape, top, x, pushes)


def _elements(x):
    """``x``'s elements as a vector (a vector itself; any other array ravelled)."""
    return np.ravel(x)


@overload(_elements, inline="always")
def _elements_overload(x):
    if isinstance(x, types.Array) and x.ndim == 1:
        return lambda x: x
    return lambda x: np.ravel(x)


@overload(push_array, inline="always")
def _push_array(tape, top, x, pushes=1):
    def push(tape, top, x, pushes=1):
        # no argument is rebound: Numba's inliner warns of those
        flat = _elements(x)
        size = flat.shape[0]
        end = top + size + x.ndim
        out = _with_room(tape, top, end, top + pushes * (size + x.ndim))
        for k in range(size):
            out[top + k] = flat[k]
        for k in range(x.ndim):
            out[top + size + k] = x.shape[k]
        return out, end
    return push


pop_array1 = _jit(helpers.pop_array1)
pop_array2 = _jit(helpers.pop_array2)
pop_array3 = _jit(helpers.pop_array3)
three_axes = _jit(helpers.three_axes)
_prod_others_jvp3 = _jit(helpers.prod_others_jvp3)


def c_layout(x):
    """See helpers.c_layout: a C-ordered array as it is, any other one copied into C order
    (decided when Numba compiles, from the array's type)."""
    return x


@overload(c_layout)
def _c_layout(x):
    if isinstance(x, types.Array) and x.layout != "C":
        return lambda x: np.ascontiguousarray(x)
    return lambda x: x


def reshape(x, shape):
    """See helpers.reshape; Numba reshapes contiguous arrays only, so views are copied."""
    return helpers.reshape(x, shape)


@overload(reshape)
def _reshape(x, shape):
    return lambda x, shape: np.ascontiguousarray(x).reshape(shape)


def unbroadcast(g, x):
    """See helpers.unbroadcast; compiled per (rank of g, rank of x)."""
    return helpers.unbroadcast(g, x)


def diag_adjoint(x, g):
    """See helpers.diag_adjoint; compiled per rank of x."""
    return helpers.diag_adjoint(x, g)


@overload(diag_adjoint)
def _diag_adjoint(x, g):
    if x.ndim == 1:
        def of_a_vector(x, g):
            out = np.empty(x.shape[0], g.dtype)
            for i in range(x.shape[0]):
                out[i] = g[i, i]
            return out
        return of_a_vector

    def of_a_matrix(x, g):
        out = np.zeros(x.shape, g.dtype)
        for i in range(g.shape[0]):
            out[i, i] = g[i]
        return out
    return of_a_matrix


def expand_axis(g, x, axis):
    """See helpers.expand_axis; compiled per rank of x."""
    return helpers.expand_axis(g, x, axis)


def broadcast_like(a, b):
    """See helpers.broadcast_like; compiled per rank."""
    return helpers.broadcast_like(a, b)


@_jit
def _broadcast_length(n, m):
    if n != m and n != 1 and m != 1:
        raise ValueError("operands could not be broadcast together")
    return max(n, m)


@overload(broadcast_like)
def _broadcast_like(a, b):
    # np.broadcast_shapes costs 66 ns a call in compiled code; these ranks build the shape
    # directly (the LSTM's reverse sweep makes 15 of these shapes per layer and step)
    if not (isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim == b.ndim):
        return lambda a, b: np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))
    if a.ndim == 1:
        return lambda a, b: np.broadcast_to(a, (_broadcast_length(a.shape[0], b.shape[0]),))
    if a.ndim == 2:
        return lambda a, b: np.broadcast_to(a, (_broadcast_length(a.shape[0], b.shape[0]),
                                                _broadcast_length(a.shape[1], b.shape[1])))
    return lambda a, b: np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))


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
    if g.ndim == 3 and x.ndim == 3:
        def same_rank_3(g, x):           # size-1 axes of x (keepdims results) were broadcast
            c = np.ascontiguousarray(g)
            if x.shape[0] == 1 and c.shape[0] != 1:
                c = np.ascontiguousarray(c.sum(axis=0)).reshape((1, c.shape[1], c.shape[2]))
            if x.shape[1] == 1 and c.shape[1] != 1:
                c = np.ascontiguousarray(c.sum(axis=1)).reshape((c.shape[0], 1, c.shape[2]))
            if x.shape[2] == 1 and c.shape[2] != 1:
                c = np.ascontiguousarray(c.sum(axis=2)).reshape((c.shape[0], c.shape[1], 1))
            return c
        return same_rank_3
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
            out = np.empty(x.shape, x.dtype)
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
            out = np.empty(x.shape, x.dtype)
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


# -- reductions along one axis: loops over the (outer, n, inner) view of helpers.three_axes
# (Numba has no np.max/np.min/np.prod with axis=) -----------------------------------------------
def reduced_shape(x, axis):
    """``x.shape`` without ``axis``; compiled per rank of x."""
    return helpers.reduced_shape(x, axis)


@overload(reduced_shape)
def _reduced_shape(x, axis):
    if x.ndim == 2:
        return lambda x, axis: (x.shape[1 - axis],)
    if x.ndim == 3:
        def rank_3(x, axis):
            if axis == 0:
                return (x.shape[1], x.shape[2])
            if axis == 1:
                return (x.shape[0], x.shape[2])
            return (x.shape[0], x.shape[1])
        return rank_3
    return None


@_jit
def _extreme_index(t, largest):
    """Index along the middle axis of the first maximum (or minimum) of each slice, as
    np.argmax / np.argmin pick it on ties (and the first NaN, as they do)."""
    outer, n, inner = t.shape
    index = np.zeros((outer, inner), np.int64)
    for i in range(outer):
        for k in range(inner):
            best = t[i, 0, k]
            for j in range(1, n):
                if np.isnan(best):
                    break
                v = t[i, j, k]
                if np.isnan(v) or ((v > best) if largest else (v < best)):
                    best = v
                    index[i, k] = j
    return index


@_jit
def _gather(t, index):
    outer, _, inner = t.shape
    out = np.empty((outer, inner), t.dtype)
    for i in range(outer):
        for k in range(inner):
            out[i, k] = t[i, index[i, k], k]
    return out


@_jit
def _scatter(t, g, index):
    out = np.zeros_like(t)
    flat = np.ascontiguousarray(g).reshape((t.shape[0], t.shape[2]))
    for i in range(t.shape[0]):
        for k in range(t.shape[2]):
            out[i, index[i, k], k] = flat[i, k]
    return out


@_jit
def amax_axis(x, axis):
    t = three_axes(x, axis)
    return _gather(t, _extreme_index(t, True)).reshape(reduced_shape(x, axis))


@_jit
def amin_axis(x, axis):
    t = three_axes(x, axis)
    return _gather(t, _extreme_index(t, False)).reshape(reduced_shape(x, axis))


@_jit
def at_argmax_axis(d, x, axis):
    index = _extreme_index(three_axes(x, axis), True)
    return _gather(three_axes(d, axis), index).reshape(reduced_shape(x, axis))


@_jit
def at_argmin_axis(d, x, axis):
    index = _extreme_index(three_axes(x, axis), False)
    return _gather(three_axes(d, axis), index).reshape(reduced_shape(x, axis))


@_jit
def onehot_argmax_axis(x, g, axis):
    t = three_axes(x, axis)
    return _scatter(t, g, _extreme_index(t, True)).reshape(x.shape)


@_jit
def onehot_argmin_axis(x, g, axis):
    t = three_axes(x, axis)
    return _scatter(t, g, _extreme_index(t, False)).reshape(x.shape)


@_jit
def prod_axis(x, axis):
    t = three_axes(x, axis)
    out = np.ones((t.shape[0], t.shape[2]), t.dtype)
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            for k in range(t.shape[2]):
                out[i, k] *= t[i, j, k]
    return out.reshape(reduced_shape(x, axis))


@_jit
def prod_others_axis(x, axis):
    """See helpers.prod_others_axis: exclusive prefix times suffix products."""
    t = three_axes(x, axis)
    out = np.empty_like(t)
    for i in range(t.shape[0]):
        for k in range(t.shape[2]):
            acc = 1.0
            for j in range(t.shape[1]):
                out[i, j, k] = acc
                acc *= t[i, j, k]
            acc = 1.0
            for j in range(t.shape[1] - 1, -1, -1):
                out[i, j, k] *= acc
                acc *= t[i, j, k]
    return out.reshape(x.shape)


@_jit
def prod_others(x):
    return prod_others_axis(np.ascontiguousarray(x).reshape(-1), 0).reshape(x.shape)


@_jit
def prod_others_axis_jvp(x, dx, axis):
    return _prod_others_jvp3(three_axes(x, axis), three_axes(dx, axis)).reshape(x.shape)


@_jit
def prod_others_jvp(x, dx):
    flat, dflat = np.ascontiguousarray(x).reshape(-1), np.ascontiguousarray(dx).reshape(-1)
    return prod_others_axis_jvp(flat, dflat, 0).reshape(x.shape)


# -- integer arithmetic that Python computes exactly (see helpers.checked_add) ----------------
# Compiled integers are 64-bit where Python's are unbounded: a result that leaves int64 raises
# OverflowError here instead of wrapping around silently.
_INT_MIN, _INT_MAX = -9223372036854775808, 9223372036854775807
_TWO_63 = 9223372036854775808.0
_FITS = 4.6e18        # |float(a) * float(b)| below this: the exact product fits for certain


@_jit
def _overflow():
    raise OverflowError("integer overflow: the result does not fit in 64 bits (compiled "
                        "integers are 64-bit, Python's are unbounded); compute it in floating "
                        "point, e.g. float(n) ** k, or use backend='python'")


# The tests come before the operation: Numba's integer arithmetic is "no signed wrap" to
# LLVM, which therefore folds away any test of a result that wrapped.
@_jit
def checked_add(a, b):
    if (b > 0 and a > _INT_MAX - b) or (b < 0 and a < _INT_MIN - b):
        _overflow()
    return a + b


@_jit
def checked_sub(a, b):
    if (b < 0 and a > _INT_MAX + b) or (b > 0 and a < _INT_MIN + b):
        _overflow()
    return a - b


@_jit
def _magnitude(a):
    """|a| as an unsigned integer (exact for INT_MIN too)."""
    return np.uint64(a) if a >= 0 else np.uint64(-(a + 1)) + np.uint64(1)


@_jit
def checked_mul(a, b):
    p = float(a) * float(b)
    if -_FITS < p < _FITS:
        return a * b
    # unsigned arithmetic, which LLVM may not assume free of wrapping: |a * b| <= limit
    limit = np.uint64(_INT_MAX) + np.uint64((a < 0) != (b < 0))
    if _magnitude(a) > limit // _magnitude(b):
        _overflow()
    return a * b


@_jit
def checked_pow(a, b):
    result = a ** 0
    base = a
    k = b
    while k > 0:
        if k & 1:
            result = checked_mul(result, base)
        k >>= 1
        if k > 0:
            base = checked_mul(base, base)
    return result


@_jit
def checked_neg(a):
    if a == _INT_MIN:
        _overflow()
    return -a


@_jit
def checked_abs(a):
    if a == _INT_MIN:
        _overflow()
    return abs(a)


@_jit
def checked_floordiv(a, b):
    if b == -1 and a == _INT_MIN:
        _overflow()
    return a // b


@_jit
def checked_mod(a, b):
    if b == -1:                       # also spares int64 remainder its one trapping case
        return a - a
    return a % b


@_jit
def _check_float_to_int(x):
    if x != x:
        raise ValueError("cannot convert float NaN to integer")
    if not -_TWO_63 <= x < _TWO_63:
        if x == np.inf or x == -np.inf:
            raise OverflowError("cannot convert float infinity to integer")
        raise OverflowError("float too large for a 64-bit integer (compiled integers are "
                            "64-bit, Python's are unbounded); keep it a float or use "
                            "backend='python'")


@_jit
def checked_int(x):
    _check_float_to_int(x)
    return int(x)


@_jit
def checked_round(x):
    _check_float_to_int(x)
    return round(x)


@_jit
def checked_floor(x):
    _check_float_to_int(x)
    return math.floor(x)


@_jit
def checked_ceil(x):
    _check_float_to_int(x)
    return math.ceil(x)


@_jit
def checked_trunc(x):
    _check_float_to_int(x)
    return math.trunc(x)


# -- np.einsum: Numba has none; each subscripts string (a literal at the call) becomes its own
# loop nest, the output's letters outermost and a scalar accumulator over the summed ones.

def einsum(subscripts, *operands):
    """See helpers.einsum."""
    return helpers.einsum(subscripts, *operands)


def einsum_like(subscripts, like, *operands):
    """See helpers.einsum_like."""
    return helpers.einsum_like(subscripts, like, *operands)


def _einsum_loops(subscripts, like):
    """Source of ``impl(subscripts, [like,] *operands)`` computing the einsum with loops."""
    lhs, _, out = subscripts.partition("->")
    inputs = lhs.split(",")
    params = "subscripts, like, *operands" if like else "subscripts, *operands"
    lines = [f"def impl({params}):"]
    lines += [f"    x{k} = operands[{k}]" for k in range(len(inputs))]
    size = {}
    for k, term in enumerate(inputs):
        for axis, c in enumerate(term):
            dim = f"x{k}.shape[{axis}]"
            if c in size:
                lines.append(f"    if {dim} != {size[c]}:")
                lines.append(f"        raise ValueError(\"np.einsum('{subscripts}'): axis '{c}' has "
                             "two sizes (broadcasting a size-1 axis is not supported here)\")")
            else:
                size[c] = f"n_{c}"
                lines.append(f"    n_{c} = {dim}")
    for axis, c in enumerate(out):
        if c not in size:
            size[c] = f"n_{c}"
            lines.append(f"    n_{c} = like.shape[{axis}]")
    distinct = list(dict.fromkeys(out))
    summed = [c for c in dict.fromkeys(lhs.replace(",", "")) if c not in distinct]
    product = " * ".join(f"x{k}[{', '.join(term)}]" if term else f"x{k}"
                         for k, term in enumerate(inputs))
    if out:
        alloc = "np.zeros" if like else "np.empty"
        shape = ", ".join(size[c] for c in out)
        lines.append(f"    result = {alloc}(({shape},), dtype)")
    depth = 1
    for c in distinct:
        lines.append("    " * depth + f"for {c} in range({size[c]}):")
        depth += 1
    lines.append("    " * depth + "acc = dtype(0)")
    for c in summed:
        lines.append("    " * depth + f"for {c} in range({size[c]}):")
        depth += 1
    lines.append("    " * depth + f"acc += {product}")
    depth = len(distinct) + 1
    if out:
        lines.append("    " * depth + f"result[{', '.join(out)}] = acc")
        lines.append("    return result")
    else:
        lines.append("    return acc")
    return "\n".join(lines) + "\n"


def _einsum_impl(subscripts, operands, like):
    if not isinstance(subscripts, types.StringLiteral):
        return None
    dtypes = [numba.np.numpy_support.as_dtype(t.dtype if isinstance(t, types.Array) else t)
              for t in operands]
    namespace = {"np": np, "dtype": np.dtype(np.result_type(*dtypes)).type}
    exec(_einsum_loops(subscripts.literal_value, like), namespace)
    return namespace["impl"]


@overload(einsum, prefer_literal=True)
def _einsum(subscripts, *operands):
    return _einsum_impl(subscripts, operands, like=False)


@overload(einsum_like, prefer_literal=True)
def _einsum_like(subscripts, like, *operands):
    return _einsum_impl(subscripts, operands, like=True)
