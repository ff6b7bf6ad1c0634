"""Compiled loops over seeds: ``ad.jacobian`` by rows runs the reverse-mode derivative once per
output element inside one Numba function, instead of once per element from Python (a small
function's Jacobian, e.g. a 2 x 15 reprojection block, cost ~20 us of Python per call).

The driver is generated source like the derivatives (``jacobian_rows`` below), compiled with
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


def rows_source(compiled, n_params):
    """Source of ``jacobian_rows(*args)`` -> (output shape, one (size, *arg shape) block per
    differentiated argument), or None when the derivative is not one the driver can run: not
    Numba, reading captured arrays, parallel (it may have to fall back to serial), a scalar
    output (one reverse pass is the whole Jacobian) or gradients of unknown type."""
    if compiled.backend != "numba" or compiled.hidden or compiled.parallel \
            or compiled.n_outputs != 1 or compiled.returns_tuple:
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


def rows_driver(compiled, args):
    """The compiled ``jacobian_rows`` for ``compiled`` (see :func:`rows_source`), compiled
    for the types of ``args``, or None."""
    source = rows_source(compiled, len(args))
    if source is None:
        return None
    import numba
    from numba.core.errors import NumbaError, NumbaWarning
    compiled._callable or compiled._build()
    title = f"Jacobian rows of {compiled.fn.__qualname__} ({compiled.ir.filename}:" \
            f"{compiled.ir.firstlineno})"
    module = load_generated_module(source, "numba", title, {"derivative": compiled._jitted})
    driver = numba.njit(cache=True)(module.jacobian_rows)
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
