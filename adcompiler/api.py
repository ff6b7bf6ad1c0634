"""Public API: grad, value_and_grad, jvp, vjp and source."""
import functools
import inspect
import numbers

import numpy as np

from .errors import CompileError
from .ir.nodes import Loc, is_array
from .backends import build_callable
from .codegen import generate_source
from .transforms.pipeline import derivative_ir

_COMPILED = {}


def _kind(value, position, fn):
    if isinstance(value, np.ndarray):
        dtype = value.dtype
        if dtype.kind == "f":
            name = dtype.name if dtype.name in ("float64", "float32") else "float64"
        elif dtype.kind in "iu":
            name = "int64"
        elif dtype.kind == "b":
            name = "bool"
        else:
            raise TypeError(f"argument {position} of {fn.__name__}() has unsupported dtype {dtype}")
        return f"array:{name}:{value.ndim}"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (numbers.Integral, np.integer)):
        return "int"
    if isinstance(value, (numbers.Real, np.floating)):
        return "float"
    raise TypeError(f"argument {position} of {fn.__name__}() is a {type(value).__name__}; "
                    f"adcompiler differentiates functions of floats, ints and NumPy arrays")


def _is_float_kind(kind):
    return kind == "float" or kind.startswith("array:float")


def _location(fn):
    code = getattr(fn, "__code__", None)
    return Loc(code.co_filename, code.co_firstlineno, "") if code else None


def _param_names(fn):
    return list(inspect.signature(fn).parameters)


def _positions(fn, wrt):
    """Normalise ``wrt`` (int, name, or tuple of those) to (positions, is_tuple)."""
    names = _param_names(fn)
    many = isinstance(wrt, (tuple, list))
    out = []
    for w in (wrt if many else (wrt,)):
        if isinstance(w, str):
            if w not in names:
                raise CompileError(f"wrt={w!r}: {fn.__name__}() has no parameter {w!r}",
                                   _location(fn), f"choose from {names}")
            w = names.index(w)
        if not isinstance(w, int) or not -len(names) <= w < len(names):
            raise CompileError(f"wrt={w!r} is not a parameter position of {fn.__name__}()",
                               _location(fn), f"use 0..{len(names) - 1} or a name from {names}")
        out.append(w % len(names))
    return tuple(out), many


def _bind(fn, args, kwargs):
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return list(bound.arguments.values())


class Compiled:
    """One derivative specialised to argument kinds: its IR, source and callable."""

    def __init__(self, fn, mode, kinds, positions, backend):
        self.ir = derivative_ir(fn, mode, kinds, positions)
        self.source, self.externals = generate_source(self.ir)
        self.n_outputs = self.ir.annotations["n_outputs"]
        self.returns_tuple = self.ir.annotations.get("returns_tuple", False)
        self.output_is_array = any(getattr(y, "type", None) is not None and
                                   hasattr(y.type, "ndim") for y in self.ir.body.yields[:1])
        self.fn, self.backend, self.mode = fn, backend, mode
        self._callable = None

    def __call__(self, *args):
        if self._callable is None:
            title = f"{self.mode}-mode derivative of {self.fn.__qualname__} " \
                    f"({self.ir.filename}:{self.ir.firstlineno})"
            self._callable = build_callable(self.source, self.ir.name, self.backend, title,
                                            self.externals)
        result = self._callable(*args)
        return result if isinstance(result, tuple) else (result,)


def _compiled(fn, mode, kinds, positions, backend, source_only=False):
    key = (fn, mode, tuple(kinds), tuple(positions), backend)
    hit = _COMPILED.get(key)
    if hit is None:
        hit = _COMPILED[key] = Compiled(fn, mode, kinds, positions, backend)
    return hit


def _check_float_args(fn, kinds, positions, args, what):
    names = _param_names(fn)
    for p in positions:
        if not _is_float_kind(kinds[p]):
            shown = repr(args[p]) if np.ndim(args[p]) == 0 else f"an array of {args[p].dtype}"
            fix = f"pass {float(args[p])!r} if it is a real number" if np.ndim(args[p]) == 0 \
                else "pass x.astype(float) if it holds real numbers"
            raise CompileError(
                f"{what}: argument '{names[p]}' of {fn.__name__}() is {kinds[p]} ({shown}); "
                f"derivatives are only defined for float arguments", _location(fn),
                f"{fix}, or remove it from wrt")


class Derivative:
    """A derivative function of ``fn``: call it like ``fn``; ``.source`` shows its code."""

    def __init__(self, fn, wrt, backend, with_value):
        self.fn, self.backend, self.with_value = fn, backend, with_value
        self.positions, self.many = _positions(fn, wrt)
        self._last = None
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        args = _bind(self.fn, args, kwargs)
        kinds = [_kind(a, i, self.fn) for i, a in enumerate(args)]
        _check_float_args(self.fn, kinds, self.positions, args, "grad")
        compiled = _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
        if compiled.n_outputs != 1 or compiled.returns_tuple or compiled.output_is_array:
            what = "an array" if compiled.output_is_array else f"{compiled.n_outputs} values"
            raise CompileError(f"grad needs {self.fn.__name__}() to return one scalar; it returns "
                               f"{what}", _location(self.fn),
                               "use ad.vjp or ad.jacobian for non-scalar outputs")
        self._last = compiled
        out = compiled(*args, 1.0)
        value, grads = out[0], out[1:]
        grads = tuple(_scalar_or_array(g) for g in grads)
        g = grads if self.many else grads[0]
        return (_scalar_or_array(value), g) if self.with_value else g

    @property
    def source(self):
        """The generated Python source (for float arguments unless already called)."""
        if self._last is None:
            kinds = ["float"] * len(_param_names(self.fn))
            self._last = _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
        return self._last.source

    def __repr__(self):
        return f"<adcompiler derivative of {self.fn.__qualname__} wrt {self.positions}>"


def grad(fn=None, wrt=0, *, backend="numba"):
    """Reverse-mode gradient of scalar-valued ``fn`` with respect to argument(s) ``wrt``.

    ``wrt`` is a position, a parameter name, or a tuple of those (then a tuple of gradients
    is returned). Works as ``grad(f)``, ``@grad`` and ``@grad(wrt=(0, 1))``.
    """
    if fn is None:
        return lambda f: grad(f, wrt, backend=backend)
    return Derivative(fn, wrt, backend, with_value=False)


def value_and_grad(fn=None, wrt=0, *, backend="numba"):
    """Like :func:`grad` but the function returns ``(value, gradient)``."""
    if fn is None:
        return lambda f: value_and_grad(f, wrt, backend=backend)
    return Derivative(fn, wrt, backend, with_value=True)


def _scalar_or_array(value):
    return float(value) if np.ndim(value) == 0 else value


def _unpack(outputs, returns_tuple):
    outputs = tuple(_scalar_or_array(o) for o in outputs)
    return outputs if returns_tuple else outputs[0]


def jvp(fn, primals, tangents, *, backend="numba"):
    """Forward mode: ``(fn(*primals), J @ tangents)``, as in JAX."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    kinds = [_kind(a, i, fn) for i, a in enumerate(primals)]
    names = _param_names(fn)
    for i, (k, t) in enumerate(zip(kinds, tangents)):
        if not _is_float_kind(k) and np.any(np.asarray(t) != 0):
            raise ValueError(f"jvp: argument '{names[i]}' is {k} ({primals[i]!r}), so its tangent "
                             f"must be 0, got {t!r}")
    positions = [i for i, k in enumerate(kinds) if _is_float_kind(k)]
    compiled = _compiled(fn, "forward", kinds, positions, backend)
    out = compiled(*primals, *[_tangent_like(tangents[i], primals[i]) for i in positions])
    n = compiled.n_outputs
    return _unpack(out[:n], compiled.returns_tuple), _unpack(out[n:], compiled.returns_tuple)


def vjp(fn, *primals, backend="numba"):
    """Reverse mode: ``(fn(*primals), vjp_fn)``; ``vjp_fn(cotangent)`` returns one cotangent
    per primal (0.0 for integer primals)."""
    kinds = [_kind(a, i, fn) for i, a in enumerate(primals)]
    positions = [i for i, k in enumerate(kinds) if _is_float_kind(k)]
    compiled = _compiled(fn, "reverse", kinds, positions, backend)
    n = compiled.n_outputs
    # one forward evaluation with zero seeds gives the value (and the output shapes)
    value = fn(*[p.copy() if isinstance(p, np.ndarray) else p for p in primals])
    value = tuple(value) if compiled.returns_tuple else (value,)

    def vjp_fn(cotangent):
        cts = tuple(cotangent) if compiled.returns_tuple else (cotangent,)
        if len(cts) != n:
            raise ValueError(f"vjp_fn expects {n} cotangent(s), got {len(cts)}")
        grads = iter(compiled(*primals, *[_tangent_like(c, v) for c, v in zip(cts, value)])[n:])
        return tuple(_scalar_or_array(next(grads)) if _is_float_kind(k) else 0.0 for k in kinds)

    return _unpack(value, compiled.returns_tuple), vjp_fn


def _tangent_like(t, primal):
    """A tangent/cotangent converted to the primal's kind (float, or a float array)."""
    if isinstance(primal, np.ndarray):
        t = np.array(t, dtype=primal.dtype if primal.dtype.kind == "f" else np.float64)  # a copy
        if t.shape != primal.shape:
            t = np.broadcast_to(t, primal.shape).copy()
        return t
    return float(t)


def source(fn, mode="reverse", wrt=None, *, args=None, backend="numba"):
    """The generated source of ``fn``'s derivative, without running anything.

    ``args`` are example arguments giving the argument types (arrays need them); without
    them every argument is taken to be a float. ``wrt`` defaults to every float argument in
    forward mode and to argument 0 in reverse mode.
    """
    names = _param_names(fn)
    kinds = [_kind(a, i, fn) for i, a in enumerate(args)] if args is not None \
        else ["float"] * len(names)
    if mode == "forward":
        positions = _positions(fn, wrt)[0] if wrt is not None else \
            tuple(i for i, k in enumerate(kinds) if _is_float_kind(k))
    elif mode == "reverse":
        positions = _positions(fn, 0 if wrt is None else wrt)[0]
    else:
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
    return _compiled(fn, mode, kinds, positions, backend).source
