"""Functions that use one construct the syntax fence (or the activity analysis) rejects.

Each offending line carries a ``# REJECT`` marker; tests/frontend/test_fence.py finds the
marker in the function's source and checks that ad.CompileError names exactly that line.
Keep every offending construct on one line with its marker.
"""
import contextlib
import math
import random

import numpy as np

import adcompiler as ad

G = 1.0


def uses_yield(x):
    y = x * 2.0
    yield y  # REJECT
    return y


def uses_yield_from(x):
    y = x * 2.0
    yield from (y, y)  # REJECT
    return y


def uses_try(x):
    y = x * 2.0
    try:  # REJECT
        y = y + 1.0
    except ValueError:
        y = 0.0
    return y


def uses_with(x):
    y = x * 2.0
    with contextlib.nullcontext():  # REJECT
        y = y + 1.0
    return y


def uses_global(x):
    global G  # REJECT
    y = x * G
    return y


def make_nonlocal():
    c = 1.0

    def uses_nonlocal(x):
        nonlocal c  # REJECT
        c = c + x
        return c * x
    return uses_nonlocal


uses_nonlocal = make_nonlocal()


def uses_lambda_as_value(x):
    sq = lambda t: t * t
    return sq * x  # REJECT


def uses_class(x):
    y = x * 2.0
    class Box:  # REJECT
        pass
    return y


async def is_async(x):  # REJECT
    return x * 2.0


def uses_nested_async(x):
    y = x * 2.0
    async def inner(t):  # REJECT
        return t
    return y


def star_args(*args):  # REJECT
    return args[0] * 2.0


def star_kwargs(x, **kwargs):  # REJECT
    return x * 2.0


def returns_nested_def(x):
    def h(t):
        return t * x
    return h  # REJECT


def uses_raise(x):
    y = x * 2.0
    if y > 100.0:
        raise ValueError("too big")  # REJECT
    return y


def uses_assert(x):
    y = x * 2.0
    assert y > -1000.0  # REJECT
    return y


def uses_filtered_list_comp(x):
    y = x * 2.0
    s = np.sum(np.array([y * i for i in range(3) if i > 0]))  # REJECT
    return s


def uses_set_comp(x):
    y = x * 2.0
    s = len({i for i in range(3)})  # REJECT
    return y * s


def uses_dict_comp(x):
    y = x * 2.0
    d = {i: y for i in range(3)}  # REJECT
    return y


def uses_generator_expression_as_value(x):
    y = x * 2.0
    s = np.sum(y * i for i in range(3))  # REJECT
    return s


def uses_string(x):
    y = x * 2.0
    s = "abc"  # REJECT
    return y


def uses_string_concat(x):
    y = x * 2.0
    n = len("ab" + "c")  # REJECT
    return y * n


def uses_fstring(x):
    y = x * 2.0
    s = f"{y}"  # REJECT
    return y


def uses_string_method(x):
    y = x * 2.0
    n = len("a,b".split(","))  # REJECT
    return y * n


def uses_opaque_call(x):
    y = x * 2.0
    z = random.gauss(y, 1.0)  # REJECT
    return z * y


def uses_opaque_call_direct(x):
    z = random.gauss(x, 1.0)  # REJECT
    return z


def uses_call_of_unknown_result(x):
    k = np.kron(np.ones(2), np.ones(3))  # REJECT
    return x * np.sum(k)


class _Halve:
    """A callable object: no rule, no Python function to read a result type from."""

    def __call__(self, v):
        return v / 2.0


HALVE = ad.non_differentiable(_Halve())


def uses_non_differentiable_without_result_type(x):
    h = HALVE(4.0)  # REJECT
    return x * h


def uses_walrus(x):
    z = (y := x * 2.0)  # REJECT
    return z + y


def uses_del(x):
    y = x * 2.0
    z = y + 1.0
    del y  # REJECT
    return z


def uses_import(x):
    import math as m  # REJECT
    return m.sin(x)


def writes_into_dict(x):
    d = {"a": x}
    d["b"] = x  # REJECT
    return x


def uses_star_call(x):
    t = (x, 2.0)
    return math.hypot(*t)  # REJECT


def uses_list_append(x):
    a = [x, 2.0 * x]
    a.append(x)  # REJECT
    return a[0]


def uses_for_over_tuple(x):
    s = 0.0
    for v in (x, 2.0 * x):  # REJECT
        s = s + v
    return s


def uses_recursion(x):
    if x > 10.0:
        return x
    return uses_recursion(x * 2.0)  # REJECT


def uses_complex(x):
    return (x * 1j).real  # REJECT


def uses_print(x):
    print(x)  # REJECT
    return x



def writes_while_view_is_live(x):
    b = np.ones(3) * x
    a = b[0:2]
    b[1] = x  # REJECT
    return np.sum(a * a)


def writes_while_branch_choice_is_live(x):
    b1 = np.ones(3)
    b2 = np.zeros(3)
    z = b1 if x > 0.0 else b2
    b1[0] = x  # REJECT
    return np.sum(z) * x


def loop_makes_view_of_written_array(x):
    b = np.ones(3)
    a = np.zeros(2)
    s = 0.0
    for i in range(2):  # REJECT
        b[i] = x * i
        s = s + np.sum(a)
        a = b[0:2]
    return s


def reads_through_2d_index(x):
    b = np.ones((4, 4, 4)) * x         # paired index arrays work on a 3-d array's first axes
    idx = np.arange(3)
    return np.sum(b[:, idx, idx])  # REJECT


def reads_through_mask(x):
    b = np.ones(4) * x
    return np.sum(b[b > 0.0])  # REJECT


def writes_through_out_argument(x):
    y = np.zeros(3)
    np.add(x, 1.0, out=y)  # REJECT
    return np.sum(y * x)


def writes_through_positional_out(x):
    y = np.zeros(3)
    np.multiply(x, 2.0, y)  # REJECT
    return np.sum(y * x)


def writes_with_copyto(x):
    y = np.zeros(3)
    np.copyto(y, 2.0 * x)  # REJECT
    return np.sum(y)


def fills_in_place(x):
    y = np.ones(3) * x
    y.fill(2.0)  # REJECT
    return np.sum(y * x)
