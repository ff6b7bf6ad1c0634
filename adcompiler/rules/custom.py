"""Rules supplied by users: ``@ad.rule(fn)``, ``ad.non_differentiable(fn)``, ``ad.stop_gradient``.

A user's function with a rule becomes a primitive like ``sin``: the generated code calls the
function itself (compiled by Numba with the derivative), and its partials are lowered from the
rule's source exactly like the built-in templates, so one rule serves both modes.
"""
import inspect
import threading

import numpy as np

from ..ir.nodes import BOOL, INT, FLOAT, ArrayType
from .table import PRIMITIVES, defprim, same_as_args

#: user functions registered as data, by identity (their results carry no derivative):
#: id -> (function, the result type declared with ``returns=``, or None)
USER_NON_DIFFERENTIABLE = {}


def stop_gradient(x):
    """``x`` itself, treated as a constant by differentiation (JAX's ``lax.stop_gradient``)."""
    return x


defprim("stop_gradient", "{0}", same_as_args, objects=(stop_gradient,), differentiable=False,
        emit_array="np.copy({0})")


def _external_name(fn):
    count = sum(1 for p in PRIMITIVES.values() if getattr(p, "external", None) is not None)
    return f"_user_{fn.__name__}_{count}"


# Modules imported by different threads may register rules at once: counting the externals
# while another thread adds one raised "dictionary changed size during iteration", or gave
# two functions the same external name.
_registering = threading.Lock()


def _user_primitive(fn):
    """The primitive standing for user function ``fn`` (created on first registration)."""
    name = f"user:{fn.__module__}.{fn.__qualname__}"
    with _registering:
        prim = PRIMITIVES.get(name)
        if prim is not None and prim.objects[0] is fn:
            return prim
        external = _external_name(fn)
        prim = defprim(name, lambda atoms: f"{external}({', '.join(atoms)})",
                       _result_type_of(fn), objects=(fn,), lift=False)
        prim.external = (external, fn)
        return prim


def _result_type_of(fn):
    """The type ``fn`` returns for given argument types, found by compiling its source to
    typed IR (so a rule on arrays may return a scalar or an array)."""
    seen = {}

    def result_type(*types):
        key = tuple(map(repr, types))
        if key not in seen:
            from ..frontend import build_ssa
            outputs = build_ssa(fn, list(types)).body.yields
            if len(outputs) != 1:
                raise TypeError(f"a function with a rule must return one value; "
                                f"{fn.__name__}() returns {len(outputs)}")
            seen[key] = outputs[0].type
        return seen[key]
    return result_type


def rule(fn):
    """Register the decorated function as the derivative rule of ``fn``.

    Simple form: the rule takes ``fn``'s parameters and returns ``fn``'s partial derivative
    (a tuple, one per parameter, when ``fn`` has several)::

        @ad.rule(softplus)
        def softplus_partial(x):
            return 1.0 / (1.0 + np.exp(-x))

    Advanced form, for functions whose Jacobian should not be formed: decorate a class
    with ``tangent(*args, out, *d_args)`` (one tangent term per argument) and
    ``adjoint(*args, out, g)`` (one cotangent per argument, of the argument's shape).
    Both forms are compiled with the derivative code (Numba on the default backend).
    """
    if not inspect.isfunction(fn):
        raise TypeError(f"ad.rule expects a Python function, got {type(fn).__name__}")
    nargs = fn.__code__.co_argcount

    def register(derivative):
        prim = _user_primitive(fn)
        if inspect.isclass(derivative):
            if not (hasattr(derivative, "tangent") and hasattr(derivative, "adjoint")):
                raise TypeError("a rule class needs both 'tangent' and 'adjoint' methods")
            prim.tangent, prim.adjoint = derivative.tangent, derivative.adjoint
        elif inspect.isfunction(derivative):
            if derivative.__code__.co_argcount != nargs:
                raise TypeError(f"the rule for {fn.__name__}() must take its {nargs} "
                                f"parameter(s), got {derivative.__code__.co_argcount}")
            prim.partials = derivative
            prim.nargs = nargs
        else:
            raise TypeError("ad.rule decorates a function (partials) or a class (tangent/adjoint)")
        return derivative
    return register


_SCALAR_RESULTS = ((float, FLOAT), (np.float64, FLOAT), (int, INT), (np.int64, INT),
                   (bool, BOOL), (np.bool_, BOOL))
_ARRAY_DTYPES = ("float64", "float32", "int64", "bool")


def _declared_type(returns):
    """The IR type of ``returns=``: ``float``, ``int``, ``bool``, or ``(dtype, ndim)`` of an array."""
    for obj, t in _SCALAR_RESULTS:
        if returns is obj:
            return t
    if isinstance(returns, tuple) and len(returns) == 2 and isinstance(returns[1], int) \
            and not isinstance(returns[1], bool) and returns[1] >= 1:
        try:
            dtype = np.dtype(returns[0]).name
        except TypeError:
            dtype = None
        if dtype in _ARRAY_DTYPES:
            return ArrayType(dtype, returns[1])
    raise TypeError(f"returns= must be float, int, bool or (dtype, ndim) of an array, such as "
                    f"(np.float64, 2), with dtype one of {', '.join(_ARRAY_DTYPES)}; got {returns!r}")


def non_differentiable(fn=None, *, returns=None):
    """Register ``fn`` as data: calls to it are compiled but carry no derivative (like
    ``round``). Returns ``fn``, so it also works as a decorator.

    A function without Python source (a builtin, a Numba-compiled function) must say what it
    returns, since nothing else can tell: ``returns=float``, ``int``, ``bool``, or
    ``(dtype, ndim)`` for an array, e.g. ``(np.float64, 2)``. For a Python function the
    source decides, and a declared type is checked against it."""
    if fn is None:
        return lambda f: non_differentiable(f, returns=returns)
    declared = None if returns is None else _declared_type(returns)
    USER_NON_DIFFERENTIABLE[id(fn)] = (fn, declared)
    return fn


def is_user_non_differentiable(obj):
    hit = USER_NON_DIFFERENTIABLE.get(id(obj))
    return hit is not None and hit[0] is obj


def declared_result(obj):
    """The type declared with ``ad.non_differentiable(obj, returns=...)``, or None."""
    hit = USER_NON_DIFFERENTIABLE.get(id(obj))
    return hit[1] if hit is not None and hit[0] is obj else None
