"""Gathers of a matrix's columns or elements through an index array (``M[:, idx]``,
``M[i, idx]``, ``M[idx, j]``); writes through an index array, ``y[idx] = v`` and ``y[idx] += v``, with NumPy's values where
indices repeat (the last write wins; ``+=`` adds once), negative indices, rows of a matrix, a
value per index or one broadcast to all; both modes, every argument, second order and both
backends; what stays refused."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

IDX = np.array([0, 2, 2, -1, 1])           # repeated and negative
ROWS = np.array([1, 0, 1])
IDX2 = np.zeros((2, 2), dtype=np.int64)
x = np.linspace(0.3, 1.2, 6)
v = np.array([0.5, -1.0, 0.7, 0.2, 1.5])
M = np.arange(12.0).reshape(4, 3) / 7 - 0.5
R = np.array([[0.3, -0.2, 0.9], [1.1, 0.4, -0.6], [0.2, 0.5, 0.8]])


def set_values(x, v):
    y = np.zeros(5)
    y[IDX] = v * x[:5]
    return np.sum(y * np.arange(5.0))


def add_values(x, v):
    y = x.copy()
    y[IDX] += np.sin(v)                   # NumPy: a repeated index adds once
    return np.sum(y ** 3)


def set_one_value(x, v):
    z = x.copy()
    z[IDX] = 2.0 * v[0]
    return np.sum(np.tanh(z) * x)


def set_rows(M, R):
    A = M.copy()
    A[ROWS] = R * M[0]
    return np.sum(A * np.cos(M))


def add_broadcast_row(M, R):
    A = M * 1.0
    A[ROWS] += R[0]
    return np.sum(A * A)


def in_a_loop(x, v):
    y = np.zeros(6)
    for t in range(3):
        y[IDX] = y[IDX] * 0.5 + v * x[t]
    return np.sum(y * y)


CASES = [(set_values, (x, v)), (add_values, (x, v)), (set_one_value, (x, v)),
         (set_rows, (M, R)), (add_broadcast_row, (M, R)), (in_a_loop, (x, v))]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_values_and_derivatives(fn, args):
    value = ad.value_and_grad(fn, wrt=(0, 1), backend="python")(*args)[0]
    assert value == fn(*args)             # NumPy's value bit for bit, repeats included
    check_grads(fn, args, backend="python")


@pytest.mark.parametrize("fn,args", [CASES[1], CASES[3]], ids=[IDS[1], IDS[3]])
def test_on_numba(fn, args):
    check_grads(fn, args, backend="numba")


@pytest.mark.parametrize("fn,args", [CASES[0], CASES[1], CASES[4]], ids=[IDS[0], IDS[1], IDS[4]])
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def test_inputs_are_not_modified():
    before = x.copy()
    ad.grad(add_values, backend="python")(x, v)
    assert np.array_equal(x, before)


def wrong_length(x, v):
    y = np.zeros(5)
    y[IDX] = v[:3]
    return np.sum(y)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_value_of_the_wrong_length_raises(backend):
    with pytest.raises(ValueError, match="shape mismatch"):
        ad.grad(wrong_length, backend=backend)(x, v)


def matrix_index(x, v):
    y = np.zeros(5)
    y[IDX2] = v[0]
    return np.sum(y)


def through_mask(x, v):
    y = x.copy()
    y[x > 0.5] = v[0]
    return np.sum(y)


@pytest.mark.parametrize("fn,message", [(matrix_index, "2-d int64 index array"),
                                        (through_mask, "boolean mask")])
def test_refused(fn, message):
    with pytest.raises(ad.CompileError) as info:
        ad.grad(fn, backend="python")(x, v)
    assert message in str(info.value) and "test_index_arrays.py" in str(info.value)


def test_source_shows_the_users_line():
    text = ad.source(add_values, args=(x, v))
    assert "# line" in text and "indexed_writes" not in text
    assert "for k in range(idx.shape[0])" not in text


GATHER = np.array([2, 0, 2, -1])
C = np.arange(12.0).reshape(3, 4) / 5 - 1
w = np.array([0.3, -0.5, 1.1])


def gathers(M, x):
    columns = M[:, GATHER]
    from_row = M[1, GATHER]
    from_column = M[GATHER, 2]
    rows = M[GATHER, :]
    return np.sum(np.sin(columns) * x[:, None]) + np.sum(from_row * from_column) + np.sum(rows ** 2)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_gathers_along_either_axis(backend):
    if backend == "python":
        assert ad.value_and_grad(gathers, backend="python")(C, w)[0] == gathers(C, w)
    check_grads(gathers, (C, w), backend=backend)


def test_gathers_second_order():
    check_grads(gathers, (C, w), order=2, backend="python")


ROW_OF = np.array([2, 0, 2, -1, 1, 2])       # pairs (2, 1) and (2, 3) repeat
COL_OF = np.array([1, 3, 1, 0, -2, 3])
PAIRS_X = np.array([0.3, -0.5, 1.1, 0.7])
u = np.array([0.4, -0.8, 1.3, 0.1, -0.2, 0.9])


def paired_gather(M, x):
    picked = M[ROW_OF, COL_OF]            # the elements at the pairs, repeats included
    return np.sum(np.sin(picked) * u) + np.sum(M[GATHER, GATHER[:4] + 1] ** 2) * x[0]


def paired_set(M, x):
    A = M.copy()
    A[ROW_OF, COL_OF] = u * x[1]          # a value per pair; the last write wins
    B = M * 2.0
    B[GATHER[1:], GATHER[:3]] = x[0] * x[2]       # one value for all the pairs
    return np.sum(A * np.cos(M)) + np.sum(B ** 3)


def paired_add(M, x):
    A = M * 1.0
    A[ROW_OF, COL_OF] += np.sin(u * x[0])         # NumPy: a repeated pair adds once
    return np.sum(A ** 3) + np.sum(A[ROW_OF, COL_OF] * M[ROW_OF, COL_OF])


def paired_in_a_loop(M, x):
    A = np.zeros((3, 4))
    for t in range(3):
        A[ROW_OF, COL_OF] = A[ROW_OF, COL_OF] * x[t] + M[COL_OF % 3, ROW_OF + 1]
    return np.sum(A * A)


PAIRED = [paired_gather, paired_set, paired_add, paired_in_a_loop]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", PAIRED, ids=[f.__name__ for f in PAIRED])
def test_paired_index_arrays(fn, backend):
    value = ad.value_and_grad(fn, wrt=(0, 1), backend=backend)(C, PAIRS_X)[0]
    if backend == "python":
        assert value == fn(C, PAIRS_X)    # NumPy's value bit for bit, repeated pairs included
    else:
        assert value == pytest.approx(fn(C, PAIRS_X), rel=1e-12)
    check_grads(fn, (C, PAIRS_X), backend=backend)


@pytest.mark.parametrize("backend", ["python", pytest.param("numba", marks=pytest.mark.numba_sample)])
@pytest.mark.parametrize("fn", PAIRED, ids=[f.__name__ for f in PAIRED])
def test_paired_index_arrays_second_order(fn, backend):
    check_grads(fn, (C, PAIRS_X), order=2, backend=backend)


def paired_lengths_differ(M, x):
    return np.sum(M[GATHER, GATHER[:3]])


def paired_write_lengths_differ(M, x):
    A = M.copy()
    A[GATHER, GATHER[:3]] = x[0]
    return np.sum(A)


def paired_value_of_the_wrong_length(M, x):
    A = M.copy()
    A[ROW_OF, COL_OF] = x
    return np.sum(A)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", [paired_lengths_differ, paired_write_lengths_differ,
                                paired_value_of_the_wrong_length])
def test_paired_shape_mismatch_raises(fn, backend):
    with pytest.raises(ValueError, match="shape mismatch"):
        ad.grad(fn, backend=backend)(C, PAIRS_X)
    with pytest.raises(ValueError, match="shape mismatch"):
        ad.jvp(fn, (C, PAIRS_X), (C, PAIRS_X), backend=backend)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_paired_index_out_of_bounds_raises(backend):
    with pytest.raises(IndexError):
        ad.grad(paired_gather, backend=backend)(C[:2], PAIRS_X)


def paired_rows_of_a_3d_array(M, x):
    T = np.stack([M, M * x[0]])
    return np.sum(np.sin(T[GATHER[:2] % 2, GATHER[:2]]) * x[0])


def paired_rows_of_a_transposed_3d_array(M, x):
    """Pairs repeating and negative, of a non-contiguous 3-d array, with the last axis spelled."""
    T = np.stack([M.T, M.T * x[0], M.T * x[1]])[:, :, ::2]      # (3, 4, 2), strided
    rows = T[ROW_OF, COL_OF, :]
    return np.sum(rows * rows * x[:2]) + np.sum(T[ROW_OF[:2], COL_OF[:2]][1])


def paired_rows_out_of_bounds(M, x):
    T = np.stack([M, M * x[0]])
    return np.sum(T[np.array([0, 2]), np.array([1, 1])])


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", [paired_rows_of_a_3d_array, paired_rows_of_a_transposed_3d_array])
def test_paired_index_arrays_of_a_3d_array(fn, backend):
    if backend == "python":         # Numba's np.sum adds in another order than NumPy's
        assert ad.value_and_grad(fn, backend=backend)(C, w)[0] == fn(C, w)
    check_grads(fn, (C, w), order=2 if backend == "python" else 1, backend=backend)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_paired_rows_out_of_bounds_raise(backend):
    with pytest.raises(IndexError):
        ad.grad(paired_rows_out_of_bounds, backend=backend)(C, w)


SHIFTED = np.array([9, 8, 7, 4, 5, 6])    # valid only once shifted: SHIFTED - 4


def indices_computed_in_a_loop(x, v):
    y = np.zeros(6)
    for t in range(3):
        y[IDX] = y[IDX] * v[t] + x[SHIFTED[:5] - 4]
    return np.sum(y * y)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_indices_computed_in_a_loop(backend):
    """The reverse sweep recomputes a gather for its shape with the indices' values (once a
    stand-in of the same shape, SHIFTED itself, was read: an IndexError, or on Numba a read
    out of bounds)."""
    check_grads(indices_computed_in_a_loop, (x, v), backend=backend)
    check_grads(indices_computed_in_a_loop, (x, v), order=2, backend="python")


T3 = np.arange(24.0).reshape(2, 3, 4) / 9 - 1


def gathers_of_a_3d_array(T, x):
    middle = T[:, GATHER[:3]]                      # (2, 3, 4): the middle axis
    middle_too = T[:, GATHER[1:], :]
    last = T[:, :, GATHER]
    first = T[GATHER % 2, :, :]
    row = T[1, GATHER[:3]]                         # integers next to the index array: in place
    col = T[:, 1, GATHER]
    elems = T[0, 2, GATHER] * T[0, GATHER[:3], 1].sum() + T[GATHER % 2, 1, 1]
    apart = T[1, :, GATHER]                        # an integer, a slice, the index array:
    apart_too = T[GATHER % 2, :, 2]                # NumPy puts the gathered axis first
    return (np.sum(np.sin(middle) * x) + np.sum(middle_too * middle ** 2) + np.sum(last ** 3)
            + np.sum(np.cos(first)) + np.sum(row * x[0]) + np.sum(col ** 2) + np.sum(elems)
            + np.sum(apart * apart_too) + np.sum(T[:, GATHER[:3], 3] * x[1, :, 0]))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_gathers_of_a_3d_array(backend):
    weights = np.linspace(0.5, 1.5, 24).reshape(2, 3, 4)
    value = ad.value_and_grad(gathers_of_a_3d_array, backend=backend)(T3, weights)[0]
    assert value == pytest.approx(gathers_of_a_3d_array(T3, weights), rel=1e-13)
    check_grads(gathers_of_a_3d_array, (T3, weights), backend=backend)


# second order on Numba: a compile of minutes (the Hessian's code is 500 lines of 3-d array
# expressions), under make test-all only
@pytest.mark.parametrize("backend", ["python", pytest.param("numba", marks=pytest.mark.numba_slow)])
def test_gathers_of_a_3d_array_second_order(backend):
    weights = np.linspace(0.5, 1.5, 24).reshape(2, 3, 4)
    check_grads(gathers_of_a_3d_array, (T3, weights), order=2, backend=backend)


def columns_written(M, v):
    """M[:, idx] = v with a matrix of columns, a vector of values, a number, and +=; the
    index 0 repeats (the last write wins; += adds once)."""
    A = M * 1.0
    A[:, COLUMNS] = v * A[:, :4]
    B = M * 2.0
    B[:, COLUMNS] = v * 2.0
    B[:, COLUMNS[:2]] = 0.5
    B[:, COLUMNS] += np.sin(B[:, :4])
    return np.sum(A * A) + np.sum(B * B * M)


COLUMNS = np.array([2, 0, 3, 0])
COLUMN_ARGS = (np.arange(15.0).reshape(3, 5) / 10, np.linspace(0.5, 1.0, 4))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_writes_into_columns(backend):
    value = ad.value_and_grad(columns_written, backend=backend)(*COLUMN_ARGS)[0]
    assert value == pytest.approx(columns_written(*COLUMN_ARGS), rel=1e-14)
    check_grads(columns_written, COLUMN_ARGS, backend=backend)
    if backend == "python":
        assert value == columns_written(*COLUMN_ARGS)
        check_grads(columns_written, COLUMN_ARGS, order=2, backend=backend)


def one_value_per_column(M, v):
    A = M * 1.0
    A[:, COLUMNS] = v
    return np.sum(A * A)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_writes_into_columns_check_the_shape_as_numpy(backend):
    with pytest.raises(ValueError):
        one_value_per_column(COLUMN_ARGS[0], np.ones(3))
    with pytest.raises(ValueError, match="shape mismatch"):
        ad.grad(one_value_per_column, backend=backend)(COLUMN_ARGS[0], np.ones(3))
    check_grads(one_value_per_column, (COLUMN_ARGS[0], np.ones(1)), backend=backend)


def gathers_beside_a_slice(M, x):
    """A partial slice on the other axis: ``M[1:, idx]`` is ``M[1:][:, idx]``, ``M[idx, ::2]``
    is ``M[idx][:, ::2]`` (NumPy keeps the gathered axis in place)."""
    below = M[1:, GATHER]
    every_other = M[GATHER, ::2]
    backwards = M[::-1, GATHER]
    return np.sum(np.sin(below) * x[1:, None]) + np.sum(every_other ** 2) + \
        np.sum(backwards * below[0])


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_gathers_beside_a_partial_slice(backend):
    assert ad.value_and_grad(gathers_beside_a_slice, backend=backend)(C, w)[0] == \
        gathers_beside_a_slice(C, w)
    check_grads(gathers_beside_a_slice, (C, w), order=2 if backend == "python" else 1,
                backend=backend)


TABLE = np.array([[0, 2, 2], [-1, 1, 0]])                  # repeated and negative


def gathers_through_index_arrays_of_more_dimensions(M, x):
    """``x[idx]`` with ``idx`` 2-d or 4-d: the elements (or rows) in ``idx``'s shape."""
    pairs = x[TABLE]                                        # (2, 3)
    rows = M[TABLE]                                         # (2, 3, 4)
    deep = x[TABLE.reshape(1, 2, 3, 1)]                     # (1, 2, 3, 1)
    return np.sum(np.sin(pairs) * pairs[::-1]) + np.sum(rows[1] * rows[0]) + \
        np.sum(deep[0, 1] ** 3)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_gathers_through_index_arrays_of_more_dimensions(backend):
    fn = gathers_through_index_arrays_of_more_dimensions
    if backend == "python":
        assert ad.value_and_grad(fn, backend=backend)(C, w)[0] == fn(C, w)
    check_grads(fn, (C, w), order=2 if backend == "python" else 1, backend=backend)


def gather_of_five_dimensions(M, x):
    return np.sum(M[TABLE.reshape(1, 1, 2, 3)])


def test_a_gather_of_more_than_four_dimensions_is_refused():
    with pytest.raises(ad.CompileError, match="up to 4 dimensions") as info:
        ad.grad(gather_of_five_dimensions)(C, w)
    assert "test_index_arrays.py" in str(info.value)
