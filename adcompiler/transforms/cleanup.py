"""Clean-up passes on generated IR: copy propagation with zero/constant folding, and
dead-code elimination (including unused region results, loop-carried values and tapes)."""
import math
import operator

from ..ir.nodes import (Var, Const, Op, If, For, While, FLOAT, INT, BOOL, is_array, walk_stmts,
                        is_float_type,
                        WRITES_IN_PLACE, RESTORES, VIEWS, CHECKS, stmt_uses, stmt_defs,
                        child_blocks)

_EVAL = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
         "neg": operator.neg, "pos": operator.pos, "lt": operator.lt, "le": operator.le,
         "gt": operator.gt, "ge": operator.ge, "eq": operator.eq, "ne": operator.ne,
         "not": operator.not_, "float": float, "and": lambda a, b: a and b,
         "or": lambda a, b: a or b, "floordiv": operator.floordiv, "mod": operator.mod}

_EFFECTS = ("tape_new", "tape_push", "tape_pop", "tape_reserve", "tape_claim", "tape_release")

IN_PLACE = WRITES_IN_PLACE + RESTORES
#: runtime helpers whose result may be their first argument (or a view of it); the others
#: only give it a shape or dtype
_MAY_RETURN_FIRST = ("reshape_like", "cast_like", "seed_like", "unbroadcast")


def _sharing_pairs(fn, views=False):
    """Pairs of array Vars sharing storage in the generated code: an in-place op's argument
    and result, region results, carried values and yields (and, with ``views``, a view and
    its base)."""
    def pair(a, b):
        return [(a, b)] if isinstance(a, Var) and isinstance(b, Var) and is_array(a.type) else []

    for stmt in walk_stmts(fn.body):
        if isinstance(stmt, Op):
            if stmt.prim in IN_PLACE or (views and stmt.prim in VIEWS and stmt.result is not None
                                         and is_array(stmt.result.type)):
                yield from pair(stmt.args[0], stmt.result)
            elif views and stmt.prim in _MAY_RETURN_FIRST and stmt.result is not None:
                yield from pair(stmt.args[0], stmt.result)
            elif views and stmt.prim == "opaque_call" and stmt.result is not None:
                for a in stmt.args:
                    yield from pair(a, stmt.result)
        elif isinstance(stmt, If):
            for r, t, e in zip(stmt.results, stmt.then_body.yields, stmt.else_body.yields):
                yield from pair(r, t) + pair(r, e)
        else:
            for a, i, y, r in zip(stmt.args, stmt.inits, stmt.body.yields, stmt.results):
                yield from pair(a, i) + pair(a, y) + pair(a, r)


def written_in_place(fn):
    """Array Vars whose storage some in-place op writes into (directly, or through the
    region results, carried values and yields that share the storage in generated code).

    Passes must never make another value share the storage of one of these: the write
    would leak into it (CSE merging ``c = a * 2.0`` into ``b = a * 2.0`` before ``b[0] = x``)."""
    links = {}          # Var -> Vars sharing its storage in the generated code
    for a, b in _sharing_pairs(fn):
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    written = {stmt.args[0] for stmt in walk_stmts(fn.body)
               if isinstance(stmt, Op) and stmt.prim in IN_PLACE}
    todo = list(written)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in written:
                written.add(other)
                todo.append(other)
    return written


def _shares_written_storage(a, b, written):
    """Would making ``a`` and ``b`` one value let an in-place write reach the other?"""
    return isinstance(a, Var) and is_array(a.type) and (a in written or b in written)


def _is_float(atom):
    return atom.type == FLOAT


def _is(atom, value):
    """A float literal equal to ``value`` (0.0 matches -0.0 too)."""
    return isinstance(atom, Const) and not isinstance(atom.value, bool) and atom.value == value \
        and isinstance(atom.value, float)


def _is_negative_zero(atom):
    return _is(atom, 0.0) and math.copysign(1.0, atom.value) < 0


def _is_positive_zero(atom):
    return _is(atom, 0.0) and math.copysign(1.0, atom.value) > 0


def _is_float_base(atom):
    """A float scalar or float array: ``atom ** 2.0`` is ``atom * atom`` in its own type."""
    return atom.type == FLOAT or is_array(atom.type) and atom.type.dtype.startswith("float")


def _small_integer(atom):
    """0, 1 or 2 if ``atom`` is such an int or float literal (``b - 1.0`` folded), else None."""
    if isinstance(atom, Const) and type(atom.value) in (int, float) and atom.value in (0, 1, 2):
        return int(atom.value)
    return None


def _as_float_literal(atom, other):
    """``atom`` as a float literal where it is an int literal meeting float ``other``: Python
    and NumPy convert it to float before the operation, so ``2 * t`` is ``2.0 * t``."""
    if isinstance(atom, Const) and type(atom.value) is int and isinstance(other, Var) and \
            _is_float_base(other):
        try:
            return Const(float(atom.value))
        except OverflowError:                 # Python raises there: leave it to run time
            return None
    return None


def _integer_power(op, written):
    """Derivative code's ``a ** 2.0`` is ``a * a``, ``a ** 1.0`` is ``a`` and ``a ** 0.0`` is
    1.0 (for every float ``a``: ``nan ** 0.0`` and ``0.0 ** 0.0`` are 1.0). The power rule
    ``b * a ** (b - 1.0)`` leaves these for squares and cubes. Not in primal code: ``x ** 2``
    and ``x * x`` may differ in the last bit."""
    base, exponent = op.args[0], _small_integer(op.args[1])
    if exponent is None or not _is_float_base(base):
        return None
    if exponent == 2:
        return Op("mul", [base, base], op.result, op.loc, op.role)
    if not is_array(base.type):
        return base if exponent == 1 else Const(1.0)
    if exponent == 1:
        if not _shares_written_storage(base, op.result, written):
            return base       # one array under two names, neither ever written in place
        return Op("copy", [base], op.result, op.loc, op.role)  # its contents now, not later
    return Op("fill_like", [base, Const(1.0)], op.result, op.loc, op.role)


def simplify_op(op, written=frozenset()):
    """An atom equal to ``op``'s result, a rewritten Op, or None.

    Primal code computes what the user's code computes, bit for bit: there only folds exact
    in IEEE arithmetic for every input are made (``x * 1.0``, ``x - 0.0``, ``x + -0.0``).
    ``x * 0.0`` is nan at inf and -0.0 at -1, and ``x + 0.0`` is +0.0 at -0.0, so folding them
    to ``0.0`` and ``x`` is left to derivative code (role tangent or adjoint), where a zero
    partial or seed means the term is absent; so are integer powers (``_integer_power``).
    ``written``: the arrays some op writes into in place (``written_in_place``), which no
    fold may give another name."""
    a = op.args
    if op.prim in _EVAL and a and all(isinstance(x, Const) for x in a):
        try:
            value = _EVAL[op.prim](*[x.value for x in a])
        except (ArithmeticError, ValueError):
            return None
        if isinstance(value, (bool, int, float)):
            return Const(value)
    p = op.prim
    exact = op.role == "primal"
    if p == "placeholder" and op.result.type in (FLOAT, INT, BOOL):
        return Const({FLOAT: 0.0, INT: 0, BOOL: False}[op.result.type])
    if p == "mul":
        for x, y in ((a[0], a[1]), (a[1], a[0])):
            if _is(y, 1.0) and _is_float(x):
                return x
            if _is(y, 0.0) and x.type in (FLOAT, INT, BOOL) and not exact:
                return Const(0.0)
            if _is(y, -1.0) and _is_float(x):
                return Op("neg", [x], op.result, op.loc, op.role)
    if p == "add":
        for x, y in ((a[0], a[1]), (a[1], a[0])):
            if _is_float(x) and (_is_negative_zero(y) or _is(y, 0.0) and not exact):
                return x
            if x.type == INT and isinstance(y, Const) and type(y.value) is int and y.value == 0:
                return x
    if p == "sub":
        if _is_float(a[0]) and (_is_positive_zero(a[1]) or _is(a[1], 0.0) and not exact):
            return a[0]
        if _is_float(a[1]) and (_is_negative_zero(a[0]) or _is(a[0], 0.0) and not exact):
            return Op("neg", [a[1]], op.result, op.loc, op.role)
    if p == "div" and _is(a[1], 1.0) and _is_float(a[0]):
        return a[0]
    if p in ("pos", "float") and _is_float(a[0]):
        return a[0]
    if exact:
        return None
    if p == "pow":
        return _integer_power(op, written)
    if p == "add" and isinstance(a[0], Var) and a[0] is a[1] and is_float_type(a[0].type):
        # exact, and one use of x fewer: an array x may then print inside the product
        return Op("mul", [Const(2.0), a[0]], op.result, op.loc, op.role)
    if p in ("add", "sub", "mul", "div") and len(a) == 2:
        floats = [_as_float_literal(a[0], a[1]), _as_float_literal(a[1], a[0])]
        if any(f is not None for f in floats):
            args = [f if f is not None else x for f, x in zip(floats, a)]
            return Op(p, args, op.result, op.loc, op.role, dict(op.attrs))
    return None


def fold_constants(fn):
    """Copy propagation and zero/constant folding, to a fixpoint."""
    subst = {}
    written = set()

    def look(atom):
        while isinstance(atom, Var) and atom in subst:
            atom = subst[atom]
        return atom

    def block(b):
        out = []
        for stmt in b.stmts:
            out.extend(visit(stmt))
        b.stmts = out
        b.yields = [look(y) for y in b.yields]

    def visit(stmt):
        if isinstance(stmt, Op):
            stmt.args = [look(x) for x in stmt.args]
            if stmt.prim in _EFFECTS or stmt.result is None:
                return [stmt]
            simpler = simplify_op(stmt, written)
            while isinstance(simpler, Op):    # 2 * t -> 2.0 * t, 1 * t -> 1.0 * t -> t
                stmt, simpler = simpler, simplify_op(simpler, written)
            if simpler is not None:       # arrays only where neither is written in place
                subst[stmt.result] = simpler
                return []
            return [stmt]
        if isinstance(stmt, If):
            stmt.cond = look(stmt.cond)
            block(stmt.then_body)
            block(stmt.else_body)
            if isinstance(stmt.cond, Const):
                taken = stmt.then_body if stmt.cond.value else stmt.else_body
                subst.update(zip(stmt.results, taken.yields))
                return taken.stmts
            keep = []
            for i, r in enumerate(stmt.results):
                t, e = stmt.then_body.yields[i], stmt.else_body.yields[i]
                if (t is e or (isinstance(t, Const) and t == e)) and _defined_outside(t, stmt):
                    subst[r] = t
                else:
                    keep.append(i)
            _keep_results(stmt, keep)
            return [stmt]
        # loops
        stmt.inits = [look(x) for x in stmt.inits]
        if isinstance(stmt, For):
            stmt.start, stmt.stop, stmt.step = look(stmt.start), look(stmt.stop), look(stmt.step)
        else:
            block(stmt.cond_body)
        block(stmt.body)
        keep = []
        for i, (arg, y) in enumerate(zip(stmt.args, stmt.body.yields)):
            if y is arg or (isinstance(y, Const) and y == stmt.inits[i]):
                subst[arg] = stmt.inits[i]          # never changes: it is its initial value
                subst[stmt.results[i]] = stmt.inits[i]
            else:
                keep.append(i)
        if len(keep) != len(stmt.args):
            _keep_results(stmt, keep)
            return [stmt] + ([] if isinstance(stmt, While) else [])
        return [stmt]

    def _defined_outside(atom, stmt):
        return not isinstance(atom, Var) or atom not in _region_defs(stmt)

    before = None
    while before != len(subst):
        before = len(subst)
        written = written_in_place(fn)
        block(fn.body)
    return fn


def _region_defs(stmt):
    from .reverse import defined_in
    return defined_in(stmt)


def _keep_results(stmt, keep):
    stmt.results = [stmt.results[i] for i in keep]
    if isinstance(stmt, If):
        stmt.then_body.yields = [stmt.then_body.yields[i] for i in keep]
        stmt.else_body.yields = [stmt.else_body.yields[i] for i in keep]
    else:
        stmt.args = [stmt.args[i] for i in keep]
        stmt.inits = [stmt.inits[i] for i in keep]
        stmt.body.yields = [stmt.body.yields[i] for i in keep]


#: in-place ops that overwrite their first argument without reading it
_OVERWRITES = ("setitem", "setslice", "zero_at", "zero_slice") + RESTORES


def storage_families(fn):
    """Array Var -> a representative of the Vars sharing its storage in the generated code
    (``_sharing_pairs`` with views)."""
    parent = {}

    def find(v):
        while parent.get(v, v) is not v:
            v = parent[v]
        return v

    for a, b in _sharing_pairs(fn, views=True):
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[ra] = rb
    return {v: find(v) for v in parent}


def _storage(family, atom):
    """The storage family of array ``atom`` (None for scalars and constants)."""
    if isinstance(atom, Var) and is_array(atom.type):
        return family.get(atom, atom)
    return None


def eliminate_dead_code(fn):
    """Remove what does not contribute to the outputs: ops, region results, carried values,
    whole regions and tapes whose pops are never read, and the reverse sweep's restores into
    a buffer that nothing reads afterwards (a fresh array of each time step that only its own
    step reads, a saved state whose restored elements no earlier adjoint needs).

    A restore is live when some live op may read its buffer's storage after it runs: later in
    its block or in the blocks around it, or anywhere in a loop around it (the next iteration),
    unless all of that storage is created inside the loop, fresh in every iteration."""
    live = set()
    live_tapes = set()
    live_restores = set()
    changed = True
    family = storage_families(fn)
    members = {}            # storage family -> the Vars in it
    for v, f in family.items():
        members.setdefault(f, set()).add(v)
    loop_defs = {}          # id(loop) -> Vars defined inside it

    def reads_of(op):
        """Storage families live op ``op`` reads."""
        args = op.args[1:] if op.prim in _OVERWRITES else op.args
        return {f for f in (_storage(family, a) for a in args) if f is not None}

    def reads_in(b):
        out = set()
        for s in walk_stmts(b):
            if isinstance(s, Op) and op_live(s):
                out |= reads_of(s)
        return out

    def fresh_in(f, loop):
        """Is all of storage family ``f`` created inside ``loop`` (new in every iteration)?"""
        if id(loop) not in loop_defs:
            loop_defs[id(loop)] = _region_defs(loop)
        return members.get(f, {f}) <= loop_defs[id(loop)]

    def mark(atom):
        nonlocal changed
        if isinstance(atom, Var) and atom not in live:
            live.add(atom)
            changed = True

    def op_live(op):
        if op.prim in RESTORES:
            return op in live_restores
        if op.prim in CHECKS:
            return True
        if op.prim == "tape_pop":
            return op.result in live
        if op.prim in _EFFECTS:
            return op.attrs["tape"] in live_tapes
        return op.result is not None and op.result in live

    def region_live(stmt):
        if any(r in live for r in stmt.results):
            return True
        if isinstance(stmt, If):
            return block_live(stmt.then_body) or block_live(stmt.else_body)
        return block_live(stmt.body)

    def block_live(b):
        for s in b.stmts:
            if isinstance(s, Op):
                if op_live(s) and (s.prim in _EFFECTS or s.prim in RESTORES or s.prim in CHECKS):
                    return True
            elif region_live(s):
                return True
        return False

    def block(b, later):
        """Mark what is live in ``b``; ``later``: storage families read after ``b`` ends."""
        nonlocal changed
        after = set(later)
        for s in reversed(b.stmts):
            if isinstance(s, Op):
                if s.prim == "tape_pop" and s.result in live and s.attrs["tape"] not in live_tapes:
                    live_tapes.add(s.attrs["tape"])
                    changed = True
                if s.prim in RESTORES and s not in live_restores and \
                        _storage(family, s.args[0]) in after:
                    live_restores.add(s)
                    changed = True
                if op_live(s):
                    after |= reads_of(s)
                    for a in s.args:
                        mark(a)
            elif isinstance(s, If):
                for i, r in enumerate(s.results):
                    if r in live:
                        mark(s.then_body.yields[i])
                        mark(s.else_body.yields[i])
                block(s.then_body, after)
                block(s.else_body, after)
                if region_live(s):
                    mark(s.cond)
                after |= reads_in(s.then_body) | reads_in(s.else_body)
            else:
                for i, (a, r) in enumerate(zip(s.args, s.results)):
                    if r in live:
                        mark(a)
                    if a in live:
                        mark(s.body.yields[i])
                        mark(s.inits[i])
                inside = reads_in(s.body)
                if isinstance(s, While):
                    inside |= reads_in(s.cond_body)
                around = after | {f for f in inside if not fresh_in(f, s)}
                block(s.body, around)
                if region_live(s):
                    if isinstance(s, For):
                        for x in (s.start, s.stop, s.step):
                            mark(x)
                    else:
                        mark(s.cond_body.yields[0])
                        block(s.cond_body, around)
                after |= inside

    for y in fn.body.yields:
        mark(y)
    outputs = {f for f in (_storage(family, y) for y in fn.body.yields) if f is not None}
    while changed:
        changed = False
        block(fn.body, outputs)

    def sweep(b):
        out = []
        for s in b.stmts:
            if isinstance(s, Op):
                if op_live(s):
                    out.append(s)
                continue
            if not region_live(s):
                continue
            if isinstance(s, If):
                _keep_results(s, [i for i, r in enumerate(s.results) if r in live])
                sweep(s.then_body)
                sweep(s.else_body)
            else:
                _keep_results(s, [i for i, a in enumerate(s.args) if a in live])
                if isinstance(s, While):
                    sweep(s.cond_body)
                sweep(s.body)
            out.append(s)
        b.stmts = out

    sweep(fn.body)
    return fn


# Ops whose result is a new mutable object or that have effects: never merged.
_NOT_PURE = {"opaque_call", "copy", "slice_copy", "zeros", "ones", "empty", "full", "zeros_like",
             "empty_like", "ones_like", "arange", "linspace", "eye", "identity", "tri", "zeros_like_f", "fill_like",
             "placeholder"} | set(IN_PLACE) | set(_EFFECTS)


def eliminate_common_subexpressions(fn):
    """Value numbering over the structured IR: a pure op recomputing a value already
    available in an enclosing scope is replaced by that value."""
    subst = {}
    written = written_in_place(fn)
    # Derivative code reads a buffer by one name before and after writes into it (the
    # reverse sweep sees each version in turn), so an op reading written storage (or a view
    # of it) gives the same value only within one stretch of code without writes: its key
    # carries that stretch's number. A new block (a loop body runs again) or a region
    # statement (it may write) starts a new stretch.
    reads_storage = set(written)
    stretch = [0]

    def look(atom):
        return subst.get(atom, atom) if isinstance(atom, Var) else atom

    def key(op):
        # Const: by value, type and sign; math.exp and np.exp may differ in the last bit
        k = (op.prim, op.attrs.get("spec"), op.attrs.get("math_name"), op.attrs.get("numpy_name"),
             op.attrs.get("matmul"), op.attrs.get("subscripts")) + tuple(op.args)
        if any(a in reads_storage for a in op.args if isinstance(a, Var)):
            k += (("stretch", stretch[0]),)
        return k

    def next_stretch():
        stretch[0] += 1

    def block(b, available):
        available = dict(available)
        next_stretch()
        kept = []
        for stmt in b.stmts:
            if isinstance(stmt, Op):
                stmt.args = [look(a) for a in stmt.args]
                if stmt.prim in VIEWS and stmt.result is not None and is_array(stmt.result.type) and \
                        any(a in reads_storage for a in stmt.args if isinstance(a, Var)):
                    reads_storage.add(stmt.result)
                if stmt.result is not None and stmt.prim not in _NOT_PURE:
                    k = key(stmt)
                    if k in available and not _shares_written_storage(
                            available[k], stmt.result, written):
                        subst[stmt.result] = available[k]
                        continue
                    available[k] = stmt.result
                if stmt.prim in IN_PLACE:
                    next_stretch()
            elif isinstance(stmt, If):
                stmt.cond = look(stmt.cond)
                block(stmt.then_body, available)
                block(stmt.else_body, available)
                next_stretch()
            else:
                stmt.inits = [look(a) for a in stmt.inits]
                if isinstance(stmt, For):
                    stmt.start, stmt.stop, stmt.step = map(look, (stmt.start, stmt.stop, stmt.step))
                else:
                    block(stmt.cond_body, available)
                block(stmt.body, available)
                next_stretch()
            kept.append(stmt)
        b.stmts = kept
        b.yields = [look(y) for y in b.yields]

    block(fn.body, {})
    return fn


def cancel_reset_and_readd(fn):
    """``g = b[i]; b[i] = 0.0; ...; b[i] += g`` leaves ``b`` as it was: the adjoint of
    ``x[i] += v`` (an increment reads the element it writes) resets the cotangent and adds
    it back. Both in-place ops go when nothing in between touches ``b``'s storage."""
    family = storage_families(fn)
    subst = {}

    def look(atom):
        while isinstance(atom, Var) and atom in subst:
            atom = subst[atom]
        return atom

    def touches(stmt, storage):
        return touches_storage(stmt, storage, family, look)

    def block(b):
        removed = set()
        for j, z in enumerate(b.stmts):
            if not (isinstance(z, Op) and z.prim == "zero_at"):
                continue
            array, index = look(z.args[0]), [look(a) for a in z.args[1:]]
            storage = _storage(family, array)

            def same_index(op):
                return len(op.args) == len(index) + 1 + (op.prim == "index_add") and all(
                    _same_atom(look(a), i) for a, i in zip(op.args[1:], index))

            read = next((i for i in range(j - 1, -1, -1)
                         if isinstance(b.stmts[i], Op) and b.stmts[i].prim == "getitem"
                         and look(b.stmts[i].args[0]) is array and same_index(b.stmts[i])
                         and not is_array(b.stmts[i].result.type)), None)
            if read is None or any(touches(b.stmts[i], storage) for i in range(read + 1, j)
                                   if i not in removed):
                continue
            for q in range(j + 1, len(b.stmts)):
                s = b.stmts[q]
                if isinstance(s, Op) and s.prim == "index_add" and look(s.args[0]) is z.result \
                        and same_index(s) and look(s.args[-1]) is b.stmts[read].result:
                    removed.update((j, q))
                    subst[z.result] = array
                    subst[s.result] = array
                    break
                if q not in removed and touches(s, storage):
                    break
        b.stmts = [s for k, s in enumerate(b.stmts) if k not in removed]
        for s in b.stmts:
            for child in child_blocks(s):
                block(child)

    block(fn.body)
    if subst:
        _substitute(fn.body, look)
    return fn


def shapes_from_values(fn):
    """A shape stand-in ``broadcast_like(a, b)`` (the reverse sweep asked for the shape of
    ``f(a, b)`` before it needed its values) becomes ``f(a, b)`` itself where its block
    computes that before every use of the stand-in: one array fewer per iteration."""
    from ..rules import PRIMITIVES

    def uses_of(stmt):
        atoms = list(stmt_uses(stmt))
        for inner in walk_stmts_of(stmt):
            atoms += stmt_uses(inner)
        for child in child_blocks(stmt):
            atoms += child.yields
        for inner in walk_stmts_of(stmt):
            for child in child_blocks(inner):
                atoms += child.yields
        return atoms

    subst = {}

    def block(b):
        for k, stand_in in enumerate(b.stmts):
            if not (isinstance(stand_in, Op) and stand_in.prim == "broadcast_like"):
                continue
            shape_of = {id(a) for a in stand_in.args}
            first_use = next((j for j in range(k + 1, len(b.stmts))
                              if any(a is stand_in.result for a in uses_of(b.stmts[j]))),
                             len(b.stmts))
            for value in b.stmts[k + 1:first_use]:
                prim = PRIMITIVES.get(value.prim) if isinstance(value, Op) else None
                arrays = [a for a in value.args if isinstance(a, Var) and is_array(a.type)] \
                    if prim is not None else []
                if prim is not None and prim.elementwise and value.result is not None \
                        and value.result.type == stand_in.result.type and len(arrays) == 2 \
                        and {id(a) for a in arrays} == shape_of:
                    subst[stand_in.result] = value.result
                    break
        for s in b.stmts:
            for child in child_blocks(s):
                block(child)

    block(fn.body)
    if subst:
        _substitute(fn.body, lambda atom: subst.get(atom, atom))
    return fn


def touches_storage(stmt, storage, family, look=lambda atom: atom):
    """Does ``stmt`` (or a region nested in it) read, write, pass on or define a value of
    ``storage`` (a family of ``storage_families``; ``look`` resolves pending substitutions)?"""
    for s in [stmt] + list(walk_stmts_of(stmt)):
        atoms = list(stmt_uses(s)) + list(stmt_defs(s))
        for child in child_blocks(s):
            atoms += child.yields
        if any(_storage(family, look(a)) == storage for a in atoms):
            return True
    return False


def walk_stmts_of(stmt):
    for child in child_blocks(stmt):
        yield from walk_stmts(child)


def _same_atom(a, b):
    if isinstance(a, Var) or isinstance(b, Var):
        return a is b
    return type(a.value) is type(b.value) and a.value == b.value


def _substitute(b, look):
    for s in b.stmts:
        if isinstance(s, Op):
            s.args = [look(a) for a in s.args]
        elif isinstance(s, If):
            s.cond = look(s.cond)
        else:
            s.inits = [look(a) for a in s.inits]
            if isinstance(s, For):
                s.start, s.stop, s.step = map(look, (s.start, s.stop, s.step))
        for child in child_blocks(s):
            _substitute(child, look)
    b.yields = [look(y) for y in b.yields]
