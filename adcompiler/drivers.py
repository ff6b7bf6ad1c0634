"""Compiled loops over seeds: ``ad.jacobian`` runs the reverse-mode derivative once per output
element (by rows), or the forward-mode one once per input element (by columns), inside one
Numba function instead of once per element from Python (a small function's Jacobian, e.g. a
2 x 15 reprojection block, cost ~20 us of Python per call).

A driver is generated source like the derivatives (``jacobian_rows`` below), compiled with
Numba's on-disk cache, and calls the derivative's own dispatcher with exactly the arguments the
Python loop would pass, so both ways give the same numbers."""
import warnings

from .codegen import load_generated_module
from .ir.nodes import derivative_type, is_array

_DTYPES = ("float64", "float32")


def _seed_dtype(compiled):
    """The NumPy dtype name of the output's cotangent, or None where no driver is made."""
    out = compiled.ir.body.yields[0]
    t = getattr(out, "type", None)
    if t is None or not is_array(t):
        return None
    dtype = derivative_type(t).dtype
    return dtype if dtype in _DTYPES else None


def _runs_in_a_driver(compiled):
    """Not for derivatives that are not Numba, that read captured arrays (added to the
    arguments per call), that are parallel (they may have to fall back to serial) or that
    return tuples (no Jacobian)."""
    return compiled.backend == "numba" and not compiled.hidden and not compiled.parallel \
        and compiled.n_outputs == 1 and not compiled.returns_tuple


def _float_array_dtype(kind):
    """``array:float32:2`` -> ``float32``; None for other kinds."""
    if isinstance(kind, str) and kind.startswith("array:"):
        dtype = kind.split(":")[1]
        return dtype if dtype in _DTYPES else None
    return None


def rows_source(compiled, n_params):
    """Source of ``jacobian_rows(*args)`` -> (output shape, one (size, *arg shape) block per
    differentiated argument), or None when the derivative is not one a driver can run (see
    :func:`_runs_in_a_driver`), has a scalar output (one reverse pass is the whole Jacobian)
    or gradients of unknown type."""
    if not _runs_in_a_driver(compiled):
        return None
    seed_dtype = _seed_dtype(compiled)
    if seed_dtype is None:
        return None
    grads = compiled.ir.body.yields[1:]
    params = ", ".join(f"a{i}" for i in range(n_params))
    rank = compiled.ir.body.yields[0].type.ndim
    lines = [f"def jacobian_rows({params}):",
             f"    first = derivative({params}, np.zeros({(0,) * rank}, np.{seed_dtype}))",
             "    shape = first[0].shape",
             "    size = first[0].size",
             f"    seed = np.zeros(size, np.{seed_dtype})"]
    for k, g in enumerate(grads):
        t = getattr(g, "type", None)
        if t is None:
            return None
        if is_array(t):
            if t.dtype not in _DTYPES:
                return None
            lines.append(f"    block{k} = np.empty((size,) + first[{1 + k}].shape, np.{t.dtype})")
        else:
            lines.append(f"    block{k} = np.empty(size, np.float64)")
    lines += ["    for j in range(size):",
              "        seed[j] = 1.0",
              f"        row = derivative({params}, seed.reshape(shape))",
              "        seed[j] = 0.0"]
    lines += [f"        block{k}[j] = row[{1 + k}]" for k in range(len(grads))]
    blocks = "".join(f", block{k}" for k in range(len(grads)))
    lines.append(f"    return (shape{blocks})")
    return "\n".join(lines) + "\n"


def columns_source(compiled, kinds, wrt):
    """Source of ``jacobian_columns(*args)`` -> one (arg size, *output shape) block per
    argument in ``wrt``, from the forward-mode ``compiled`` (tangents for every float argument,
    zero but for one element of one argument at a time), or None (see :func:`rows_source`)."""
    out = getattr(compiled.ir.body.yields[1], "type", None) if _runs_in_a_driver(compiled) \
        else None
    if out is None or is_array(out) and derivative_type(out).dtype not in _DTYPES:
        return None
    out_dtype = derivative_type(out).dtype if is_array(out) else "float64"
    floats = [q for q, k in enumerate(kinds) if k == "float" or _float_array_dtype(k)]
    if any(kinds[q] != "float" and _float_array_dtype(kinds[q]) is None for q in wrt):
        return None
    params = ", ".join(f"a{i}" for i in range(len(kinds)))
    zero = {q: "0.0" if kinds[q] == "float" else f"t{q}" for q in floats}

    def call(tangents):
        return f"derivative({params}, {', '.join(tangents[q] for q in floats)})"

    def block(k, size):
        shape = f"({size},) + first[1].shape" if is_array(out) else size
        return f"    block{k} = np.empty({shape}, np.{out_dtype})"

    lines = [f"def jacobian_columns({params}):"]
    lines += [f"    t{q} = np.zeros(a{q}.shape, np.{_float_array_dtype(kinds[q])})"
              for q in floats if kinds[q] != "float"]
    lines.append(f"    first = {call(zero)}")
    for k, p in enumerate(wrt):
        if kinds[p] == "float":
            lines += [block(k, 1), f"    block{k}[0] = {call({**zero, p: '1.0'})}[1]"]
            continue
        lines += [block(k, f"a{p}.size"),
                  f"    flat{k} = t{p}.reshape(a{p}.size)",
                  f"    for j in range(a{p}.size):",
                  f"        flat{k}[j] = 1.0",
                  f"        column = {call(zero)}",
                  f"        flat{k}[j] = 0.0",
                  f"        block{k}[j] = column[1]"]
    lines.append(f"    return ({''.join(f'block{k}, ' for k in range(len(wrt)))})")
    return "\n".join(lines) + "\n"


def columns_driver(compiled, args, kinds, wrt):
    """The compiled ``jacobian_columns`` (see :func:`columns_source`), or None."""
    return _driver(compiled, args, columns_source(compiled, kinds, wrt), "jacobian_columns",
                   "Jacobian columns")


def rows_driver(compiled, args):
    """The compiled ``jacobian_rows`` for ``compiled`` (see :func:`rows_source`), or None."""
    return _driver(compiled, args, rows_source(compiled, len(args)), "jacobian_rows",
                   "Jacobian rows")


def _driver(compiled, args, source, name, what):
    """``name`` of ``source`` calling ``compiled``'s dispatcher, compiled for the types of
    ``args``; None without a source or where Numba cannot type it."""
    if source is None:
        return None
    import numba
    from numba.core.errors import NumbaError, NumbaWarning
    compiled._callable or compiled._build()
    title = f"{what} of {compiled.fn.__qualname__} ({compiled.ir.filename}:" \
            f"{compiled.ir.firstlineno})"
    module = load_generated_module(source, "numba", title, {"derivative": compiled._jitted})
    driver = numba.njit(cache=True)(getattr(module, name))
    # Numba cannot cache a function calling another dispatcher when NUMBA_CACHE_DIR is set
    # (it lowers the callee as a dynamic address) and warns; the driver is then compiled
    # once per process, which is all the warning would say
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Cannot cache compiled function", NumbaWarning)
        try:
            driver.compile(tuple(numba.typeof(a) for a in args))
        except NumbaError:
            return None             # the Python loop then, which names a real error
    return driver


def never_compiles(exc):
    """Did a driver's call fail because Numba could not compile it (not in running it)?"""
    from numba.core.errors import NumbaError
    return isinstance(exc, NumbaError)
