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
    # a gradient may be the seed itself (x + c, a reshape): stored before the seed changes
    lines += ["    for j in range(size):",
              "        seed[j] = 1.0",
              f"        row = derivative({params}, seed.reshape(shape))"]
    lines += [f"        block{k}[j] = row[{1 + k}]" for k in range(len(grads))]
    lines += ["        seed[j] = 0.0"]
    blocks = "".join(f", block{k}" for k in range(len(grads)))
    lines.append(f"    return (shape{blocks})")
    return "\n".join(lines) + "\n"


def columns_source(compiled, kinds, wrt):
    """Source of ``jacobian_columns(*args)`` -> one (arg size, *output shape) block per
    argument in ``wrt``, from the forward-mode ``compiled`` (tangents for every float argument,
    zero but for one element of one argument at a time), or None (see :func:`rows_source`)."""
    if not _runs_in_a_driver(compiled):
        return None
    return _columns_source("jacobian_columns", kinds, wrt, "", [(1, compiled.ir.body.yields[1])],
                           keep_dtype=True)


def hessian_columns_source(compiled, kinds, columns):
    """Source of ``hessian_columns(*args)`` -> for each argument ``q`` in ``columns``, one
    (``q``'s size, *gradient shape) float64 block per differentiated argument ``p``: the
    tangents of the gradients of the forward-over-reverse ``compiled`` (seed 1.0) along each
    element of ``q`` (column ``e`` of every ``H[p][q]``), or None."""
    if compiled.backend != "numba" or compiled.hidden or compiled.parallel:
        return None
    n = compiled.n_outputs          # the value and the gradients, then their tangents
    yields = compiled.ir.body.yields
    return _columns_source("hessian_columns", kinds, columns, "1.0, ",
                           [(k, yields[k]) for k in range(n + 1, len(yields))], keep_dtype=False)


def _columns_source(name, kinds, wrt, lead, outputs, keep_dtype):
    """One (size, *output shape) block per argument in ``wrt`` and output ``(index, value)`` of
    the derivative's results, from a run per element of the argument's tangent; ``lead``: the
    arguments between the primals and the tangents; blocks keep the outputs' float dtype or
    are float64."""
    dtypes = []
    for _, value in outputs:
        t = getattr(value, "type", None)
        if t is None or is_array(t) and derivative_type(t).dtype not in _DTYPES:
            return None
        dtypes.append(derivative_type(t).dtype if is_array(t) and keep_dtype else "float64")
    floats = [q for q, k in enumerate(kinds) if k == "float" or _float_array_dtype(k)]
    if any(kinds[q] != "float" and _float_array_dtype(kinds[q]) is None for q in wrt):
        return None
    params = ", ".join(f"a{i}" for i in range(len(kinds)))
    zero = {q: "0.0" if kinds[q] == "float" else f"t{q}" for q in floats}

    def call(tangents):
        return f"derivative({params}, {lead}{', '.join(tangents[q] for q in floats)})"

    def blocks(k, size):
        made = []
        for o, ((index, value), dtype) in enumerate(zip(outputs, dtypes)):
            shape = f"({size},) + first[{index}].shape" if is_array(value.type) else size
            made.append(f"    block{k}_{o} = np.empty({shape}, np.{dtype})")
        return made

    def store(k, j, run):
        return [f"{'        ' if j == 'j' else '    '}block{k}_{o}[{j}] = {run}[{index}]"
                for o, (index, _) in enumerate(outputs)]

    lines = [f"def {name}({params}):"]
    lines += [f"    t{q} = np.zeros(a{q}.shape, np.{_float_array_dtype(kinds[q])})"
              for q in floats if kinds[q] != "float"]
    lines.append(f"    first = {call(zero)}")
    for k, p in enumerate(wrt):
        lines += blocks(k, 1 if kinds[p] == "float" else f"a{p}.size")
        if kinds[p] == "float":
            lines.append(f"    column = {call({**zero, p: '1.0'})}")
            lines += store(k, 0, "column")
            continue
        # an output tangent may be the input's tangent itself: stored before it changes
        lines += [f"    flat{k} = t{p}.reshape(a{p}.size)",
                  f"    for j in range(a{p}.size):",
                  f"        flat{k}[j] = 1.0",
                  f"        column = {call(zero)}"]
        lines += store(k, "j", "column")
        lines += [f"        flat{k}[j] = 0.0"]
    made = "".join(f"block{k}_{o}, " for k in range(len(wrt)) for o in range(len(outputs)))
    lines.append(f"    return ({made})")
    return "\n".join(lines) + "\n"


def columns_driver(compiled, args, kinds, wrt):
    """The compiled ``jacobian_columns`` (see :func:`columns_source`), or None."""
    return _driver(compiled, args, columns_source(compiled, kinds, wrt), "jacobian_columns",
                   "Jacobian columns")


def hessian_columns_driver(compiled, args, kinds, columns):
    """The compiled ``hessian_columns`` (see :func:`hessian_columns_source`), or None."""
    return _driver(compiled, args, hessian_columns_source(compiled, kinds, columns),
                   "hessian_columns", "Hessian columns")


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
