"""Writes through an index array, ``y[idx] = v``, as the loops NumPy runs: one element (or row)
written per index, in order, so that where an index repeats the last write wins, as in NumPy.
``y[idx] += v`` is ``y[idx] = y[idx] + v`` (desugar.py): the gather reads every element before
any is written, which is NumPy's result too (a repeated index adds once).

The lowering inlines one of these helpers like a user's helper with an output argument, so
both modes, second order and both backends differentiate them as the loops they are."""


def write_each(y, idx, v):
    """``y[idx] = v`` with ``v`` one value (or row) for all the indices."""
    for k in range(idx.shape[0]):
        y[idx[k]] = v


def write_rows(y, idx, v):
    """``y[idx] = v`` with ``v`` holding one value (or row) per index."""
    for k in range(idx.shape[0]):
        y[idx[k]] = v[k]
