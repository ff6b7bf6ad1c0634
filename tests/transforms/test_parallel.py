"""prange loops (``ad.prange`` is ``numba.prange``): the loops whose iterations are independent
differentiate in both modes, second order, on both backends; the ones whose iterations depend
on each other are refused with a located error naming the offending line
(transforms/parallel.py)."""
import numpy as np
import pytest
import numba

import adcompiler as ad
from adcompiler import prange
from adcompiler.testing import check_grads

x = np.linspace(0.1, 0.9, 6)
IDX = np.array([0, 2, 2, 1, 0, 2])
A = np.arange(12.0).reshape(6, 2) / 10


def a_map_and_a_reduction(x, w):
    n = x.shape[0]
    y = np.empty(n)
    s = 0.0
    for i in prange(n):
        y[i] = np.tanh(w * x[i])
        s += y[i] * x[i]
    return np.sum(y * y) + s


def a_gather(x, w):
    y = np.zeros(IDX.shape[0])
    for i in prange(IDX.shape[0]):
        y[i] = x[IDX[i]] * w
    return np.sum(y ** 2)


def a_scatter_add(x, w):
    acc = np.zeros(3)
    for i in prange(IDX.shape[0]):
        acc[IDX[i]] += x[i] ** 2 * w
    return np.sum(acc * acc)


def branches_and_an_inner_loop(x, a):
    s = 0.0
    y = np.zeros((x.shape[0], 2))
    for i in prange(x.shape[0]):
        if x[i] > 0.5:
            s += x[i]
        else:
            s -= 2.0 * x[i]
        for j in range(2):
            y[i, j] = x[i] * a[i, j]
            s += a[i, j] * x[i]
    return s + np.sum(y * y)


def columns(x, a):
    out = np.zeros((2, x.shape[0]))
    for i in prange(x.shape[0]):
        for j in range(2):
            out[j, i] = np.sin(a[i, j] * x[i])
    return np.sum(out * out)


def a_stencil_in_a_time_loop(u0, kappa):
    u = u0.copy()
    n = u.shape[0]
    for t in range(3):
        new = np.empty(n)
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in prange(1, n - 1):
            new[i] = u[i] + kappa * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u = new
    return np.sum(u ** 2)


def an_array_per_iteration(x, w):
    s = 0.0
    for i in prange(x.shape[0]):
        row = np.sin(x * x[i] * w)       # the iteration's own array, made anew each time
        s += np.sum(row * row)
    return s


def rows_in_a_time_loop(u0, kappa):
    # the inner loop's variable j is carried by the time loop but never read after it
    u = u0.copy()
    for t in range(2):
        new = u.copy()
        for i in prange(1, u.shape[0]):
            for j in range(u.shape[1]):
                new[i, j] = u[i, j] + kappa * np.sin(u[i - 1, j])
        u = new
    return np.sum(u * u)


def two_additions(x, w):
    s = 0.0
    for i in prange(x.shape[0]):
        s += np.tanh(w * x[i])
        s -= 0.5 * x[(i + 1) % x.shape[0]] * w     # a neighbour's element: read only
    return s * s


CASES = [(a_map_and_a_reduction, (x, 0.5)), (a_gather, (x, 0.7)), (a_scatter_add, (x, 1.3)),
         (branches_and_an_inner_loop, (x, A)), (columns, (x, A)),
         (a_stencil_in_a_time_loop, (x, 0.2)), (an_array_per_iteration, (x, 0.6)),
         (rows_in_a_time_loop, (A, 0.3)), (two_additions, (x, 0.8))]
IDS = [fn.__name__ for fn, _ in CASES]


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_parallel_loops_differentiate(fn, args):
    assert ad.value_and_grad(fn, wrt=(0, 1), backend="python")(*args)[0] == fn(*args)
    check_grads(fn, args, backend="python")


@pytest.mark.parametrize("fn,args", [CASES[0], CASES[2], CASES[6], CASES[8]],
                         ids=[IDS[0], IDS[2], IDS[6], IDS[8]])
def test_on_numba(fn, args):
    check_grads(fn, args, backend="numba")


@pytest.mark.parametrize("fn,args", [CASES[0], CASES[3]], ids=[IDS[0], IDS[3]])
def test_second_order(fn, args):
    check_grads(fn, args, order=2, backend="python")


def test_prange_is_numbas():
    assert ad.prange is numba.prange


def writes_a_neighbour(x):
    y = np.zeros(x.shape[0] + 1)
    for i in prange(x.shape[0]):
        y[i + 1] = x[i]
    return np.sum(y)


def writes_one_element(x):
    y = np.zeros(2)
    for i in prange(x.shape[0]):
        y[0] = x[i]
    return np.sum(y)


def multiplies_a_shared_number(x):
    s = 1.0
    for i in prange(x.shape[0]):
        s = s * x[i]
    return s


def reads_what_another_writes(x):
    y = x.copy()
    for i in prange(1, x.shape[0]):
        y[i] = y[i - 1] * 0.5
    return np.sum(y)


def reads_the_reduction(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i] * s
    return s


def reads_a_partial_sum(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i]
        s += s * x[i]
    return s


def keeps_the_last_value(x):
    last = 0.0
    for i in prange(x.shape[0]):
        last = x[i]
    return last


def sums_the_array_it_writes(x):
    y = np.zeros(x.shape[0])
    s = 0.0
    for i in prange(x.shape[0]):
        y[i] = x[i] * 2.0
        s += np.sum(y)
    return s


def writes_rows_and_columns(x):
    Y = np.zeros((x.shape[0], x.shape[0]))
    for i in prange(x.shape[0]):
        for j in range(x.shape[0]):
            Y[i, j] = x[i] * x[j]
            Y[j, i] = x[i] + x[j]
    return np.sum(Y * Y)


def carries_a_whole_array(x):
    acc = np.zeros(3)
    for i in prange(x.shape[0]):
        acc = acc + x[i]
    return np.sum(acc * acc)


def writes_and_accumulates(x):
    y = np.zeros(x.shape[0])
    for i in prange(x.shape[0]):
        y[i] = x[i]
        y[IDX[i]] += x[i]
    return np.sum(y * y)


@pytest.mark.parametrize("fn,line,message", [
    (writes_a_neighbour, "y[i + 1] = x[i]", "writes elements of 'y' that another iteration"),
    (writes_one_element, "y[0] = x[i]", "no index is the loop variable 'i'"),
    (multiplies_a_shared_number, "s = s * x[i]", "'s' is carried from one iteration"),
    (reads_what_another_writes, "y[i] = y[i - 1] * 0.5", "reads elements of 'y'"),
    (reads_the_reduction, "s += x[i] * s", "cannot be read inside the loop"),
    (keeps_the_last_value, "last = x[i]", "whichever iteration ran last"),
    (reads_a_partial_sum, "s += s * x[i]", "cannot be read inside the loop"),
    (sums_the_array_it_writes, "s += np.sum(y)", "uses the whole array 'y'"),
    (writes_rows_and_columns, "Y[j, i] = x[i] + x[j]", "on another axis than elsewhere"),
    (carries_a_whole_array, "acc = acc + x[i]", "the whole array 'acc' is carried"),
    (writes_and_accumulates, "y[IDX[i]] += x[i]", "both accessed at the iteration's own"),
])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_dependent_iterations_are_located_errors(fn, line, message, mode):
    with pytest.raises(ad.CompileError) as info:
        if mode == "reverse":
            ad.grad(fn, backend="python")(x)
        else:
            ad.jvp(fn, (x,), (np.ones_like(x),), backend="python")
    text = str(info.value)
    assert "prange loop" in text and message in text and line in text
    assert "test_parallel.py" in text


# -- Numba runs the forward-mode prange loops in parallel (njit(parallel=True)) ----------------
def _compiled_for(fn, backend):
    return [c for key, c in ad.api._COMPILED.items() if key[0] is fn and c.backend == backend]


def test_forward_mode_runs_in_parallel_on_numba():
    fn, args = CASES[3]                    # branches and an inner loop: reductions privatized
    tangents = (np.cos(x), A[::-1].copy())
    value, tangent = ad.jvp(fn, args, tangents, backend="numba")
    want_value, want_tangent = ad.jvp(fn, args, tangents, backend="python")
    assert value == pytest.approx(want_value, rel=1e-13)
    assert tangent == pytest.approx(want_tangent, rel=1e-13)
    assert any(c.parallel for c in _compiled_for(fn, "numba"))
    assert "for i in prange(" in ad.source(fn, mode="forward", args=args)


def collide(x, w):
    acc = np.zeros(2)
    for i in prange(x.shape[0]):
        acc[i % 2] += x[i] * w
    return np.sum(acc * acc)


def test_accumulating_into_elements_never_races():
    # two elements, many iterations adding into each: each chunk of iterations adds into its
    # own private copy, and the copies are added after the loop in chunk order: every run
    # gives the same bits
    big = np.random.default_rng(0).normal(size=20000)
    first = ad.jvp(collide, (big, 0.5), (np.ones_like(big), 1.0), backend="numba")
    for _ in range(20):
        assert ad.jvp(collide, (big, 0.5), (np.ones_like(big), 1.0), backend="numba") == first
    assert any(c.parallel for c in _compiled_for(collide, "numba"))
    assert "_rt.private_partials(" in ad.source(collide, mode="forward", args=(big, 0.5))
    assert first[1] == pytest.approx(ad.jvp(collide, (big, 0.5), (np.ones_like(big), 1.0),
                                            backend="python")[1], rel=1e-12)


def _code(fn, args):
    return [line.strip() for line in ad.source(fn, args=args, wrt=(0, 1)).splitlines()
            if not line.lstrip().startswith("#")]


def test_reverse_mode_runs_in_parallel_on_numba():
    # each iteration saves what its adjoint needs into its own slot of the tapes, so the
    # forward sweep stays a prange loop; the adjoint is a prange loop over the same indices,
    # its shared cotangent (bw) a reduction
    fn, args = CASES[0]
    code = _code(fn, args)
    assert sum(line.startswith("for i") and "in prange(" in line for line in code) == 2
    assert not any("_top += 1" in line or "_top -= 1" in line for line in code)
    big = (np.random.default_rng(1).normal(size=20000), 0.5)
    want = ad.grad(fn, wrt=(0, 1), backend="python")(*big)
    for _ in range(10):
        got = ad.grad(fn, wrt=(0, 1), backend="numba")(*big)
        assert np.allclose(got[0], want[0], rtol=1e-13, atol=0) and \
            got[1] == pytest.approx(want[1], rel=1e-12)
    assert any(c.parallel for c in _compiled_for(fn, "numba"))
    check_grads(fn, args, modes=("reverse",), backend="numba")


def tanh_steps(u0, w):
    u = u0.copy()
    for t in range(3):
        new = np.empty(u.shape[0])
        for i in prange(u.shape[0]):
            if u[i] > 0.4:
                new[i] = np.tanh(w * u[i]) + 0.5 * u[i]
            else:
                new[i] = np.sin(w * u[i])
        u = new
    return np.sum(u * u)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_slots_of_a_prange_loop_inside_a_time_loop(backend):
    # every time step claims the loop's block of each tape; the reverse sweep releases the
    # blocks last to first
    code = _code(tanh_steps, (x, 0.8))
    assert any("_rt.reserve(" in line for line in code)
    assert sum("in prange(" in line for line in code) == 2
    check_grads(tanh_steps, (x, 0.8), backend=backend)


def test_slots_second_order():
    check_grads(tanh_steps, (x, 0.8), order=2, backend="python")


def test_an_adjoint_adding_into_neighbours_uses_private_accumulators():
    # the stencil's adjoint adds into bu[i - 1] and bu[i + 1]: iterations meet at elements,
    # so chunks of iterations add into private copies of bu, summed after the loop
    fn, args = CASES[5]
    code = _code(fn, args)
    assert sum("in prange(" in line for line in code) == 2
    assert any("_rt.private_partials(" in line for line in code)
    check_grads(fn, args, modes=("reverse",), backend="numba")
    big = (np.random.default_rng(2).normal(size=5000), 0.2)
    want = ad.grad(fn, wrt=(0, 1), backend="python")(*big)
    first = ad.grad(fn, wrt=(0, 1), backend="numba")(*big)
    for _ in range(10):
        again = ad.grad(fn, wrt=(0, 1), backend="numba")(*big)
        assert np.array_equal(again[0], first[0]) and again[1] == first[1]
    assert np.allclose(first[0], want[0], rtol=1e-12) and first[1] == pytest.approx(want[1])


def test_reverse_of_an_accumulation_never_races():
    big = np.random.default_rng(0).normal(size=20000)
    first = ad.grad(collide, wrt=(0, 1), backend="numba")(big, 0.5)
    for _ in range(20):
        again = ad.grad(collide, wrt=(0, 1), backend="numba")(big, 0.5)
        assert np.array_equal(again[0], first[0]) and again[1] == first[1]
    want = ad.grad(collide, wrt=(0, 1), backend="python")(big, 0.5)
    assert np.allclose(first[0], want[0], rtol=1e-12) and first[1] == pytest.approx(want[1])


def broadcasts_a_column(x, a):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i] * x[i]
    b = np.tanh(a * a[:, 1][:, None])      # (6, 2) times (6, 1)
    return s + np.sum(b)


def test_numba_parallel_array_analysis_false_alarm_runs_serially():
    # Numba's parallel=True takes an array broadcast along a size-1 axis for a size mismatch
    # (an AssertionError "Sizes of ... do not match"): the function then runs serially
    args = (x, A)
    for mode in ("forward", "reverse"):
        check_grads(broadcasts_a_column, args, modes=(mode,), backend="numba")


def a_2d_stencil(u0, kappa):
    # the inner loop over columns saves its Laplacian (a sum of five terms): iteration i of
    # the prange loop and j of the inner one save into slot i * m + j of the loop's block;
    # the inner loop's bound m - 1, computed in each iteration, is counted before the loop
    u = u0.copy()
    n, m = u.shape
    for t in range(2):
        new = u.copy()
        for i in prange(1, n - 1):
            for j in range(1, m - 1):
                lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
                new[i, j] = u[i, j] + 0.1 * np.tanh(kappa * lap)
        u = new
    return np.sum(u * u)


U2 = np.random.default_rng(3).random((5, 4))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_slots_of_a_loop_inside_a_prange_loop(backend):
    code = _code(a_2d_stencil, (U2, 0.7))
    assert any(line.startswith("tape_lap[slot") for line in code)
    assert not any("tape_lap_top += 1" in line for line in code)
    assert sum("in prange(" in line for line in code) == 2
    check_grads(a_2d_stencil, (U2, 0.7), backend=backend)


def test_slots_of_a_loop_inside_second_order():
    check_grads(a_2d_stencil, (U2, 0.7), order=2, backend="python")


def a_3d_stencil(u0, kappa):
    # two serial loops inside the prange loop: iteration (i, j, k) saves its Laplacian into
    # slot (i * m + j) * p + k of the loop's block (the inner counts are the same in every
    # iteration, counted before the loop)
    u = u0.copy()
    n, m, p = u.shape
    for t in range(2):
        new = u.copy()
        for i in prange(1, n - 1):
            for j in range(1, m - 1):
                for k in range(1, p - 1):
                    lap = u[i - 1, j, k] + u[i + 1, j, k] + u[i, j - 1, k] + u[i, j + 1, k] \
                        + u[i, j, k - 1] + u[i, j, k + 1] - 6.0 * u[i, j, k]
                    new[i, j, k] = u[i, j, k] + 0.1 * np.tanh(kappa * lap)
        u = new
    return np.sum(u * u)


U3 = np.random.default_rng(4).random((4, 5, 4))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_slots_of_a_loop_two_loops_deep_inside_a_prange_loop(backend):
    code = _code(a_3d_stencil, (U3, 0.7))
    assert any(line.startswith("tape_lap[slot") for line in code), "\n".join(code)
    assert not any("tape_lap_top += 1" in line for line in code)
    assert sum("in prange(" in line for line in code) == 2
    check_grads(a_3d_stencil, (U3, 0.7), backend=backend)


def test_slots_two_loops_deep_second_order():
    check_grads(a_3d_stencil, (U3, 0.7), order=2, backend="python")
