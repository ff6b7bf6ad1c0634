"""One tiny function per primitive spelling, with an input domain where it is smooth."""
import math

import numpy as np

from adcompiler.runtime import helpers as rt


def add(a, b): return a + b
def sub(a, b): return a - b
def mul(a, b): return a * b
def div(a, b): return a / b
def pow_(a, b): return a ** b
def math_pow(a, b): return math.pow(a, b)
def np_power(a, b): return np.power(a, b)
def log_or_zero(a): return rt.log_or_zero(a)   # the b-partial of a ** b
def mod(a, b): return a % b
def fmod(a, b): return math.fmod(a, b)
def neg(a): return -a
def pos(a): return +a
def abs_(a): return abs(a)
def np_abs(a): return np.abs(a)
def fabs(a): return math.fabs(a)
def max_(a, b): return max(a, b)
def min_(a, b): return min(a, b)
def np_maximum(a, b): return np.maximum(a, b)
def np_minimum(a, b): return np.minimum(a, b)
def sin(a): return math.sin(a)
def cos(a): return math.cos(a)
def tan(a): return math.tan(a)
def asin(a): return math.asin(a)
def acos(a): return math.acos(a)
def atan(a): return math.atan(a)
def arcsin(a): return np.arcsin(a)
def arccos(a): return np.arccos(a)
def arctan(a): return np.arctan(a)
def atan2(a, b): return math.atan2(a, b)
def arctan2(a, b): return np.arctan2(a, b)
def sinh(a): return math.sinh(a)
def cosh(a): return math.cosh(a)
def tanh(a): return math.tanh(a)
def np_tanh(a): return np.tanh(a)
def exp(a): return math.exp(a)
def np_exp(a): return np.exp(a)
def expm1(a): return math.expm1(a)
def log(a): return math.log(a)
def log_base(a, b): return math.log(a, b)
def np_log(a): return np.log(a)
def log1p(a): return math.log1p(a)
def log2(a): return math.log2(a)
def log10(a): return math.log10(a)
def sqrt(a): return math.sqrt(a)
def np_sqrt(a): return np.sqrt(a)
def hypot(a, b): return math.hypot(a, b)
def erf(a): return math.erf(a)
def square(a): return np.square(a)
def float_(a): return float(a)


# (function, primitive it exercises, domain per argument)
POSITIVE = (0.3, 2.0)
ANY = (-2.0, 2.0)
UNIT = (-0.9, 0.9)
CASES = [
    (add, "add", [ANY, ANY]), (sub, "sub", [ANY, ANY]), (mul, "mul", [ANY, ANY]),
    (div, "div", [ANY, POSITIVE]), (pow_, "pow", [POSITIVE, ANY]),
    (math_pow, "pow", [POSITIVE, ANY]), (np_power, "pow", [POSITIVE, ANY]),
    (mod, "mod", [(0.2, 0.9), (1.1, 1.9)]), (fmod, "fmod", [(-1.5, -1.1), (0.8, 0.9)]), (neg, "neg", [ANY]), (pos, "pos", [ANY]),
    (abs_, "abs", [ANY]), (np_abs, "abs", [ANY]), (fabs, "abs", [ANY]),
    (max_, "max", [ANY, ANY]), (min_, "min", [ANY, ANY]),
    (np_maximum, "max", [ANY, ANY]), (np_minimum, "min", [ANY, ANY]),
    (sin, "sin", [ANY]), (cos, "cos", [ANY]), (tan, "tan", [UNIT]),
    (asin, "arcsin", [UNIT]), (acos, "arccos", [UNIT]), (atan, "arctan", [ANY]),
    (arcsin, "arcsin", [UNIT]), (arccos, "arccos", [UNIT]), (arctan, "arctan", [ANY]),
    (atan2, "arctan2", [ANY, POSITIVE]), (arctan2, "arctan2", [POSITIVE, ANY]),
    (sinh, "sinh", [ANY]), (cosh, "cosh", [ANY]), (tanh, "tanh", [ANY]), (np_tanh, "tanh", [ANY]),
    (exp, "exp", [ANY]), (np_exp, "exp", [ANY]), (expm1, "expm1", [ANY]),
    (log, "log", [POSITIVE]), (log_base, "log", [POSITIVE, (1.5, 3.0)]), (np_log, "log", [POSITIVE]),
    (log1p, "log1p", [POSITIVE]), (log2, "log2", [POSITIVE]), (log10, "log10", [POSITIVE]),
    (sqrt, "sqrt", [POSITIVE]), (np_sqrt, "sqrt", [POSITIVE]), (hypot, "hypot", [ANY, ANY]),
    (erf, "erf", [ANY]), (square, "square", [ANY]), (float_, "float", [ANY]),
    (log_or_zero, "log_or_zero", [POSITIVE]),
]


def all_primitives(a, b):
    """Every differentiable primitive in one function: one Numba compile covers them all."""
    p = 0.5 + a * a          # positive
    u = 0.4 * math.tanh(a)   # in (-0.4, 0.4)
    s = a + b - a * b + a / p + p ** b + math.pow(p, 0.5) + (p % 0.3) - a + (+b)
    s = s + abs(a) + max(a, b) + min(a, b) + math.sin(a) + math.cos(b) + math.tan(u)
    s = s + math.asin(u) + math.acos(u) + math.atan(b) + math.atan2(a, p) + math.sinh(a)
    s = s + math.cosh(b) + math.tanh(a) + math.exp(u) + math.expm1(u) + math.log(p)
    s = s + math.log1p(p) + math.log2(p) + math.log10(p) + math.sqrt(p) + math.hypot(a, b)
    s = s + math.erf(b) + np.square(a) + float(b)
    return s
