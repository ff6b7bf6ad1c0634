"""What the reverse sweep costs, read off the generated code: no whole-array copy inside a loop
body that the primal does not make, and a time loop that saves one state per step (no scalar
per cell, no restores of arrays nothing reads)."""
import ast
import inspect
import os
import sys
import textwrap

import numpy as np
import pytest

import adcompiler as ad

from ..corpus import array_functions as af

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                     "benchmarks")
sys.path.insert(0, BENCH)
import workloads as w  # noqa: E402

# whole adjoint arrays still copied once per iteration: the adjoint of a carried array that
# two carried values share, or that a branch or tuple passes on unchanged (not yet owned)
STILL_COPIED = {
    "out_tuple_loop": "the carried adjoint of a tuple element is not known to be owned",
    "poly_powers": "a carried adjoint passed through a branch is not known to be owned",
    "gradient_descent": "the adjoint of a matrix product's argument is a view (w.T)",
    "euler_oscillator": "the adjoint of np.array([...]) elements is not known to be owned",
    "heat_slice_write": "the state copied by the primal (u.copy()) has its adjoint copied",
    "heat_swap_buffers": "a carried array written and then replaced is copied at the start of "
                         "each iteration (lower_loop's renewal; the primal swaps two buffers)",
    "swap_keeping_stale_entries": "as heat_swap_buffers",
    "write_then_replace": "as heat_swap_buffers",
    "ode_solve": "two stages share one new cotangent, copied once per step for the stage loop "
                 "that updates it in place (the primal allocates four stages per step)",
}


def whole_array_copies_in_loops(tree):
    """``name.copy()`` calls inside for/while bodies (a slice's copy, ``y[1:].copy()``, is
    proportional to what the primal writes and is not counted)."""
    found = []

    def visit(node, depth):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call) and depth > 0 and isinstance(child.func, ast.Attribute) \
                    and child.func.attr == "copy" and isinstance(child.func.value, ast.Name):
                found.append(child.func.value.id)
            visit(child, depth + isinstance(child, (ast.For, ast.While)))

    visit(tree, 0)
    return found


def _float_positions(args):
    return tuple(i for i, a in enumerate(args)
                 if isinstance(a, float) or (isinstance(a, np.ndarray) and a.dtype.kind == "f"))


WORKLOADS = [(w.reaction_diffusion, w.reaction_diffusion_data(6, 3)),
             (w.gmm_objective, w.gmm_data(3, 2, 4)), (w.ode_solve, w.ode_data(4, 3)),
             (w.lstm_objective, w.lstm_data(2, 3, 4))]
CASES = [(fn, args) for fn, args in af.CASES + WORKLOADS if _float_positions(args)]


@pytest.mark.parametrize("fn,args", [
    pytest.param(fn, args, id=fn.__name__, marks=[pytest.mark.xfail(
        strict=True, reason=STILL_COPIED[fn.__name__])] if fn.__name__ in STILL_COPIED else [])
    for fn, args in CASES])
def test_no_whole_array_copy_in_a_loop_that_the_primal_does_not_make(fn, args):
    try:
        source = ad.source(fn, mode="reverse", wrt=_float_positions(args), args=args,
                           backend="python")
    except ad.CompileError:
        pytest.skip("refused (tested with the corpus)")
    primal = whole_array_copies_in_loops(ast.parse(textwrap.dedent(inspect.getsource(fn))))
    generated = whole_array_copies_in_loops(ast.parse(source))
    # the forward sweep makes the primal's own copies again
    assert len(generated) <= len(primal), (generated, source)


def _loops(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.For, ast.While))]


def _runs_backwards(loop):
    """A reverse sweep's loop: over a counter ``_``, or over the primal's indices backwards
    (``range(first, stop, -1)``)."""
    if loop.target.id.startswith("_"):
        return True
    bounds = loop.iter.args
    return len(bounds) == 3 and isinstance(bounds[2], ast.UnaryOp) and \
        isinstance(bounds[2].op, ast.USub)


def test_a_time_step_saves_its_state_once_and_nothing_per_cell():
    args = w.reaction_diffusion_data(8, 3)
    source = ad.source(w.reaction_diffusion, mode="reverse", wrt=(0, 1), args=args,
                       backend="python")
    tree = ast.parse(source)
    forward_time_loop = _loops(tree)[0]
    cell_loop = _loops(forward_time_loop)[1]
    pushes = [n for n in ast.walk(cell_loop) if isinstance(n, ast.Subscript)
              and isinstance(n.value, ast.Name) and n.value.id.startswith("tape_")]
    assert pushes == [], source
    saved = [n for n in ast.walk(forward_time_loop) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute) and n.func.attr == "push_array"]
    assert len(saved) == 1, source         # the state u, once per step
    assert "restore" not in source and "old" not in source, source
    for order in (1, 2):
        ad.testing.check_grads(w.reaction_diffusion, args, order=order, positions=(0, 1),
                               backend="python")
    ad.testing.check_grads(w.reaction_diffusion, args, positions=(0, 1), backend="numba")


def _tape_pushes(node):
    return [n for n in ast.walk(node) if isinstance(n, ast.Subscript)
            and isinstance(n.value, ast.Name) and n.value.id.startswith("tape_")
            and isinstance(n.ctx, ast.Store)]


def test_a_packed_triangle_loop_tapes_nothing_per_element():
    """GMM's inner loop ``qx[row] += icf[k, idx] * xc[col]; idx += 1``: ``xc`` is recomputed
    once per component, ``idx`` is an induction variable (its value at entry plus the
    iteration number), the overwritten ``qx[row]`` is never needed again (nothing earlier in
    the reverse sweep reads qx's restored elements), and the cotangent reset and re-add of
    the increment cancel."""
    args = w.gmm_data(3, 2, 4)
    source = ad.source(w.gmm_objective, mode="reverse", wrt=(0, 1, 2), args=args,
                       backend="python")
    tree = ast.parse(source)
    forward_row_loop, = [n for n in _loops(tree) if n.target.id == "row"]
    assert _tape_pushes(forward_row_loop) == [], source
    assert "tape_old" not in source and "restore" not in source, source
    innermost_reverse = [n for n in _loops(tree) if _runs_backwards(n) and len(_loops(n)) == 1]
    assert innermost_reverse, source
    resets = [n for loop in innermost_reverse for n in ast.walk(loop)
              if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
              and n.value.value == 0.0]
    assert resets == [], source
    for order in (1, 2):
        ad.testing.check_grads(gmm_with_fixed_prior, args[:4], order=order, backend="python")
    ad.testing.check_grads(gmm_with_fixed_prior, args[:4], backend="numba")


def gmm_with_fixed_prior(alphas, means, icf, x):
    """The GMM objective with its prior's parameters fixed (its constant calls math.lgamma,
    which has no derivative rule)."""
    return w.gmm_objective(alphas, means, icf, x, 1.0, 0)


def induction_in_a_branch(x, n):
    """An index that steps by 2 in a loop whose body also branches on it."""
    s = 0.0
    j = 1
    for i in range(n):
        if j % 3 == 0:
            s += x[j] * x[i]
        else:
            s -= x[j] * x[j]
        j += 2
    return s


def test_an_induction_variable_is_recomputed_not_taped():
    args = (np.linspace(0.1, 1.7, 13), 6)
    source = ad.source(induction_in_a_branch, mode="reverse", wrt=0, args=args, backend="python")
    assert "tape_j" not in source, source
    for order in (1, 2):
        ad.testing.check_grads(induction_in_a_branch, args, order=order, positions=(0,),
                               backend="python")
    ad.testing.check_grads(induction_in_a_branch, args, positions=(0,), backend="numba")


def reads_restored_elements_later(x, n):
    """The reverse sweep of the first loop needs the elements the second loop overwrote."""
    y = x.copy()
    s = 0.0
    for i in range(n):
        s += y[i] * y[i]
    for i in range(n):
        y[i] = np.sin(y[i])
    for i in range(n):
        s += y[i] * x[i]
    return s


def test_restores_that_an_earlier_adjoint_needs_stay():
    args = (np.linspace(0.2, 1.3, 5), 5)
    for order in (1, 2):
        ad.testing.check_grads(reads_restored_elements_later, args, order=order,
                               positions=(0,), backend="python")
    ad.testing.check_grads(reads_restored_elements_later, args, positions=(0,), backend="numba")


def test_the_reverse_sweep_saves_transcendentals_instead_of_recomputing_them():
    """An LSTM cell's gates (exp, tanh) are saved by the forward sweep; the reverse sweep
    recomputes only cheap arithmetic, and a shape it needs (to sum a cotangent back) comes
    from a stand-in, not from recomputing the values."""
    args = w.lstm_data(2, 3, 4)
    source = ad.source(w.lstm_objective, mode="reverse", wrt=(0, 1, 2), args=args,
                       backend="python")
    reverse_sweep = "\n".join(line for line in source[source.index("# adjoint of"):].splitlines()
                              if not line.lstrip().startswith("#"))
    calls = [name for name in ("np.exp(", "np.tanh(", "math.exp(") if name in reverse_sweep]
    assert calls == [], source
    # (Numba runs the same tapes on GMM above; its compile of the LSTM is the slowest)
    for order in (1, 2):
        ad.testing.check_grads(w.lstm_objective, args, order=order, positions=(0, 1, 2),
                               backend="python")


def exp_of_a_4d_array_in_a_loop(x, n):
    s = 0.0
    for i in range(n):
        y = np.exp(x * (i + 1.0) * 0.1)
        s += np.sum(y * y)
    return s


def test_a_costly_array_of_4_dimensions_is_recomputed_not_refused():
    """Tapes hold arrays of up to 3 dimensions: the cost model saves a costly result only
    then, and recomputes a 4-d one as before (not a CompileError)."""
    args = (np.linspace(0.1, 0.5, 16).reshape(2, 2, 2, 2), 3)
    for order in (1, 2):
        ad.testing.check_grads(exp_of_a_4d_array_in_a_loop, args, order=order,
                               positions=(0,), backend="python")


def copied_each_step(u0, kappa):
    u = u0.copy()
    n = u.shape[0]
    for t in range(3):
        new = u.copy()
        for i in range(1, n - 1):
            new[i] = u[i] + kappa * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u = new
    return np.sum(u * u)


def test_the_tangent_of_a_copy_in_a_loop_is_copied_once():
    """Forward mode: the primal's copy per step and its tangent's, not a second copy of the
    tangent for the loop that writes into it."""
    source = ad.source(copied_each_step, mode="forward", args=(np.ones(5), 0.1), backend="python")
    loop = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.For))
    copies = [c for c in ast.walk(loop) if isinstance(c, ast.Call) and isinstance(
        c.func, ast.Attribute) and c.func.attr == "copy"]
    assert len(copies) == 2, source


def _saved_arrays(source):
    return [n.args[2].id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and n.func.attr == "push_array"]


def stage_read_for_its_shape(x, s):
    y = np.zeros(len(x))
    for step in range(s):
        k = np.empty(len(y))
        for i in range(len(y)):
            k[i] = x[i] * y[i] + 1.0
        y = y + 0.1 * k + x
    return np.sum(y * y)


def test_values_a_rule_does_not_read_are_not_saved():
    # the adjoint of y + 0.1 * k reads neither operand's value, only their shapes: k (a buffer
    # made in the loop) is not saved, the state y (read by the adjoint of x[i] * y[i]) is
    args = (np.array([0.3, -0.2, 0.5]), 3)
    source = ad.source(stage_read_for_its_shape, args=args, backend="python")
    assert len(_saved_arrays(source)) == 1, source
    ad.testing.check_grads(stage_read_for_its_shape, args, positions=(0,), backend="python")
    ad.testing.check_grads(stage_read_for_its_shape, args, positions=(0,), backend="numba")


def test_rk4_saves_the_state_alone_and_makes_its_stages_again():
    # k4 is read only for its shape (k1 + 2 k2 + 2 k3 + k4); k1, k2 and k3, each made by
    # np.empty and a loop of element writes, are made again by the reverse sweep from the
    # state (replay) instead of saved
    args = w.ode_data(4, 3)
    source = ad.source(w.ode_solve, args=args, backend="python")
    assert _saved_arrays(source) == ["y1_"], source
    for order in (1, 2):
        ad.testing.check_grads(w.ode_solve, args, positions=(0,), order=order, backend="python")
    ad.testing.check_grads(w.ode_solve, args, positions=(0,), backend="numba")


def scratch_from_a_state_rewritten_later(x, s):
    u = x.copy()
    total = 0.0
    for t in range(s):
        z = np.empty(len(u))
        for i in range(len(u)):
            z[i] = u[i] * 2.0 + x[i]
        for i in range(len(u)):
            u[i] = np.sin(z[i]) * u[i]
        total += np.sum(z * z)
    return total


def scratch_filled_by_slices(x, s):
    total = 0.0
    for t in range(s):
        z = np.zeros(2 * len(x))
        z[:len(x)] = x * t
        z[len(x):] = x * x
        z[0] += 1.0
        total += np.sum(z * z * x[0])
    return total


def test_a_scratch_array_made_from_a_state_rewritten_later_is_saved():
    # made again at the start of the reverse iteration it would read u's later contents
    args = (np.array([0.3, -0.2, 0.5]), 3)
    source = ad.source(scratch_from_a_state_rewritten_later, args=args, backend="python")
    assert "z" in [name.rstrip("_0123456789") for name in _saved_arrays(source)], source
    for backend in ("python", "numba"):
        ad.testing.check_grads(scratch_from_a_state_rewritten_later, args, positions=(0,),
                               backend=backend)


def test_a_scratch_array_filled_by_slice_writes_is_made_again():
    args = (np.array([0.3, -0.2, 0.5]), 3)
    source = ad.source(scratch_filled_by_slices, args=args, backend="python")
    assert _saved_arrays(source) == [], source
    for order in (1, 2):
        ad.testing.check_grads(scratch_filled_by_slices, args, positions=(0,), order=order,
                               backend="python")
    ad.testing.check_grads(scratch_filled_by_slices, args, positions=(0,), backend="numba")


def rows_read_then_written(state, w, steps):
    state = state.copy()
    for t in range(steps):
        h = state[0]
        c = state[1]
        c = np.tanh(c * w + h)
        h = c * h
        state[0] = h
        state[1] = c
    return np.sum(state * state)


def test_a_row_read_before_it_is_overwritten_is_saved_once():
    # the old rows the reverse sweep puts back are the program's own reads of h and c (saved
    # for c * h and c * w anyway): no second copy of them (state[1] is written after
    # state[0], at another index, so its read still holds the old row)
    args = (np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.3]]), np.array([0.7, -0.5, 1.1]), 3)
    source = ad.source(rows_read_then_written, args=args, wrt=(0, 1), backend="python")
    saved = _saved_arrays(source)
    assert len(saved) == 3 and not any(name.startswith("old") for name in saved), source
    for order in (1, 2):
        ad.testing.check_grads(rows_read_then_written, args, positions=(0, 1), order=order,
                               backend="python")
    ad.testing.check_grads(rows_read_then_written, args, positions=(0, 1), backend="numba")


def gate_of_a_row(state, w, steps):
    state = state.copy()
    for t in range(steps):
        h = state[0]
        g = 1.0 / (1.0 + np.exp(-(h * w)))
        h = g * h
        state[0] = h
    return np.sum(state * state)


def test_cheap_ops_after_a_saved_transcendental_are_recomputed():
    # exp(...) is saved; 1 + e and 1 / (1 + e) are recomputed from it, although what exp
    # read (h, a row of a buffer written afterwards) could not be re-read
    args = (np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.3]]), np.array([0.7, -0.5, 1.1]), 3)
    source = ad.source(gate_of_a_row, args=args, wrt=(0, 1), backend="python")
    assert len(_saved_arrays(source)) == 2, source        # h and the exp
    for order in (1, 2):
        ad.testing.check_grads(gate_of_a_row, args, positions=(0, 1), order=order,
                               backend="python")
    ad.testing.check_grads(gate_of_a_row, args, positions=(0, 1), backend="numba")


def test_a_time_loop_keeping_every_step_in_one_array_saves_nothing():
    # U[t + 1, i] = f(U[t, i - 1], U[t, i], U[t, i + 1]): rows read are never written again,
    # so the reverse sweep reads U itself and puts nothing back
    args = w.reaction_diffusion_data(6, 3)
    source = ad.source(w.reaction_diffusion_hoisted, args=args, wrt=(0, 1), backend="python")
    assert "tape_" not in source and "restore" not in source, source
    for order in (1, 2):
        ad.testing.check_grads(w.reaction_diffusion_hoisted, args, positions=(0, 1),
                               order=order, backend="python")
    ad.testing.check_grads(w.reaction_diffusion_hoisted, args, positions=(0, 1),
                           backend="numba")


def rewrites_a_row_it_read(x, steps):
    n = len(x)
    U = np.zeros((steps + 2, n))
    for i in range(n):
        U[0, i] = x[i]
        U[1, i] = x[i] * 0.5
    for t in range(steps):
        for i in range(n):
            U[t + 2, i] = U[t + 1, i] * U[t, i] + 0.1
        for i in range(n):
            U[t, i] = U[t, i] * 0.9 + U[t + 2, i]     # row t again: not stable
    return np.sum(U * U)


def reads_a_row_before_the_loop_writes_it(x, steps):
    n = len(x)
    U = np.zeros((steps + 1, n))
    for i in range(n):
        U[0, i] = x[i]
    s = 0.0
    for i in range(n):
        s += U[1, i] * x[i]          # row 1 (zeros) before the loop overwrites it
    for t in range(steps):
        for i in range(n):
            U[t + 1, i] = U[t, i] * U[t, i] * 0.5 + x[i]
    return np.sum(U * U) + s


@pytest.mark.parametrize("fn", [rewrites_a_row_it_read, reads_a_row_before_the_loop_writes_it])
def test_rows_that_are_written_again_or_read_before_are_not_read_back(fn):
    # what a later iteration overwrites, or what was read before the loop wrote it, is saved
    # (or put back), not read from U by the reverse sweep: the gradients say so
    args = (np.array([0.3, -0.2, 0.5, 0.8]), 3)
    for backend in ("python", "numba"):
        ad.testing.check_grads(fn, args, positions=(0,), backend=backend)
    ad.testing.check_grads(fn, args, positions=(0,), order=2, backend="python")


# -- found in review: each was a silently wrong gradient ----------------------------------------
def reads_the_last_row_at_t_0(x):
    u = np.zeros(3)
    u[2] = x[0]
    for t in range(3):
        u[t] = u[t - 1] * u[t - 1]     # at t = 0, u[-1] is u[2], which t = 2 overwrites
    return u[0] + u[1] + u[2]


def a_negative_index_is_the_same_element(x):
    u = x * 1.0
    s = 0.0
    a = u[0]
    u[-2] = a * 3.0                    # u[0] again (two elements)
    for k in range(2):
        s = s + u[0] * u[0]
    u[0] = a * a                       # overwrites 3a, not a
    return s + u[0]


def scratch_written_in_a_branch(x):
    s = 0.0
    for i in range(x.shape[0]):
        z = np.zeros(2)
        z[0] = x[i] * 2.0
        if x[i] > 0.0:
            z[1] = x[i] * x[i]
        s = s + np.sum(z * z * z)
    return s


@pytest.mark.parametrize("fn,args", [
    (reads_the_last_row_at_t_0, (np.array([0.7]),)),
    (a_negative_index_is_the_same_element, (np.array([0.7, 0.1]),)),
    (scratch_written_in_a_branch, (np.array([0.5, -0.3]),))],
    ids=["wrapped_row", "negative_index", "branch_write"])
def test_negative_indices_and_branch_writes_are_not_taken_for_other_elements(fn, args):
    for order in (1, 2):
        ad.testing.check_grads(fn, args, positions=(0,), order=order, backend="python")
    ad.testing.check_grads(fn, args, positions=(0,), backend="numba")


def shifted_exp_sum(x, c):
    top = np.max(x)
    return np.sum(np.exp(x - top)) * c + np.sum(x - c) + np.sum(c - x)


def test_a_scalar_subtracted_from_an_array_sums_its_cotangent_without_negating_it():
    """The adjoint of ``x - top`` for a scalar ``top`` is ``-np.sum(g)``, not ``np.sum(-g)``
    (a negated array made only to be summed); exact either way."""
    args = (np.array([0.3, -1.2, 2.0, 0.7]), 1.5)
    source = ad.source(shifted_exp_sum, wrt=(0, 1), args=args, backend="python")
    assert "np.sum((-" not in source and "np.sum(-" not in source, source
    for order in (1, 2):
        ad.testing.check_grads(shifted_exp_sum, args, order=order, positions=(0, 1),
                               backend="python")
    ad.testing.check_grads(shifted_exp_sum, args, positions=(0, 1), backend="numba")
