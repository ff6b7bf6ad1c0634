"""Scalar primitives: arithmetic, comparisons and the math / NumPy scalar functions.

Each block declares a primitive and, next to it, its partial derivatives. ``out`` is the
primitive's result (ChainRules' Ω), so ``tanh``'s partial reuses it.
"""
import builtins
import math

import numpy as np

from ..runtime import helpers as rt
from .table import (defprim, scalar_rule, linear_rule, float_result, int_result,
                    bool_result, same_as_args)

# -- arithmetic ---------------------------------------------------------------------------
defprim("add", "{0} + {1}", same_as_args, objects=(np.add,))
linear_rule("add", 1.0, 1.0)

defprim("sub", "{0} - {1}", same_as_args, objects=(np.subtract,))
linear_rule("sub", 1.0, -1.0)

defprim("neg", "-{0}", same_as_args, objects=(np.negative,))
linear_rule("neg", -1.0)

defprim("pos", "+{0}", same_as_args, objects=(np.positive,))
linear_rule("pos", 1.0)

defprim("mul", "{0} * {1}", same_as_args, objects=(np.multiply,))


@scalar_rule("mul")
def mul(a, b, out):
    return b, a


defprim("div", "{0} / {1}", float_result, objects=(np.divide, np.true_divide))


@scalar_rule("div")
def div(a, b, out):
    return 1.0 / b, -out / b


defprim("pow", "{0} ** {1}", same_as_args, objects=(math.pow, np.power))


@scalar_rule("pow")
def pow_(a, b, out):
    # d/db a**b = log(a) a**b; where a == 0 the limit from a > 0 is 0.
    return b * a ** (b - 1.0), rt.log_or_zero(a) * out


defprim("mod", "{0} % {1}", same_as_args, objects=(np.mod, np.remainder))


@scalar_rule("mod")
def mod(a, b, out):
    return 1.0, -np.floor(a / b)


defprim("fmod", "np.fmod({0}, {1})", same_as_args, objects=(math.fmod, np.fmod))


@scalar_rule("fmod")
def fmod(a, b, out):
    # fmod truncates the quotient towards zero where % floors it
    return 1.0, -np.trunc(a / b)


defprim("floordiv", "{0} // {1}", same_as_args, objects=(np.floor_divide,), differentiable=False)

# -- piecewise ----------------------------------------------------------------------------
defprim("abs", "abs({0})", same_as_args, emit_array="np.abs({0})", objects=(builtins.abs, np.abs, np.absolute, math.fabs))


@scalar_rule("abs")
def abs_(x, out):
    return np.sign(x)


defprim("max", "max({0}, {1})", same_as_args, emit_array="np.maximum({0}, {1})", objects=(builtins.max, np.maximum, np.fmax))


@scalar_rule("max")
def max_(a, b, out):
    # ties send the whole adjoint to the first argument, as NumPy's argmax does
    return (a >= b) * 1.0, (a < b) * 1.0


defprim("min", "min({0}, {1})", same_as_args, emit_array="np.minimum({0}, {1})", objects=(builtins.min, np.minimum, np.fmin))


@scalar_rule("min")
def min_(a, b, out):
    return (a <= b) * 1.0, (a > b) * 1.0


# -- elementary functions -----------------------------------------------------------------
defprim("sin", "np.sin({0})", objects=(math.sin, np.sin))


@scalar_rule("sin")
def sin(x, out):
    return np.cos(x)


defprim("cos", "np.cos({0})", objects=(math.cos, np.cos))


@scalar_rule("cos")
def cos(x, out):
    return -np.sin(x)


defprim("tan", "np.tan({0})", objects=(math.tan, np.tan))


@scalar_rule("tan")
def tan(x, out):
    return 1.0 + out * out


defprim("arcsin", "np.arcsin({0})", objects=(math.asin, np.arcsin))


@scalar_rule("arcsin")
def arcsin(x, out):
    return 1.0 / np.sqrt(1.0 - x * x)


defprim("arccos", "np.arccos({0})", objects=(math.acos, np.arccos))


@scalar_rule("arccos")
def arccos(x, out):
    return -1.0 / np.sqrt(1.0 - x * x)


defprim("arctan", "np.arctan({0})", objects=(math.atan, np.arctan))


@scalar_rule("arctan")
def arctan(x, out):
    return 1.0 / (1.0 + x * x)


defprim("arctan2", "np.arctan2({0}, {1})", objects=(math.atan2, np.arctan2))


@scalar_rule("arctan2")
def arctan2(y, x, out):
    return x / (x * x + y * y), -y / (x * x + y * y)


defprim("sinh", "np.sinh({0})", objects=(math.sinh, np.sinh))


@scalar_rule("sinh")
def sinh(x, out):
    return np.cosh(x)


defprim("cosh", "np.cosh({0})", objects=(math.cosh, np.cosh))


@scalar_rule("cosh")
def cosh(x, out):
    return np.sinh(x)


defprim("tanh", "np.tanh({0})", objects=(math.tanh, np.tanh))


@scalar_rule("tanh")
def tanh(x, out):
    return 1.0 - out * out


defprim("exp", "np.exp({0})", objects=(math.exp, np.exp))


@scalar_rule("exp")
def exp(x, out):
    return out


defprim("expm1", "np.expm1({0})", objects=(math.expm1, np.expm1))


@scalar_rule("expm1")
def expm1(x, out):
    return out + 1.0


defprim("log", "np.log({0})", objects=(math.log, np.log))


@scalar_rule("log")
def log(x, out):
    return 1.0 / x


defprim("log1p", "np.log1p({0})", objects=(math.log1p, np.log1p))


@scalar_rule("log1p")
def log1p(x, out):
    return 1.0 / (1.0 + x)


defprim("log2", "np.log2({0})", objects=(math.log2, np.log2))


@scalar_rule("log2")
def log2(x, out):
    return 1.0 / (x * 0.6931471805599453)


defprim("log10", "np.log10({0})", objects=(math.log10, np.log10))


@scalar_rule("log10")
def log10(x, out):
    return 1.0 / (x * 2.302585092994046)


defprim("sqrt", "np.sqrt({0})", objects=(math.sqrt, np.sqrt))


@scalar_rule("sqrt")
def sqrt(x, out):
    return 0.5 / out


defprim("hypot", "np.hypot({0}, {1})", objects=(math.hypot, np.hypot))


@scalar_rule("hypot")
def hypot(a, b, out):
    return a / out, b / out


defprim("erf", "math.erf({0})", objects=(math.erf,))


@scalar_rule("erf")
def erf(x, out):
    return 1.1283791670955126 * np.exp(-x * x)


defprim("square", "np.square({0})", objects=(np.square,))


@scalar_rule("square")
def square(x, out):
    return 2.0 * x


# -- data, not math: no derivative ----------------------------------------------------------
for _name, _sym in [("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")]:
    defprim(_name, "{0} %s {1}" % _sym, bool_result, differentiable=False)
defprim("not", "not {0}", bool_result, differentiable=False, emit_array="np.logical_not({0})")
defprim("and", "{0} and {1}", bool_result, differentiable=False,
        emit_array="np.logical_and({0}, {1})")
defprim("or", "{0} or {1}", bool_result, differentiable=False, emit_array="np.logical_or({0}, {1})")
defprim("int", "int({0})", int_result, objects=(builtins.int,), differentiable=False)
defprim("float", "float({0})", float_result, objects=(builtins.float,), differentiable=True,
        emit_array="{0}.astype(np.float64)")
linear_rule("float", 1.0)
defprim("bool", "bool({0})", bool_result, objects=(builtins.bool,), differentiable=False)
defprim("round", "round({0})", int_result, objects=(builtins.round,), differentiable=False,
        emit_array="np.rint({0})")
defprim("ifloor", "math.floor({0})", int_result, objects=(math.floor,), differentiable=False)
defprim("iceil", "math.ceil({0})", int_result, objects=(math.ceil,), differentiable=False)
defprim("itrunc", "math.trunc({0})", int_result, objects=(math.trunc,), differentiable=False)
defprim("floor", "np.floor({0})", float_result, objects=(np.floor,), differentiable=False)
defprim("ceil", "np.ceil({0})", float_result, objects=(np.ceil,), differentiable=False)
defprim("trunc", "np.trunc({0})", float_result, objects=(np.trunc,), differentiable=False)
defprim("rint", "np.rint({0})", float_result, objects=(np.rint, np.round), differentiable=False)
defprim("sign", "np.sign({0})", float_result, objects=(np.sign,), differentiable=False)
defprim("isnan", "np.isnan({0})", bool_result, objects=(math.isnan, np.isnan), differentiable=False)
defprim("isinf", "np.isinf({0})", bool_result, objects=(math.isinf, np.isinf), differentiable=False)
defprim("len", "len({0})", int_result, objects=(builtins.len,), differentiable=False, lift=False)
defprim("trip_count", "_rt.trip_count({0}, {1}, {2})", int_result, differentiable=False, lift=False)
# a value never read, of the type of what later replaces it (type inference fills it in from
# where it flows; codegen spells it by that type)
defprim("placeholder", None, lambda: None, differentiable=False, lift=False)
# raise UnboundLocalError unless the bound flag (the argument) is true: a read of a name that
# may be unbound on the path taken (no result; codegen spells it as an if/raise)
defprim("check_bound", None, lambda flag: None, differentiable=False, lift=False)
# log(a) where a > 0, else 0 (the b-partial of a ** b); its derivative is needed by second
# derivatives of a ** b
defprim("log_or_zero", "_rt.log_or_zero({0})", float_result, objects=(rt.log_or_zero,),
        emit_array="np.where({0} > 0, np.log(np.abs({0}) + ({0} <= 0)), 0.0)")


@scalar_rule("log_or_zero")
def log_or_zero(a, out):
    return rt.inv_or_zero(a)


defprim("inv_or_zero", "_rt.inv_or_zero({0})", float_result, objects=(rt.inv_or_zero,),
        differentiable=False,      # third derivatives are refused before they get here
        emit_array="np.where({0} > 0, 1.0 / np.where({0} > 0, {0}, 1.0), 0.0)")
