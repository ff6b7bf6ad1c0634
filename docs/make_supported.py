"""Write docs/supported.md from the rule table, so the list cannot drift from the compiler.

    python docs/make_supported.py          # rewrite docs/supported.md
    python docs/make_supported.py --check  # exit 1 if it is out of date (tests run this)
"""
import sys
from pathlib import Path

import adcompiler  # noqa: F401  (fills the rule table)
from adcompiler.rules import PRIMITIVES

TARGET = Path(__file__).with_name("supported.md")
_MODULE_PREFIX = {"math": "math.", "numpy": "np.", "builtins": "", "numpy.linalg": "np.linalg."}
#: primitives the generated code uses internally (never written by users)
_INTERNAL = {"trip_count", "log_or_zero", "slice_add", "restore", "zero_at", "index_add", "dim",
             "size", "zeros_like_f", "sum_axis", "getitem", "slice", "setitem", "reshape_like",
             "unbroadcast", "cast_like", "seed_like", "fill_like", "expand_axis", "onehot_argmax",
             "onehot_argmin", "at_argmax", "at_argmin", "setslice", "slice_copy", "zero_slice",
             "restore_slice", "amax_axis", "amin_axis", "prod_axis",
             "at_argmax_axis", "at_argmin_axis", "onehot_argmax_axis", "onehot_argmin_axis",
             "prod_others", "prod_others_axis", "prod_others_jvp", "prod_others_axis_jvp",
             "einsum_like"}

CONSTRUCTS = """\
## Language

- Scalars (`float`, `int`, `bool`) and NumPy arrays (`float64`, `float32`; integer and
  boolean arrays as data), arguments with defaults and keyword-only arguments.
- Assignment, augmented assignment, tuple assignment and swaps, reassignment of a name.
- `if`/`elif`/`else`, conditional expressions, `and`/`or`/`not`, chained comparisons.
- `for i in range(start, stop, step)` with run-time bounds, `for v in array`, `while`,
  `break`, `continue`, early and multiple `return`s (also inside loops), nested loops.
- `for i in prange(...)` (`numba.prange`, `adcompiler.prange`): a loop checked to have
  independent iterations (writes at the loop variable's elements, `+=` reductions), run in
  parallel by Numba in forward mode (docs/parallel.md).
- Calls to the user's own functions and methods (inlined from their source; one compiled
  with `@numba.njit` or `@numba.jit` too, from its Python source, and such a function can be
  differentiated itself), closures, module constants and attributes of the user's objects
  (read as constants; a change recompiles).
- Nested `def`s and `lambda`s inside the function, called there or passed to a helper that
  calls them; they read the enclosing function's variables as they are at the call (as a
  closure does). `ad.grad(lambda w: loss(w, X, y))` and the other API functions take lambdas.
  NumPy arrays read from globals or closures are passed at each call (their current value).
- Tuples, lists and dicts (with string or integer keys) of numbers, arrays and each other, as
  arguments of `grad`, `value_and_grad`, `jvp`, `vjp` and `jacobian` (the gradient has the
  argument's structure, as in JAX; integer leaves get 0.0), and of `hvp` and `hessian`
  (a Hessian block per pair of leaves, nested in both arguments' structures, as in JAX),
  built inside (`{'w': w, 'b': b}`, `dict(a=a)`, `[1.0, a]`), passed to helpers, chosen by
  branches and read by key or index (a run-time integer index of a tuple of numbers or
  arrays of one kind too; out of range raises IndexError). They are values: built once, not
  changed. Array attributes of functions and objects (`constructL.Lparamidx`) are read at
  each call.
- Helpers with output arguments (`def fill(y, out): out[i] = ...`, called as a statement):
  the writes go into the caller's array, as in Python (the derivative never modifies the
  arrays it is called with); helpers without `return` return None.
- `None` and strings as arguments and defaults (`_range=None`, `mode="sum"`): constants of the
  specialisation, tested with `is None`, `is not None`, `==`, `!=`; an `if` on a constant
  compiles only the branch it takes (as only it runs).
- List comprehensions and generator expressions: `sum(...)` (with `start`), `max(...)` and
  `min(...)` over them (any number of `for`s and `if`s; Python's own loop and order),
  `np.array([...])`/`np.stack([...])` of one with a single `for` and no `if` (floats or
  float64 arrays), and a list one builds (`ys = [f(q) for q in Q]`) looped over, indexed,
  measured with `len`, reduced or stacked; `np.concatenate([...])` of one whose pieces have
  any lengths (`np.arange(c + 1, d) for c in range(d - 1)`, float64 or integer pieces; each
  piece is evaluated twice, once to measure it, so pieces calling the user's own functions
  are refused).
- NumPy functions that are other NumPy code: `np.asarray` (the array itself; `dtype=float`
  converts), `np.atleast_1d/2d/3d`, and `np.column_stack`, `np.vstack`, `np.hstack` of 1-d
  and 2-d arrays written out as a tuple (values, shapes and memory order as NumPy's).
- Indexing and slicing reads `x[i]`, `x[i, j]`, `x[-1]`, `x[1:]`, `x[::2]`, `x[:, j]`,
  `x[None, :]`; writes of elements `y[i] = v`, `y[i] += v`, `y[i, j] = v`, and of slices and
  rows `y[a:b] = v`, `y[a:b] += v`, `y[::2] = v`, `y[i] = row`, `y[i, :] = v`, `y[:, j] = v`,
  `y[i, a:b] = v`, with `v` a scalar or an array broadcasting to the slice (also in loops,
  reading the array being written). Writes through a row taken by integer indices
  (`row = M[i]`, then `row[j] = v` or `row += v`; `plane = T[0]`) go into the array it views,
  and every such row a name holds sees the write, as NumPy's views do. Writes through a
  boolean mask or another view (a slice `y[1:]`, `.T`, a row carried through a loop) are
  rejected.
- Augmented assignment of an array, `a += b` (and `-=`, `*=`, `/=`, ...), writes into `a`
  as Python does: another name bound to that array, or a helper's argument
  (`def grow(u): u += k * u`), sees the new values; the result keeps `a`'s dtype (a float32
  `a` stays float32). Where no other name sees `a` (the common `u = u0.copy()`, then
  `u += dt * f(u)` in a loop) the new value is just rebound, at no cost.
- Arrays in loops: created in the body and rebound to an outer name (`new = np.empty(n)`,
  then `u = new`), and two buffers made before the loop swapped each step
  (`u, new = new, u` after writing `new`), or a carried array written and then replaced
  (`b[0] = ...; b = b * 0.5`). In the last two the generated code writes each iteration into
  a copy of the carried array made at the start of the body (the same values; one copy per
  step that the primal does not make), unless another name sees that array, which is refused.
- Gathers `x[idx]` with `idx` an integer array (rows of a matrix, repeated and negative
  indices; an `idx` of 2 or more dimensions gives its shape, up to 4 dimensions in all), of a matrix's columns and elements `M[:, idx]`, `M[1:, idx]`, `M[idx, ::2]`,
  `M[i, idx]`, `M[idx, j]`, of a matrix's elements at paired index arrays `M[rows, cols]`
  (two 1-d integer arrays of one length) and of a 3-d array's rows at them (`x[rows, cols]`,
  `x[rows, cols, :]`), and of a 3-d array along any axis with integers and whole slices beside
  (`x[:, idx]`, `x[:, :, idx]`, `x[i, idx]`, `x[i, :, idx]`, `x[idx, j]`; the gathered
  axis where NumPy puts it): the adjoint is a scatter-add, exact where indices repeat.
- Writes through a 1-d integer index array, `y[idx] = v` and `y[idx] += v`, with `v` a value
  per index (or row), or one value (or row) for all, and through paired index arrays of a
  matrix, `M[rows, cols] = v` and `M[rows, cols] += v`, and into a matrix's columns,
  `M[:, idx] = v` and `M[:, idx] += v` (`v` a number, one value per column, or a matrix of
  one column per index, broadcast as NumPy does): NumPy's values, also where indices
  repeat (the last write wins; `+=` adds once), compiled as the loop of element writes.
- Array attributes and methods: `.T`, `.shape`, `.size`, `.ndim`, `.sum()`, `.mean()`,
  `.max()`, `.min()`, `.prod()`, `.dot()`, `.reshape()`, `.ravel()`, `.flatten()`, `.copy()`,
  `.astype(float)`; `len(x)`; `np.linalg.norm(x)` (2-norm).
- Reductions `np.sum`, `np.mean`, `np.max`, `np.min`, `np.prod` (and their methods) of the whole
  array or with a constant `axis=` (negative too) of arrays up to 3-d, and `keepdims=True`. The derivative of a max
  or min goes to the first arg-max (arg-min) of each slice, as `np.argmax` picks it on ties; that
  of a product is the product of the other elements (exact where elements are 0).
- `np.einsum` with explicit (`"ij,jk->ik"`) or implicit (`"ij,jk"`) subscripts of any number
  of array operands: products, traces and diagonals (`"ii->"`, `"ii->i"`), sums over axes,
  batches (`"bij,bjk->bik"`). The subscripts are a string literal or a string argument (a
  constant of the specialisation). Its derivatives are einsums (readable in `.source`); on
  Numba, which has no einsum, each subscripts string compiles to its own loop nest. Not
  supported: `...` (write every axis's letter), keyword arguments (`optimize=`, `out=`),
  numbers as operands, and an axis of size 1 broadcast against a longer one (a ValueError at
  run time naming the letter).
- Rejected with a located `CompileError`: generators, `try`, `with`, `global`, `nonlocal`,
  a nested function used as a value (returned or stored), classes, `async`, star-arguments, recursion, strings, set and dict comprehensions, and calls
  to functions with neither source nor rule when an argument is differentiated.
"""


def _spelling(obj):
    module = getattr(obj, "__module__", None) or ("numpy" if type(obj).__name__ == "ufunc" else "")
    prefix = _MODULE_PREFIX.get(module)
    if prefix is None:
        prefix = "np." if module.startswith("numpy") else module + "."
    return f"`{prefix}{obj.__name__}`"


def _rule_kind(prim):
    if isinstance(prim.partials, tuple):
        return "constant partials"
    if prim.partials is not None:
        return "partials (both modes derived)"
    if prim.tangent is not None or prim.adjoint is not None:
        return "tangent and adjoint rules"
    return "structural (in the transforms)"


def render():
    lines = ["# Supported functions and constructs", "",
             "Generated by `docs/make_supported.py` from the rule table; do not edit by hand.",
             "", CONSTRUCTS, "## Operators", "", "| operator | primitive | derivative |",
             "|---|---|---|"]
    prims = [p for n, p in PRIMITIVES.items() if not n.startswith("user:") and n not in _INTERNAL]
    for p in prims:
        if isinstance(p.emit, str) and not any(c in p.emit for c in "(._"):
            text = p.emit.format(*"abc")
            kind = _rule_kind(p) if p.differentiable else "none (data)"
            lines.append(f"| `{text}` | {p.name} | {kind} |")
    lines += ["", "## Differentiable functions", "", "| function | primitive | rule |", "|---|---|---|"]
    for p in prims:
        if p.objects and p.differentiable and not p.name == "stop_gradient":
            names = ", ".join(dict.fromkeys(_spelling(o) for o in p.objects))
            lines.append(f"| {names} | {p.name} | {_rule_kind(p)} |")
    lines += ["", "## Data: functions whose results carry no derivative", "",
              "Constructors, rounding, comparisons and predicates; also `ad.stop_gradient` and "
              "functions registered with `ad.non_differentiable`.", ""]
    data = sorted({_spelling(o) for p in prims if not p.differentiable for o in p.objects})
    lines.append(", ".join(data))
    lines += ["", "## Helpers of the generated code", "",
              "Each has a tangent rule so that second derivatives (forward over reverse) work:", ""]
    helpers = sorted(n for n in _INTERNAL if n in PRIMITIVES and PRIMITIVES[n].differentiable)
    lines.append(", ".join(f"`{n}`" for n in helpers))
    return "\n".join(lines) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run python docs/make_supported.py")
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
