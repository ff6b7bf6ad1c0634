"""Functions called without a rule (``opaque_call``): the type of what they return.

Lowering needs the type of every value (an array's rank decides what ``*`` and ``np.sum``
become), and an opaque function has no source to read it from. Its type is taken from what
is known for sure, or the call is refused: a guess is a silently wrong result waiting to
happen (a float guessed for ``np.identity(3)`` made ``np.sum(np.identity(3) * x)`` a scalar
product, with a 3x3 "gradient"). What is known:

- the result a user declared with ``ad.non_differentiable(fn, returns=...)``;
- the documented result of a standard-library function of numbers (``KNOWN_RESULTS``):
  ``math.gamma`` returns a float and ``math.factorial`` an int, whatever their arguments
  are, if they return at all. With an array argument nothing is known (``random.gauss`` of an
  array mean is an array);
- for a NumPy ufunc (``np.cbrt``, ``np.isfinite``), NumPy's own type resolution: the dtype
  its loop for these argument dtypes returns, and the broadcast rank.
"""
import math
import random

import numpy as np

from ..ir.nodes import BOOL, INT, FLOAT, ArrayType, is_array
from .custom import declared_result

#: id -> (function, result type), for functions of numbers
KNOWN_RESULTS = {}


def _known(module, names, result):
    for name in names:
        fn = getattr(module, name, None)     # math.cbrt and math.exp2 are new in Python 3.11
        if fn is not None:
            KNOWN_RESULTS[id(fn)] = (fn, result)


_known(math, ("gamma", "lgamma", "erfc", "acosh", "asinh", "atanh", "cbrt", "exp2", "copysign",
              "degrees", "radians", "ldexp", "nextafter", "remainder", "ulp"), FLOAT)
_known(math, ("factorial", "comb", "perm", "gcd", "lcm", "isqrt"), INT)
_known(math, ("isfinite", "isclose"), BOOL)
_known(random, ("random", "uniform", "gauss", "normalvariate", "lognormvariate", "expovariate",
                "betavariate", "gammavariate", "paretovariate", "weibullvariate",
                "vonmisesvariate", "triangular"), FLOAT)
_known(random, ("randint", "randrange", "getrandbits"), INT)


_SCALAR_DTYPES = {BOOL: "bool", INT: "int64", FLOAT: "float64"}
_SCALARS_OF_DTYPE = {"bool": BOOL, "int64": INT, "float64": FLOAT}


def _ufunc_result(fn, arg_types):
    if fn.nout != 1 or len(arg_types) != fn.nin or not hasattr(fn, "resolve_dtypes"):
        return None
    if any(not is_array(t) and t not in _SCALAR_DTYPES for t in arg_types):
        return None
    arrays = [t for t in arg_types if is_array(t)]
    if len(arrays) < len(arg_types) and any(t.dtype == "float32" for t in arrays):
        # a float32 array with a number: float32 for a Python float, float64 for np.float64
        return None
    dtypes = tuple(np.dtype(t.dtype if is_array(t) else _SCALAR_DTYPES[t]) for t in arg_types)
    try:
        result = fn.resolve_dtypes(dtypes + (None,))[-1].name
    except TypeError:                     # no loop for these dtypes: NumPy raises too
        return None
    if not arrays:
        return _SCALARS_OF_DTYPE.get(result)
    if result not in ("float64", "float32", "int64", "bool"):
        return None
    return ArrayType(result, max(t.ndim for t in arrays))


def opaque_result_type(fn, arg_types):
    """The type ``fn(*args)`` returns for arguments of ``arg_types``, or None if unknown."""
    declared = declared_result(fn)
    if declared is not None:
        return declared
    if isinstance(fn, np.ufunc):
        return _ufunc_result(fn, arg_types)
    hit = KNOWN_RESULTS.get(id(fn))
    if hit is None or hit[0] is not fn or any(t not in (BOOL, INT, FLOAT) for t in arg_types):
        return None
    return hit[1]


def returns_new_array(fn):
    """A ufunc allocates its result; anything else may return (a view of) an argument."""
    return isinstance(fn, np.ufunc)
