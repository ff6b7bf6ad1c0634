"""Folding never changes what the user's code computes: the primal value a derivative returns
is bit for bit Python's, at inf, nan and signed zeros too. Algebraic folds that hold only for
finite values (``x * 0.0 -> 0.0``) are for derivative code alone; literals fold as Python
evaluates them."""
import itertools
import math
import operator

import pytest

import adcompiler as ad
from adcompiler import api
from adcompiler.ir.nodes import Const, Op, Var, FLOAT
from adcompiler.transforms.cleanup import simplify_op

BACKENDS = ["python", "numba"]
INF, NAN = math.inf, math.nan


def same_float(a, b):
    """Equal bit for bit, up to the payload of a nan: a nan is a nan, -0.0 is not 0.0."""
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def times_zero(x, y):
    return x * 0.0 + y * y


def zero_times(x, y):
    return 0.0 * x + y


def minus_itself(x, y):
    return (x - x) * y + y


def over_itself(x, y):
    return x / x + y


def plus_zero(x, y):
    return (x + 0.0) * y          # -0.0 + 0.0 is +0.0


def zero_minus(x, y):
    return (0.0 - x) * y          # 0.0 - 0.0 is +0.0, -(0.0) is -0.0


def minus_negative_zero(x, y):
    return (x - -0.0) * y


def times_negative_zero(x, y):
    return x * -0.0 + y * 0.0


def int_times_zero(x, n):
    return n * 0.0 + x * 0.0      # -3 * 0.0 is -0.0


def exact_identities(x, y):
    return (x * 1.0 + -0.0) / 1.0 - 0.0 + (-0.0 - y) + x * -1.0


def signed_zero_branch(x, c):
    z = 0.0 if c > 0.0 else -0.0  # two literals that compare equal, not the same value
    return z * c + x


def signed_zero_products(x):
    # x * 0.0 and x * -0.0 are different values (atan2 tells them apart)
    return math.atan2(x * 0.0, -1.0) + 2.0 * math.atan2(x * -0.0, -1.0)


def negative_zero_squared(x):
    return (-0.0) ** 2 + x        # +0.0: the literal -0.0 is printed in parentheses


CASES = [
    (times_zero, (INF, 2.0)), (times_zero, (NAN, 2.0)), (times_zero, (-INF, 2.0)),
    (zero_times, (INF, 1.0)), (minus_itself, (INF, 1.0)), (over_itself, (INF, 1.0)),
    (over_itself, (NAN, 1.0)),
    (plus_zero, (-0.0, 1.0)), (zero_minus, (0.0, 1.0)), (minus_negative_zero, (-0.0, 1.0)),
    (times_negative_zero, (1.0, -1.0)), (times_negative_zero, (INF, 1.0)),
    (int_times_zero, (-1.0, -3)), (int_times_zero, (INF, 2)),
    (exact_identities, (-0.0, 0.0)), (exact_identities, (INF, NAN)), (exact_identities, (0.0, -0.0)),
    (signed_zero_branch, (-0.0, -1.0)), (signed_zero_products, (1.0,)), (signed_zero_products, (-2.0,)),
    (negative_zero_squared, (-0.0,)),
]
IDS = [f"{fn.__name__}-{args}" for fn, args in CASES]


def assert_value(got, fn, args):
    want = fn(*args)
    assert same_float(got, want), f"{fn.__name__}{args}: {got!r}, Python gives {want!r}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_primal_value_is_pythons(fn, args, backend):
    value, _ = ad.value_and_grad(fn, backend=backend)(*args)
    assert_value(value, fn, args)
    value, _ = ad.jvp(fn, args, tuple(1.0 if isinstance(a, float) else 0 for a in args),
                      backend=backend)
    assert_value(value, fn, args)
    value, _ = ad.vjp(fn, *args, backend=backend)
    assert_value(value, fn, args)
    # the forward-over-reverse code behind hvp and hessian computes the value first
    compiled, kinds, forward = api._second_order(fn, args, (0,), backend)
    out = compiled(*args, 1.0, *[1.0 if isinstance(args[i], float) else 0 for i in forward])
    assert_value(out[0], fn, args)


def test_derivative_code_still_folds_zero_products():
    """The adjoint of y * y + x * 0.0 has no term for x * 0.0: bx is the literal 0.0."""
    src = ad.source(times_zero, "reverse", wrt=(0, 1))
    assert "return out, 0.0, " in src
    assert "x * 0.0" in src                    # the primal keeps it


# -- literals fold as Python evaluates them (and are left alone where Python raises) --------
LITERALS = [0, 1, -7, 3, True, False, 0.0, -0.0, 1.5, -2.5, 7.5, INF, -INF, NAN, 10 ** 400]
BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
          "floordiv": operator.floordiv, "mod": operator.mod, "lt": operator.lt,
          "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq,
          "ne": operator.ne, "and": lambda a, b: a and b, "or": lambda a, b: a or b}
UNARY = {"neg": operator.neg, "pos": operator.pos, "not": operator.not_, "float": float}


def same_literal(got, want):
    if type(got) is not type(want):
        return False
    return same_float(got, want) if isinstance(want, float) else got == want


@pytest.mark.parametrize("role", ["primal", "adjoint"])
def test_literal_folding_is_pythons(role):
    ops = [(p, (a, b)) for p in BINARY for a, b in itertools.product(LITERALS, repeat=2)]
    ops += [(p, (a,)) for p in UNARY for a in LITERALS]
    for prim, values in ops:
        fold = simplify_op(Op(prim, [Const(v) for v in values], Var("t", FLOAT), role=role))
        try:
            want = (BINARY.get(prim) or UNARY[prim])(*values)
        except (ArithmeticError, ValueError):
            assert fold is None, (prim, values, fold)      # raises at run time, as in Python
            continue
        if fold is not None:
            assert isinstance(fold, Const) and same_literal(fold.value, want), (prim, values, fold)


def literals(x):
    return (x * (2 ** -1) + (-7 // 2) + (-7 % 3) * x + (7.5 // -2.0) + (-7.5 % 2.0)
            + (True + True) * x)


def zero_to_negative_power(x):
    return x + 0.0 ** -1


def int_division_by_zero(x):
    return x + 1 // 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_literals_in_user_code(backend):
    value, grad = ad.value_and_grad(literals, backend=backend)(1.5)
    assert same_float(value, literals(1.5)) and grad == 4.5
    for fn in (zero_to_negative_power, int_division_by_zero):
        with pytest.raises(ZeroDivisionError):
            ad.value_and_grad(fn, backend=backend)(1.5)
