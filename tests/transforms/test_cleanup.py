"""Folding never changes what the user's code computes: the primal value a derivative returns
is bit for bit Python's, at inf, nan and signed zeros too. Algebraic folds that hold only for
finite values (``x * 0.0 -> 0.0``) are for derivative code alone; literals fold as Python
evaluates them."""
import itertools
import math
import operator

import numpy as np
import pytest

import adcompiler as ad
import adcompiler.testing
from adcompiler import api
from adcompiler.ir.nodes import Const, Op, Var, FLOAT, INT
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


# -- integer powers in derivative code are products ------------------------------------------
# The power rule b * a ** (b - 1.0) leaves a ** 1.0 for a square and a ** 2.0 for a cube;
# derivative code spells them a and a * a (and a ** 0.0 as 1.0), with float literals. The
# primal keeps the user's x ** 2: pow and x * x may round differently.
def square(x):
    return x ** 2


def cube(x):
    return x ** 3.0


def first_power(x):
    return x ** 1


def root(x):
    return x ** 0.5


def power(a, b):
    return a ** b


def array_powers(a):
    return np.sum(a ** 2) + np.sum(a ** 3) * 0.5


def written_after_squaring(a):
    b = a * 1.5
    s = np.sum(b ** 2)
    b[0] = 3.0                    # b is written in place: its square's derivative copies it
    return s + np.sum(b * a)


def in_a_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + (x * i) ** 2 - s ** 3 * 0.01
    return s


def code(src):
    """Generated source without its comments (they quote the user's line)."""
    return "\n".join(line for line in src.splitlines() if not line.strip().startswith("#"))


def adjoint_part(src):
    """The code of the reverse sweep of a generated adjoint."""
    lines = src.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("# adjoint of:"))
    return code("\n".join(lines[start:]))


def test_square_and_cube_derivatives_are_products():
    src = ad.source(square)
    assert "out = x ** 2\n" in src                      # the primal as written
    assert "**" not in adjoint_part(src) and "2.0 * x" in adjoint_part(src)
    src = code(ad.source(square, mode="forward"))
    assert src.count("**") == 1 and "2.0 * x" in src
    src = ad.source(cube)
    assert "out = x ** 3.0\n" in src and "**" not in adjoint_part(src)
    assert "x * x" in adjoint_part(src) and "3.0 * " in adjoint_part(src)
    src = code(ad.source(first_power))
    assert src.count("**") == 1 and "return out, bout" in src   # 1 * x ** 0.0 * bout is bout


def test_other_powers_keep_pow():
    assert "x ** (-0.5)" in adjoint_part(ad.source(root))
    src = adjoint_part(ad.source(power, wrt=(0, 1)))
    assert "b - 1.0" in src and "a ** t" in src


def test_array_square_derivative_is_a_product():
    src = ad.source(array_powers, args=(np.ones(3),))
    assert "**" not in adjoint_part(src) and "2.0 * a" in src and "a * a" in src
    src = ad.source(written_after_squaring, args=(np.ones(3),))
    assert "**" not in adjoint_part(src) and ".copy()" in adjoint_part(src)


def test_second_derivative_has_no_integer_powers():
    src = code(ad.hessian(cube, backend="python").source)
    assert src.count("**") == 1                          # the primal's x ** 3.0 alone


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args", [
    (square, (1.3,)), (square, (-0.7,)), (cube, (-1.1,)), (first_power, (0.4,)), (root, (2.5,)),
    (power, (1.7, 2.0)), (power, (1.7, 0.6)), (array_powers, (np.array([0.5, -1.5, 2.0]),)),
    (written_after_squaring, (np.array([0.5, -1.5, 2.0]),)), (in_a_loop, (0.3, 4))],
    ids=lambda v: getattr(v, "__name__", None))
def test_power_derivatives_numerically(fn, args, backend):
    ad.testing.check_grads(fn, args, order=2, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("x", [0.0, -0.0, 1.5, -2.5, INF, -INF, NAN])
def test_power_derivatives_at_special_values_are_the_rules(x, backend):
    """Where pow and the product agree for every input (a ** 1.0 is a, a ** 0.0 is 1.0 even
    at 0.0 and nan, a ** 2.0 is a * a at these values), the derivative is the rule's
    b * a ** (b - 1.0) evaluated by Python, bit for bit."""
    for fn, b in ((square, 2), (cube, 3.0), (first_power, 1)):
        value, grad = ad.value_and_grad(fn, backend=backend)(x)
        assert same_float(value, fn(x))
        assert same_float(grad, b * x ** (b - 1.0)), (fn.__name__, x, grad)


def test_int_literals_in_derivative_code_become_floats():
    # 2 * t with t a float is 2.0 * t; in primal code the literal stays as written
    op = simplify_op(Op("mul", [Const(2), Var("t", FLOAT)], Var("u", FLOAT), role="adjoint"))
    assert isinstance(op, Op) and same_literal(op.args[0].value, 2.0)
    assert simplify_op(Op("mul", [Const(2), Var("t", FLOAT)], Var("u", FLOAT))) is None
    assert simplify_op(Op("mul", [Const(2), Var("n", INT)], Var("u", INT), role="adjoint")) is None
    assert simplify_op(Op("pow", [Var("t", FLOAT), Const(2.0)], Var("u", FLOAT))) is None
    assert simplify_op(Op("pow", [Var("n", INT), Const(2.0)], Var("u", FLOAT), role="tangent")) is None
