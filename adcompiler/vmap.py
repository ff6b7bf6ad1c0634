"""``vmap(f)``: ``f`` mapped over the leading axis of its arguments, as ``jax.vmap`` does.

Mapping a compiled derivative (``vmap(jacobian(f))``, ``vmap(grad(f))``) runs the loop over
the batch in compiled code: a Numba function calling the derivative's own dispatcher once
per element of the batch (and output element: a Jacobian's rows, as drivers.py does), so a batch of small
Jacobians (bundle adjustment's 2 x 15 blocks, one per observation) costs no Python per
element. Anything else, and any batch the compiled loop cannot take, is mapped by a Python
loop calling ``f``, which gives the same result.
"""
import numpy as np

from .codegen import load_generated_module


class Mapped:
    """``vmap(fn, in_axes)``; see :func:`vmap`."""

    def __init__(self, fn, in_axes):
        self.fn, self.in_axes = fn, in_axes
        self._compiled = {}     # (argument kinds, axes) -> compiled loop, or None

    def __call__(self, *args):
        axes = self.axes(len(args))
        mapped = [i for i, a in enumerate(axes) if a is not None]
        if not mapped:
            raise ValueError("vmap needs at least one mapped argument (in_axes all None)")
        sizes = set()
        for i in mapped:
            if np.ndim(args[i]) == 0:
                raise ValueError(f"vmap: argument {i} is mapped over axis 0 but is a scalar")
            sizes.add(np.shape(args[i])[0])
        if len(sizes) != 1:
            raise ValueError(f"vmap: the mapped arguments have different sizes along axis 0: "
                             f"{sorted(sizes)}")
        n = sizes.pop()
        if n == 0:
            raise ValueError("vmap: the mapped arguments are empty (nothing gives the "
                             "shape of the results)")
        loop = self.compiled_loop(args, axes)
        if loop is not None:
            try:
                return loop(*args)
            except Exception:       # noqa: BLE001 - the Python loop gives the error, if any
                pass
        results = [self.fn(*self.element(args, axes, b)) for b in range(n)]
        first = results[0]
        if isinstance(first, tuple):
            return tuple(np.stack([r[k] for r in results]) for k in range(len(first)))
        return np.stack(results)

    def axes(self, count):
        axes = self.in_axes if isinstance(self.in_axes, (tuple, list)) else \
            (self.in_axes,) * count
        if len(axes) != count:
            raise ValueError(f"vmap: in_axes has {len(axes)} entries for {count} arguments")
        for a in axes:
            if a not in (0, None):
                raise ValueError(f"vmap maps over axis 0 or not at all (in_axes entries 0 or "
                                 f"None), not {a!r}; move the axis first with np.moveaxis")
        return tuple(axes)

    @staticmethod
    def element(args, axes, b):
        return [a[b] if ax is not None else a for a, ax in zip(args, axes)]

    def compiled_loop(self, args, axes):
        """The compiled loop over the batch for these argument types, made on first use; None
        where ``fn`` is not a compiled derivative the loop can call."""
        from . import api
        kinds = tuple(api._kind(a, i, self.fn) for i, a in enumerate(args)) \
            if not any(api.is_structured(a) for a in args) else None
        key = (kinds, axes)
        if kinds is None:
            return None
        if key not in self._compiled:
            # a first call compiles the derivative (and learns what it is) for the loop
            self.fn(*self.element(args, axes, 0))
            self._compiled[key] = _make_loop(self.fn, args, axes)
        return self._compiled[key]


def _make_loop(fn, args, axes):
    from . import api
    element = Mapped.element(args, axes, 0)
    try:
        kinds = tuple(api._kind(a, i, fn) for i, a in enumerate(element))
    except Exception:       # noqa: BLE001 - not a function of plain values
        return None
    if isinstance(fn, api.Jacobian) and fn.chosen == "reverse":
        from .drivers import _runs_in_a_driver, _seed_dtype
        compiled = fn._reverse_for.get(kinds)
        if compiled is None or not compiled.output_is_array or not _runs_in_a_driver(compiled) \
                or _seed_dtype(compiled) is None or compiled.fast_callable() is None:
            return None
        rank = compiled.ir.body.yields[0].type.ndim
        return _compile(_rows_source(fn, axes, element, rank, _seed_dtype(compiled)),
                        compiled.fast_callable(), args)
    if isinstance(fn, api.Derivative) and not isinstance(fn.fn, api.Derivative):
        compiled = fn._checked.get(kinds)
        if compiled is None or compiled.fast_callable() is None:
            return None
        return _compile(_gradient_source(fn, axes, element), compiled.fast_callable(), args)
    return None


def _slices(axes, b):
    return ", ".join(f"a{i}[{b}]" if ax is not None else f"a{i}" for i, ax in enumerate(axes))


def _arg_shape(axes, p, value):
    if np.ndim(value) == 0:
        return "()"
    return f"a{p}.shape[1:]" if axes[p] is not None else f"a{p}.shape"


def _rows_source(fn, axes, element, rank, seed_dtype):
    """``mapped(*args)``: each Jacobian block stacked over the batch, row by row from
    ``inner`` (the reverse-mode derivative) with a unit seed per output element; the output's
    shape, the same for the whole batch, from one run with the empty seed (the value)."""
    params = ", ".join(f"a{i}" for i in range(len(axes)))
    lead = next(i for i, ax in enumerate(axes) if ax is not None)
    lines = [f"def mapped({params}):",
             f"    n = a{lead}.shape[0]",
             f"    first = inner({_slices(axes, 0)}, np.zeros({(0,) * rank}, np.{seed_dtype}))",
             "    shape = first[0].shape",
             "    size = first[0].size",
             f"    seed = np.zeros(size, np.{seed_dtype})",
             "    unit = seed.reshape(shape)"]
    for k, p in enumerate(fn.positions):
        shape = _arg_shape(axes, p, element[p])
        dtype = "np.float64" if np.ndim(element[p]) == 0 else f"first[{k + 1}].dtype"
        lines += [f"    out{k} = np.empty((n,) + shape + {shape}, {dtype})",
                  f"    rows{k} = out{k}.reshape((n, size) + {shape})"]
    lines += ["    for b in range(n):",
              "        for j in range(size):",
              "            seed[j] = 1.0",
              f"            row = inner({_slices(axes, 'b')}, unit)"]
    # a gradient may be the seed itself (x + c): stored before the seed changes
    lines += [f"            rows{k}[b, j] = row[{k + 1}]" for k in range(len(fn.positions))]
    lines.append("            seed[j] = 0.0")
    outs = "".join(f"out{k}, " for k in range(len(fn.positions)))
    lines.append(f"    return ({outs})")
    return "\n".join(lines) + "\n", not fn.many


def _gradient_source(fn, axes, element):
    """``mapped(*args)``: the gradients (and values) stacked over the batch, from ``inner``
    (the reverse-mode derivative, seed 1.0: the value, then a gradient per argument)."""
    params = ", ".join(f"a{i}" for i in range(len(axes)))
    lead = next(i for i, ax in enumerate(axes) if ax is not None)
    lines = [f"def mapped({params}):",
             f"    n = a{lead}.shape[0]",
             f"    r = inner({_slices(axes, 0)}, 1.0)",
             "    value = np.empty(n, np.float64)"]
    for k, p in enumerate(fn.positions):
        if np.ndim(element[p]) == 0:
            lines.append(f"    g{k} = np.empty(n, np.float64)")
        else:
            lines.append(f"    g{k} = np.empty((n,) + r[{k + 1}].shape, r[{k + 1}].dtype)")
    lines += ["    for b in range(n):",
              f"        r = inner({_slices(axes, 'b')}, 1.0)",
              "        value[b] = r[0]"]
    lines += [f"        g{k}[b] = r[{k + 1}]" for k in range(len(fn.positions))]
    grads = ", ".join(f"g{k}" for k in range(len(fn.positions)))
    grads = f"({grads},)" if fn.many else grads
    lines.append(f"    return (value, {grads})" if fn.with_value else f"    return {grads}")
    return "\n".join(lines) + "\n", False


def _compile(source_and_single, inner, args):
    """The Numba function of ``source`` calling dispatcher ``inner``, compiled for ``args``;
    None where Numba cannot type it (the Python loop then)."""
    import warnings
    import numba
    from numba.core.errors import NumbaError, NumbaWarning
    source, single = source_and_single
    module = load_generated_module(source, "numba", "vmap loop", {"inner": inner})
    loop = numba.njit(cache=True)(module.mapped)
    with warnings.catch_warnings():     # a call of another dispatcher is not cached (drivers.py)
        warnings.filterwarnings("ignore", "Cannot cache compiled function", NumbaWarning)
        try:
            loop.compile(tuple(numba.typeof(a) for a in args))
        except NumbaError:
            return None
    if single:
        return lambda *a: loop(*a)[0]
    return loop


def vmap(fn, in_axes=0):
    """``fn`` mapped over axis 0 of its arguments: ``vmap(f)(xs, ys)[b] == f(xs[b], ys[b])``,
    as in JAX. ``in_axes``: 0 (every argument mapped), or a tuple with 0 or None (passed
    whole to every call) per argument. Results are stacked along a new axis 0 (a tuple of
    results: each stacked). ``vmap(jacobian(f))`` and ``vmap(grad(f))`` run their loop over
    the batch in compiled code on the numba backend."""
    return Mapped(fn, in_axes)
