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


def write_pairs_each(y, i, j, v):
    """``y[i, j] = v`` of a matrix (``i``, ``j`` index arrays of one length), ``v`` one value
    for all the pairs."""
    for k in range(i.shape[0]):
        y[i[k], j[k]] = v


def write_pairs(y, i, j, v):
    """``y[i, j] = v`` with ``v`` holding one value per pair."""
    for k in range(i.shape[0]):
        y[i[k], j[k]] = v[k]


def write_columns_each(y, idx, v):
    """``y[:, idx] = v`` of a matrix, ``v`` one value for all its elements."""
    for k in range(idx.shape[0]):
        y[:, idx[k]] = v


def write_columns_of_values(y, idx, v):
    """``y[:, idx] = v`` with ``v`` a vector: one value per index (or one for all), down
    each column."""
    for k in range(idx.shape[0]):
        y[:, idx[k]] = v[k if v.shape[0] != 1 else 0]


def write_columns(y, idx, v):
    """``y[:, idx] = v`` with ``v`` a matrix of one column per index (or one for all)."""
    for k in range(idx.shape[0]):
        y[:, idx[k]] = v[:, k if v.shape[1] != 1 else 0]
