"""Type inference: every Var gets bool, int or float (fixpoint over loops)."""
from ..errors import CompileError
from ..ir.nodes import Op, If, For, While, BOOL, INT, FLOAT, is_array, walk_stmts
from ..rules import PRIMITIVES

_ORDER = {None: -1, BOOL: 0, INT: 1, FLOAT: 2}


def join(a, b):
    """The smallest type holding both: bool < int < float; arrays join with themselves."""
    if a == b:
        return a
    if is_array(a) or is_array(b):
        if a is None or b is None:
            return a if b is None else b
        if is_array(a) and is_array(b) and a.ndim == b.ndim:
            return a if a.dtype == "float64" else b
        raise TypeError(f"a value is {a} on one path and {b} on another")
    return a if _ORDER.get(a, 3) >= _ORDER.get(b, 3) else b


def atom_type(atom):
    return atom.type


def _op_type(op):
    if op.prim == "opaque_call":        # known for sure where it is lowered (rules/opaque.py)
        return op.result.type
    if op.prim.startswith("tape_"):
        return op.result.type if op.result is not None else None
    prim = PRIMITIVES.get(op.prim)
    if prim is None or op.prim in ("slice", "slice_copy", "einsum", "einsum_like"):
        # typed by the frontend (by their attributes: a slice's spec, the subscripts)
        return op.result.type
    return prim.result_type(*[atom_type(a) for a in op.args])


def join_at(stmt, var, a, b):
    """``join(a, b)`` for value ``var`` of region ``stmt``; a mismatch is the user's: located."""
    try:
        return join(a, b)
    except TypeError:
        what = "the returned value" if var.hint in ("ret", "out") or var.hint.startswith("%retval") \
            else f"'{var.hint}'"
        raise CompileError(f"{what} is {a} on one path and {b} on another", stmt.loc,
                           "give it the same kind of value on every path (for an array, "
                           "e.g. np.zeros_like(...) instead of 0.0)") from None


def _placeholders(fn):
    return {s.result for s in walk_stmts(fn.body) if isinstance(s, Op) and s.prim == "placeholder"}


def infer_types(fn):
    """Annotate ``fn`` in place; returns ``fn``.

    A ``placeholder`` takes its type from where it flows (a loop's carried value, a branch's
    result), so that every path carries a value of one type."""
    changed = True
    placeholders = _placeholders(fn)

    def flows_into(atom, var):
        if atom in placeholders:
            widen(atom, var.type)

    def widen(var, t):
        nonlocal changed
        new = join(var.type, t)
        if new != var.type:
            var.type = new
            changed = True

    def block(b):
        for stmt in b.stmts:
            if isinstance(stmt, Op):
                if stmt.result is not None:
                    widen(stmt.result, _op_type(stmt))
            elif isinstance(stmt, If):
                block(stmt.then_body)
                block(stmt.else_body)
                for r, a, c in zip(stmt.results, stmt.then_body.yields, stmt.else_body.yields):
                    widen(r, join_at(stmt, r, atom_type(a), atom_type(c)))
                    flows_into(a, r)
                    flows_into(c, r)
            elif isinstance(stmt, (For, While)):
                if isinstance(stmt, For):
                    widen(stmt.index, join(join(atom_type(stmt.start), atom_type(stmt.stop)),
                                           atom_type(stmt.step)))
                for a, i in zip(stmt.args, stmt.inits):
                    widen(a, join_at(stmt, a, a.type, atom_type(i)))
                if isinstance(stmt, While):
                    block(stmt.cond_body)
                block(stmt.body)
                for a, y, r in zip(stmt.args, stmt.body.yields, stmt.results):
                    widen(a, join_at(stmt, a, a.type, atom_type(y)))
                    widen(r, a.type)
                    flows_into(y, a)
                for a, i in zip(stmt.args, stmt.inits):
                    flows_into(i, a)

    while changed:
        changed = False
        block(fn.body)
    for p in placeholders:
        if p.type is None:      # flows nowhere a type is known: never read
            p.type = FLOAT
    return fn
