"""Arrays carried by loops (saved whole on a tape) and in-place writes inside loops (of
elements, slices and rows), in both modes and on both backends, and the located errors for
writes whose meaning depends on aliasing or that are not supported."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

from ..rules.test_array_rules import numerical_gradient
from . import array_programs as ap

rng = np.random.default_rng(42)
CASES = [
    (ap.heat, (rng.normal(size=6), 0.2, 5)),
    (ap.overwrite_many_times, (rng.normal(size=4), 0.7)),
    (ap.write_into_parameter, (rng.normal(size=3),)),
    (ap.write_in_branch, (rng.normal(size=3), 0.5)),
    (ap.write_in_branch, (rng.normal(size=3), -0.5)),
    (ap.running_max, (rng.normal(size=7),)),
    (ap.horner, (rng.normal(size=4), rng.normal(size=5))),
    (ap.carried_matrix, (0.3 * rng.normal(size=(3, 3)), rng.normal(size=3))),
    (ap.carried_matrix, (-np.abs(rng.normal(size=(3, 3))), rng.normal(size=3))),
    (ap.while_array, (rng.normal(size=4),)),
    (ap.alias_then_write, (rng.normal(size=3),)),     # z = y: the write is seen through y
]


def float_positions(args):
    return tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))


def pure(fn):
    """fn on copies of its arguments (the finite differences must not see writes)."""
    return lambda *args: fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_writes_in_both_modes(fn, args, backend):
    originals = [np.copy(a) for a in args]
    wrt = float_positions(args)
    grads = ad.grad(fn, wrt=wrt, backend=backend)(*args)
    for k, i in enumerate(wrt):
        expected = numerical_gradient(pure(fn), args, i)
        np.testing.assert_allclose(grads[k], expected, rtol=1e-6, atol=1e-8)
        direction = [np.zeros_like(a) if isinstance(a, np.ndarray) else (0.0 if isinstance(a, float) else 0)
                     for a in args]
        direction[i] = rng.normal(size=np.shape(args[i])) if np.ndim(args[i]) else 1.0
        out, tangent = ad.jvp(fn, args, direction, backend=backend)
        assert out == pytest.approx(pure(fn)(*args), rel=1e-12)
        assert tangent == pytest.approx(float(np.sum(expected * direction[i])), rel=1e-6, abs=1e-8)
    for a, o in zip(args, originals):
        np.testing.assert_array_equal(a, o)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_array_output_of_written_array(backend):
    x = rng.normal(size=5)
    out, back = ad.vjp(ap.returns_written_array, x, backend=backend)
    np.testing.assert_allclose(out, pure(ap.returns_written_array)(x))
    ybar = rng.normal(size=5)
    (bx,) = back(ybar)
    jac = np.stack([numerical_gradient(lambda v: pure(ap.returns_written_array)(v)[j], (x,), 0)
                    for j in range(5)])
    np.testing.assert_allclose(bx, jac.T @ ybar, rtol=1e-6, atol=1e-8)
    xdot = rng.normal(size=5)
    _, jx = ad.jvp(ap.returns_written_array, (x,), (xdot,), backend=backend)
    np.testing.assert_allclose(jx, jac @ xdot, rtol=1e-6, atol=1e-8)
    with pytest.raises(ad.CompileError, match="vjp"):
        ad.grad(ap.returns_written_array, backend=backend)(x)


def _line_of(fn, text):
    import inspect
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, l in enumerate(lines) if text in l)


@pytest.mark.parametrize("fn,args,line_text,message", [
    (ap.write_into_view, (np.ones((2, 2)),), "r[0, 0] = 1.0", "view"),
    (ap.row_into_column, (np.ones((3, 3)), 0.5), "b[:, -1] = b[1, :]", "view of it along other axes"),
    (ap.write_into_chosen_array, (np.ones(3), 1.0), "y[0] = 3.0", "several arrays"),
])
def test_ambiguous_writes_are_located_errors(fn, args, line_text, message):
    with pytest.raises(ad.CompileError) as info:
        ad.grad(fn, backend="python")(*args)
    text = str(info.value)
    assert message in text
    assert f"array_programs.py:{_line_of(fn, line_text)}" in text


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_helper_writes_into_the_callers_array(backend):
    # y[0] is 0.0 after the call, as in Python: the helper wrote into y
    x = np.array([1.0, 2.0, 3.0])
    value, grad = ad.value_and_grad(ap.calls_writing_helper, backend=backend)(x)
    assert value == ap.calls_writing_helper(x.copy()) == 2.0
    assert np.array_equal(grad, [0.0, 1.0, 0.0])


SLICE_CASES = [
    (ap.heat_in_place, (rng.normal(size=7), 0.2, 6)),
    (ap.slice_write_scalar, (rng.normal(size=5), 0.7)),
    (ap.strided_and_reversed_writes, (rng.normal(size=6), 0.6)),
    (ap.row_into_block, (rng.normal(size=(3, 4)), rng.normal(size=4))),
    (ap.size1_broadcast_write, (rng.normal(size=(2, 4)), rng.normal(size=(1, 4)))),
    (ap.rows_in_a_loop, (rng.normal(size=(3, 4)), rng.normal(size=3))),
    (ap.columns_in_a_loop, (rng.normal(size=(3, 4)), 0.8)),
    (ap.shift_into_itself, (rng.normal(size=4), 0.9)),
    (ap.slice_write_while, (rng.normal(size=4), 0.3)),
    (ap.slice_write_in_branch, (rng.normal(size=4), 0.1)),
    (ap.slice_write_in_branch, (rng.normal(size=4), -0.2)),
    (ap.moving_window, (rng.normal(size=4), 0.5)),
    (ap.slice_write_into_parameter, (rng.normal(size=5), 2, 5)),
]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", SLICE_CASES,
                         ids=[f"{c[0].__name__}{i}" for i, c in enumerate(SLICE_CASES)])
def test_slice_writes_in_both_modes(fn, args, backend):
    check_grads(fn, args, backend=backend)      # also checks that the inputs are unmodified


@pytest.mark.parametrize("fn,args", [(ap.heat_in_place, (rng.normal(size=5), 0.2, 3)),
                                     (ap.row_into_block, (rng.normal(size=(3, 4)), rng.normal(size=4))),
                                     (ap.shift_into_itself, (rng.normal(size=4), 0.9))])
def test_slice_writes_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def test_slice_write_tapes_only_the_slice(monkeypatch):
    """Each time step of the in-place heat equation saves arrays of the written slice's size
    (the overwritten elements and one intermediate), never the whole array."""
    from adcompiler.runtime import python_rt
    sizes = []
    push = python_rt.push_array

    def recording_push(tape, top, x, *pushes):
        sizes.append(x.size)
        return push(tape, top, x, *pushes)

    monkeypatch.setattr(python_rt, "push_array", recording_push)
    n, steps = 40, 9
    ad.grad(ap.heat_in_place, wrt=(0, 1), backend="python")(rng.normal(size=n), 0.2, steps)
    assert sizes and set(sizes) == {n - 2}
    assert len(sizes) <= 2 * steps


@pytest.mark.parametrize("fn,args,line_text,message", [
    (ap.write_through_mask, (np.ones(3),), "y[x > 0.0] = 0.0", "writes through a boolean mask"),
    (ap.write_through_slice_view, (np.ones(4),), "r[0:2] = 1.0", "view"),
    (ap.write_matrix_into_row, (np.ones((2, 2)),), "z[0] = a * 2.0", "2-d array into a 1-d slice"),
    (ap.write_array_into_element, (np.ones(3),), "y[0] = x * 2.0", "into one element"),
    (ap.write_through_2d_index_array, (np.ones(3), np.array([[0, 2]])), "y[idx] = 0.0",
     "writes through a 2-d int64 index array"),
    (ap.write_with_newaxis, (np.ones(3),), "y[None, 1:] = 2.0", "np.newaxis"),
])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_unsupported_writes_are_located_errors(fn, args, line_text, message, mode):
    with pytest.raises(ad.CompileError) as info:
        if mode == "reverse":
            ad.grad(fn, backend="python")(*args)
        else:
            ad.jvp(fn, args, tuple(np.zeros_like(a) if a.dtype.kind == "i" else np.ones_like(a)
                                   for a in args), backend="python")
    text = str(info.value)
    assert message in text
    assert f"array_programs.py:{_line_of(fn, line_text)}" in text


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_overlapping_shifts_are_numpys(backend):
    x = np.arange(16.0).reshape(4, 4) / 16.0
    check_grads(ap.shifts_along_the_same_axes, (x, 0.7), backend=backend)
    value = ad.value_and_grad(ap.shifts_along_the_same_axes, backend=backend)(x, 0.7)[0]
    assert value == pytest.approx(ap.shifts_along_the_same_axes(x, 0.7), rel=1e-15)


# -- double buffering by swapping: each iteration writes a copy of the carried array ----------
def swap_seen_through_another_name(x, s):
    a = x.copy()
    b = x * 2.0
    first = b
    for t in range(s):
        for i in range(x.shape[0]):
            b[i] = a[i] + 1.0
        a, b = b, a
    return np.sum(first * a)


@pytest.mark.parametrize("order", [1, 2])
def test_swapped_buffers_second_order(order):
    from ..corpus import array_functions as af
    check_grads(af.heat_swap_buffers, (rng.normal(size=6), 0.2, 3), order=order,
                backend="python")
    check_grads(af.swap_keeping_stale_entries, (rng.uniform(0.5, 1.0, 4), 3), order=order,
                backend="python")


def test_swapped_buffers_copy_the_written_one_once_per_step():
    from ..corpus import array_functions as af
    src = ad.source(af.heat_swap_buffers, args=(rng.normal(size=6), 0.2, 3), backend="python")
    loop = src[src.index("    for "):src.index("# adjoint of")]
    assert loop.count(".copy()") == 1, src
    # the primal's values bit for bit, on both backends
    args = (rng.normal(size=6), 0.2, 3)
    for backend in ("python", "numba"):
        assert ad.value_and_grad(af.heat_swap_buffers, backend=backend)(*args)[0] == \
            af.heat_swap_buffers(*args)


def test_a_swapped_buffer_another_name_sees_is_refused():
    # writing into a copy would hide the writes from 'first': the refusal stands
    with pytest.raises(ad.CompileError, match="'b' and 'first' are one array before this loop"):
        ad.grad(swap_seen_through_another_name, backend="python")(np.ones(3), 2)


def swap_seen_by_a_carried_name(x, s):
    a = x * 1.0
    b = np.zeros(2)
    old = np.zeros(2)
    total = 0.0
    for t in range(s):
        b[0] = a[0] + 1.0      # at t = 1, b is the array 'old' holds
        total = total + old[0]
        old = a
        a, b = b, a
    return total


def test_a_swapped_buffer_a_carried_name_sees_is_refused():
    # 'old' carries last step's 'a', which is this step's 'b': a copy of b would hide the write
    with pytest.raises(ad.CompileError, match="writes into array 'b' and also replaces it"):
        ad.value_and_grad(swap_seen_by_a_carried_name, backend="python")(np.array([0.5, 0.0]), 2)
