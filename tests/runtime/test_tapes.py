"""The tape helpers of both runtimes: arrays pushed and popped whole, and the room reserved
for a loop nest's pushes once the first array's size is known."""
import warnings

import numba
import numpy as np
import pytest

from adcompiler.runtime import helpers, numba_rt


@numba.njit
def _compiled_push(tape, top, x, pushes):
    # numba_rt.push_array is an overload: compiled code gets its own implementation
    if pushes == 0:
        return numba_rt.push_array(tape, top, x)
    return numba_rt.push_array(tape, top, x, pushes)


def _python_push(tape, top, x, pushes):
    if pushes == 0:
        return helpers.push_array(tape, top, x)
    return helpers.push_array(tape, top, x, pushes)


PUSHES = [_python_push, _compiled_push]


@pytest.mark.parametrize("push", PUSHES, ids=["python", "numba"])
def test_the_first_push_reserves_room_for_all_of_them(push):
    tape, top = np.empty(0), 0
    tape, top = push(tape, top, np.arange(3.0), 5)
    assert top == 4 and tape.shape[0] == 5 * 4
    room = tape
    for k in range(4):
        tape, top = push(tape, top, np.arange(3.0) + k, 5)
    assert tape.shape == room.shape and np.shares_memory(tape, room)     # not grown
    assert top == 20
    tape, top = push(tape, top, np.ones((2, 2)).ravel(), 5)      # past the room: it grows
    assert top == 25 and tape.shape[0] >= 25
    popped, top = helpers.pop_array1(tape, top)
    assert popped.tolist() == [1.0] * 4
    for k in range(3, -1, -1):
        popped, top = numba_rt.pop_array1(tape, top)
        assert popped.tolist() == (np.arange(3.0) + k).tolist()


@pytest.mark.parametrize("push", PUSHES, ids=["python", "numba"])
def test_without_a_count_the_tape_doubles(push):
    tape, top = np.empty(0), 0
    sizes = []
    for k in range(6):
        tape, top = push(tape, top, np.full(3, float(k)), 0)
        sizes.append(tape.shape[0])
    assert sizes == [4, 8, 16, 16, 32, 32]


@numba.njit
def _compiled_push_2d(tape, top, x):
    return numba_rt.push_array(tape, top, x, 3)


def test_a_matrix_and_a_strided_view_are_saved_with_their_shape():
    x = np.arange(12.0).reshape(3, 4)
    tape, top = _compiled_push_2d(np.empty(0), 0, x)
    tape, top = _compiled_push_2d(tape, top, x[:, ::2])
    assert tape.shape[0] == 3 * (12 + 2)          # three of the first size
    popped, top = numba_rt.pop_array2(tape, top)
    assert np.array_equal(popped, x[:, ::2])
    popped, top = numba_rt.pop_array2(tape, top)
    assert np.array_equal(popped, x) and top == 0


def test_the_inlined_push_compiles_without_warnings(tmp_path):
    """Numba's inliner warns (NumbaIRAssumptionWarning) where an inlined helper rebinds an
    argument; the GMM gradient, compiled afresh, pushes arrays in a loop nest."""
    import adcompiler as ad
    from adcompiler.codegen import module
    from ..transforms.test_reverse_costs import w
    module.set_cache_dir(tmp_path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", numba.core.errors.NumbaIRAssumptionWarning)
            ad.grad(w.gmm_objective, wrt=(0, 1, 2))(*w.gmm_data(3, 2, 4))
    finally:
        module.set_cache_dir(None)
