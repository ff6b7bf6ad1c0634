"""A corpus of plain-Python scalar functions (floats and ints, no arrays) covering the scalar
language adcompiler promises to differentiate.

``CASES`` is a list of ``(function, args)``; a function may appear several times with inputs that
take different branches or trip counts. Inputs are chosen well inside every function's domain and
away from branch boundaries and kinks, so central finite differences (eps=1e-6) are accurate.
``COVERAGE`` maps each language feature to the functions that exercise it.
"""
import math

import numpy as np

# module-level constants read by the functions below
SCALE = 0.75
OFFSET = -1.25
N_STEPS = 4
THRESHOLD = 2.5


# ---------------------------------------------------------------------------------------------
# helpers (undecorated, module level; inlined by the compiler)

def _square(t):
    return t * t


def _poly(t, a=1.0, b=-0.5):
    return a * t * t + b * t + 0.25


def _sq_plus_sin(t):
    return _square(t) + math.sin(t)


def _chain(t):
    return _sq_plus_sin(t) * _poly(t, b=0.3)


def _geometric(t, n):
    s = 0.0
    p = 1.0
    for i in range(n):
        s = s + p
        p = p * t
    return s


def _clipped(t, lo, hi):
    if t < lo:
        return lo
    if t > hi:
        return hi
    return t


def _smooth_step(t):
    if t < 0.0:
        return 0.1 * t
    elif t < 1.0:
        return t * t * (3.0 - 2.0 * t)
    return 1.0 + 0.1 * (t - 1.0)


def _newton_step(y, a):
    return 0.5 * (y + a / y)


# ---------------------------------------------------------------------------------------------
# arithmetic operators

def arith_add(x, y):
    """binary + with constants on both sides"""
    return x + y + 1.5 + (2.0 + x)


def arith_sub(x, y):
    """binary - with constants on both sides"""
    return x - y - 2.0 - (1.0 - x) - (y - x)


def arith_mul(x, y):
    """binary * including x*x and constant factors"""
    return x * y * 3.0 + x * x - 0.5 * y


def arith_div(x, y):
    """binary / with the active value in numerator and denominator"""
    return x / y + 2.0 / x - (x + y) / (x * y)


def power_float_exponent(x, y):
    """** with an active base and an active exponent"""
    return x ** y + x ** 2.5 + 1.7 ** y


def power_constant_exponent(x):
    """** with constant integer, negative and fractional exponents"""
    return x ** 3 + x ** -2 + x ** 0.5 + 2.0 ** x


def power_int_argument(x, n):
    """** with a runtime integer exponent"""
    return x ** n + float(n) * x ** (n - 1)


def floordiv_as_data(x, y):
    """// of floats has no derivative: its result is used as a constant factor"""
    q = x // y
    return q * x + y * (x // 1.0)


def mod_floats(x, y):
    """% of two active floats (d/dy = -floor(x/y))"""
    return x % y + (y * 3.0) % x


def mod_int_data(x, n):
    """% of ints used as data"""
    k = n % 3
    return float(k) * x + (n % 5) * x * x


def unary_ops(x, y):
    """unary minus and unary plus"""
    return -x * +y - (-y) + -(-x * x) + (+x)


def abs_value(x, y):
    """abs of values of either sign"""
    return abs(x) * y + abs(y - 3.0) + abs(-x * y)


def min_max_two(x, y):
    """min and max of two arguments"""
    return max(x, y) - 2.0 * min(x, y) + max(x * x, 0.5) * min(y, 10.0)


def min_max_many(x, y, z):
    """min and max of three or four arguments"""
    return max(x, y, z) * min(x, y, z, 1.0) + max(x, 0.0, z * y)


# ---------------------------------------------------------------------------------------------
# comparisons, boolean logic, conditional expressions

def comparisons(x, y):
    """<, <=, >, >=, ==, != and chained comparisons deciding branches"""
    s = x * y
    if x < y:
        s = s + x
    if x <= 0.5:
        s = s * 2.0
    if y > 1.0:
        s = s - y * y
    if y >= x:
        s = s + 1.0
    if x == 0.25:
        s = s * 100.0
    if y != 7.0:
        s = s + y
    if 0.0 < x < y:
        s = s * x
    return s


def bool_logic(x, y):
    """and / or / not in conditions"""
    s = x + y
    if x > 0.0 and y > 0.0:
        s = s * x
    if x > 1.0 or y < 0.0:
        s = s + y * y
    if not (x > y):
        s = s - x
    if (x < 0.0 or x > 0.5) and not y > 5.0:
        s = s * 1.5
    return s


def bool_values(x, y):
    """booleans stored in variables and combined"""
    big = x > 1.0
    pos = y > 0.0
    both = big and pos
    either = big or pos
    neither = not either
    s = x * y
    if both:
        s = s + x
    if either:
        s = s * y
    if neither:
        s = s - 1.0
    return s


def cond_expr(x):
    """conditional expression on a runtime value"""
    return x * x if x > 1.0 else -3.0 * x


def cond_expr_nested(x, y):
    """nested conditional expressions and one inside arithmetic"""
    a = x if x > y else y
    b = (x * y if y > 0.0 else x - y) if x > 0.0 else (math.sin(x) if y > 0.0 else y * y)
    return a * b + (1.0 if a > 2.0 else a) * x


# ---------------------------------------------------------------------------------------------
# assignment forms

def aug_assign(x, y):
    """augmented assignment +=, -=, *=, /=, **="""
    s = x
    s += y
    s *= x
    s -= 0.5
    s /= y
    s **= 2
    s += x * y
    return s


def aug_assign_in_loop(x, n):
    """augmented assignment inside a loop"""
    s = 1.0
    t = 0.0
    for i in range(n):
        s *= x
        t += s / (i + 1)
        t -= 0.1 * x
    return t


def tuple_assign(x, y):
    """tuple assignment and unpacking"""
    a, b = x * 2.0, y + 1.0
    c, d, e = a * b, a - b, x
    return c + d * e


def swap_vars(x, y):
    """swap with a, b = b, a"""
    a = x
    b = 2.0 * y
    a, b = b, a
    return a - 3.0 * b + a * b


def swap_in_loop(x, y, n):
    """Fibonacci-like tuple update inside a loop"""
    a, b = x, y
    for i in range(n):
        a, b = b, a + 0.5 * b
    return a * b


def reassign_many(x):
    """the same name reassigned many times"""
    y = x
    y = y * y
    y = math.sin(y)
    y = y + x
    y = y * 2.0
    y = math.exp(-y)
    y = y + x * x
    y = math.log(y)
    y = y - x
    y = y * y
    y = y / (1.0 + x)
    y = y + 0.5
    return y


def reassign_param(x, y):
    """parameters reassigned"""
    x = x * y
    y = x + y
    x = y - x * 0.5
    x = x * x
    return x + y


# ---------------------------------------------------------------------------------------------
# math and numpy functions

def math_trig(x):
    """math.sin, math.cos, math.tan"""
    return math.sin(x) * math.cos(2.0 * x) + math.tan(x)


def np_trig(x):
    """np.sin, np.cos, np.tan"""
    return np.sin(x) * np.cos(2.0 * x) + np.tan(x)


def math_inverse_trig(x):
    """math.asin, math.acos, math.atan"""
    return math.asin(x) + 2.0 * math.acos(x * 0.5) + math.atan(3.0 * x)


def np_inverse_trig(x):
    """np.arcsin, np.arccos, np.arctan"""
    return np.arcsin(x) + 2.0 * np.arccos(x * 0.5) + np.arctan(3.0 * x)


def math_atan2(y, x):
    """math.atan2 in several quadrants"""
    return math.atan2(y, x) * x + y


def np_arctan2(y, x):
    """np.arctan2 in several quadrants"""
    return np.arctan2(y, x) * y - x


def math_hyperbolic(x):
    """math.sinh, math.cosh, math.tanh"""
    return math.sinh(x) + math.cosh(0.5 * x) * math.tanh(x)


def np_hyperbolic(x):
    """np.sinh, np.cosh, np.tanh"""
    return np.sinh(x) + np.cosh(0.5 * x) * np.tanh(x)


def math_exp_family(x):
    """math.exp and math.expm1"""
    return math.exp(x) * math.expm1(0.5 * x) + math.expm1(-x)


def np_exp_family(x):
    """np.exp and np.expm1"""
    return np.exp(x) * np.expm1(0.5 * x) + np.expm1(-x)


def math_log_family(x):
    """math.log, math.log (with base), math.log1p, math.log2, math.log10"""
    return math.log(x) + math.log1p(x) * math.log2(x + 1.0) + math.log10(3.0 * x) + math.log(x, 3.0)


def np_log_family(x):
    """np.log, np.log1p, np.log2, np.log10"""
    return np.log(x) + np.log1p(x) * np.log2(x + 1.0) + np.log10(3.0 * x)


def math_sqrt_hypot(x, y):
    """math.sqrt and math.hypot"""
    return math.sqrt(x) * y + math.hypot(x, y) + math.sqrt(x * x + y * y + 1.0)


def np_sqrt_hypot(x, y):
    """np.sqrt and np.hypot"""
    return np.sqrt(x) * y + np.hypot(x, y)


def pow_functions(x, y):
    """math.pow and np.power with active base and exponent"""
    return math.pow(x, y) + np.power(y, 2.0) + math.pow(2.0, x) + np.power(x, y * 0.5)


def erf_function(x):
    """math.erf"""
    return math.erf(x) * x + math.erf(0.5 * x * x)


def math_constants(x):
    """math.pi and math.e"""
    return math.pi * x * x + math.e ** x + math.sin(math.pi * x / 4.0) / math.e


def module_constants(x, y):
    """module-level float and int constants (SCALE, OFFSET, N_STEPS, THRESHOLD)"""
    s = SCALE * x + OFFSET * y
    for i in range(N_STEPS):
        s = s * SCALE + x
    if s > THRESHOLD:
        s = s - THRESHOLD * y
    return s


def float_conversion(x, n):
    """float() of an int and of a float"""
    return x * float(n) + float(x) * float(x)


# ---------------------------------------------------------------------------------------------
# branches

def if_elif_else(x):
    """if/elif/else on a runtime value, three branches"""
    if x < -1.0:
        y = x * x
    elif x < 1.0:
        y = math.sin(x) + 2.0
    else:
        y = math.exp(0.5 * x)
    return y * x


def if_on_computed(x, y):
    """branch on an expression computed from both inputs, different variables per branch"""
    t = x * y - 1.0
    if t > 0.0:
        a = t * x
        b = y
    else:
        a = t * y
        b = x * x
    return a + b * t


def nested_ifs(x, y):
    """if inside if inside else"""
    if x > 0.0:
        if y > 0.0:
            s = x * y
        else:
            s = x - y
    else:
        if y > x:
            s = y * y
        else:
            if y < -2.0:
                s = x
            else:
                s = x * y * y
    return s + x


def if_without_else(x, y):
    """if without else updating a variable in place"""
    s = x
    if y > 0.5:
        s = s * y
    if x > 2.0:
        s = s + math.sqrt(x)
    return s


# ---------------------------------------------------------------------------------------------
# for-range loops

def for_range_stop(x, n):
    """range(n) with runtime n"""
    s = 0.0
    for i in range(n):
        s = s * x + math.cos(i * x)
    return s


def for_range_start_stop(x, a, b):
    """range(a, b) with runtime bounds"""
    s = x
    for i in range(a, b):
        s = s + x * i / (i + 10.0)
    return s


def for_range_step(x, a, b, c):
    """range(a, b, c) with runtime positive step"""
    s = 1.0
    for i in range(a, b, c):
        s = s * (1.0 + 0.1 * x * i)
    return s


def for_range_negative_step(x, n):
    """range(n, 0, -1) and range(n, -n, -3): negative steps"""
    s = 0.0
    for i in range(n, 0, -1):
        s = s + x ** 2 / i
    for j in range(n, -n, -3):
        s = s * 0.9 + x * j
    return s


def for_range_zero_trips(x, n):
    """loops whose trip count is zero at run time"""
    s = x * 2.0
    for i in range(n):
        s = s * x
    for i in range(5, n):
        s = s + 1.0
    return s


def for_range_computed_bounds(x, n):
    """range bounds computed from ints at run time"""
    s = 0.0
    for i in range(n // 2, 2 * n + 1, n % 3 + 1):
        s = s + math.sin(x * i)
    return s


def loop_variable_after_loop(x, n):
    """the loop index and a loop-carried float used after the loop"""
    s = x
    k = 0
    for i in range(n):
        s = s * 0.5 + x
        k = i
    return s * k


# ---------------------------------------------------------------------------------------------
# while loops, break, continue

def while_threshold(x):
    """while with a data-dependent condition"""
    s = 1.0
    k = 0
    while s < 10.0:
        s = s * x + 0.5
        k = k + 1
    return s + k * x


def while_counter(x, n):
    """while with an integer counter"""
    i = 0
    s = x
    while i < n:
        s = s * 0.9 + math.sin(s) * x
        i += 1
    return s


def while_newton_sqrt(a):
    """Newton iteration for sqrt(a) until converged (data-dependent trip count)"""
    y = a
    k = 0
    while abs(y * y - a) > 1e-13 * a and k < 60:
        y = 0.5 * (y + a / y)
        k = k + 1
    return y


def break_in_for(x, n):
    """break out of a for loop on a data-dependent condition"""
    s = 1.0
    for i in range(n):
        s = s * x + 0.1
        if s > 5.0:
            break
    return s


def break_in_while(x):
    """while True with break"""
    s = x
    k = 0
    while True:
        s = s * 1.5 + x
        k += 1
        if s > 20.0:
            break
    return s / k


def continue_in_for(x, n):
    """continue skipping some iterations"""
    s = 0.0
    for i in range(n):
        if i % 2 == 0:
            continue
        s = s + x ** i / i
    return s


def continue_in_while(x, n):
    """continue in a while loop on a data-dependent condition"""
    i = 0
    s = 0.0
    while i < n:
        i += 1
        t = math.sin(x * i)
        if t < 0.0:
            continue
        s = s + t * x
    return s


def break_and_continue(x, n):
    """both break and continue in one loop"""
    s = 0.0
    for i in range(n):
        v = x * i
        if v < 1.0:
            continue
        s = s + math.sqrt(v)
        if s > 4.0:
            break
    return s


# ---------------------------------------------------------------------------------------------
# returns

def early_return(x):
    """early return before the main computation"""
    if x < 0.0:
        return -x * x
    y = math.sqrt(x)
    return y * x


def multiple_returns(x, y):
    """several returns on different paths"""
    if x > y:
        return x - y
    elif x > 0.0:
        return x * y
    if y > 1.0:
        return math.exp(y * 0.1) * x
    return y


def return_in_loop(x, n):
    """return from inside a for loop"""
    s = 0.0
    for i in range(n):
        s = s + x * (i + 1)
        if s > 3.0:
            return s * 2.0
    return s


def return_in_while(x):
    """return from inside a while loop"""
    s = x
    while s < 100.0:
        s = s * s + 1.0
        if s > 30.0:
            return math.log(s)
    return s


def return_in_nested_loop(x, n):
    """return from inside the inner loop of a nested loop"""
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + x * i - 0.1 * j
            if s > 2.0:
                return s * x
    return -s


# ---------------------------------------------------------------------------------------------
# nesting of loops and branches

def nested_loops(x, n, m):
    """two nested for loops"""
    s = 0.0
    for i in range(n):
        t = x
        for j in range(m):
            t = t * 0.5 + math.cos(x * j)
        s = s + t * i
    return s


def nested_loops_triangular(x, n):
    """inner trip count depends on the outer index"""
    s = 1.0
    for i in range(n):
        for j in range(i):
            s = s + x / (i + j + 1.0)
        s = s * 0.8
    return s


def triple_loop(x, y, n):
    """three nested loops"""
    s = 0.0
    for i in range(n):
        for j in range(2):
            for k in range(i, n):
                s = s + x * y / (1.0 + i + j + k)
    return s


def loop_in_branch(x, n):
    """a loop inside each branch of an if"""
    s = x
    if x > 1.0:
        for i in range(n):
            s = s * 0.5 + x
    else:
        for i in range(n + 1):
            s = s + math.sin(s)
    return s


def branch_in_loop(x, y, n):
    """if/elif/else inside a loop"""
    s = 0.0
    for i in range(n):
        if i % 3 == 0:
            s = s + x
        elif s > 1.0:
            s = s * y
        else:
            s = s - 0.5 * y * x
    return s


def while_in_for(x, n):
    """a while loop inside a for loop"""
    s = 0.0
    for i in range(n):
        t = x
        while t < 5.0 + i:
            t = t * 2.0
        s = s + t
    return s


def for_in_while(x):
    """a for loop inside a while loop"""
    s = x
    rounds = 0
    while s < 50.0:
        for j in range(3):
            s = s + x * j
        s = s * 1.2
        rounds += 1
    return s + rounds


def data_dependent_branch_in_loop(x, n):
    """a branch inside a loop that depends on the carried value"""
    s = x
    for i in range(n):
        if s > 1.0:
            s = s * 0.5
        else:
            s = s + x * x
    return s


# ---------------------------------------------------------------------------------------------
# user helper functions

def calls_helper(x, y):
    """calls to simple helpers"""
    return _square(x) + _poly(y) * x


def calls_helper_chain(x):
    """a helper calling helpers calling helpers"""
    return _chain(x) + _sq_plus_sin(2.0 * x)


def calls_helper_with_loop(x, n):
    """a helper that contains a loop"""
    return _geometric(x, n) * x


def calls_helper_kwargs(x, y):
    """a helper called with keyword arguments and defaults"""
    return _poly(x) + _poly(x, b=y) + _poly(y, a=x, b=2.0)


def calls_helper_early_return(x, y):
    """a helper with several returns"""
    return _clipped(x, -1.0, 1.0) * y + _clipped(y, 0.0, 0.5) + _smooth_step(x)


def calls_helper_in_loop(x, n):
    """a helper called inside a loop, with data-dependent returns"""
    s = 0.0
    y = x
    for i in range(n):
        y = _newton_step(y, x)
        s = s + _smooth_step(y * 0.1 * i)
    return s + y


# ---------------------------------------------------------------------------------------------
# non-differentiable builtins used as data

def int_as_loop_count(x):
    """int(x) of an active float used as a loop count"""
    s = 0.0
    for i in range(int(x)):
        s = s + x * i
    return s


def round_as_data(x, y):
    """round(x) used as a factor and as a loop count"""
    k = round(x)
    s = x * k + y * round(y * 2.0)
    for i in range(round(y)):
        s = s + y
    return s


def int_truncation(x, y):
    """int() in arithmetic: x * int(y) + y / int(x)"""
    return x * int(y) + y / int(x) + float(int(x * y))


def mixed_int_float(x, n):
    """int arithmetic mixed with floats"""
    m = n * 2 + 1
    k = m // 3
    return x * m + k * x * x - (n - k) / x


def bool_argument(x, flag):
    """a bool argument choosing a branch"""
    if flag:
        return x * x
    return -x


# ---------------------------------------------------------------------------------------------
# small realistic programs

def rosenbrock(x, y):
    """Rosenbrock function"""
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def logistic_map(x, r, n):
    """logistic map iterated n times"""
    for i in range(n):
        x = r * x * (1.0 - x)
    return x


def horner(x, n):
    """Horner evaluation of a polynomial with coefficients 1/(k+1)"""
    p = 0.0
    for k in range(n, -1, -1):
        p = p * x + 1.0 / (k + 1)
    return p


def taylor_exp(x, n):
    """Taylor series of exp(x) with a running term"""
    term = 1.0
    s = 1.0
    for k in range(1, n):
        term = term * x / k
        s += term
    return s


def softplus_sigmoid(x, y):
    """softplus and sigmoid written with exp and log1p, branch for stability"""
    if x > 0.0:
        sp = x + math.log1p(math.exp(-x))
    else:
        sp = math.log1p(math.exp(x))
    sig = 1.0 / (1.0 + math.exp(-y))
    return sp * sig


def euler_ode(k, y0, n):
    """explicit Euler for y' = -k y + sin(t)"""
    y = y0
    h = 0.1
    t = 0.0
    for i in range(n):
        y = y + h * (-k * y + math.sin(t))
        t += h
    return y


def projectile_range(v, theta):
    """javelin-style range u**2/g*sin(2*theta)"""
    g = 9.81
    return v ** 2 / g * math.sin(2.0 * theta)


def compound_interest(rate, years):
    """compounding with a while loop until a target"""
    balance = 100.0
    k = 0
    while k < years:
        balance = balance * (1.0 + rate)
        if balance > 150.0:
            balance = balance - 10.0 * rate
        k += 1
    return balance


def gaussian_log_likelihood(mu, sigma, x1, x2):
    """log-likelihood of two points under a normal distribution"""
    s = -0.5 * ((x1 - mu) / sigma) ** 2 - 0.5 * ((x2 - mu) / sigma) ** 2
    return s - 2.0 * math.log(sigma) - math.log(2.0 * math.pi)


def bisection_free_fixed_point(x, n):
    """fixed-point iteration y = cos(x*y), fixed count"""
    y = 0.5
    for i in range(n):
        y = math.cos(x * y)
    return y


# ---------------------------------------------------------------------------------------------
# more corners of the language

def and_or_values(x, y):
    """and/or returning operand values rather than booleans"""
    a = x or 2.0
    b = (y > 0.0) and y
    c = 0.0 or x * y
    return a * b + c


def not_of_float(x):
    """not applied to a float (truthiness)"""
    if not x:
        return 1.0
    return x * 3.0


def round_half_even(x, n):
    """round() of an exact half rounds to even, as in Python"""
    return x * round(n + 0.5) + x * round(-n - 0.5)


def negative_int_ops(x, n):
    """% and // of a negative int follow Python's floor semantics"""
    return x * (n % 3) + x * x * (n // 2) + x * float(-n // 4)


def min_max_mixed_types(x, n):
    """min/max mixing an int argument and a float"""
    return max(x, n) * x + min(n, 3) * x


def loop_index_reassigned(x, n):
    """the loop index reassigned in the body; the next iteration resets it"""
    s = 0.0
    for i in range(n):
        s = s + x * i
        i = i * 10
        s = s + i
    return s


def loop_bound_reassigned(x, n):
    """the range bound reassigned inside the loop (range is evaluated once)"""
    s = 0.0
    for i in range(n):
        n = n - 1
        s = s + x
    return s * n


def rotate_three(x, y, z):
    """three-way tuple rotation"""
    a, b, c = x, y, z
    a, b, c = c, a * 2.0, b
    return a * b - c


def int_or_float_cond_expr(x):
    """conditional expression choosing an int or a float constant"""
    k = 1 if x > 0.0 else 2.5
    return k * x


def calls_helper_twice(x, n):
    """the same helper with a loop inlined twice"""
    return _geometric(x, n) + _geometric(2.0 * x, n + 1)


def _first_over(t, lim):
    s = 0.0
    for i in range(10):
        s = s + t
        if s > lim:
            return s
    return -s


def calls_helper_return_in_loop(x, n):
    """a helper that returns from inside its loop, called inside a loop"""
    acc = 0.0
    for j in range(n):
        acc = acc + _first_over(x, 1.0 + j)
    return acc


def while_compound_condition(x):
    """while condition combining a counter and a float with and"""
    s = 0.5
    k = 0
    while k < 100 and s < 5.0:
        s = s * x + 0.1
        k += 1
    return s


def chained_comparison_active(x, y):
    """chained comparison with active values in the middle"""
    if 0.0 < x < y < 2.0:
        return x * y
    return x - y


def negative_power_precedence(x):
    """-x ** 2 is -(x ** 2)"""
    return -x ** 2 + (-x) ** 2 * 3.0


def log_active_base(x, y):
    """math.log with an active base"""
    return math.log(x, y) + math.log(y * x)


def pow_int_exponent_functions(x, n):
    """math.pow with an int exponent and x ** -n"""
    return math.pow(x, n) + x ** -n


def continue_in_inner_loop(x, n):
    """continue in the inner loop of a nested loop"""
    s = 0.0
    for i in range(n):
        for j in range(n):
            if j == i:
                continue
            s = s + x * j - i
    return s


def return_in_while_in_for(x, n):
    """return from a while loop nested in a for loop"""
    for i in range(n):
        s = x * i
        while s < 10.0:
            s = s * 2.0 + 1.0
            if s > 8.0:
                return s * x
    return x


def carried_copy_of_invariant(x, n):
    """a loop-carried variable initialised to a value that the loop also reads"""
    t = x * 2.0
    s = t
    for i in range(n):
        s = s + t
    return s


def early_return_before_loop(x, n):
    """an early return followed by a loop"""
    if x < 0.0:
        return x
    s = 0.0
    for i in range(n):
        s += x
    return s


# ---------------------------------------------------------------------------------------------
# (function, args) pairs; several entries take different branches of the same function

CASES = [
    (arith_add, (0.7, -1.3)),
    (arith_sub, (0.7, -1.3)),
    (arith_mul, (0.7, -1.3)),
    (arith_div, (0.7, -1.3)),
    (power_float_exponent, (1.3, 0.7)),
    (power_constant_exponent, (1.4,)),
    (power_int_argument, (1.3, 3)),
    (power_int_argument, (0.8, 0)),
    (floordiv_as_data, (5.3, 1.7)),
    (floordiv_as_data, (-5.3, 1.7)),
    (mod_floats, (5.3, 1.7)),
    (mod_floats, (-5.3, 1.7)),
    (mod_int_data, (0.9, 7)),
    (unary_ops, (0.6, -1.1)),
    (abs_value, (-1.3, 0.7)),
    (abs_value, (1.3, 4.7)),
    (min_max_two, (0.3, 1.1)),
    (min_max_two, (1.4, -0.2)),
    (min_max_many, (0.3, 1.1, -0.4)),
    (min_max_many, (1.9, 0.6, 1.3)),
    (comparisons, (0.3, 1.2)),
    (comparisons, (1.6, 0.9)),
    (bool_logic, (0.4, 1.3)),
    (bool_logic, (1.7, -0.6)),
    (bool_logic, (-0.8, 0.3)),
    (bool_values, (1.5, 0.7)),
    (bool_values, (0.5, -0.7)),
    (cond_expr, (1.6,)),
    (cond_expr, (0.4,)),
    (cond_expr_nested, (1.3, 0.4)),
    (cond_expr_nested, (-0.9, 0.6)),
    (cond_expr_nested, (-0.9, -1.6)),
    (cond_expr_nested, (2.6, -0.5)),
    (aug_assign, (0.8, 1.3)),
    (aug_assign_in_loop, (1.1, 6)),
    (tuple_assign, (0.8, 1.3)),
    (swap_vars, (0.8, 1.3)),
    (swap_in_loop, (0.8, 1.3, 5)),
    (reassign_many, (0.7,)),
    (reassign_param, (0.7, 1.9)),
    (math_trig, (0.4,)),
    (np_trig, (0.4,)),
    (math_inverse_trig, (0.35,)),
    (np_inverse_trig, (-0.45,)),
    (math_atan2, (0.7, 1.2)),
    (math_atan2, (-0.7, -1.2)),
    (np_arctan2, (0.7, -1.2)),
    (np_arctan2, (-0.7, 1.2)),
    (math_hyperbolic, (0.8,)),
    (np_hyperbolic, (-0.6,)),
    (math_exp_family, (0.8,)),
    (np_exp_family, (-0.6,)),
    (math_log_family, (0.8,)),
    (np_log_family, (2.6,)),
    (math_sqrt_hypot, (0.8, -1.4)),
    (np_sqrt_hypot, (2.2, 0.6)),
    (pow_functions, (1.3, 0.7)),
    (erf_function, (0.45,)),
    (math_constants, (0.6,)),
    (module_constants, (0.9, 0.4)),
    (module_constants, (-0.9, 0.4)),
    (float_conversion, (0.9, 4)),
    (if_elif_else, (-1.7,)),
    (if_elif_else, (0.3,)),
    (if_elif_else, (1.8,)),
    (if_on_computed, (1.5, 1.2)),
    (if_on_computed, (0.5, 1.2)),
    (nested_ifs, (0.5, 0.8)),
    (nested_ifs, (0.5, -0.8)),
    (nested_ifs, (-0.5, 0.8)),
    (nested_ifs, (-0.5, -2.8)),
    (nested_ifs, (-0.5, -1.2)),
    (if_without_else, (2.4, 0.9)),
    (if_without_else, (1.4, 0.2)),
    (for_range_stop, (0.7, 5)),
    (for_range_start_stop, (0.7, 2, 9)),
    (for_range_start_stop, (0.7, -3, 4)),
    (for_range_step, (0.7, 1, 12, 3)),
    (for_range_negative_step, (0.7, 5)),
    (for_range_zero_trips, (1.3, 0)),
    (for_range_zero_trips, (1.3, 3)),
    (for_range_computed_bounds, (0.7, 7)),
    (loop_variable_after_loop, (0.7, 6)),
    (while_threshold, (1.3,)),
    (while_threshold, (2.1,)),
    (while_counter, (0.7, 6)),
    (while_counter, (0.7, 0)),
    (while_newton_sqrt, (2.7,)),
    (break_in_for, (1.5, 10)),
    (break_in_for, (0.5, 10)),
    (break_in_while, (0.7,)),
    (continue_in_for, (0.8, 9)),
    (continue_in_while, (0.9, 10)),
    (break_and_continue, (0.35, 12)),
    (break_and_continue, (0.27, 6)),
    (early_return, (-0.8,)),
    (early_return, (1.7,)),
    (multiple_returns, (1.5, 0.5)),
    (multiple_returns, (0.5, 1.5)),
    (multiple_returns, (-0.5, 1.5)),
    (multiple_returns, (-0.5, 0.5)),
    (return_in_loop, (0.4, 10)),
    (return_in_loop, (0.1, 4)),
    (return_in_while, (1.3,)),
    (return_in_nested_loop, (0.7, 4)),
    (return_in_nested_loop, (0.05, 3)),
    (nested_loops, (0.7, 4, 3)),
    (nested_loops_triangular, (0.7, 5)),
    (triple_loop, (0.7, 1.3, 3)),
    (loop_in_branch, (1.3, 4)),
    (loop_in_branch, (0.6, 4)),
    (branch_in_loop, (1.1, 0.9, 9)),
    (while_in_for, (0.7, 4)),
    (for_in_while, (1.3,)),
    (data_dependent_branch_in_loop, (0.9, 8)),
    (calls_helper, (0.7, 1.3)),
    (calls_helper_chain, (0.7,)),
    (calls_helper_with_loop, (0.7, 6)),
    (calls_helper_kwargs, (0.7, 1.3)),
    (calls_helper_early_return, (0.7, 0.3)),
    (calls_helper_early_return, (-1.7, 1.3)),
    (calls_helper_early_return, (1.7, -0.3)),
    (calls_helper_in_loop, (2.3, 6)),
    (int_as_loop_count, (4.4,)),
    (round_as_data, (2.3, 3.1)),
    (int_truncation, (2.3, 3.1)),
    (mixed_int_float, (0.7, 5)),
    (bool_argument, (0.7, True)),
    (bool_argument, (0.7, False)),
    (rosenbrock, (0.7, 1.3)),
    (logistic_map, (0.3, 3.2, 8)),
    (horner, (0.7, 6)),
    (taylor_exp, (0.7, 12)),
    (softplus_sigmoid, (0.7, -0.3)),
    (softplus_sigmoid, (-0.7, 0.3)),
    (euler_ode, (0.7, 1.3, 10)),
    (projectile_range, (20.0, 0.6)),
    (compound_interest, (0.08, 10)),
    (gaussian_log_likelihood, (0.3, 1.4, 0.9, -0.2)),
    (bisection_free_fixed_point, (0.9, 15)),
    (and_or_values, (0.7, 1.3)),
    (and_or_values, (0.7, -1.3)),
    (not_of_float, (0.7,)),
    (round_half_even, (0.7, 2)),
    (round_half_even, (0.7, 1)),
    (negative_int_ops, (0.7, -7)),
    (min_max_mixed_types, (0.7, 2)),
    (min_max_mixed_types, (4.5, 2)),
    (loop_index_reassigned, (0.7, 4)),
    (loop_bound_reassigned, (0.7, 4)),
    (rotate_three, (0.7, 1.3, -0.4)),
    (int_or_float_cond_expr, (0.7,)),
    (int_or_float_cond_expr, (-0.7,)),
    (calls_helper_twice, (0.7, 4)),
    (calls_helper_return_in_loop, (0.35, 4)),
    (while_compound_condition, (1.3,)),
    (chained_comparison_active, (0.5, 1.5)),
    (chained_comparison_active, (0.5, 2.5)),
    (negative_power_precedence, (0.7,)),
    (log_active_base, (2.7, 1.8)),
    (pow_int_exponent_functions, (1.3, 3)),
    (continue_in_inner_loop, (0.7, 4)),
    (return_in_while_in_for, (0.7, 4)),
    (return_in_while_in_for, (0.01, 1)),
    (carried_copy_of_invariant, (0.7, 3)),
    (early_return_before_loop, (0.5, 3)),
    (early_return_before_loop, (-0.5, 3)),
]

# language feature -> functions exercising it (names of functions in CASES)
COVERAGE = {
    "op +": ["arith_add", "rosenbrock"],
    "op -": ["arith_sub", "rosenbrock"],
    "op *": ["arith_mul", "rosenbrock"],
    "op /": ["arith_div", "taylor_exp"],
    "op **": ["power_float_exponent", "power_constant_exponent", "power_int_argument"],
    "op //": ["floordiv_as_data", "mixed_int_float", "for_range_computed_bounds", "negative_int_ops"],
    "op %": ["mod_floats", "mod_int_data", "continue_in_for", "negative_int_ops"],
    "unary -": ["unary_ops"],
    "unary +": ["unary_ops"],
    "abs": ["abs_value", "while_newton_sqrt"],
    "min": ["min_max_two", "min_max_many", "min_max_mixed_types"],
    "max": ["min_max_two", "min_max_many", "min_max_mixed_types"],
    "comparisons": ["comparisons", "bool_values", "chained_comparison_active"],
    "and/or/not": ["bool_logic", "bool_values", "and_or_values", "not_of_float", "while_compound_condition"],
    "conditional expression": ["cond_expr", "cond_expr_nested", "int_or_float_cond_expr"],
    "augmented assignment": ["aug_assign", "aug_assign_in_loop"],
    "tuple assignment": ["tuple_assign", "swap_in_loop"],
    "swap": ["swap_vars", "swap_in_loop", "rotate_three"],
    "reassignment of one name": ["reassign_many", "reassign_param", "loop_index_reassigned", "loop_bound_reassigned"],
    "sin": ["math_trig", "np_trig"],
    "cos": ["math_trig", "np_trig"],
    "tan": ["math_trig", "np_trig"],
    "asin/arcsin": ["math_inverse_trig", "np_inverse_trig"],
    "acos/arccos": ["math_inverse_trig", "np_inverse_trig"],
    "atan/arctan": ["math_inverse_trig", "np_inverse_trig"],
    "atan2/arctan2": ["math_atan2", "np_arctan2"],
    "sinh": ["math_hyperbolic", "np_hyperbolic"],
    "cosh": ["math_hyperbolic", "np_hyperbolic"],
    "tanh": ["math_hyperbolic", "np_hyperbolic"],
    "exp": ["math_exp_family", "np_exp_family", "softplus_sigmoid"],
    "expm1": ["math_exp_family", "np_exp_family"],
    "log": ["math_log_family", "np_log_family", "log_active_base"],
    "log1p": ["math_log_family", "np_log_family", "softplus_sigmoid"],
    "log2": ["math_log_family", "np_log_family"],
    "log10": ["math_log_family", "np_log_family"],
    "sqrt": ["math_sqrt_hypot", "np_sqrt_hypot"],
    "pow": ["pow_functions", "pow_int_exponent_functions"],
    "hypot": ["math_sqrt_hypot", "np_sqrt_hypot"],
    "erf": ["erf_function"],
    "math.pi": ["math_constants"],
    "math.e": ["math_constants"],
    "module-level constants": ["module_constants"],
    "if/elif/else": ["if_elif_else", "multiple_returns", "branch_in_loop"],
    "for-range runtime stop": ["for_range_stop", "for_range_zero_trips"],
    "for-range runtime start/stop": ["for_range_start_stop"],
    "for-range runtime step": ["for_range_step", "for_range_computed_bounds"],
    "for-range negative step": ["for_range_negative_step", "horner"],
    "while data-dependent": ["while_threshold", "while_newton_sqrt", "for_in_while"],
    "break": ["break_in_for", "break_in_while", "break_and_continue"],
    "continue": ["continue_in_for", "continue_in_while", "break_and_continue", "continue_in_inner_loop"],
    "early return": ["early_return", "bool_argument", "early_return_before_loop"],
    "multiple returns": ["multiple_returns", "calls_helper_early_return"],
    "return inside loop": ["return_in_loop", "return_in_while", "return_in_nested_loop", "return_in_while_in_for", "calls_helper_return_in_loop"],
    "nested loops": ["nested_loops", "nested_loops_triangular", "triple_loop", "while_in_for", "for_in_while", "continue_in_inner_loop"],
    "loop inside branch": ["loop_in_branch", "early_return_before_loop"],
    "branch inside loop": ["branch_in_loop", "data_dependent_branch_in_loop"],
    "helper call": ["calls_helper", "calls_helper_kwargs"],
    "helper calling helper": ["calls_helper_chain"],
    "helper with loop": ["calls_helper_with_loop", "calls_helper_twice", "calls_helper_return_in_loop"],
    "int() as data": ["int_as_loop_count", "int_truncation"],
    "round() as data": ["round_as_data", "round_half_even"],
}
