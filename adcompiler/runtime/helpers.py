"""Runtime helpers called by generated code. Plain functions; ``numba_rt`` compiles them."""
import math

import numpy as np


def trip_count(start, stop, step):
    """Number of iterations of ``range(start, stop, step)``."""
    # written so that no intermediate leaves int64 for any range Python can iterate
    if step > 0:
        return 1 + (stop - 1 - start) // step if stop > start else 0
    return 1 + (start - 1 - stop) // (-step) if start > stop else 0


def num_chunks(count):
    """How many private accumulators a parallel loop of ``count`` iterations uses (the python
    backend runs loops serially: one)."""
    return 1


def private_partials(a, chunks):
    """Zeros for ``chunks`` private copies of accumulator ``a`` (one per chunk of a loop)."""
    return np.zeros((chunks,) + a.shape, a.dtype)


def add_partials(a, partials):
    """``a`` plus the private accumulators of the chunks, added in place, in chunk order."""
    for c in range(partials.shape[0]):
        a += partials[c]
    return a


def reserve(tape, needed):
    """Return ``tape`` or a copy at least ``needed`` long (doubling), keeping its contents."""
    size = tape.shape[0]
    if needed <= size:
        return tape
    grown = np.empty(max(needed, 2 * size), tape.dtype)
    grown[:size] = tape
    return grown


def log_or_zero(a):
    """log(a) for a > 0, else 0: the partial of a**b in b, continuous from a > 0 at 0."""
    return math.log(a) if a > 0 else 0.0


def inv_or_zero(a):
    """1/a for a > 0, else 0: the derivative of ``log_or_zero`` (second derivatives of a**b)."""
    return 1.0 / a if a > 0 else 0.0


# The helpers making derivatives of a differentiated array ``x`` (a float array) give them
# ``x``'s dtype: a float32 argument keeps float32 derivatives.
def fill_like(x, value):
    """An array of ``x``'s shape and dtype filled with ``value``."""
    return np.full(x.shape, value, x.dtype)


def scatter_add(x, idx, g):
    """Cotangent of the gather ``x[idx]``: ``g``'s rows added into zeros shaped like ``x`` at
    the rows ``idx`` names (repeated indices add up, negative ones count from the end)."""
    out = np.zeros(x.shape, g.dtype)
    for k in range(idx.shape[0]):
        out[idx[k]] += g[k]
    return out


def take_pairs(x, i, j):
    """``x[i, j]`` of a matrix with ``i``, ``j`` 1-d integer arrays of one length: the elements
    at the pairs ``(i[k], j[k])`` (negative indices count from the end, as in NumPy)."""
    n = i.shape[0]
    if j.shape[0] != n:
        raise ValueError("shape mismatch: the index arrays of x[i, j] have different lengths")
    rows, cols = x.shape[0], x.shape[1]
    out = np.empty(n, x.dtype)
    for k in range(n):
        r, c = i[k], j[k]
        if r < -rows or r >= rows or c < -cols or c >= cols:
            raise IndexError("index out of bounds in x[i, j]")
        out[k] = x[r + rows if r < 0 else r, c + cols if c < 0 else c]
    return out


def scatter_add_pairs(x, i, j, g):
    """Cotangent of the gather ``x[i, j]``: ``g[k]`` added into zeros shaped like ``x`` at
    ``(i[k], j[k])`` (repeated pairs add up)."""
    rows, cols = x.shape[0], x.shape[1]
    out = np.zeros(x.shape, g.dtype)
    for k in range(i.shape[0]):
        r, c = i[k], j[k]
        out[r + rows if r < 0 else r, c + cols if c < 0 else c] += g[k]
    return out


def diag_adjoint(x, g):
    """Cotangent of ``x`` for ``np.diag(x)``: the diagonal of ``g`` (``x`` a vector), or
    ``g`` on the diagonal of zeros shaped like ``x`` (``x`` a matrix)."""
    if x.ndim == 1:
        return np.diag(g).copy()
    out = np.zeros(x.shape, g.dtype)
    for i in range(g.shape[0]):
        out[i, i] = g[i]
    return out


def tril_mask(L, diagonal):
    """Ones below the diagonal of a matrix shaped like ``L``, ``diagonal`` on it, zeros above
    (Φ of the Cholesky rules is ``M * tril_mask(L, 0.5)``)."""
    out = np.zeros(L.shape, L.dtype)
    for i in range(L.shape[0]):
        for j in range(min(i, L.shape[1])):
            out[i, j] = 1.0
        if i < L.shape[1]:
            out[i, i] = diagonal
    return out


def c_layout(x):
    """``x`` (the numba backend's version makes a transposed matrix C-ordered)."""
    return x


def diagonal_like(x, g):
    """Cotangent of ``np.trace(x)``: ``g`` on the main diagonal of an array shaped like
    ``x``, zeros elsewhere."""
    out = np.zeros(x.shape, x.dtype)
    for i in range(min(x.shape[0], x.shape[1])):
        out[i, i] = g
    return out


def expand_axis(g, x, axis):
    """Cotangent of ``np.sum(x, axis)``: ``g`` repeated along ``axis`` (negative axes too)."""
    out = np.empty(x.shape, x.dtype)
    out[...] = np.expand_dims(g, axis % x.ndim)
    return out


def onehot_argmax(x, g):
    out = np.zeros(x.shape, x.dtype)
    out.reshape(-1)[np.argmax(x)] = g
    return out


def onehot_argmin(x, g):
    out = np.zeros(x.shape, x.dtype)
    out.reshape(-1)[np.argmin(x)] = g
    return out


def at_argmax(d, x):
    return np.ascontiguousarray(d).reshape(-1)[np.argmax(x)]


def at_argmin(d, x):
    return np.ascontiguousarray(d).reshape(-1)[np.argmin(x)]


# -- reductions along one axis (max, min, prod) ------------------------------------------------
# Each views ``x`` as (outer, n, inner) with ``axis`` in the middle, so one code serves every
# rank; ``axis`` is non-negative (the frontend normalises it). ``x`` is differentiated, so a
# float array: derivatives take its dtype (``*_like``).
def three_axes(x, axis):
    """``x`` as a contiguous (outer, n, inner) array, ``n`` being ``axis``'s length."""
    outer = 1
    for k in range(axis):
        outer *= x.shape[k]
    inner = 1
    for k in range(axis + 1, x.ndim):
        inner *= x.shape[k]
    return np.ascontiguousarray(x).reshape((outer, x.shape[axis], inner))


def reduced_shape(x, axis):
    return x.shape[:axis] + x.shape[axis + 1:]


def amax_axis(x, axis):
    return np.max(x, axis=axis)


def amin_axis(x, axis):
    return np.min(x, axis=axis)


def prod_axis(x, axis):
    return np.prod(x, axis=axis)


def _pick_along(d, x, axis, index):
    """``d`` at ``x``'s arg-max (or arg-min) of each slice along ``axis``."""
    picked = np.take_along_axis(three_axes(d, axis), index(three_axes(x, axis), axis=1)[:, None, :], 1)
    return picked.reshape(reduced_shape(x, axis))


def _onehot_along(x, g, axis, index):
    """Zeros shaped like ``x`` with ``g`` at the arg-max (or arg-min) of each slice."""
    t = three_axes(x, axis)
    out = np.zeros_like(t)
    where = index(t, axis=1)[:, None, :]
    np.put_along_axis(out, where, np.ascontiguousarray(g).reshape((t.shape[0], 1, t.shape[2])), 1)
    return out.reshape(x.shape)


def at_argmax_axis(d, x, axis):
    """Tangent of ``np.max(x, axis)``: ``dx`` at the first maximum of each slice."""
    return _pick_along(d, x, axis, np.argmax)


def at_argmin_axis(d, x, axis):
    return _pick_along(d, x, axis, np.argmin)


def onehot_argmax_axis(x, g, axis):
    """Cotangent of ``np.max(x, axis)``: ``g`` sent to the first maximum of each slice."""
    return _onehot_along(x, g, axis, np.argmax)


def onehot_argmin_axis(x, g, axis):
    return _onehot_along(x, g, axis, np.argmin)


def prod_others_axis(x, axis):
    """d prod(x, axis) / dx: at each element the product of the other elements of its slice,
    as exclusive prefix times suffix products (no division, so exact where elements are 0)."""
    t = three_axes(x, axis)
    before = np.ones_like(t)
    after = np.ones_like(t)
    before[:, 1:, :] = np.cumprod(t[:, :-1, :], axis=1)
    after[:, :-1, :] = np.cumprod(t[:, :0:-1, :], axis=1)[:, ::-1, :]
    return (before * after).reshape(x.shape)


def prod_others(x):
    """d prod(x) / dx over the whole array (see prod_others_axis)."""
    return prod_others_axis(np.ascontiguousarray(x).reshape(-1), 0).reshape(x.shape)


def prod_others_axis_jvp(x, dx, axis):
    """Tangent of ``prod_others_axis(x, axis)`` along ``dx`` (second derivatives of prod)."""
    return prod_others_jvp3(three_axes(x, axis), three_axes(dx, axis)).reshape(x.shape)


def prod_others_jvp3(t, dt):
    """prod_others along the middle axis of (outer, n, inner) arrays, differentiated along
    ``dt``: the prefix and suffix product recurrences run on dual numbers (no division)."""
    outer, n, inner = t.shape
    before = np.empty_like(t)
    out = np.empty_like(t)
    for i in range(outer):
        for k in range(inner):
            acc, dacc = 1.0, 0.0
            for j in range(n):
                before[i, j, k], out[i, j, k] = acc, dacc
                acc, dacc = acc * t[i, j, k], dacc * t[i, j, k] + acc * dt[i, j, k]
            acc, dacc = 1.0, 0.0
            for j in range(n - 1, -1, -1):
                out[i, j, k] = out[i, j, k] * acc + before[i, j, k] * dacc
                acc, dacc = acc * t[i, j, k], dacc * t[i, j, k] + acc * dt[i, j, k]
    return out


def prod_others_jvp(x, dx):
    flat = np.ascontiguousarray(x).reshape(-1)
    return prod_others_axis_jvp(flat, np.ascontiguousarray(dx).reshape(-1), 0).reshape(x.shape)


def reshape(x, shape):
    """``x.reshape(shape)`` as NumPy does it (a view where it can be: a sum over it then runs
    in NumPy's order, and the primal stays the user's value bit for bit)."""
    return np.reshape(x, shape)


def unbroadcast(g, x):
    """Sum cotangent ``g`` of a broadcast result back to the shape of argument ``x``."""
    if np.ndim(x) == 0:
        return np.sum(g)
    g = np.asarray(g)
    while g.ndim > x.ndim:
        g = g.sum(axis=0)
    for axis in range(x.ndim):
        if x.shape[axis] == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def cast_like(g, x):
    """``g`` in ``x``'s dtype (a float32 argument gets a float32 gradient)."""
    return g.astype(x.dtype)


def seed_like(seed, out):
    """The cotangent seed of array output ``out``: ``seed``, or zeros of ``out``'s shape when
    ``seed`` is the empty array ``ad.vjp`` passes to compute the value alone (the output's
    shape is not known before the call)."""
    if seed.shape == out.shape:
        return seed
    if seed.size != 0:
        raise ValueError("the cotangent of an array output does not have the output's shape")
    return np.zeros(out.shape, seed.dtype)


def shaped_like(total, out):
    """Tangent ``total`` with the shape of ``out`` (of the same rank): itself where it has it,
    else broadcast into zeros of that shape (only an argument broadcast along a size-1 axis
    varied). A test of the shape instead of zeros and an addition per op."""
    if total.shape == out.shape:
        return total
    return np.zeros(out.shape, total.dtype) + total


def broadcast_like(a, b):
    """``a`` broadcast (a view, no copy) to the shape of ``a`` and ``b`` broadcast together:
    the reverse sweep reads only its shape (to sum a cotangent back to it), so the values of
    an elementwise result are not recomputed for that."""
    return np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))


def reshape_like(g, x):
    """Cotangent of a reshape: ``g`` back in ``x``'s shape."""
    return np.ascontiguousarray(g).reshape(x.shape)


def push_array(tape, top, x, pushes=1):
    """Save array ``x`` on a float64 tape: its elements, then its shape. ``pushes``: how
    many arrays the loop nest saving ``x`` saves at most; a tape too short grows to hold that
    many of ``x``'s size (reserved at the first push, once the size is known), or doubles."""
    flat = np.ascontiguousarray(x).reshape(-1)
    size = flat.shape[0]
    end = top + size + x.ndim
    if end > tape.shape[0]:
        grown = np.empty(max(end, 2 * tape.shape[0], top + pushes * (size + x.ndim)), tape.dtype)
        grown[:top] = tape[:top]
        tape = grown
    tape[top:top + size] = flat
    for k in range(x.ndim):
        tape[top + size + k] = x.shape[k]
    return tape, end


# Pops return views into the tape: every push happens in the forward sweep, before the
# reverse sweep pops, and each slot is popped once, so nothing overwrites a popped array.
def pop_array1(tape, top):
    n0 = int(tape[top - 1])
    top -= 1
    return tape[top - n0:top], top - n0


def pop_array2(tape, top):
    n0, n1 = int(tape[top - 2]), int(tape[top - 1])
    top -= 2
    size = n0 * n1
    return tape[top - size:top].reshape((n0, n1)), top - size


def pop_array3(tape, top):
    n0, n1, n2 = int(tape[top - 3]), int(tape[top - 2]), int(tape[top - 1])
    top -= 3
    size = n0 * n1 * n2
    return tape[top - size:top].reshape((n0, n1, n2)), top - size


# -- integer arithmetic that Python computes exactly ------------------------------------------
# Python integers are unbounded; compiled ones are 64-bit. Generated code calls these where
# codegen cannot prove that an integer operation stays in range (codegen/intranges.py). Here,
# for the python backend, they are the plain operations; the numba backend's versions
# (numba_rt.py) raise OverflowError instead of wrapping around.

def checked_add(a, b):
    return a + b


def checked_sub(a, b):
    return a - b


def checked_mul(a, b):
    return a * b


def checked_pow(a, b):
    return a ** b


def checked_neg(a):
    return -a


def checked_abs(a):
    return abs(a)


def checked_floordiv(a, b):
    return a // b


def checked_mod(a, b):
    return a % b


def checked_int(x):
    return int(x)


def checked_round(x):
    return round(x)


def checked_floor(x):
    return math.floor(x)


def checked_ceil(x):
    return math.ceil(x)


def checked_trunc(x):
    return math.trunc(x)


def _einsum_sizes(subscripts, operands):
    """The size of each letter of ``subscripts`` (explicit form) over ``operands``; ValueError
    where one letter names axes of different sizes (NumPy would broadcast a size-1 axis; the
    derivatives, shaped by the letters, could not undo that)."""
    inputs = subscripts.partition("->")[0].split(",")
    sizes = {}
    for term, x in zip(inputs, operands):
        for c, n in zip(term, np.shape(x)):
            if sizes.setdefault(c, n) != n:
                raise ValueError(f"np.einsum('{subscripts}'): axis '{c}' has sizes {sizes[c]} "
                                 f"and {n} (broadcasting a size-1 axis is not supported here)")
    return sizes


def einsum(subscripts, *operands):
    """``np.einsum`` with explicit subscripts, the letters' sizes checked first."""
    _einsum_sizes(subscripts, operands)
    return np.einsum(subscripts, *operands)


def einsum_like(subscripts, like, *operands):
    """An array shaped like ``like`` holding ``np.einsum(subscripts, *operands)`` where the
    output subscripts may repeat a letter (the value goes on that diagonal, zeros elsewhere)
    or name a letter no operand has (the value is broadcast along that axis): the cotangent of
    an einsum operand read on a diagonal or summed over an axis of its own."""
    lhs, _, out = subscripts.partition("->")
    result = np.zeros(np.shape(like), np.result_type(*operands))
    distinct = "".join(dict.fromkeys(out))
    target = np.einsum(f"{out}->{distinct}", result) if len(distinct) < len(out) else result
    present = "".join(c for c in distinct if c in lhs)
    value = np.einsum(f"{lhs}->{present}", *operands)
    target[...] = value[tuple(slice(None) if c in present else None for c in distinct)]
    return result
