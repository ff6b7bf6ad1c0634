"""Trip counts and tape reserves of loop nests in reverse mode (``TripCounts`` in
transforms/reverse.py): a ``for`` loop whose bounds do not change inside the loops around it
is counted once, before the outermost of them, and never taped; the tapes of such a nest are
reserved once, for outer trip x inner trip. Counts that vary keep a tape. Checked numerically
in both modes, to second order (forward over the reverse code, whose tapes and reserves get
twins), on both backends."""
import math
import re

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def nest(x, n, d):
    s = 0.0
    for i in range(n):
        for j in range(d):
            s = s + math.sin(x * s + i * j)
    return s


def varying(x, n):
    s = 0.0
    for i in range(n):
        for j in range(i):
            s = s + math.sin(x * s + j)
    return s


def three_deep(x, n, m, d):
    s = x
    for i in range(n):
        for j in range(m):
            for k in range(1, d):
                s = s * 0.9 + math.cos(s * x + k - j)
    return s


def counted_in_the_middle(x, n):
    # the k loop's bound changes with i but not with j: counted before the j loop
    s = 0.0
    for i in range(n):
        m = i + 2
        for j in range(3):
            for k in range(m):
                s = s + math.tanh(x * s + i - k * j)
    return s


def nest_under_a_branch(x, n, d):
    s = x
    for i in range(n):
        if s > 0.5:
            for j in range(d):
                s = s * x - 0.1 * j
        else:
            s = s + 1.0
    return s


def nest_in_a_branch(x, n, d):
    # outside every loop: the counts are exported from the branch
    s = x
    if x > 0.0:
        for i in range(n):
            for j in range(d):
                s = math.sin(s * x) + j
    return s * x


def nest_in_a_while(x, n, d):
    s, k = x, 0
    while k < n:
        for j in range(d):
            for m in range(d, 0, -2):
                s = s * 0.8 + math.sin(x * m + s)
        k += 1
    return s


def variable_step(x, n, d, step):
    # a step that may be zero is not counted early (range(0, d, 0) raises where it runs)
    s = 0.0
    for i in range(n):
        for j in range(0, d, step):
            s = s + math.sin(x * s + j)
    return s


def stencil(u, steps):
    a = u * 1.0
    m = a.shape[0] - 1
    for t in range(steps):
        for i in range(1, m):
            a[i] = a[i] + 0.2 * (a[i - 1] - 2.0 * a[i] + a[i + 1]) * a[i]
    return np.sum(a * a)


def forward_sweep(src):
    lines = src.splitlines()
    end = next(i for i, line in enumerate(lines) if "# adjoint of:" in line)
    return lines[:end]


def reserves_inside(lines, loop_line):
    """Lines calling _rt.reserve or pushing a count inside the loop starting at ``loop_line``."""
    start = lines.index(loop_line)
    indent = len(loop_line) - len(loop_line.lstrip())
    inside = []
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if "_rt.reserve" in line or "tape_n" in line:
            inside.append(line.strip())
    return inside


def test_invariant_inner_count_is_computed_once_and_not_taped():
    src = ad.source(nest, args=(0.3, 3, 4), backend="python")
    lines = forward_sweep(src)
    assert "tape_n" not in src                          # no tape of the inner trip count
    assert reserves_inside(lines, "    for i in range(n):") == []
    outer = lines.index("    for i in range(n):")
    before = "\n".join(lines[:outer])
    assert "_rt.trip_count(0, d, 1)" in before          # counted before the outer loop
    # each tape reserved once, for outer trip x inner trip
    assert before.count("_rt.reserve(") == 2 and "n3_ = _rt.checked_mul(n1_, n2_)" in before
    assert "tape_s = _rt.reserve(tape_s, tape_s_top + n3_)" in before
    # the reverse sweep's inner loop runs the same count
    assert "for _1_ in range(n2_):" in src


def test_three_deep_nest_reserves_once():
    src = ad.source(three_deep, args=(0.3, 2, 3, 4), backend="python")
    lines = forward_sweep(src)
    assert "tape_n" not in src
    assert reserves_inside(lines, "    for i in range(n):") == []
    assert src.count("_rt.reserve(") == sum(1 for line in lines if "_rt.reserve(" in line)


def reverse_sweep(src):
    lines = src.splitlines()
    start = next(k for k, line in enumerate(lines) if "# adjoint of:" in line)
    return lines[start:]


def test_varying_inner_count_is_counted_again():
    # range(i): the reverse sweep counts the inner loop again from i (no tape of counts)
    src = ad.source(varying, args=(0.3, 3), backend="python")
    lines = forward_sweep(src)
    assert "tape_n" not in src
    assert any("_rt.trip_count(" in line for line in reverse_sweep(src))
    assert any("_rt.reserve(tape_s" in line for line in reserves_inside(lines, "    for i in range(n):"))


def test_count_that_varies_with_the_outer_loop_is_taped_there():
    src = ad.source(counted_in_the_middle, args=(0.3, 3), backend="python")
    lines = forward_sweep(src)
    inside = reserves_inside(lines, "    for i in range(n):")
    # the k loop's count is taped once per i iteration, not once per j iteration
    assert sum("tape_n" in line and "_rt.reserve" not in line and "+=" not in line
               for line in inside) == 1
    j_loop = next(line for line in lines if line.strip() == "for j in range(3):")
    assert reserves_inside(lines, j_loop) == []


def test_counts_invariant_in_a_while_are_computed_before_it():
    src = ad.source(nest_in_a_while, args=(0.3, 2, 5), backend="python")
    lines = forward_sweep(src)
    loop = lines.index("    while k < n:")
    assert "tape_n" not in src
    assert "_rt.trip_count(0, d, 1)" in "\n".join(lines[:loop])
    # a while has no count in advance: the nest inside it reserves once per iteration
    assert reserves_inside(lines, "    while k < n:") == ["tape_t = _rt.reserve(tape_t, tape_t_top + n3_)"]


def test_variable_step_is_counted_per_iteration():
    src = ad.source(variable_step, args=(0.3, 3, 4, 1), backend="python")
    outer = forward_sweep(src).index("    for i in range(n):")
    assert "_rt.trip_count(0, d, step)" not in "\n".join(forward_sweep(src)[:outer])
    # counted in each iteration, and again by the reverse sweep (its bounds are at hand)
    assert "tape_n" not in src
    assert any("_rt.trip_count(0, d, step)" in line for line in reverse_sweep(src))


def growing_state(x, n):
    # the carried state doubles in length each step: the reserve from its first size is a
    # hint, the pushes grow the tape past it
    u = x.copy()
    for t in range(n):
        u = np.concatenate((u, np.sin(u) * 0.5))
    return np.sum(u * u)


def test_a_time_loops_state_tape_is_reserved_once_before_it():
    src = ad.source(growing_state, args=(np.array([0.3, -0.2]), 3), backend="python")
    lines = forward_sweep(src)
    loop = next(line for line in lines if line.strip().startswith("for t in range"))
    assert reserves_inside(lines, loop) == [], src
    before = "\n".join(lines[:lines.index(loop)])
    assert "_rt.reserve(tape_u, tape_u_top + n1_ * (u.size + 1))" in before, src


def per_sample_scratch(x, n):
    # an array made and saved once per iteration, of a size not known before the loop
    s = 0.0
    for i in range(n):
        row = np.sin(x * (i + 1.0))
        s = s + np.sum(row * row * x)
    return s


def test_an_array_tape_is_reserved_for_its_pushes_once_its_size_is_known():
    src = ad.source(per_sample_scratch, args=(np.array([0.3, -0.2]), 3), backend="python")
    lines = forward_sweep(src)
    loop = next(line for line in lines if line.strip().startswith("for i in range"))
    before = "\n".join(lines[:lines.index(loop)])
    assert "tape_row_pushes = n1_" in before, src      # the first push reserves n1_ of them
    assert "_rt.push_array(tape_row, tape_row_top, row, tape_row_pushes)" in src, src


def every_third(x, start, stop):
    s = 0.0
    for i in range(start, stop, 3):
        s = math.sin(s * x[i] + i)
    return s


def down_by_two(x, start, stop):
    s = 0.0
    for i in range(start, stop, -2):
        s = math.sin(s * x[i] - i)
    return s


def from_zero(x, stop):
    s = 0.0
    for i in range(stop):
        s = math.sin(s * x[i] + i)
    return s


def any_step(x, start, stop, step):
    s = 0.0
    for i in range(start, stop, step):
        s = math.sin(s * x[i] + i)
    return s


def test_reverse_loops_run_over_the_primal_indices_backwards():
    x = np.linspace(0.1, 0.9, 9)
    src = ad.source(every_third, args=(x, 1, 8), backend="python")
    # start + (count - 1) * 3 down to start, by -3
    assert re.search(r"\n +(\w+) = start - 3\n(?:.*\n)*? +for i1_ in range\(\w+, \1, -3\):", src), src
    src = ad.source(from_zero, args=(x, 8), backend="python")
    assert re.search(r"for i1_ in range\(\w+, -1, -1\):", src), src
    # a step known only at run time: the iteration counted
    assert re.search(r"for _ in range\(\w+\):", ad.source(any_step, args=(x, 1, 8, 3), backend="python"))
    for fn, cases in [(every_third, [(1, 8), (0, 9), (5, 5), (7, 2)]),
                      (down_by_two, [(8, 0), (8, -1), (3, 3), (1, 5)]),
                      (from_zero, [(9,), (0,)]),
                      (any_step, [(1, 8, 3), (8, 0, -3), (8, -1, -1)])]:
        for bounds in cases:
            check_grads(fn, (x, *bounds), modes=("reverse",), backend="python")
    check_grads(down_by_two, (x, 8, 0), order=2, backend="numba")


CASES = [
    (per_sample_scratch, (np.array([0.3, -0.2]), 3)),
    (growing_state, (np.array([0.3, -0.2]), 3)),
    (nest, (0.3, 3, 4)), (nest, (0.3, 0, 4)), (nest, (0.3, 3, 0)), (varying, (0.2, 4)),
    (three_deep, (0.3, 2, 3, 4)), (counted_in_the_middle, (0.3, 3)),
    (nest_under_a_branch, (0.7, 4, 3)), (nest_in_a_branch, (0.4, 2, 3)),
    (nest_in_a_branch, (-0.4, 2, 3)), (nest_in_a_while, (0.3, 2, 5)),
    (variable_step, (0.3, 3, 5, 2)), (stencil, (np.linspace(0.1, 0.9, 6), 3)),
]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_gradients(fn, args, backend):
    check_grads(fn, args, order=2, backend=backend)
