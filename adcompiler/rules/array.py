"""Array primitives: reductions, products, indexing, constructors.

Elementwise arithmetic and the math functions are the scalar primitives lifted to arrays
(their partials broadcast; the reverse transform sums cotangents back to each argument's
shape). The primitives here declare a tangent and an adjoint template side by side.
"""
import numpy as np

from ..ir.nodes import ArrayType, FLOAT, INT, BOOL, is_array, element_type
from ..runtime import helpers as rt
from .table import defprim, vector_rule, scalar_rule


def _reduced(x, axis=None):
    if axis is None or x.ndim <= 1:
        return element_type(x) if element_type(x) != BOOL else INT
    return ArrayType(x.dtype, x.ndim - 1)


def _float_array_like(*types):
    arrays = [t for t in types if is_array(t)]
    return arrays[0] if arrays else FLOAT


def _shape_args(atoms):
    return atoms[0] if len(atoms) == 1 else "(" + ", ".join(atoms) + ")"


# -- reductions -----------------------------------------------------------------------------
defprim("sum", "np.sum({0})", lambda x: _reduced(x), objects=(np.sum,), lift=False)


@vector_rule("sum")
class Sum:
    def tangent(x, out, dx):
        return np.sum(dx)

    def adjoint(x, out, g):
        return rt.fill_like(x, g)


# np.linalg.norm(x) of a 1-d or 2-d float array, as NumPy computes it (its own order of
# summation: the primal must be the user's value bit for bit)
defprim("norm", "np.linalg.norm({0})", lambda x: FLOAT, lift=False)


@vector_rule("norm")
class Norm:
    def tangent(x, out, dx):
        return np.sum(x * dx) / out

    def adjoint(x, out, g):
        return x * (g / out)


defprim("sum_axis", "np.sum({0}, axis={1})", lambda x, axis: _reduced(x, axis), lift=False)


@vector_rule("sum_axis")
class SumAxis:
    def tangent(x, axis, out, dx, daxis):
        return np.sum(dx, axis=axis), 0.0

    def adjoint(x, axis, out, g):
        return rt.expand_axis(g, x, axis), 0.0


defprim("mean", "np.mean({0})", lambda x: FLOAT, objects=(np.mean,), lift=False)


@vector_rule("mean")
class Mean:
    def tangent(x, out, dx):
        return np.mean(dx)

    def adjoint(x, out, g):
        return rt.fill_like(x, g / x.size)


defprim("amax", "np.max({0})", lambda x: element_type(x), objects=(np.max, np.amax), lift=False)


@vector_rule("amax")
class Max:
    def tangent(x, out, dx):
        return rt.at_argmax(dx, x)

    def adjoint(x, out, g):
        return rt.onehot_argmax(x, g)


defprim("amin", "np.min({0})", lambda x: element_type(x), objects=(np.min, np.amin), lift=False)


@vector_rule("amin")
class Min:
    def tangent(x, out, dx):
        return rt.at_argmin(dx, x)

    def adjoint(x, out, g):
        return rt.onehot_argmin(x, g)


# the max / min of each slice along an axis: its derivative is that of the slice's first
# arg-max (as np.argmax picks it on ties)
defprim("amax_axis", "_rt.amax_axis({0}, {1})", lambda x, axis: _reduced(x, axis), lift=False)
defprim("amin_axis", "_rt.amin_axis({0}, {1})", lambda x, axis: _reduced(x, axis), lift=False)


@vector_rule("amax_axis")
class MaxAxis:
    def tangent(x, axis, out, dx, daxis):
        return rt.at_argmax_axis(dx, x, axis), 0.0

    def adjoint(x, axis, out, g):
        return rt.onehot_argmax_axis(x, g, axis), 0.0


@vector_rule("amin_axis")
class MinAxis:
    def tangent(x, axis, out, dx, daxis):
        return rt.at_argmin_axis(dx, x, axis), 0.0

    def adjoint(x, axis, out, g):
        return rt.onehot_argmin_axis(x, g, axis), 0.0


# -- products ---------------------------------------------------------------------------------
def _dot_type(a, b):
    na, nb = (t.ndim if is_array(t) else 0 for t in (a, b))
    ndim = {(1, 1): 0, (2, 1): 1, (1, 2): 1, (2, 2): 2}.get((na, nb))
    if ndim is None:
        raise TypeError(f"dot of {na}-d and {nb}-d arrays is not supported")
    dtype = "float32" if {a.dtype, b.dtype} == {"float32"} else "float64"
    return FLOAT if ndim == 0 else ArrayType(dtype, ndim)


defprim("dot", "np.dot({0}, {1})", _dot_type, objects=(np.dot, np.matmul), lift=False)


@vector_rule("dot")
class Dot:
    def tangent(a, b, out, da, db):
        return np.dot(da, b), np.dot(a, db)

    # one adjoint per (a.ndim, b.ndim)
    def adjoint_vv(a, b, out, g):
        return g * b, g * a

    def adjoint_mv(a, b, out, g):
        return np.outer(g, b), np.dot(a.T, g)

    def adjoint_vm(a, b, out, g):
        return np.dot(b, g), np.outer(a, g)

    def adjoint_mm(a, b, out, g):
        return np.dot(g, b.T), np.dot(a.T, g)

    adjoint = {(1, 1): adjoint_vv, (2, 1): adjoint_mv, (1, 2): adjoint_vm, (2, 2): adjoint_mm}


def _outer_type(a, b):
    """NumPy's: the dtype of ``a[i] * b[j]`` (float32 stays float32). np.outer flattens
    arrays of other ranks, which the rule's adjoint (shaped like a vector) does not undo."""
    if not all(is_array(t) and t.ndim == 1 for t in (a, b)):
        raise TypeError("np.outer of anything but two 1-d arrays flattens them; "
                        "write np.outer(a.ravel(), b.ravel())")
    return ArrayType(np.result_type(a.dtype, b.dtype).name, 2)


defprim("outer", "np.outer({0}, {1})", _outer_type, objects=(np.outer,), lift=False)


@vector_rule("outer")
class Outer:
    def tangent(a, b, out, da, db):
        return np.outer(da, b), np.outer(a, db)

    def adjoint(a, b, out, g):
        return np.dot(g, b), np.dot(a, g)


def _trace_type(x):
    if not (is_array(x) and x.ndim == 2):
        raise TypeError("np.trace of anything but a matrix (a 2-d array) is not supported")
    return element_type(x) if element_type(x) != BOOL else INT


defprim("trace", "np.trace({0})", _trace_type, objects=(np.trace,), lift=False)


@vector_rule("trace")
class Trace:
    def tangent(x, out, dx):
        return np.trace(dx)

    def adjoint(x, out, g):
        return rt.diagonal_like(x, g)


defprim("diagonal_like", "_rt.diagonal_like({0}, {1})", lambda x, g: ArrayType(x.dtype, 2),
        objects=(rt.diagonal_like,), lift=False)


@vector_rule("diagonal_like")
class DiagonalLike:
    def tangent(x, g, out, dx, dg):
        return 0.0, rt.diagonal_like(x, dg)

    def adjoint(x, g, out, b):
        return 0.0, np.trace(b)


def _diag_type(x, *offset):
    if offset or not (is_array(x) and x.ndim in (1, 2)):
        raise TypeError("np.diag of a vector or a matrix, with no offset, is supported")
    return ArrayType(x.dtype, 3 - x.ndim)


# np.diag(v): the square matrix with v on its diagonal; np.diag(M): M's diagonal (a copy here,
# where NumPy gives a read-only view)
defprim("diag", "np.diag({0})", _diag_type, objects=(np.diag,), lift=False)


@vector_rule("diag")
class Diag:
    def tangent(x, out, dx):
        return np.diag(dx)

    def adjoint(x, out, g):
        return rt.diag_adjoint(x, g)


defprim("diag_adjoint", "_rt.diag_adjoint({0}, {1})", lambda x, g: ArrayType(g.dtype, x.ndim),
        objects=(rt.diag_adjoint,), lift=False)


@vector_rule("diag_adjoint")
class DiagAdjoint:
    def tangent(x, g, out, dx, dg):
        return 0.0, rt.diag_adjoint(x, dg)

    def adjoint(x, g, out, b):
        return 0.0, np.diag(b)


def _take_type(x, idx):
    if not (is_array(x) and is_array(idx) and idx.ndim == 1 and idx.dtype == "int64"):
        raise TypeError("a gather x[idx] needs a 1-d array of integer indices")
    return ArrayType(x.dtype, x.ndim)


# a gather x[idx] (NumPy's integer-array indexing of the first axis): its adjoint is a
# scatter-add, exact where indices repeat
defprim("take", "{0}[{1}]", _take_type, lift=False)


@vector_rule("take")
class Take:
    def tangent(x, idx, out, dx, didx):
        return dx[idx], 0.0

    def adjoint(x, idx, out, g):
        return rt.scatter_add(x, idx, g), 0.0


# private accumulators of a parallel loop adding into array elements (transforms/parallel.py
# puts them in the final code of the numba backend; nothing differentiates them)
defprim("num_chunks", "_rt.num_chunks({0})", lambda n: INT, differentiable=False, lift=False)
defprim("private_partials", "_rt.private_partials({0}, {1})",
        lambda a, n: ArrayType(a.dtype, a.ndim + 1), differentiable=False, lift=False)
defprim("add_partials", "_rt.add_partials({0}, {1})", lambda a, p: a, differentiable=False,
        lift=False)
defprim("scatter_add", "_rt.scatter_add({0}, {1}, {2})", lambda x, idx, g: ArrayType(g.dtype, x.ndim),
        objects=(rt.scatter_add,), lift=False)


@vector_rule("scatter_add")
class ScatterAdd:
    def tangent(x, idx, g, out, dx, didx, dg):
        return 0.0, 0.0, rt.scatter_add(x, idx, dg)

    def adjoint(x, idx, g, out, b):
        return 0.0, 0.0, b[idx]


def _take_pairs_type(x, i, j):
    if not (is_array(x) and x.ndim == 2 and all(is_array(t) and t.ndim == 1 and t.dtype == "int64"
                                                for t in (i, j))):
        raise TypeError("a gather x[i, j] needs a matrix and two 1-d arrays of integer indices")
    return ArrayType(x.dtype, 1)


# x[i, j] with two index arrays: the elements at the pairs (i[k], j[k]); its adjoint adds each
# cotangent at its pair (exact where pairs repeat)
defprim("take_pairs", "_rt.take_pairs({0}, {1}, {2})", _take_pairs_type,
        objects=(rt.take_pairs,), lift=False)


@vector_rule("take_pairs")
class TakePairs:
    def tangent(x, i, j, out, dx, di, dj):
        return rt.take_pairs(dx, i, j), 0.0, 0.0

    def adjoint(x, i, j, out, g):
        return rt.scatter_add_pairs(x, i, j, g), 0.0, 0.0


defprim("scatter_add_pairs", "_rt.scatter_add_pairs({0}, {1}, {2}, {3})",
        lambda x, i, j, g: ArrayType(g.dtype, 2), objects=(rt.scatter_add_pairs,), lift=False)


@vector_rule("scatter_add_pairs")
class ScatterAddPairs:
    def tangent(x, i, j, g, out, dx, di, dj, dg):
        return 0.0, 0.0, 0.0, rt.scatter_add_pairs(x, i, j, dg)

    def adjoint(x, i, j, g, out, b):
        return 0.0, 0.0, 0.0, rt.take_pairs(b, i, j)


defprim("transpose", "{0}.T", lambda x: x, objects=(np.transpose,), lift=False)


@vector_rule("transpose")
class Transpose:
    def tangent(x, out, dx):
        return dx.T

    def adjoint(x, out, g):
        # a C-ordered copy: a cotangent carried by a loop must keep one memory layout under
        # Numba (a transposed, F-ordered one is refused: "allocate array with layout 'A'")
        return g.T.copy()


defprim("prod", "np.prod({0})", lambda x: _reduced(x), objects=(np.prod,), lift=False)


@vector_rule("prod")
class Prod:
    # the product of the other elements, not out / x: exact where an element is 0
    def tangent(x, out, dx):
        return np.sum(dx * rt.prod_others(x))

    def adjoint(x, out, g):
        return g * rt.prod_others(x)


defprim("prod_axis", "_rt.prod_axis({0}, {1})", lambda x, axis: _reduced(x, axis), lift=False)


@vector_rule("prod_axis")
class ProdAxis:
    def tangent(x, axis, out, dx, daxis):
        return np.sum(dx * rt.prod_others_axis(x, axis), axis=axis), 0.0

    def adjoint(x, axis, out, g):
        return rt.expand_axis(g, x, axis) * rt.prod_others_axis(x, axis), 0.0


defprim("reshape", lambda a: f"_rt.reshape({a[0]}, ({', '.join(a[1:])},))",
        lambda x, *dims: ArrayType(x.dtype, len(dims)), objects=(np.reshape,), lift=False)


@vector_rule("reshape")
class Reshape:
    tangent = None   # d(reshape(x, s)) = reshape(dx, s); adjoint reshape(g, x.shape)
    adjoint = None


defprim("reshape_like", "_rt.reshape_like({0}, {1})", lambda g, x: x,
        objects=(rt.reshape_like,), lift=False)


@vector_rule("reshape_like")
class ReshapeLike:
    def tangent(g, x, out, dg, dx):
        return rt.reshape_like(dg, x), 0.0
    adjoint = None


def _join_arrays(*types):
    if all(is_array(t) for t in types):
        return ArrayType(types[0].dtype, types[0].ndim)
    raise TypeError("concatenate needs arrays")


def _promoted_dtype(types):
    """NumPy's dtype of numbers and arrays stacked together: np.array([1, 2]) holds int64."""
    dtypes = {t.dtype if is_array(t) else {INT: "int64", BOOL: "bool"}.get(t, "float64")
              for t in types}
    if dtypes == {"float32"}:
        return "float32"
    if any(d.startswith("float") for d in dtypes):
        return "float64"
    return "int64" if any(d.startswith("int") for d in dtypes) else "bool"


def _stack_type(*types):
    if all(is_array(t) for t in types):
        return ArrayType(_promoted_dtype(types), types[0].ndim + 1)
    if not any(is_array(t) for t in types):
        return ArrayType(_promoted_dtype(types), 1)
    raise TypeError("stack needs all arrays or all scalars")


defprim("concatenate", lambda a: f"np.concatenate(({', '.join(a)},))", _join_arrays,
        objects=(np.concatenate,), lift=False)
defprim("stack", lambda a: f"np.stack(({', '.join(a)},))", _stack_type, objects=(np.stack, np.array),
        emit_array=None, lift=False)


@vector_rule("concatenate")
class Concatenate:
    tangent = None   # concatenation of the tangents; the adjoint slices g at the offsets
    adjoint = None


@vector_rule("stack")
class Stack:
    tangent = None   # stack of the tangents; the adjoint of argument k is g[k]
    adjoint = None


# -- indexing ---------------------------------------------------------------------------------
def _getitem_type(x, *index):
    if not is_array(x):
        raise TypeError("indexing a scalar")
    left = x.ndim - len(index)
    return element_type(x) if left == 0 else ArrayType(x.dtype, left)


defprim("getitem", lambda a: f"{a[0]}[{', '.join(a[1:])}]", _getitem_type, lift=False)


@vector_rule("getitem")
class GetItem:
    def tangent(x, *index_out_dx):
        raise NotImplementedError  # lowered by the transforms: d(x[i]) = dx[i]

    adjoint = None                 # scattered in place by the reverse transform


def slice_text(array, atoms, spec):
    """``x[1:, i, None]`` from a slice spec (see Lowerer.slice_read) and its index atoms."""
    atoms = iter(atoms)
    parts = []
    for entry in spec:
        if entry[0] == "newaxis":
            parts.append("None")
        elif entry[0] == "index":
            parts.append(next(atoms))
        else:
            lo, hi, step = (next(atoms) if present else "" for present in entry[1:])
            parts.append(f"{lo}:{hi}" + (f":{step}" if step else ""))
    return f"{array}[{', '.join(parts)}]"


def sliced_ndim(spec, ndim):
    """Rank of ``x[spec]`` for an ``ndim``-d array ``x`` (axes left out at the end are kept)."""
    axes = sum(entry[0] != "newaxis" for entry in spec)
    kept = sum(entry[0] != "index" for entry in spec)
    return kept + ndim - axes


defprim("slice", None, lambda x, *rest: x, lift=False)      # typed by the frontend
defprim("slice_add", None, lambda x, *rest: x, differentiable=False, lift=False)


@vector_rule("slice")
class Slice:
    tangent = None   # d(x[s]) = dx[s], and the adjoint scatters bx[s] += g (transforms)
    adjoint = None


defprim("setitem", lambda a: f"{a[0]}[{', '.join(a[1:-1])}] = {a[-1]}",
        lambda x, *rest: x, lift=False)


@vector_rule("setitem")
class SetItem:
    tangent = None   # the transforms write the tangent element in place: dy[i] = dv
    adjoint = None   # and read it back, zeroing it: bv = by[i]; by[i] = 0


# Writes into a slice or row, ``y[a:b, i] = v`` (spec as for "slice"; the value broadcasts).
# The reverse sweep saves the overwritten part with slice_copy and puts it back with
# restore_slice; the adjoint of the old array is zeroed there with zero_slice.
defprim("setslice", None, lambda x, *rest: x, lift=False)
defprim("slice_copy", None, lambda x, *rest: x, lift=False)       # typed by the frontend
defprim("zero_slice", None, lambda x, *rest: x, differentiable=False, lift=False)
defprim("restore_slice", None, lambda x, *rest: None, differentiable=False, lift=False)


@vector_rule("setslice")
class SetSlice:
    tangent = None   # the transforms write the tangent slice in place: dy[s] = dv
    adjoint = None   # and read it back, zeroing it: bv = unbroadcast(by[s]); by[s] = 0


@vector_rule("slice_copy")
class SliceCopy:
    tangent = None   # linear: d(x[s].copy()) = dx[s].copy() (transforms)
    adjoint = None


defprim("restore", lambda a: f"{a[0]}[{', '.join(a[1:-1])}] = {a[-1]}",
        lambda x, *rest: None, differentiable=False, lift=False)
defprim("zero_at", lambda a: f"{a[0]}[{', '.join(a[1:])}] = 0.0",
        lambda x, *rest: x, differentiable=False, lift=False)
defprim("index_add", lambda a: f"{a[0]}[{', '.join(a[1:-1])}] += {a[-1]}",
        lambda x, *rest: x, differentiable=False, lift=False)
defprim("dim", "{0}.shape[{1}]", lambda x, k: INT, differentiable=False, lift=False)
defprim("size", "{0}.size", lambda x: INT, differentiable=False, lift=False)

# -- selection --------------------------------------------------------------------------------
defprim("where", "({1} if {0} else {2})", lambda c, a, b: FLOAT, objects=(np.where,),
        emit_array="np.where({0}, {1}, {2})")


@scalar_rule("where")
def where(c, a, b, out):
    return 0.0, c * 1.0, 1.0 - c * 1.0


defprim("clip", "min(max({0}, {1}), {2})", lambda x, lo, hi: FLOAT, objects=(np.clip,),
        emit_array="np.clip({0}, {1}, {2})")


@scalar_rule("clip")
def clip(x, lo, hi, out):
    return (x >= lo) * (x <= hi) * 1.0, (x < lo) * 1.0, (x > hi) * 1.0


# -- helpers of the generated code --------------------------------------------------------------
# A first derivative calls these; a second derivative (forward over reverse) differentiates
# them again. Each is linear in its cotangent argument, so its tangent is itself applied to
# the tangent of that argument; the other arguments only give shapes or the arg-max.
defprim("unbroadcast", "_rt.unbroadcast({0}, {1})", lambda g, x: x if is_array(x) else FLOAT,
        objects=(rt.unbroadcast,), lift=False)
defprim("zeros_like_f", "np.zeros_like({0})", lambda x: x, differentiable=False, lift=False)


@vector_rule("unbroadcast")
class Unbroadcast:
    def tangent(g, x, out, dg, dx):
        return rt.unbroadcast(dg, x), 0.0
    adjoint = None


defprim("copy", "{0}.copy()", lambda x: x, objects=(np.copy,), lift=False)


@vector_rule("copy")
class Copy:
    # copies, so that writing into the result never touches the argument's derivative
    def tangent(x, out, dx):
        return np.copy(dx)

    def adjoint(x, out, g):
        return np.copy(g)


defprim("cast_like", "{0}.astype({1}.dtype)", lambda g, x: x, objects=(rt.cast_like,),
        lift=False)
defprim("seed_like", "_rt.seed_like({0}, {1})", lambda g, x: g, objects=(rt.seed_like,),
        lift=False)
defprim("shaped_like", "_rt.shaped_like({0}, {1})", lambda t, x: t, differentiable=False,
        lift=False)
defprim("broadcast_like", "_rt.broadcast_like({0}, {1})",
        lambda a, b: ArrayType(a.dtype, max(a.ndim, b.ndim)), differentiable=False, lift=False)
defprim("fill_like", "_rt.fill_like({0}, {1})", lambda x, v: ArrayType(x.dtype, x.ndim),
        objects=(rt.fill_like,), lift=False)
defprim("expand_axis", "_rt.expand_axis({0}, {1}, {2})", lambda g, x, axis: x,
        objects=(rt.expand_axis,), lift=False)
defprim("onehot_argmax", "_rt.onehot_argmax({0}, {1})", lambda x, g: x,
        objects=(rt.onehot_argmax,), lift=False)
defprim("onehot_argmin", "_rt.onehot_argmin({0}, {1})", lambda x, g: x,
        objects=(rt.onehot_argmin,), lift=False)
defprim("at_argmax", "_rt.at_argmax({0}, {1})", lambda d, x: FLOAT,
        objects=(rt.at_argmax,), lift=False)
defprim("at_argmin", "_rt.at_argmin({0}, {1})", lambda d, x: FLOAT,
        objects=(rt.at_argmin,), lift=False)


@vector_rule("cast_like")
class CastLike:
    # the values of x never matter, only its dtype (a += b keeping a's float32)
    def tangent(g, x, out, dg, dx):
        return rt.cast_like(dg, x), 0.0

    def adjoint(g, x, out, b):
        return rt.cast_like(b, g), 0.0


@vector_rule("seed_like")
class SeedLike:
    def tangent(g, x, out, dg, dx):
        return rt.seed_like(dg, x), 0.0
    adjoint = None


@vector_rule("fill_like")
class FillLike:
    def tangent(x, v, out, dx, dv):
        return 0.0, rt.fill_like(x, dv)
    adjoint = None


@vector_rule("expand_axis")
class ExpandAxis:
    def tangent(g, x, axis, out, dg, dx, daxis):
        return rt.expand_axis(dg, x, axis), 0.0, 0.0
    adjoint = None


@vector_rule("onehot_argmax")
class OnehotArgmax:
    def tangent(x, g, out, dx, dg):
        return 0.0, rt.onehot_argmax(x, dg)
    adjoint = None


@vector_rule("onehot_argmin")
class OnehotArgmin:
    def tangent(x, g, out, dx, dg):
        return 0.0, rt.onehot_argmin(x, dg)
    adjoint = None


@vector_rule("at_argmax")
class AtArgmax:
    def tangent(d, x, out, dd, dx):
        return rt.at_argmax(dd, x), 0.0
    adjoint = None


@vector_rule("at_argmin")
class AtArgmin:
    def tangent(d, x, out, dd, dx):
        return rt.at_argmin(dd, x), 0.0
    adjoint = None


defprim("at_argmax_axis", "_rt.at_argmax_axis({0}, {1}, {2})",
        lambda d, x, axis: _reduced(d, axis), objects=(rt.at_argmax_axis,), lift=False)
defprim("at_argmin_axis", "_rt.at_argmin_axis({0}, {1}, {2})",
        lambda d, x, axis: _reduced(d, axis), objects=(rt.at_argmin_axis,), lift=False)
defprim("onehot_argmax_axis", "_rt.onehot_argmax_axis({0}, {1}, {2})", lambda x, g, axis: x,
        objects=(rt.onehot_argmax_axis,), lift=False)
defprim("onehot_argmin_axis", "_rt.onehot_argmin_axis({0}, {1}, {2})", lambda x, g, axis: x,
        objects=(rt.onehot_argmin_axis,), lift=False)


@vector_rule("at_argmax_axis")
class AtArgmaxAxis:
    def tangent(d, x, axis, out, dd, dx, daxis):
        return rt.at_argmax_axis(dd, x, axis), 0.0, 0.0
    adjoint = None


@vector_rule("at_argmin_axis")
class AtArgminAxis:
    def tangent(d, x, axis, out, dd, dx, daxis):
        return rt.at_argmin_axis(dd, x, axis), 0.0, 0.0
    adjoint = None


@vector_rule("onehot_argmax_axis")
class OnehotArgmaxAxis:
    def tangent(x, g, axis, out, dx, dg, daxis):
        return 0.0, rt.onehot_argmax_axis(x, dg, axis), 0.0
    adjoint = None


@vector_rule("onehot_argmin_axis")
class OnehotArgminAxis:
    def tangent(x, g, axis, out, dx, dg, daxis):
        return 0.0, rt.onehot_argmin_axis(x, dg, axis), 0.0
    adjoint = None


# The derivative of prod is a product of the other elements: a helper that is not linear
# in its argument. Its tangent (second derivatives) is the dual-number form of the same
# loops; that one is only differentiated at order three, which the API refuses.
defprim("prod_others", "_rt.prod_others({0})", lambda x: x, objects=(rt.prod_others,), lift=False)
defprim("prod_others_axis", "_rt.prod_others_axis({0}, {1})", lambda x, axis: x,
        objects=(rt.prod_others_axis,), lift=False)
defprim("prod_others_jvp", "_rt.prod_others_jvp({0}, {1})", lambda x, dx: x,
        objects=(rt.prod_others_jvp,), differentiable=False, lift=False)
defprim("prod_others_axis_jvp", "_rt.prod_others_axis_jvp({0}, {1}, {2})", lambda x, dx, axis: x,
        objects=(rt.prod_others_axis_jvp,), differentiable=False, lift=False)


@vector_rule("prod_others")
class ProdOthers:
    def tangent(x, out, dx):
        return rt.prod_others_jvp(x, dx)
    adjoint = None


@vector_rule("prod_others_axis")
class ProdOthersAxis:
    def tangent(x, axis, out, dx, daxis):
        return rt.prod_others_axis_jvp(x, dx, axis), 0.0
    adjoint = None


# -- constructors: data, not math ---------------------------------------------------------------
for _name, _fn in (("zeros", np.zeros), ("ones", np.ones), ("empty", np.empty)):
    defprim(_name, (lambda f: lambda a: f"np.{f}({_shape_args(a)})")(_name),
            lambda *shape: ArrayType("float64", len(shape)), objects=(_fn,),
            differentiable=False, lift=False)
def _full_type(*shape_and_fill):
    """np.full's dtype is its fill value's (np.full(3, 2) holds integers)."""
    *shape, fill = shape_and_fill
    dtype = {INT: "int64", BOOL: "bool"}.get(fill, "float64")
    return ArrayType(dtype, len(shape))


defprim("full", lambda a: f"np.full({_shape_args(a[:-1])}, {a[-1]})", _full_type, objects=(np.full,),
        differentiable=False, lift=False)
defprim("zeros_like", "np.zeros_like({0})", lambda x: x, objects=(np.zeros_like,),
        differentiable=False, lift=False)
defprim("ones_like", "np.ones_like({0})", lambda x: x, objects=(np.ones_like,),
        differentiable=False, lift=False)
defprim("empty_like", "np.empty_like({0})", lambda x: x, objects=(np.empty_like,),
        differentiable=False, lift=False)
defprim("arange", lambda a: f"np.arange({', '.join(a)})",
        lambda *args: ArrayType("int64" if all(t == INT for t in args) else "float64", 1),
        objects=(np.arange,), differentiable=False, lift=False)
defprim("linspace", "np.linspace({0}, {1}, {2})", lambda *args: ArrayType("float64", 1),
        objects=(np.linspace,), differentiable=False, lift=False)


def _matrix_of_sizes(name):
    """float64 2-d, as NumPy's: the sizes and the diagonal offset must be integers (NumPy
    refuses np.eye(2.0))."""
    def result(*sizes):
        if any(t != INT for t in sizes):
            raise TypeError(f"np.{name} needs integer sizes and diagonal offset")
        return ArrayType("float64", 2)
    return result


# The frontend binds the arguments of these: (N,), (N, M) or (N, M, k), with M = N when only
# k is given (MATRIX_CONSTRUCTORS).
for _name, _fn in (("identity", np.identity), ("eye", np.eye), ("tri", np.tri)):
    defprim(_name, (lambda f: lambda a: f"np.{f}({', '.join(a)})")(_name), _matrix_of_sizes(_name),
            objects=(_fn,), differentiable=False, lift=False)

#: parameters of the 2-d constructors, in NumPy's order (dtype= is checked to be float64)
MATRIX_CONSTRUCTORS = {"identity": ("n", "dtype"), "eye": ("N", "M", "k", "dtype"),
                       "tri": ("N", "M", "k", "dtype")}


# -- linear algebra (np.linalg) -------------------------------------------------------------
def _square(x):
    if not (is_array(x) and x.ndim == 2 and x.dtype in ("float64", "float32")):
        raise TypeError("np.linalg needs a square float matrix (a 2-d array) here")
    return x


defprim("inv", "np.linalg.inv({0})", lambda x: _square(x), objects=(np.linalg.inv,), lift=False)


@vector_rule("inv")
class Inv:
    def tangent(x, out, dx):
        return -np.dot(np.dot(out, dx), out)

    def adjoint(x, out, g):
        return -np.dot(np.dot(out.T, g), out.T)


defprim("det", "np.linalg.det({0})", lambda x: element_type(_square(x)),
        objects=(np.linalg.det,), lift=False)


@vector_rule("det")
class Det:
    def tangent(x, out, dx):
        return out * np.trace(np.linalg.solve(x, dx))

    def adjoint(x, out, g):
        return (g * out) * np.linalg.inv(x).T


# np.linalg.slogdet(x) is the pair (sign, log|det|): two primitives, one per part
defprim("slogdet_sign", "np.linalg.slogdet({0})[0]", lambda x: element_type(_square(x)),
        lift=False)


@vector_rule("slogdet_sign")
class SlogdetSign:
    def tangent(x, out, dx):
        return 0.0 * np.trace(dx)          # piecewise constant

    def adjoint(x, out, g):
        return np.zeros_like(x)


defprim("slogdet_log", "np.linalg.slogdet({0})[1]", lambda x: element_type(_square(x)),
        lift=False)


@vector_rule("slogdet_log")
class SlogdetLog:
    def tangent(x, out, dx):
        return np.trace(np.linalg.solve(x, dx))

    def adjoint(x, out, g):
        return g * np.linalg.inv(x).T


def _solve_type(a, b):
    _square(a)
    if not (is_array(b) and b.ndim in (1, 2)):
        raise TypeError("np.linalg.solve(a, b) needs b a vector or a matrix")
    return ArrayType(np.result_type(a.dtype, b.dtype).name, b.ndim)


defprim("solve", "np.linalg.solve({0}, {1})", _solve_type, objects=(np.linalg.solve,),
        lift=False)


@vector_rule("solve")
class Solve:
    def tangent(a, b, out, da, db):
        return -np.linalg.solve(a, np.dot(da, out)), np.linalg.solve(a, db)

    def adjoint_vector(a, b, out, g):
        gb = np.linalg.solve(a.T, g)
        return -np.outer(gb, out), gb

    def adjoint_matrix(a, b, out, g):
        gb = np.linalg.solve(a.T, g)
        return -np.dot(gb, out.T), gb

    adjoint = {(2, 1): adjoint_vector, (2, 2): adjoint_matrix}


# np.linalg.cholesky reads the lower triangle of its argument (LAPACK potrf, 'L'): the
# derivative is that of the lower triangle mirrored into a symmetric matrix
defprim("cholesky", "np.linalg.cholesky({0})", lambda x: _square(x),
        objects=(np.linalg.cholesky,), lift=False)


@vector_rule("cholesky")
class Cholesky:
    # L = chol(x) reads x's lower triangle, mirrored into the symmetric S. With Φ(M) the lower
    # triangle of M, its diagonal halved:  dL = L Φ(L⁻¹ dS L⁻ᵀ)  and  x̄ = the symmetric
    # L⁻ᵀ Φ(Lᵀ ḡ) L⁻¹ folded onto the lower triangle. Written in primitives with rules of their
    # own (inv, dot, the constant masks), so second order goes through them.
    def tangent(x, out, dx):
        sym = dx * rt.tril_mask(out, 1.0) + (dx * rt.tril_mask(out, 0.0)).T
        inv_l = np.linalg.inv(out)
        return np.dot(out, np.dot(np.dot(inv_l, sym), inv_l.T) * rt.tril_mask(out, 0.5))

    def adjoint(x, out, g):
        inv_l = np.linalg.inv(out)
        s = np.dot(np.dot(inv_l.T, np.dot(out.T, g) * rt.tril_mask(out, 0.5)), inv_l)
        return (s + s.T) * rt.tril_mask(out, 0.5)


# primitives whose own derivative is not written: a second derivative through one is refused
# with a located error (transforms/activity.py)
RULE_NOT_WRITTEN = set()
defprim("tril_mask", "_rt.tril_mask({0}, {1})", lambda L, diagonal: L, objects=(rt.tril_mask,),
        differentiable=False, lift=False)


# -- np.einsum ----------------------------------------------------------------------------------
# ``np.einsum(subscripts, *operands)`` with the subscripts a compile-time string. It is linear in
# each operand, so both rules are einsums themselves:
#   tangent   sum over k of einsum(s, x_1, .., dx_k, .., x_n)
#   adjoint   of x_k: einsum("out,others->in_k", g, others)
# An adjoint whose result repeats a letter (x_k read on a diagonal, "ii->") or has a letter
# only x_k had (summed away, "ij->i") is no einsum NumPy computes; it is ``einsum_like``: the
# einsum's value written on that diagonal / broadcast along those axes of an array shaped like
# x_k, which its first argument gives. Both primitives are handled in the forward and reverse
# transforms (``einsum_tangent``, ``einsum_adjoints``), with the subscripts in ``attrs``.

def einsum_subscripts(subscripts, ndims):
    """The explicit form ``"ij,jk->ik"`` of NumPy einsum subscripts for operands of ranks
    ``ndims``; ValueError saying what is wrong where NumPy would refuse them or where they use
    what is not supported (an ellipsis)."""
    text = subscripts.replace(" ", "")
    if "." in text:
        raise ValueError("an ellipsis ('...') is not supported; write every axis's letter")
    lhs, arrow, out = text.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(f"{len(inputs)} operand subscripts for {len(ndims)} operands")
    letters = "".join(inputs)
    if not all(c.isalpha() and c.isascii() for c in letters + out):
        raise ValueError("subscripts are letters a-z, A-Z, separated by ',' and one '->'")
    for term, ndim in zip(inputs, ndims):
        if len(term) != ndim:
            raise ValueError(f"'{term}' names {len(term)} axes of a {ndim}-d operand")
    if not arrow:           # implicit output: the letters used once, in alphabetical order
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    for c in out:
        if c not in letters:
            raise ValueError(f"output letter '{c}' is not in any operand")
        if out.count(c) > 1:
            raise ValueError(f"output letter '{c}' appears more than once")
    return ",".join(inputs) + "->" + out


def einsum_parts(subscripts):
    """``("ij,jk->ik")`` -> ``(["ij", "jk"], "ik")``."""
    lhs, _, out = subscripts.partition("->")
    return lhs.split(","), out


def einsum_type(subscripts, types):
    out = einsum_parts(subscripts)[1]
    scalar_dtype = {FLOAT: "float64", INT: "int64", BOOL: "bool"}
    dtype = np.result_type(*[t.dtype if is_array(t) else scalar_dtype[t] for t in types]).name
    return ArrayType(dtype, len(out)) if out else element_type(ArrayType(dtype, 1))


def einsum_adjoint_subscripts(subscripts, k):
    """Subscripts of the cotangent of operand ``k``, from the output's cotangent first and the
    other operands after it; and whether it needs ``einsum_like`` (see above)."""
    inputs, out = einsum_parts(subscripts)
    others = inputs[:k] + inputs[k + 1:]
    target = inputs[k]
    reached = set(out).union(*others)
    plain = len(set(target)) == len(target) and set(target) <= reached
    return ",".join([out] + others) + "->" + target, not plain


defprim("einsum", "np.einsum({0})", lambda *types: FLOAT, objects=(np.einsum,), lift=False)
defprim("einsum_like", "_rt.einsum_like({0})", lambda *types: FLOAT, lift=False)
