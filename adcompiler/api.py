"""Public API: grad, value_and_grad, jvp, vjp and source."""
import functools
import inspect
import types
import numbers
import threading

import numpy as np

from .errors import CompileError
from .pytree import Flattened, is_structured, zero_like, unflatten
from .locking import KeyedLocks
from .ir.nodes import Loc, is_array, derivative_type
from .frontend.source import python_function
from .backends import build_callable, resolve_backend
from .codegen import generate_source
from .drivers import columns_driver, hessian_columns_driver, rows_driver, never_compiles
from .transforms.pipeline import derivative_ir, second_derivative_ir
from .transforms.parallel import prepare_parallel_loops, prepare_kernels, has_parallel_loop

_COMPILED = {}
_compile_locks = KeyedLocks()       # one per key of _COMPILED: concurrent first calls build once


def _check_function(fn):
    """Reject what the compiler cannot take before looking at the arguments (e.g. ``*args``)."""
    if not (inspect.isfunction(fn) or inspect.ismethod(fn) and inspect.isfunction(fn.__func__)):
        raise TypeError(f"adcompiler differentiates Python functions, not {type(fn).__name__}")
    if fn.__code__.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        from .frontend.source import parse_function
        from .frontend.fence import check_syntax
        check_syntax(parse_function(getattr(fn, "__func__", fn)))


_ARRAY_KINDS = {}       # this and _SIGNATURES: racing threads store equal values, no lock


def _kind(value, position, fn):
    if type(value) is float:
        return "float"
    if value is None or isinstance(value, str):
        return ("constant", value)        # a flag or an unset option: part of the specialisation
    if type(value) is np.ndarray:
        key = (value.dtype.char, value.ndim)
        kind = _ARRAY_KINDS.get(key)
        if kind is None:
            kind = _ARRAY_KINDS[key] = _scalar_or_array_kind(value, position, fn)
        return kind
    return _scalar_or_array_kind(value, position, fn)


def _plain_kinds(args, fn):
    """The kinds of ``args`` when they are all of ``fn``'s parameters, given by position,
    none of them a tuple, list or dict (the fast path of a call); else None."""
    if type(fn) is not types.FunctionType or len(args) != _n_parameters(fn):
        return None
    kinds = []
    append = kinds.append
    for a in args:
        t = type(a)
        if t is float:
            append("float")
        elif t is np.ndarray:
            kind = _ARRAY_KINDS.get((a.dtype.char, a.ndim))
            if kind is None:
                kind = _kind(a, len(kinds), fn)
            append(kind)
        elif t is tuple or t is list or t is dict:
            return None
        else:
            append(_kind(a, len(kinds), fn))
    return tuple(kinds)


def _n_parameters(fn):
    n = _N_PARAMETERS.get(fn)
    if n is None:
        n = _N_PARAMETERS[fn] = len(_signature(fn).parameters)
    return n


_N_PARAMETERS = {}      # like _SIGNATURES: racing threads store equal values


def _scalar_or_array_kind(value, position, fn):
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
    extra = " (every API function also takes tuples, lists and dicts of them)" \
        if isinstance(value, (tuple, list, dict)) else ""
    raise TypeError(f"argument {position} of {fn.__name__}() is a {type(value).__name__}; "
                    f"adcompiler differentiates functions of floats, ints and NumPy arrays{extra}")


def _is_float_value(value):
    return isinstance(value, (float, np.floating)) or (
        isinstance(value, np.ndarray) and value.dtype.kind == "f")


def _is_float_kind(kind):
    return kind == "float" or (isinstance(kind, str) and kind.startswith("array:float"))


def _location(fn):
    code = getattr(fn, "__code__", None)
    return Loc(code.co_filename, code.co_firstlineno, "") if code else None


def _param_names(fn):
    return list(_signature(_innermost(fn)).parameters)


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


_SIGNATURES = {}


def _signature(fn):
    """``inspect.signature(fn)``, computed once per function (it is slow)."""
    sig = _SIGNATURES.get(fn)
    if sig is None:
        _check_function(fn)
        sig = _SIGNATURES[fn] = inspect.signature(fn)
    return sig


def _bind(fn, args, kwargs):
    sig = _signature(fn)
    if not kwargs and len(args) == len(sig.parameters):
        return list(args)                       # the common case, without binding
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    return list(bound.arguments.values())


class Compiled:
    """One derivative specialised to argument kinds: its IR, source and callable."""

    def __init__(self, fn, mode, kinds, positions, backend):
        if mode == "forward-over-reverse":
            self.ir = second_derivative_ir(fn, kinds, *positions)
        else:
            self.ir = derivative_ir(fn, mode, kinds, positions)
        # Numba runs prange loops in parallel in their own form (reductions summed per
        # iteration first: other rounding, so not on the python backend, which gives Python's)
        self.parallel = backend == "numba" and has_parallel_loop(prepare_parallel_loops(self.ir))
        if backend == "cuda":
            prepare_kernels(self.ir)        # each parallel loop a kernel (codegen/kernels.py)
        self.source, self.externals = generate_source(self.ir, backend)
        self.n_outputs = self.ir.annotations["n_outputs"]
        self.returns_tuple = self.ir.annotations.get("returns_tuple", False)
        self.output_is_array = any(getattr(y, "type", None) is not None and
                                   hasattr(y.type, "ndim") for y in self.ir.body.yields[:1])
        self.fn, self.backend, self.mode = fn, backend, mode
        self.captured = self.ir.annotations.get("captured", ())
        # arrays read from globals or closures: extra arguments after the parameters
        self.hidden = self.ir.annotations.get("hidden", ())
        self.hidden_kinds = tuple(_kind(captured_value(*h), h[2], fn) for h in self.hidden)
        self.n_params = len(kinds)
        self.reads_globals = bool(self.captured or self.hidden)   # see _still_valid
        self._callable = None
        self._jitted = None         # a Numba dispatcher, called without the wrapper's frame
        self.drivers = {}           # compiled loops calling this derivative (drivers.py), by use
        self._build_lock = threading.Lock()

    def __call__(self, *args):
        if self.hidden:
            n = self.n_params
            args = args[:n] + tuple(captured_value(*h) for h in self.hidden) + args[n:]
        jitted = self._jitted
        if jitted is not None:
            try:
                result = jitted(*args)
            except Exception as exc:        # noqa: BLE001 - the backend's error handling
                result = self.recover(exc, args)
        else:
            function = self._callable or self._build()
            result = function(*args)
            # the first call may have switched a parallel function to serial
            self._jitted = getattr(function, "jitted", None)
        return result if type(result) is tuple else (result,)

    def fast_callable(self):
        """The Numba dispatcher to call with the arguments as given (no captured arrays to
        add), handing its exceptions to :meth:`recover`; else None."""
        return None if self.hidden else self._jitted

    def recover(self, exc, args):
        """After the dispatcher raised ``exc`` on ``args``: the backend's result (serial
        rerun) or its error."""
        result = self._callable.failed(exc, args)
        self._jitted = getattr(self._callable, "jitted", None)      # maybe serial now
        return result

    def _build(self):
        """The callable, made once even when several threads make the first call together
        (each would otherwise wrap its own Numba dispatcher, and each compile it)."""
        with self._build_lock:
            if self._callable is None:
                title = f"{self.mode}-mode derivative of {self.fn.__qualname__} " \
                        f"({self.ir.filename}:{self.ir.firstlineno})"
                self._callable = build_callable(self.source, self.ir.name, self.backend, title,
                                                self.externals, parallel=self.parallel)
                self._jitted = getattr(self._callable, "jitted", None)
            return self._callable


def captured_value(owner, scope, name):
    """The current value of a constant compiled into a derivative: a global or closure
    variable of function ``owner``, or an attribute of the user's object ``owner``."""
    if scope == "closure":
        cells = dict(zip(owner.__code__.co_freevars, owner.__closure__ or ()))
        try:
            return cells[name].cell_contents
        except (KeyError, ValueError):
            return None
    if scope == "attribute":
        return getattr(owner, name, None)
    return owner.__globals__.get(name)


def _still_valid(compiled):
    """False once a number the derivative was compiled with has been reassigned."""
    for owner, scope, name, value in compiled.captured:
        now = captured_value(owner, scope, name)
        if type(now) is not type(value) or now != value:
            return False
    for (owner, scope, name), kind in zip(compiled.hidden, compiled.hidden_kinds):
        now = captured_value(owner, scope, name)
        if type(now) is not np.ndarray or _kind(now, name, compiled.fn) != kind:
            return False
    return True


def _compiled(fn, mode, kinds, positions, backend, source_only=False):
    backend = resolve_backend(backend)
    key = (fn, mode, tuple(kinds), tuple(map(lambda p: tuple(p) if isinstance(p, (list, tuple))
                                             else p, positions)), backend)
    hit = _COMPILED.get(key)
    if hit is not None and _still_valid(hit):
        return hit
    with _compile_locks(key):
        hit = _COMPILED.get(key)        # again: another thread may have built it meanwhile
        if hit is None or not _still_valid(hit):
            hit = _COMPILED[key] = Compiled(fn, mode, kinds, positions, backend)
        return hit


def _flat_leaves(fn, positions, args, what):
    """For tuple, list and dict arguments: the flat wrapper of ``fn`` (pytree.py) and the
    float leaves of the arguments at ``positions``; CompileError if there are none."""
    flat = Flattened(fn, _param_names(fn), args)
    leaves = flat.leaf_positions(positions, _is_float_value)
    if not leaves:
        raise CompileError(f"{what}: the arguments {positions} of {fn.__name__}() hold no "
                           f"float to differentiate", _location(fn), "pass floats or float arrays")
    return flat, leaves


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
        fn = python_function(fn)
        self.fn, self.backend, self.with_value = fn, backend, with_value
        self.positions, self.many = _positions(fn, wrt)
        self._last = None
        self._checked = {}          # argument kinds -> compiled derivative, already checked
        self._flat = {}             # structures of the arguments -> derivative of the wrapper
        functools.update_wrapper(self, _innermost(fn), updated=())

    def __call__(self, *args, **kwargs):
        kinds = None if kwargs else _plain_kinds(args, self.fn)
        if kinds is None:
            if isinstance(self.fn, Derivative):
                return self._call_second_order(args, kwargs)
            args = _bind(self.fn, args, kwargs)
            if any(is_structured(a) for a in args):
                return self._call_structured(args)
            kinds = tuple(_kind(a, i, self.fn) for i, a in enumerate(args))
        compiled = self._checked.get(kinds)
        if compiled is None or (compiled.reads_globals and not _still_valid(compiled)):
            compiled = self._specialise(kinds, args)
        self._last = compiled
        jitted = compiled.fast_callable()
        if jitted is not None:          # the common case, one Python frame fewer
            try:
                out = jitted(*args, 1.0)
            except Exception as exc:    # noqa: BLE001 - the backend's error handling
                out = compiled.recover(exc, (*args, 1.0))
        else:
            out = compiled(*args, 1.0)
        if self.many:
            g = tuple(map(_scalar_or_array, out[1:]))
        else:
            g = _scalar_or_array(out[1])
        return (_scalar_or_array(out[0]), g) if self.with_value else g

    def _call_structured(self, args):
        """Arguments that are tuples, lists or dicts: the gradient of the flat wrapper, in
        the structure of each argument (see pytree.py)."""
        flat, leaves = _flat_leaves(self.fn, self.positions, args, "grad")
        key = (flat.structures, leaves)
        inner = self._flat.get(key)
        if inner is None:
            inner = self._flat[key] = Derivative(flat.fn, leaves, self.backend, True)
        value, grads = inner(*flat.args)
        self._last = inner._last
        g = flat.regroup(self.positions, leaves, grads, zero_like)
        g = g if self.many else g[0]
        return (value, g) if self.with_value else g

    def _specialise(self, kinds, args):
        """The compiled derivative for these argument kinds, checked once."""
        _check_float_args(self.fn, kinds, self.positions, args, "grad")
        compiled = _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
        if compiled.n_outputs != 1 or compiled.returns_tuple or compiled.output_is_array:
            what = "an array" if compiled.output_is_array else f"{compiled.n_outputs} values"
            raise CompileError(f"grad needs {self.fn.__name__}() to return one scalar; it returns "
                               f"{what}", _location(self.fn),
                               "use ad.vjp or ad.jacobian for non-scalar outputs")
        self._checked[kinds] = compiled
        return compiled

    def _call_second_order(self, args, kwargs):
        """grad(grad(f, p), q): the gradient of a scalar first derivative, by forward mode
        over the generated reverse-mode code (one pass per element of argument q)."""
        inner = self.fn
        if isinstance(inner.fn, Derivative):
            raise CompileError("derivatives of order three and more are not supported",
                               _location(_innermost(inner)), "use ad.hessian, ad.hvp or "
                               "ad.grad(ad.grad(f)) (order two)")
        fn = inner.fn
        args = _bind(fn, args, kwargs)
        kinds = [_kind(a, i, fn) for i, a in enumerate(args)]
        _check_float_args(fn, kinds, self.positions, args, "grad")
        if inner.many or any(np.ndim(args[p]) for p in inner.positions):
            raise CompileError(f"grad(grad({fn.__name__})) needs the inner gradient to be one "
                               f"scalar", _location(fn), "use ad.hessian for array arguments")
        hess = Hessian(fn, inner.positions[0], inner.backend)
        blocks = hess.blocks(args, self.positions)[0]       # the columns it needs, once each
        self._last = hess._last
        grads = tuple(_scalar_or_array(b) for b in blocks)
        g = grads if self.many else grads[0]
        if self.with_value:
            return inner(*args), g
        return g

    @property
    def source(self):
        """The generated Python source: for the last call's argument types, or (before any call)
        for the kinds read off how the function uses its parameters (see ``source``)."""
        if self._last is None and isinstance(self.fn, Derivative):
            inner = self.fn
            kinds = _inferred_kinds(inner.fn)
            self._last = _compiled(inner.fn, "forward-over-reverse", kinds,
                                   (inner.positions, tuple(range(len(kinds)))), inner.backend)
        if self._last is None:
            kinds = _inferred_kinds(self.fn)
            self._last = _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
        return self._last.source

    def __repr__(self):
        return f"<adcompiler derivative of {self.fn.__qualname__} wrt {self.positions}>"


def _innermost(d):
    while isinstance(d, Derivative):
        d = d.fn
    return d


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


def _shape(value):
    """``np.shape(value)`` without its cost for the common cases (an array, a float)."""
    return value.shape if type(value) is np.ndarray else () if type(value) is float \
        else np.shape(value)


def _scalar_or_array(value):
    t = type(value)
    if t is float:
        return value
    if t is np.ndarray and value.ndim:
        return value
    return float(value)


def _unpack(outputs, returns_tuple):
    outputs = tuple(_scalar_or_array(o) for o in outputs)
    return outputs if returns_tuple else outputs[0]


_JVP_FAST = {}      # (fn, argument kinds, backend) -> (compiled, float positions); see jvp


def _jvp_fast(fn, primals, tangents, backend):
    """``jvp`` for plain arguments (floats, ints, arrays: every parameter given) of kinds
    seen before: no binding, no checks already made, tangents passed as they are when they
    are already arrays of the primal's dtype and shape (the generated code never writes into
    its arguments). None where the general path is needed."""
    if type(primals) not in (tuple, list) or type(tangents) not in (tuple, list) or \
            len(primals) != len(tangents):
        return None
    kinds = _plain_kinds(primals, fn)
    if kinds is None:
        return None
    hit = _JVP_FAST.get((fn, kinds, backend))
    if hit is None:
        return None
    compiled, positions, floats = hit
    if compiled.reads_globals and not _still_valid(compiled):
        return None
    for i, t in enumerate(tangents):
        if i not in floats and t is not None and (
                t.any() if type(t) is np.ndarray else t != 0):
            return None                 # the general path says what is wrong
    ts = []
    for i in positions:
        t, p = tangents[i], primals[i]
        if type(p) is np.ndarray:
            if not (type(t) is np.ndarray and t.dtype == p.dtype and t.shape == p.shape):
                t = _tangent_like(0.0 if t is None else t, p)
        elif type(t) is not float:
            t = _tangent_like(0.0 if t is None else t, p)
        ts.append(t)
    jitted = compiled.fast_callable()
    if jitted is not None:
        try:
            out = jitted(*primals, *ts)
        except Exception as exc:        # noqa: BLE001 - the backend's error handling
            out = compiled.recover(exc, (*primals, *ts))
        out = out if type(out) is tuple else (out,)
    else:
        out = compiled(*primals, *ts)
    n = compiled.n_outputs
    # an output may be an argument, or a tangent passed as given (f(x) = x): the caller's
    values = tuple(_not_sharing(v, primals) for v in out[:n])
    tangents_out = tuple(_not_sharing(t, ts) for t in out[n:])
    return _unpack(values, compiled.returns_tuple), _unpack(tangents_out,
                                                            compiled.returns_tuple)


def jvp(fn, primals, tangents, *, backend="numba"):
    """Forward mode: ``(fn(*primals), J @ tangents)``, as in JAX."""
    fn = python_function(fn)
    if type(fn) is types.FunctionType:
        fast = _jvp_fast(fn, primals, tangents, backend)
        if fast is not None:
            return fast
    _check_function(fn)
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    given = len(primals)
    primals = tuple(_bind(fn, primals, {}))          # parameters left out take their defaults
    # None: no tangent (zeros) for that argument
    tangents = tuple(zero_like(p) if t is None and not is_structured(p) else t
                     for t, p in zip(tangents, primals))
    if any(is_structured(p) for p in primals):
        flat = Flattened(fn, _param_names(fn), primals)
        leaf_tangents = [leaf for i, t in enumerate(tangents) for leaf in flat.flatten_like(i, t)]
        leaf_tangents += [zero_like(leaf) for p in range(given, len(primals))
                          for leaf in flat.flatten_like(p, primals[p])]
        return jvp(flat.fn, flat.args, leaf_tangents, backend=backend)
    tangents = tangents + tuple(0.0 if isinstance(p, float) else 0 if np.ndim(p) == 0
                                else np.zeros(np.shape(p)) for p in primals[given:])
    kinds = [_kind(a, i, fn) for i, a in enumerate(primals)]
    names = _param_names(fn)
    for i, (k, t) in enumerate(zip(kinds, tangents)):
        if not _is_float_kind(k) and t is not None and np.any(np.asarray(t) != 0):
            raise ValueError(f"jvp: argument '{names[i]}' is {k} ({primals[i]!r}), so its tangent "
                             f"must be 0, got {t!r}")
    positions = [i for i, k in enumerate(kinds) if _is_float_kind(k)]
    compiled = _compiled(fn, "forward", kinds, positions, backend)
    if given == len(primals) and type(fn) is types.FunctionType:
        _JVP_FAST[(fn, tuple(kinds), backend)] = (compiled, tuple(positions),
                                                  frozenset(positions))
    out = compiled(*primals, *[_tangent_like(tangents[i], primals[i]) for i in positions])
    n = compiled.n_outputs
    values = tuple(_not_sharing(v, primals) for v in out[:n])   # f(x) = x: not the caller's x
    return _unpack(values, compiled.returns_tuple), _unpack(out[n:], compiled.returns_tuple)


def _zero_seeds(compiled):
    """Seeds of a reverse-mode derivative that compute the value alone: 0.0 for a scalar
    output, an empty array (of the dtype and rank of its cotangent) for an array output,
    which the generated code replaces by zeros of the output's shape (``_rt.seed_like``)."""
    seeds = []
    for out in compiled.ir.body.yields[:compiled.n_outputs]:
        t = getattr(out, "type", None)
        seeds.append(np.zeros((0,) * t.ndim, derivative_type(t).dtype) if is_array(t) else 0.0)
    return seeds


def _not_sharing(value, primals):
    """``value``, copied if it is (a view of) an argument array: a value is the caller's own."""
    if isinstance(value, np.ndarray) and any(
            isinstance(p, np.ndarray) and np.may_share_memory(value, p) for p in primals):
        return value.copy()
    return value


def vjp(fn, *primals, backend="numba"):
    """Reverse mode: ``(fn(*primals), vjp_fn)``; ``vjp_fn(cotangent)`` returns one cotangent
    per primal (0.0 for integer primals). The value is computed by the compiled derivative
    (Python's value, bit for bit, on the python backend), not by calling ``fn``."""
    fn = python_function(fn)
    _check_function(fn)
    given = len(primals)
    primals = tuple(_bind(fn, primals, {}))          # parameters left out take their defaults
    if any(is_structured(p) for p in primals):
        flat = Flattened(fn, _param_names(fn), primals)
        value, leaf_back = vjp(flat.fn, *flat.args, backend=backend)

        def structured_back(cotangent):
            leaves = leaf_back(cotangent)
            every = tuple(range(len(flat.args)))
            return flat.regroup(range(given), every, leaves)
        structured_back.source = leaf_back.source
        return value, structured_back
    kinds = [_kind(a, i, fn) for i, a in enumerate(primals)]
    positions = [i for i, k in enumerate(kinds) if _is_float_kind(k)]
    compiled = _compiled(fn, "reverse", kinds, positions, backend)
    n = compiled.n_outputs
    # one run with zero seeds gives the value (and the output shapes)
    value = tuple(_not_sharing(v, primals) for v in compiled(*primals, *_zero_seeds(compiled))[:n])

    def vjp_fn(cotangent):
        cts = tuple(cotangent) if compiled.returns_tuple else (cotangent,)
        if len(cts) != n:
            raise ValueError(f"vjp_fn expects {n} cotangent(s), got {len(cts)}")
        grads = iter(compiled(*primals, *[_tangent_like(c, v) for c, v in zip(cts, value)])[n:])
        return tuple(_scalar_or_array(next(grads)) if _is_float_kind(k) else 0.0
                     for k in kinds)[:given]

    vjp_fn.source = compiled.source
    return _unpack(value, compiled.returns_tuple), vjp_fn


def _tangent_like(t, primal):
    """A tangent/cotangent converted to the primal's kind (float, or a float array)."""
    if isinstance(primal, np.ndarray):
        t = np.array(t, dtype=primal.dtype if primal.dtype.kind == "f" else np.float64)  # a copy
        if t.shape != primal.shape:
            t = np.broadcast_to(t, primal.shape).copy()
        return t
    return float(t)


def _inferred_kinds(fn, given=None):
    """Parameter kinds read off how ``fn`` uses its parameters (frontend/infer.py); a kind
    in ``given`` that is not None wins."""
    from .frontend.infer import parameter_kinds
    from .frontend.source import parse_function
    names = _param_names(fn)
    inferred = parameter_kinds(parse_function(getattr(fn, "__func__", fn)), names)
    return [k if k is not None else i for k, i in zip(given or [None] * len(names), inferred)]


def source(fn, mode="reverse", wrt=None, *, args=None, kinds=None, backend="numba"):
    """The generated source of ``fn``'s derivative, without running anything.

    ``args`` are example arguments giving the argument types. Without them the types are
    read off how ``fn`` uses its parameters (indexed or ``.shape``: an array; a loop bound or
    an index: an int; else a float); ``kinds`` (``"float"``, ``"int"``,
    ``"array:float64:2"``, or None to infer) overrides that per parameter. ``wrt`` defaults
    to every float argument in forward mode and to argument 0 in reverse mode.
    """
    if isinstance(fn, (Derivative, Jacobian, HessianVectorProduct)):
        if not isinstance(fn, Derivative) or isinstance(fn.fn, Derivative) or \
                mode != "reverse":
            if args is None and kinds is None and wrt is None:
                return fn.source
            raise TypeError(f"ad.source takes the function to differentiate, not {fn!r}: "
                            "pass the function itself (ad.source(f, wrt=..., args=...)) or "
                            "read the derivative's .source attribute")
        fn, wrt = fn.fn, fn.positions if wrt is None else wrt      # ad.source(ad.grad(f))
    fn = python_function(fn)
    if args is not None:
        kinds = [_kind(a, i, fn) for i, a in enumerate(args)]
    else:                                   # read off how the function uses its parameters
        kinds = _inferred_kinds(fn, kinds)
    if mode == "forward":
        positions = _positions(fn, wrt)[0] if wrt is not None else \
            tuple(i for i, k in enumerate(kinds) if _is_float_kind(k))
    elif mode == "reverse":
        positions = _positions(fn, 0 if wrt is None else wrt)[0]
    else:
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
    return _compiled(fn, mode, kinds, positions, backend).source


def _basis(shape, dtype):
    """Unit vectors of an argument's space, each shaped like the argument."""
    size = int(np.prod(shape, dtype=np.int64))
    for k in range(size):
        e = np.zeros(size, dtype=dtype)
        e[k] = 1.0
        yield e.reshape(shape) if shape else float(e[0])


_UNMADE = object()     # a driver not tried yet


def _run_driver(compiled, key, make, args):
    """The result of compiled loop ``key`` over ``compiled`` (drivers.py), made by ``make()``
    on first use; None where there is none or it failed (the caller's Python loop then gives
    the result, or the error as it should)."""
    driver = compiled.drivers.get(key, _UNMADE)
    if driver is _UNMADE:
        driver = compiled.drivers[key] = make()
    if driver is None:
        return None
    try:
        return driver(*args)
    except Exception as exc:            # noqa: BLE001 - the Python loop raises it again
        if never_compiles(exc):         # and runs from now on
            compiled.drivers[key] = None
        return None


class Jacobian:
    """``jacobian(f)``: the full Jacobian, one column per forward pass or one row per
    reverse pass; ``.source`` shows the generated derivative used."""

    def __init__(self, fn, wrt, mode, backend):
        if mode not in ("auto", "forward", "reverse"):
            raise ValueError(f"mode must be 'auto', 'forward' or 'reverse', not {mode!r}")
        fn = python_function(fn)
        self.fn, self.mode, self.backend = fn, mode, backend
        self.positions, self.many = _positions(fn, wrt)
        self.chosen = None
        self._modes = {}        # (argument kinds, differentiated shapes) -> mode chosen by "auto"
        self._reverse_for = {}  # argument kinds -> compiled reverse-mode derivative, checked
        self._forward_for = {}  # argument kinds -> compiled forward-mode derivative
        self._last = None       # the compiled derivative the last call ran
        functools.update_wrapper(self, _innermost(fn), updated=())

    @property
    def source(self):
        """The generated source of the derivative the last call ran, forward mode (a column
        per pass) or reverse mode (a row per pass); before any call, of the mode asked for
        (reverse for "auto") for the kinds read off how the function uses its parameters."""
        if self._last is None:
            kinds = tuple(_inferred_kinds(self.fn))
            self._last = self._forward_compiled(kinds) if self.mode == "forward" else \
                _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
        return self._last.source

    def _forward_compiled(self, kinds):
        """The forward-mode derivative in every float argument (as ``jvp`` compiles it)."""
        compiled = self._forward_for.get(kinds)
        if compiled is None or (compiled.reads_globals and not _still_valid(compiled)):
            floats = [i for i, k in enumerate(kinds) if _is_float_kind(k)]
            compiled = self._forward_for[kinds] = _compiled(self.fn, "forward", kinds, floats,
                                                            self.backend)
        return compiled

    def __call__(self, *args, **kwargs):
        kinds = None if kwargs else _plain_kinds(args, self.fn)
        if kinds is None:
            args = _bind(self.fn, args, kwargs)
            if any(is_structured(a) for a in args):
                return self._call_structured(args)
            kinds = tuple(_kind(a, i, self.fn) for i, a in enumerate(args))
        if kinds not in self._reverse_for and kinds not in self._forward_for:
            _check_float_args(self.fn, kinds, self.positions, args, "jacobian")
        mode = self.mode
        if mode == "auto":    # tall Jacobians (few inputs) by columns, wide ones by rows
            key = (kinds, tuple(_shape(args[p]) for p in self.positions))
            mode = self._modes.get(key)
            if mode is None:
                in_size = sum(int(np.prod(shape, dtype=np.int64)) for shape in key[1])
                out_size = int(np.prod(np.shape(self._value(args)), dtype=np.int64))
                mode = self._modes[key] = "forward" if in_size < out_size else "reverse"
        self.chosen = mode
        blocks = self._forward(args, kinds) if mode == "forward" else self._reverse(args, kinds)
        return tuple(blocks) if self.many else blocks[0]

    def _call_structured(self, args):
        """Tuple, list and dict arguments: one block per float leaf, in each argument's
        structure (JAX's jacobian of a pytree)."""
        flat, leaves = _flat_leaves(self.fn, self.positions, args, "jacobian")
        inner = Jacobian(flat.fn, leaves, self.mode, self.backend)
        blocks = inner(*flat.args)
        self.chosen = inner.chosen
        out_shape = np.shape(blocks[0])[:np.ndim(blocks[0]) - np.ndim(flat.args[leaves[0]])]
        result = flat.regroup(self.positions, leaves, blocks,
                              lambda leaf: np.zeros(out_shape + np.shape(leaf)))
        return result if self.many else result[0]

    def _one_value(self, value):
        if isinstance(value, tuple):
            raise CompileError(f"jacobian needs {self.fn.__name__}() to return one scalar or "
                               f"array; it returns a tuple", _location(self.fn),
                               "return np.array([...]) or np.concatenate of the parts")
        return value

    def _zero_tangents(self, args):
        return [_tangent_like(0.0, a) if _is_float_kind(_kind(a, i, self.fn)) else 0
                for i, a in enumerate(args)]

    def _value(self, args):
        """``fn``'s value, from its compiled forward-mode derivative at zero tangents."""
        return self._one_value(jvp(self.fn, args, self._zero_tangents(args),
                                   backend=self.backend)[0])

    def _forward(self, args, kinds):
        """Column by column from JVPs, looped over in compiled code where it can be
        (drivers.py); else from Python, where the value (for the output's shape) comes with
        the columns."""
        self._last = self._forward_compiled(kinds)
        blocks = self._compiled_columns(args, kinds)
        if blocks is not None:
            return [_scalar_or_array(np.moveaxis(block, 0, -1).reshape(block.shape[1:] +
                                                                         np.shape(args[p])))
                    for p, block in zip(self.positions, blocks)]
        zero = self._zero_tangents(args)
        value, columns_of = None, []
        for p in self.positions:
            columns = []
            for e in _basis(np.shape(args[p]), np.float64):
                tangents = list(zero)
                tangents[p] = e
                value, column = jvp(self.fn, args, tangents, backend=self.backend)
                self._one_value(value)
                columns.append(np.asarray(column))
            columns_of.append(columns)
        out_shape = np.shape(value if value is not None else self._value(args))
        blocks = []
        for p, columns in zip(self.positions, columns_of):
            shape = np.shape(args[p])
            block = np.stack(columns, axis=-1) if columns else np.zeros(out_shape + (0,))
            blocks.append(_scalar_or_array(block.reshape(out_shape + shape)))
        return blocks

    def _rows(self, compiled, args):
        """The rows from Python: one run of ``compiled`` per output element, after one with
        zero seeds for the value; (output shape, one (size, *arg shape) block per argument)."""
        value = compiled(*args, *_zero_seeds(compiled))[0]
        if type(value) is np.ndarray:
            out_shape, size = value.shape, value.size
            dtype = value.dtype if value.dtype.kind == "f" else np.float64
        else:
            out_shape, size, dtype = (), 1, None
        blocks = [None] * len(self.positions)
        for j in range(size):
            if dtype is None:
                seed = 1.0
            else:
                seed = np.zeros(size, dtype)
                seed[j] = 1.0
                seed = seed.reshape(out_shape)
            row = compiled(*args, seed)
            for k in range(len(self.positions)):
                g = row[1 + k]
                if blocks[k] is None:
                    blocks[k] = np.empty((size,) + np.shape(g), np.asarray(g).dtype)
                blocks[k][j] = g
        return out_shape, blocks

    def _compiled_columns(self, args, kinds):
        """One (argument size, *output shape) block per argument from the columns driver, or
        None where there is none or it failed (the Python loop then gives the error)."""
        if resolve_backend(self.backend) != "numba":
            return None
        compiled = self._forward_compiled(kinds)
        wrt = tuple(self.positions)
        return _run_driver(compiled, ("columns", wrt),
                           lambda: columns_driver(compiled, args, kinds, wrt), args)

    def _reverse(self, args, kinds):
        """Row by row: one run of the compiled reverse-mode derivative (for the wanted
        arguments alone) per output element, looped over in compiled code where it can be
        (drivers.py); a scalar output's Jacobian is its gradient, one run."""
        compiled = self._reverse_for.get(kinds)
        if compiled is None or (compiled.reads_globals and not _still_valid(compiled)):
            compiled = _compiled(self.fn, "reverse", kinds, self.positions, self.backend)
            if compiled.returns_tuple:
                self._one_value(())
            self._reverse_for[kinds] = compiled
        self._last = compiled
        if not compiled.output_is_array:
            row = compiled(*args, 1.0)      # a scalar output: its gradient is the Jacobian
            if type(row[0]) is not np.ndarray:
                return [_scalar_or_array(np.reshape(g, np.shape(args[p])))
                        for g, p in zip(row[1:], self.positions)]
        rows = _run_driver(compiled, "rows", lambda: rows_driver(compiled, args), args)
        if rows is not None:
            out_shape, blocks = rows[0], list(rows[1:])
        else:
            out_shape, blocks = self._rows(compiled, args)
        out = []
        for k, p in enumerate(self.positions):
            shape = _shape(args[p])
            block = blocks[k] if blocks[k] is not None else np.zeros((0,) + shape)
            out.append(_scalar_or_array(block.reshape(out_shape + shape)))
        return out


def jacobian(fn=None, wrt=0, *, mode="auto", backend="numba"):
    """The Jacobian of ``fn`` wrt argument(s) ``wrt``, shaped ``out.shape + arg.shape``.

    ``mode="forward"`` builds it column by column from JVPs, ``"reverse"`` row by row from
    VJPs; ``"auto"`` picks forward when there are fewer inputs than outputs (a tall
    Jacobian) and reverse otherwise. Both give the same result.
    """
    if fn is None:
        return lambda f: jacobian(f, wrt, mode=mode, backend=backend)
    return Jacobian(fn, wrt, mode, backend)


# -- second order: forward mode over the generated reverse-mode code -----------------------------
def _second_order(fn, args, reverse_positions, backend):
    kinds = [_kind(a, i, fn) for i, a in enumerate(args)]
    _check_float_args(fn, kinds, reverse_positions, args, "second derivative")
    forward_positions = tuple(i for i, k in enumerate(kinds) if _is_float_kind(k))
    compiled = _compiled(fn, "forward-over-reverse", kinds,
                         (tuple(reverse_positions), forward_positions), backend)
    if compiled.ir.annotations.get("returns_tuple") or compiled.output_is_array:
        raise CompileError(f"second derivatives need {fn.__name__}() to return one scalar",
                           _location(fn), "differentiate a scalar function (e.g. a loss)")
    return compiled, kinds, forward_positions


def _run_second_order(compiled, args, kinds, forward_positions, tangents):
    """The tangents of the gradients along ``tangents`` (one per float argument)."""
    out = compiled(*args, 1.0, *[_tangent_like(tangents[i], args[i]) for i in forward_positions])
    n = compiled.n_outputs            # value and the gradients, then their tangents
    return out[n + 1:]


class HessianVectorProduct:
    """``hvp(f, wrt)(primals, tangents)``: the derivative of ``grad(f, wrt)`` along
    ``tangents``, i.e. ``H @ v``, by forward mode over the reverse-mode code."""

    def __init__(self, fn, wrt, backend):
        fn = python_function(fn)
        self.fn, self.backend = fn, backend
        self.positions, self.many = _positions(fn, wrt)
        self._last = None
        functools.update_wrapper(self, _innermost(fn), updated=())

    def __call__(self, primals, tangents):
        _check_function(self.fn)
        primals, tangents = tuple(primals), tuple(tangents)
        if len(primals) != len(tangents):
            raise ValueError(f"hvp: {len(primals)} primals but {len(tangents)} tangents")
        if any(is_structured(p) for p in primals):
            return self._call_structured(primals, tangents)
        compiled, kinds, forward = _second_order(self.fn, primals, self.positions, self.backend)
        for i, (k, t) in enumerate(zip(kinds, tangents)):
            if not _is_float_kind(k) and np.any(np.asarray(t) != 0):
                raise ValueError(f"hvp: argument {i} is {k}, so its tangent must be 0")
        self._last = compiled
        result = tuple(_scalar_or_array(r) for r in
                       _run_second_order(compiled, primals, kinds, forward, tangents))
        return result if self.many else result[0]

    def _call_structured(self, primals, tangents):
        """Tuple, list and dict arguments: the product in the structure of each argument."""
        flat, leaves = _flat_leaves(self.fn, self.positions, primals, "hvp")
        leaf_tangents = [leaf for i, t in enumerate(tangents) for leaf in flat.flatten_like(i, t)]
        inner = HessianVectorProduct(flat.fn, leaves, self.backend)
        products = inner(flat.args, leaf_tangents)
        self._last = inner._last
        result = flat.regroup(self.positions, leaves, products if inner.many else (products,),
                              zero_like)
        return result if self.many else result[0]

    @property
    def source(self):
        if self._last is None:
            kinds = _inferred_kinds(self.fn)
            self._last = _compiled(self.fn, "forward-over-reverse", kinds,
                                   (self.positions, tuple(range(len(kinds)))), self.backend)
        return self._last.source


def hvp(fn=None, wrt=0, *, backend="numba"):
    """Hessian-vector products of scalar ``fn``: ``hvp(f)(primals, tangents)`` returns
    ``d/de grad(f, wrt)(primals + e * tangents)`` (forward over reverse, no Hessian formed)."""
    if fn is None:
        return lambda f: hvp(f, wrt, backend=backend)
    return HessianVectorProduct(fn, wrt, backend)


class Hessian(HessianVectorProduct):
    """``hessian(f, wrt)(*args)``: shaped ``arg.shape + arg.shape``; for a tuple ``wrt``, a
    tuple of tuples of blocks ``H[i][j]`` of shape ``arg_i.shape + arg_j.shape``."""

    def __call__(self, *args, **kwargs):
        args = _bind(self.fn, args, kwargs)
        if any(is_structured(a) for a in args):
            return self._hessian_structured(args)
        blocks = self.blocks(args, self.positions)
        return tuple(blocks) if self.many else blocks[0][0]

    def _hessian_structured(self, args):
        """Tuple, list and dict arguments: block ``H[p][q]`` has the structure of argument
        ``p`` holding, for each of its leaves, argument ``q``'s structure of blocks
        ``leaf_p.shape + leaf_q.shape`` (JAX's hessian of a pytree); leaves not
        differentiated (integers) get zero blocks."""
        flat, leaves = _flat_leaves(self.fn, self.positions, args, "hessian")
        inner = Hessian(flat.fn, leaves, self.backend)
        blocks = inner.blocks(flat.args, leaves)
        self._last = inner._last
        by_pair = {(i, j): blocks[a][b] for a, i in enumerate(leaves) for b, j in enumerate(leaves)}

        def block(i, j):
            found = by_pair.get((i, j))
            return found if found is not None else _scalar_or_array(
                np.zeros(np.shape(flat.args[i]) + np.shape(flat.args[j])))

        def group(position, leaf_values):
            return unflatten(flat.structures[position], iter(leaf_values))

        rows = tuple(tuple(group(p, [group(q, [block(i, j) for j in flat.ranges[q]])
                                     for i in flat.ranges[p]])
                           for q in self.positions) for p in self.positions)
        return rows if self.many else rows[0][0]

    def blocks(self, args, columns):
        """Rows ``H[p]`` (``p`` in ``wrt``) of blocks ``H[p][q]`` for ``q`` in ``columns``. One
        forward-over-reverse pass per element of argument ``q`` gives that column of every
        block ``H[p][q]`` at once (the tangents of all the gradients): each column is
        computed once."""
        compiled, kinds, forward = _second_order(self.fn, args, self.positions, self.backend)
        self._last = compiled
        blocks = self._compiled_columns(compiled, args, kinds, tuple(columns))
        if blocks is not None:
            rows = [[] for _ in self.positions]
            for c, q in enumerate(columns):
                for i, p in enumerate(self.positions):
                    block = blocks[c * len(self.positions) + i]     # (size of q, *shape of p)
                    shape = np.shape(args[p]) + np.shape(args[q])
                    rows[i].append(_scalar_or_array(np.moveaxis(block, 0, -1).reshape(shape)))
            return [tuple(row) for row in rows]
        zero = [_tangent_like(0.0, a) if _is_float_kind(k) else 0 for a, k in zip(args, kinds)]
        rows = [[] for _ in self.positions]
        for q in columns:
            columns_of = [[] for _ in self.positions]       # column e of H[p][q], per p
            for e in _basis(np.shape(args[q]), np.float64):
                tangents = list(zero)
                tangents[q] = e
                dgrads = _run_second_order(compiled, args, kinds, forward, tangents)
                for i in range(len(self.positions)):
                    columns_of[i].append(np.asarray(dgrads[i], dtype=np.float64))
            for i, p in enumerate(self.positions):
                shape = np.shape(args[p]) + np.shape(args[q])
                rows[i].append(_scalar_or_array(np.stack(columns_of[i], axis=-1).reshape(shape)))
        return [tuple(row) for row in rows]


    @staticmethod
    def _compiled_columns(compiled, args, kinds, columns):
        """The blocks from the compiled loop over the columns (drivers.py), or None where
        there is none or it failed (the Python loop then gives the error)."""
        return _run_driver(compiled, ("hessian columns", columns),
                           lambda: hessian_columns_driver(compiled, args, kinds, columns), args)


def hessian(fn=None, wrt=0, *, backend="numba"):
    """The Hessian of scalar ``fn`` wrt argument(s) ``wrt``: forward mode over the generated
    reverse-mode code, one column per element of the argument. ``.source`` shows that code."""
    if fn is None:
        return lambda f: hessian(f, wrt, backend=backend)
    return Hessian(fn, wrt, backend)


def clear_cache():
    """Forget compiled derivatives: in this process, and on disk (generated modules and
    Numba's compiled code in :func:`cache_dir`)."""
    from .codegen import clear_cache as clear_disk
    _COMPILED.clear()
    _JVP_FAST.clear()
    clear_disk()
