"""Functions that rely on Python's own rules for names: loop variables after loops, names
bound on some paths only, loops over enumerate/zip, loop else clauses, plain aliases and
user names that look like the compiler's. Each pairs with arguments in CASES."""
import math

import numpy as np


# -- loop variables --------------------------------------------------------------------------
def nested_loop_reuses_variable(x, n):
    s = 0.0
    for i in range(n):
        for i in range(3):
            s = s + x
        s = s + i * x
    return s


def loop_variable_after_loop(x, n):
    s = x
    for i in range(n):
        s = s * x
    return s + x * i


def loop_variable_keeps_old_value(x, n):
    i = 5
    for i in range(n):
        x = x * 1.5
    return x * i


def loop_variable_reassigned_in_body(x, n):
    s = 0.0
    for i in range(n):
        i = i * 2
        s = s + x * i
    return s + i * x


def last_assigned_in_loop(x, n):
    for k in range(n):
        last = x * (k + 1.0)
    return last * x


def while_last_value(x, n):
    k = 0
    while k < n:
        last = np.sin(x * k)
        k += 1
    return last + x


def last_array_row(a, n):
    for k in range(n):
        row = a * (k + 1.0)
    return np.sum(row * a)


# -- names bound on some paths ---------------------------------------------------------------
def bound_on_one_branch(x, y):
    if x > 0.0:
        z = x * y
    if x > 0.0:
        return z * z
    return y


def bound_in_a_loop_branch(x, n):
    for k in range(n):
        if k == 2:
            seen = x * x
    return seen + x


def bound_or_raise(x, n):
    if n > 1:
        w = np.exp(x)
    return w * x


def read_in_later_iteration(x, n):
    prev = 0.0
    s = 0.0
    for k in range(n):
        if k > 0:
            s = s + prev * x
        prev = x * k
    return s


def maybe_unbound_array(a, flag):
    if flag > 0:
        b = a * 2.0
    return np.sum(b * a)


# a definite unbound read ends its path (UnboundLocalError); the other paths go on
def bound_then_returned_early(a, x, n):
    if n > 1:
        if x < 0.69:
            return x
        u = np.copy(a)
    return x * (u @ a)


def unbound_in_one_arm(a, x, n):
    if n > 1:
        if x < 0.0:
            return x * x
        u = a * x
    return np.sum(u[::-1]) if n > 2 else x * 3.0


def loop_body_reads_unbound(a, x, n):
    if n > 5:
        if x < 0.0:
            return x
        v = a * x
    s = x
    for k in range(n):
        s = s + np.sum(v[k:])
    return s


def _scaled_tail(a, x, n):
    if n > 1:
        if x < 0.0:
            return a * x
        t = a * 2.0
    return t[::-1] * x


def helper_path_unbound(a, x, n):
    return np.sum(_scaled_tail(a, x, n)) + x


# -- enumerate, zip, else --------------------------------------------------------------------
def enumerate_array(a, x):
    s = 0.0
    for i, v in enumerate(a):
        s = s + i * v * x
    return s


def enumerate_with_start(a):
    s = 0.0
    for i, v in enumerate(a, 1):
        s = s + v ** i
    return s


def zip_arrays(a, b):
    s = 0.0
    for u, v in zip(a, b):
        s = s + u * v
    return s


def zip_stops_at_shortest(a, x):
    s = 0.0
    for k, v in zip(range(2), a):
        s = s + v * x ** k
    return s


def enumerate_zip(a, b):
    s = 0.0
    for i, (u, v) in enumerate(zip(a, b)):
        s = s + (i + 1.0) * np.sin(u) * v
    return s


def rows_of_matrix(m, w):
    s = 0.0
    for row in m:
        s = s + np.sum(row * w)
    return s


def enumerate_range(x):
    s = 0.0
    for i, j in enumerate(range(3, 9, 2)):
        s = s + i * j * x
    return s + j


def enumerate_with_break(a, x):
    s = 0.0
    for i, v in enumerate(a):
        if v * x > 1.0:
            break
        s = s + v * x
    return s + i


def for_else(a, x):
    for v in a:
        if v * x > 2.0:
            found = v * x
            break
    else:
        found = -x
    return found * x


def while_else(x, n):
    k = 0
    s = x
    while k < n:
        s = s * x
        if s > 10.0:
            break
        k += 1
    else:
        s = s + 100.0 * x
    return s


def return_in_loop_with_else(x, n):
    for k in range(n):
        if x * k > 2.0:
            return x * k
    else:
        x = x * 3.0
    return x


# -- aliases ----------------------------------------------------------------------------------
def plain_alias(a, x):
    b = a
    b[0] += x
    return np.sum(a * a)


def alias_in_loop(a, x, n):
    c = np.zeros(3)
    d = c
    for k in range(n):
        d[k] = x * a[k]
    return np.sum(c * a)


def alias_of_local_in_branch(a, x):
    c = a * 1.0
    d = c
    if x > 0.0:
        d[1] = x * x
    return np.sum(c * d)


def tuple_sees_write(x):
    b = np.ones(3)
    t = (b, x)
    b[0] = x
    return np.sum(t[0]) * t[1]


# -- names that look generated ----------------------------------------------------------------
def looks_generated(x):
    _returned = 1.0
    _retval = 2.0
    s = 0.0
    for i in range(5):
        s = s + x * i
        if s > 10.0:
            return s + _returned + _retval
    return s


def looks_generated_loop_flags(x, n):
    _skip1 = x
    _brk1 = 2.0 * x
    _k1 = 0.5
    _n1 = 3.0
    t1_ = x
    bx = 1.0
    tape_t = x * x
    for i in range(n):
        if i > 2:
            break
        if i == 1:
            continue
        _skip1 = _skip1 * _k1 + bx
    return _skip1 + _brk1 * _n1 + t1_ + tape_t


a3 = np.array([0.3, -0.2, 0.7])
b3 = np.array([1.1, 0.4, -0.6])
m23 = np.array([[0.5, -1.0, 0.25], [1.5, 0.3, -0.7]])

CASES = [
    (nested_loop_reuses_variable, (0.7, 2)),
    (loop_variable_after_loop, (0.9, 3)),
    (loop_variable_keeps_old_value, (0.9, 0)),
    (loop_variable_keeps_old_value, (0.9, 3)),
    (loop_variable_reassigned_in_body, (0.8, 3)),
    (last_assigned_in_loop, (0.6, 4)),
    (while_last_value, (0.6, 3)),
    (last_array_row, (a3, 2)),
    (bound_on_one_branch, (0.5, 0.3)),
    (bound_on_one_branch, (-0.5, 0.3)),
    (bound_in_a_loop_branch, (0.4, 4)),
    (bound_or_raise, (0.4, 2)),
    (read_in_later_iteration, (0.7, 4)),
    (maybe_unbound_array, (a3, 1)),
    (bound_then_returned_early, (a3, 0.9, 2)),
    (bound_then_returned_early, (a3, 0.5, 2)),
    (unbound_in_one_arm, (a3, 0.5, 0)),
    (unbound_in_one_arm, (a3, 0.5, 3)),
    (unbound_in_one_arm, (a3, -0.5, 3)),
    (loop_body_reads_unbound, (a3, 0.5, 0)),
    (loop_body_reads_unbound, (a3, 0.5, 6)),
    (helper_path_unbound, (a3, 0.5, 2)),
    (helper_path_unbound, (a3, -0.5, 2)),
    (enumerate_array, (a3, 0.5)),
    (enumerate_with_start, (b3,)),
    (zip_arrays, (a3, b3)),
    (zip_stops_at_shortest, (a3, 0.8)),
    (enumerate_zip, (a3, b3)),
    (rows_of_matrix, (m23, b3)),
    (enumerate_range, (0.3,)),
    (enumerate_with_break, (a3, 2.0)),
    (enumerate_with_break, (a3, 0.5)),
    (for_else, (b3, 3.0)),
    (for_else, (b3, 0.5)),
    (while_else, (1.5, 4)),
    (while_else, (1.2, 3)),
    (return_in_loop_with_else, (0.9, 4)),
    (return_in_loop_with_else, (0.3, 4)),
    (plain_alias, (a3, 0.5)),
    (alias_in_loop, (b3, 0.5, 3)),
    (alias_of_local_in_branch, (a3, 0.5)),
    (alias_of_local_in_branch, (a3, -0.5)),
    (tuple_sees_write, (0.7,)),
    (looks_generated, (1.02,)),
    (looks_generated, (0.5,)),
    (looks_generated_loop_flags, (0.8, 5)),
]

#: (function, arguments) whose Python call raises UnboundLocalError
UNBOUND = [
    (bound_in_a_loop_branch, (0.4, 2)),
    (bound_or_raise, (0.4, 1)),
    (loop_variable_after_loop, (0.9, 0)),
    (last_assigned_in_loop, (0.6, 0)),
    (maybe_unbound_array, (a3, 0)),
    (bound_then_returned_early, (a3, 0.9, 0)),
    (loop_body_reads_unbound, (a3, 0.5, 2)),
    (helper_path_unbound, (a3, 0.5, 0)),
]


def shadows_generated_globals(x, n):
    np_ = 1.0
    prange = x * 2.0
    UnboundLocalError = 3.0
    _ext0 = x
    s = 0.0
    for i in range(n):
        s = s + prange * _ext0 * np_ + UnboundLocalError
    return s + np.sin(x)


CASES.append((shadows_generated_globals, (0.4, 3)))


def alias_made_in_loop(a, x, n):
    b = a * 1.0
    for k in range(n):
        c = b
        c[k] = c[k] * x
    return np.sum(b * a)


def alias_made_in_loop_through_tuple(a, x, n):
    b = a * 1.0
    for k in range(n):
        t = (b, x)
        c = t[0]
        c[k] = c[k] * t[1]
    return np.sum(b * b)



def names_tape_counters(x):
    # tape_t1_top is the name the tape of t1_'s counter would take (fuzz seed 1000220: the
    # user's variable overwrote the tape counter, a silently wrong gradient)
    n = x
    for r in range(3):
        for i in range(3):
            n = np.power(math.cos(n), 0.5) * x
    tape_t1_top = n < 0.5
    tape_t_top = 2
    if tape_t1_top:
        d = n * tape_t_top
    return n


CASES.append((names_tape_counters, (0.1,)))


CASES.append((alias_made_in_loop, (a3, 0.7, 3)))


def alias_made_in_nested_loop(a, x, n):
    # after the inner loop c is a's array, or (no inner iteration) what it was before
    c = a * x
    for e in range(2):
        for i in range(n):
            c = a
            c[1] = c[0] * x
    return np.sum(c * a)


def alias_then_break(a, x):
    k = 0
    while k < 5:
        k += 1
        c = a
        a[0:] = np.tanh(c * x)
        if x < -0.8:
            break
        a[k % 3] = x
    a[(k + 1) % 3] = x
    return np.sum(a * c)


CASES += [(alias_made_in_nested_loop, (a3, 0.7, 2)), (alias_made_in_nested_loop, (a3, 0.7, 0)),
          (alias_then_break, (a3, 0.5)), (alias_then_break, (a3, -1.5))]


def writes_after_zip_loop_with_return(a, b, x):
    for u, v in zip(a, b):
        if u * x > 5.0:
            return u * v
    c = a
    c[0] = x * x
    return np.sum(a * b)


CASES.append((writes_after_zip_loop_with_return, (a3, b3, 0.5)))


def numpy_power_and_python_pow(x):
    """np.power(t, 0.5) is NumPy's sqrt of t; Python's t ** 0.5 may differ in the last bit
    (fuzz seed 911004217): each is kept as the user wrote it."""
    t = 2.0 + math.cos(x)
    return np.power(t, 0.5) - t ** 0.5 + np.power(t, 1.5)


def power_difference(x):
    t = 2.0 + math.cos(x)
    return np.power(t, 0.5) - t ** 0.5         # 2.2e-16 at x = 0.842427, not 0.0


CASES.append((numpy_power_and_python_pow, (0.842427,)))


def matmul_of_reversed(a, b):
    """a @ b[::-1] sums in another order than np.dot(a, b[::-1]) (fuzz seed 1301008122): the
    primal keeps the user's @."""
    return (a @ b[::-1]) * 3.0 + np.sum(np.matmul(a[::2], np.outer(b, b)[::2]))


m5 = (np.array([0.03, 0.55, -0.74, -0.16, -0.48]), np.array([0.6, 0.04, -0.29, -0.78, -0.26]))
CASES.append((matmul_of_reversed, m5))


def short_circuit_guards_unbound(x, n):
    """``flag = (x < 0.33) or (not flag)`` reads ``flag`` only when x >= 0.33 (fuzz seed
    1602005008): the plain (non-short-circuit) form would raise UnboundLocalError."""
    s = 0.0
    for i in range(n):
        flag = (x < 0.33) or (not flag)
        if flag:
            s = s + x * i
    return s


CASES.append((short_circuit_guards_unbound, (-0.66, 3)))
UNBOUND.append((short_circuit_guards_unbound, (0.5, 3)))


def copy_keeps_memory_order(m):
    """np.copy of a transposed array stays F-ordered and np.sum adds it in that order; x.copy()
    is C-ordered (fuzz seed 1401006954): each copy is the one the user wrote."""
    return np.sum(np.tanh(np.copy(m.T))) + 0.5 * np.sum(np.tanh(m.T.copy()))


m33 = np.array([[3.32, 0.23, -0.35], [-0.28, -0.67, -1.06], [-0.39, 0.48, -0.24]])
CASES.append((copy_keeps_memory_order, (m33,)))


def transposed_in_a_loop(a, x):
    """A loop-carried matrix that the body transposes: numba.njit of this very function
    fails ("Don't know how to allocate array with layout 'A'", fuzz seed 1702006236); the
    generated code passes carried matrices through _rt.c_layout."""
    for k in range(3):
        a = np.tanh(x * a.T)
    return np.sum(a * a)


CASES.append((transposed_in_a_loop, (m33, 0.7)))


def reductions_of_a_number(x, n):
    """np.sum/mean/max/min/prod of a number are the number (fuzz seeds 2001009138, 2001009823:
    a lambda's parameter shadowing an array name made np.sum's argument a float)."""
    q = lambda t: np.sum(np.tanh(t * t)) * 2.0
    return q(x) + np.mean(x) + np.max(x * x) + np.min(x) + np.prod(x) + np.mean(n) * x


CASES.append((reductions_of_a_number, (0.7, 3)))
