"""Runtime helpers called by generated code. Plain functions; ``numba_rt`` compiles them."""
import math

import numpy as np


def trip_count(start, stop, step):
    """Number of iterations of ``range(start, stop, step)``."""
    if step > 0:
        n = (stop - start + step - 1) // step
    else:
        n = (start - stop - step - 1) // (-step)
    return n if n > 0 else 0


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


def fill_like(x, value):
    """An array of ``x``'s shape (float dtype) filled with ``value``."""
    return np.full(x.shape, value, np.float64)


def expand_axis(g, x, axis):
    """Cotangent of ``np.sum(x, axis)``: ``g`` repeated along ``axis`` (negative axes too)."""
    out = np.empty(x.shape, np.float64)
    out[...] = np.expand_dims(g, axis % x.ndim)
    return out


def onehot_argmax(x, g):
    out = np.zeros(x.shape, np.float64)
    out.reshape(-1)[np.argmax(x)] = g
    return out


def onehot_argmin(x, g):
    out = np.zeros(x.shape, np.float64)
    out.reshape(-1)[np.argmin(x)] = g
    return out


def at_argmax(d, x):
    return np.ascontiguousarray(d).reshape(-1)[np.argmax(x)]


def at_argmin(d, x):
    return np.ascontiguousarray(d).reshape(-1)[np.argmin(x)]


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


def reshape_like(g, x):
    """Cotangent of a reshape: ``g`` back in ``x``'s shape."""
    return np.ascontiguousarray(g).reshape(x.shape)


def push_array(tape, top, x):
    """Save array ``x`` on a float64 tape: its elements, then its shape."""
    flat = np.ascontiguousarray(x).reshape(-1)
    size = flat.shape[0]
    end = top + size + x.ndim
    if end > tape.shape[0]:              # grow by doubling (as ``reserve``)
        grown = np.empty(max(end, 2 * tape.shape[0]), tape.dtype)
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
