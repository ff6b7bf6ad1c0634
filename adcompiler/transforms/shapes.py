"""Shape classes: which arrays of a function have the same shape, known without running it.

The reverse sweep sums every cotangent of a broadcasting op back to its argument's shape
(``unbroadcast(g, x)``), and to know that shape it keeps ``x`` alive, often on a tape. Where
``g`` has ``x``'s shape by construction (``y = np.zeros_like(x)``, then ``y = y * x + c`` in a
loop) the sum is nothing and the tape is dead. Two arrays are in one class when they have
the same shape by construction: one is made ``*_like`` the other, from the other by an
elementwise op of arrays of one class and numbers, by a write into it, or they flow into each
other through loops and branches whose every way in agrees. Everything else is in a class
of its own; the analysis never guesses, so a class it states is a fact.
"""
from ..ir.nodes import Op, If, For, Var, Const, FLOAT, is_array, child_blocks
from .cleanup import IN_PLACE, _substitute

#: ops whose array result has the shape of their first argument
_SHAPED_LIKE_FIRST = ("zeros_like", "zeros_like_f", "empty_like", "ones_like", "fill_like",
                      "copy", "cast_like")
#: ops whose array result has the shape of their second argument
_SHAPED_LIKE_SECOND = ("unbroadcast", "seed_like", "shaped_like")
#: ops making a new array of the shape their arguments give
_ALLOCATIONS = ("empty", "zeros", "ones")


def same_shape_classes(fn):
    """{array Var: its class representative} for every array Var of ``fn``."""
    from ..rules import PRIMITIVES
    cls = {}
    pushed = {}            # tape -> {push op id: class of the pushed value}
    length_of = {}         # an int Var -> (array, axis) whose length it is

    def of(atom):
        if isinstance(atom, Var) and is_array(atom.type):
            return cls.setdefault(atom, atom)
        return None

    def op_class(op):
        r = op.result
        if op.prim == "tape_push":
            pushed.setdefault(op.attrs["tape"], {})[id(op)] = of(op.args[0])
            return None
        if r is None or not is_array(r.type):
            return None
        if op.prim == "tape_pop":
            classes = set(pushed.get(op.attrs["tape"], {}).values())
            return classes.pop() if len(classes) == 1 and None not in classes else r
        if op.prim in IN_PLACE or op.prim in _SHAPED_LIKE_FIRST:
            return _same_rank(op.args[0], r, of)
        if op.prim in _SHAPED_LIKE_SECOND:
            return _same_rank(op.args[1], r, of)
        if op.prim in _ALLOCATIONS:         # np.empty(len(v)), np.zeros((v.shape[0], ...))
            axes = [length_of.get(a) if isinstance(a, Var) else None for a in op.args]
            if axes and axes[0] is not None and axes == [(axes[0][0], k) for k in range(len(axes))] \
                    and axes[0][0].type.ndim == len(axes) == r.type.ndim:
                return of(axes[0][0])
            return r
        if op.prim == "broadcast_like":     # the shape of a op b, standing in for it
            a, b = op.args
            if of(a) is not None and of(a) is of(b) and a.type.ndim == b.type.ndim == r.type.ndim:
                return of(a)
            return r
        prim = PRIMITIVES.get(op.prim)
        if prim is not None and prim.elementwise:
            arrays = [a for a in op.args if isinstance(a, Var) and is_array(a.type)]
            classes = {of(a) for a in arrays}
            if len(classes) == 1 and all(a.type.ndim == r.type.ndim for a in arrays):
                return classes.pop()
        return r

    def block(b):
        for s in b.stmts:
            if isinstance(s, Op) and s.prim in ("len", "dim") and isinstance(s.args[0], Var) \
                    and is_array(s.args[0].type):
                axis = s.args[1].value if s.prim == "dim" and isinstance(s.args[1], Const) else \
                    0 if s.prim == "len" else None
                if axis is not None:
                    length_of[s.result] = (s.args[0], axis)
            if isinstance(s, Op):
                c = op_class(s)
                if c is not None:
                    cls[s.result] = c
            elif isinstance(s, If):
                block(s.then_body)
                block(s.else_body)
                for r, t, e in zip(s.results, s.then_body.yields, s.else_body.yields):
                    if is_array(r.type):
                        cls[r] = of(t) if of(t) is of(e) and of(t) is not None else r
            else:
                loop(s)

    def loop(s):
        # optimistic first: each carried array keeps its initial value's class; where an
        # iteration yields another, the carried value gets a class of its own and the body
        # is looked at again (at most once per carried array)
        assumed = {a: of(i) for a, i in zip(s.args, s.inits) if is_array(a.type)}
        while True:
            for a, c in assumed.items():
                cls[a] = c if c is not None else a
            for child in child_blocks(s):
                block(child)
            wrong = [a for a, y in zip(s.args, s.body.yields)
                     if a in assumed and assumed[a] is not a and of(y) is not cls[a]]
            if not wrong:
                break
            for a in wrong:
                assumed[a] = a
        for a, y, r in zip(s.args, s.body.yields, s.results):
            if is_array(r.type):
                # a carried array of a class of its own may change shape between iterations
                cls[r] = cls[a] if of(y) is cls[a] else r
        if isinstance(s, For):
            cls.setdefault(s.index, s.index)

    block(fn.body)
    return cls


def _same_rank(source, result, of):
    c = of(source)
    return c if c is not None and source.type.ndim == result.type.ndim else result


def drop_needless_unbroadcasts(fn):
    """``unbroadcast(g, x)`` is ``g`` where ``g`` has ``x``'s shape (and the result's type) by
    construction: no sum, and ``x`` is no longer needed for its shape (its tape may die). So
    is the shape stand-in ``broadcast_like(a, b)`` of two arrays of one shape: it is ``a``;
    and a tangent given the primal's shape (``shaped_like(t, y)``) that has it already."""
    cls = same_shape_classes(fn)
    subst = {}

    def block(b):
        for s in b.stmts:
            if isinstance(s, Op) and s.prim in ("unbroadcast", "broadcast_like", "shaped_like") \
                    and isinstance(s.args[0], Var) \
                    and is_array(s.args[0].type) and is_array(s.args[1].type) \
                    and s.args[0].type == s.result.type \
                    and cls.get(s.args[0]) is cls.get(s.args[1]) is not None:
                subst[s.result] = s.args[0]
            for child in child_blocks(s):
                block(child)

    block(fn.body)
    if subst:
        def look(atom):
            while atom in subst:
                atom = subst[atom]
            return atom
        _substitute(fn.body, look)
    return fn


def scalars_for_filled_arrays(fn):
    """``f(a, fill_like(z, s))`` of float64 arrays is ``f(a, s)`` where ``a`` has ``z``'s
    shape by construction (the cotangent of a sum, spread over the summed array, then
    multiplied): the broadcast scalar needs no array of its own."""
    from ..rules import PRIMITIVES
    cls = same_shape_classes(fn)
    filled = {}

    def is_f64_array(atom):
        return isinstance(atom, Var) and is_array(atom.type) and atom.type.dtype == "float64"

    def block(b):
        for s in b.stmts:
            if isinstance(s, Op) and s.prim == "fill_like" and is_f64_array(s.result) \
                    and isinstance(s.args[1], (Var, Const)) and s.args[1].type == FLOAT:
                filled[s.result] = s
            elif isinstance(s, Op) and s.result is not None and is_f64_array(s.result):
                prim = PRIMITIVES.get(s.prim)
                if prim is not None and prim.elementwise:
                    s.args = _scalar_operands(s, filled, cls, is_f64_array)
            for child in child_blocks(s):
                block(child)

    block(fn.body)
    return fn


def _scalar_operands(op, filled, cls, is_f64_array):
    others = {id(a) for a in op.args if a in filled}
    shaped = [a for a in op.args if is_f64_array(a) and id(a) not in others]
    if not others or not shaped:
        return op.args
    keep = cls.get(shaped[0])
    if any(cls.get(a) is not keep or a.type.ndim != op.result.type.ndim for a in shaped):
        return op.args
    return [filled[a].args[1] if a in filled and cls.get(filled[a].args[0]) is keep
            and a.type.ndim == op.result.type.ndim else a for a in op.args]
