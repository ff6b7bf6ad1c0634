"""Which ``prange`` loops are parallel loops: a pass checking that iterations are independent.

A loop the user marks parallel (``for i in prange(n)``) must be one whose iterations could run
in any order, at once, and give the result the serial loop gives. Checked on the structured
IR, where what a loop carries from one iteration to the next is explicit:

- an array written in the loop (a carried buffer) is written only at elements that an
  integer index equal to the loop variable selects, on the same axis in every access
  (``y[i] = ...``, ``Y[i, j] = ...``, or ``Y[j, i] = ...`` throughout), or only accumulated
  into (``y[idx[i]] += v``: a reduction into elements); it is read only at the elements the
  iteration itself writes (``y[i]``), and used whole only for its shape;
- a number carried by the loop is a reduction: only ``s += e`` (or ``s -= e``, also in a
  branch or a serial loop inside) updates it, and nothing else in the loop reads it; a whole
  array is never carried from one iteration to the next (``acc = acc + v``).

Anything else is refused with a located ``CompileError`` naming the offending line: another
iteration's element written, a shared number overwritten or read, a value carried out of the
loop. Arrays created inside an iteration are that iteration's own and are not restricted.

The same check decides which loops of generated code run in parallel (``prepare_parallel_loops``):
a derivative loop of a ``prange`` loop runs in parallel only where it passes it too.
"""
from ..errors import CompileError
from ..ir.nodes import (For, If, While, Op, Var, Const, Block, ArrayType, INT, RESTORES, is_array,
                        walk_stmts, child_blocks, stmt_uses)

_WRITES = ("setitem", "setslice", "index_add", "slice_add", "zero_at", "zero_slice")
#: writes whose last argument is the written value (zero_at and zero_slice write zeros)
_VALUE_LAST = ("setitem", "setslice", "index_add", "slice_add", "restore", "restore_slice")
#: writes that add into what is there: a reduction into elements when not at the own index
_ADDING = ("index_add", "slice_add")
#: ops reading only the shape (or dtype) of the argument at that position
_SHAPE_ONLY = {"dim": 0, "zeros_like": 0, "empty_like": 0, "zeros_like_f": 0, "ones_like": 0, "fill_like": 0,
               "reshape_like": 1, "cast_like": 1, "seed_like": 1, "unbroadcast": 1,
               "einsum_like": 0}
_READS = ("getitem", "slice", "slice_copy", "take", "take_pairs")
_HINT = "each iteration may write only elements indexed by its own loop variable (y[i] = ...), " \
        "accumulate with += (s += ..., y[idx[i]] += ...), and read what other iterations write " \
        "only after the loop; or use range() for a loop whose iterations depend on each other"


def check_parallel_loops(fn):
    """Raise CompileError at the first ``prange`` loop of ``fn`` whose iterations depend on
    each other; returns ``fn`` unchanged."""
    used = _used_vars(fn.body)
    for stmt in walk_stmts(fn.body):
        if isinstance(stmt, For) and stmt.parallel:
            _check_loop(stmt, used)
    return fn


def _used_vars(block):
    """The Vars whose values are read (live): by an op, a condition or a loop bound, as
    ``block``'s results, or passed on by a region to a value that is read. A loop's
    variable passed from one step of a time loop to the next and never read is not."""
    used = set(a for a in block.yields if isinstance(a, Var))
    regions = []
    for stmt in walk_stmts(block):
        if isinstance(stmt, Op):
            used.update(a for a in stmt.args if isinstance(a, Var))
        elif isinstance(stmt, If):
            used.add(stmt.cond)
            regions.append(stmt)
        elif isinstance(stmt, For):
            used.update((stmt.start, stmt.stop, stmt.step))
            regions.append(stmt)
        else:
            used.update(stmt.cond_body.yields)
            regions.append(stmt)
    changed = True
    while changed:
        changed = False
        for stmt in regions:
            if isinstance(stmt, If):
                flows = [(r, [a, b]) for r, a, b in zip(stmt.results, stmt.then_body.yields,
                                                         stmt.else_body.yields)]
            else:
                flows = [((r, a), [i, y]) for r, a, i, y in zip(stmt.results, stmt.args,
                                                                 stmt.inits, stmt.body.yields)]
            for target, sources in flows:
                targets = target if isinstance(target, tuple) else (target,)
                if any(t in used for t in targets):
                    for v in sources:
                        if isinstance(v, Var) and v not in used:
                            used.add(v)
                            changed = True
    return {v for v in used if isinstance(v, Var)}


def _integer_indices(op):
    """The atoms of ``op`` (a read or write of array elements) that index an axis by one
    integer (not slice bounds, not the written value)."""
    return [atom for _, atom in _indexed_axes(op)]


def _indexed_axes(op):
    """(axis, atom) for each axis of ``op``'s array that ``op`` indexes by one integer."""
    atoms = op.args[1:-1] if op.prim in _VALUE_LAST else op.args[1:]
    spec = op.attrs.get("spec")
    if spec is None:
        return list(enumerate(atoms))
    found, atoms, axis = [], iter(atoms), 0
    for entry in spec:
        if entry[0] == "index":
            found.append((axis, next(atoms)))
        elif entry[0] != "newaxis":
            for present in entry[1:]:
                if present:
                    next(atoms)
        if entry[0] != "newaxis":
            axis += 1
    return found


class _LoopCheck:
    def __init__(self, loop):
        self.loop = loop
        self.shared = set()        # versions of the arrays the loop carries (written in place)
        self.family = {}           # version in shared -> the carried array it is a version of
        self.own_axes = {}         # carried array -> axes its accesses index by the loop variable
        self.own_plain = set()     # carried arrays read, set or zeroed at the own elements
        self.accumulated = set()   # carried arrays added into at elements others may own
        self.reductions = {}       # carried number -> (the ops and regions allowed to use it
                                   # or its partial sums, those partial sums)
        self.defs = {}             # Var -> the op defining it, inside the loop

    def error(self, message, loc):
        return CompileError(f"prange loop: {message}", loc or self.loop.loc, _HINT)

    def add_version(self, version, of):
        self.shared.add(version)
        self.family[version] = self.family.get(of, of)


def _check_loop(loop, used):
    check = _LoopCheck(loop)
    for stmt in walk_stmts(loop.body):
        if isinstance(stmt, Op) and stmt.result is not None:
            check.defs[stmt.result] = stmt
    for arg, nxt, result in zip(loop.args, loop.body.yields, loop.results):
        if nxt is arg:
            continue        # passed through unchanged: read-only (generated code carries such)
        elif is_array(arg.type) and _computed_with(loop.body, arg):
            check.add_version(arg, arg)         # a buffer the iterations write in place
        elif not _computed_with(loop.body, arg):
            # set in every iteration and not read there (an inner loop's variable, a
            # temporary): private, unless read after the loop, as the last iteration's value
            if result in used:
                loc = check.defs[nxt].loc if nxt in check.defs else loop.loc
                raise check.error(f"'{arg.hint}' is read after the loop, where it would hold "
                                  f"the value of whichever iteration ran last", loc)
        else:
            check.reductions[arg] = _reduction_updates(check, arg, nxt)
    _follow_versions(check, loop.body)
    for arg, nxt in zip(loop.args, loop.body.yields):
        if arg in check.shared and nxt not in check.shared:
            loc = check.defs[nxt].loc if nxt in check.defs else loop.loc
            raise check.error(f"the whole array '{arg.hint}' is carried from one iteration to "
                              f"the next; accumulate into its elements ({arg.hint}[j] += ...) "
                              f"or into numbers", loc)
    _check_uses(check, loop.body)
    return check


def _computed_with(block, var):
    """Does any op, condition or loop bound in ``block`` read ``var``, or a value that only
    passes it on (an inner loop's carried value, a branch's result)?"""
    passed = {var}
    changed = True
    while changed:
        changed = False
        for stmt in walk_stmts(block):
            if isinstance(stmt, Op):
                continue
            new = set()
            if isinstance(stmt, (For, While)):
                new |= {a for a, i in zip(stmt.args, stmt.inits) if i in passed}
                new |= {r for r, i, y in zip(stmt.results, stmt.inits, stmt.body.yields)
                        if i in passed or y in passed}
            else:
                new |= {r for r, a, b in zip(stmt.results, stmt.then_body.yields,
                                              stmt.else_body.yields) if a in passed or b in passed}
            if not new <= passed:
                passed |= new
                changed = True
    for stmt in walk_stmts(block):
        reads = list(stmt.args) if isinstance(stmt, Op) else [stmt.cond] if isinstance(stmt, If) \
            else [stmt.start, stmt.stop, stmt.step] if isinstance(stmt, For) \
            else stmt.cond_body.yields
        if any(isinstance(a, Var) and a in passed for a in reads):
            return True
    return False


def _reduction_updates(check, arg, value):
    """The statements through which carried number ``arg`` reaches its next value ``value``
    as a reduction (``s + e``, ``s - e``, several of them in turn, or a branch choosing
    between such and ``s``), and the partial sums on the way; CompileError if it is anything
    else."""
    allowed, partials = [], {arg}

    def accepts(v):
        if v in partials:
            return True
        op = check.defs.get(v)
        if isinstance(op, Op) and op.prim in ("add", "sub"):
            # s + e, e + s, s - e; s one of the partial sums (s += e1; s += e2)
            orders = [(0, 1), (1, 0)] if op.prim == "add" else [(0, 1)]
            for first, second in orders:
                if isinstance(op.args[first], Var) and op.args[second] not in partials and \
                        accepts(op.args[first]) and op.args[second] not in partials:
                    allowed.append(op)
                    partials.add(v)
                    return True
        region = _defining_region(check.loop.body, v)
        if isinstance(region, If):
            k = region.results.index(v)
            if accepts(region.then_body.yields[k]) and accepts(region.else_body.yields[k]):
                allowed.append(region)
                partials.add(v)
                return True
        if isinstance(region, For) and not region.parallel:
            # accumulated by a serial loop inside (for j in range(m): s += a[i, j]): its
            # carried value is a reduction too
            k = region.results.index(v)
            if accepts(region.inits[k]):
                allowed.append(region)
                partials.add(v)
                inner = region.args[k]
                inner_allowed, inner_partials = _reduction_updates(check, inner,
                                                                   region.body.yields[k])
                # the loop passes its partial sums on from one of its iterations to the next
                check.reductions[inner] = (inner_allowed + [region], inner_partials)
                return True
        return False

    if not accepts(value):
        loc = check.defs[value].loc if value in check.defs else check.loop.loc
        raise check.error(f"'{arg.hint}' is carried from one iteration to the next; a number "
                          f"shared by the iterations may only be accumulated (+= or -=)", loc)
    return allowed, partials


def _defining_region(block, var):
    for stmt in walk_stmts(block):
        if not isinstance(stmt, Op) and var in stmt.results:
            return stmt
    return None


def _follow_versions(check, block):
    """Add to ``check.shared`` every version of a carried array: results of writes into it,
    and the carried values and results of the regions it passes through."""
    for stmt in block.stmts:
        if isinstance(stmt, Op):
            if stmt.prim in _WRITES and stmt.args[0] in check.shared:
                check.add_version(stmt.result, stmt.args[0])
            continue
        if isinstance(stmt, (For, While)):
            for arg, init in zip(stmt.args, stmt.inits):
                if init in check.shared:
                    check.add_version(arg, init)
        for child in child_blocks(stmt):
            _follow_versions(check, child)
        blocks = child_blocks(stmt)
        body = stmt.body if isinstance(stmt, (For, While)) else None
        for k, result in enumerate(stmt.results):
            sources = [stmt.inits[k]] if body is not None else []
            sources += [b.yields[k] for b in (blocks if body is None else [body])]
            source = next((s for s in sources if s in check.shared), None)
            if source is not None:
                check.add_version(result, source)


def _check_uses(check, block):
    index = check.loop.index
    for stmt in walk_stmts(block):
        uses = [a for a in direct_uses(stmt) if isinstance(a, Var)]
        for arg, (allowed, partials) in check.reductions.items():
            if any(p in uses for p in partials) and stmt not in allowed:
                raise check.error(f"'{arg.hint}' is accumulated by the iterations (a reduction), "
                                  f"so it cannot be read inside the loop", stmt.loc)
        if not isinstance(stmt, Op):
            continue
        if stmt.prim.startswith("tape_") and not _own_slot(stmt):
            raise check.error("a stack tape is pushed or popped by every iteration", stmt.loc)
        if stmt.prim in RESTORES and index not in _integer_indices(stmt):
            raise check.error(f"this iteration puts back elements of '{stmt.args[0].hint}' "
                              f"that another iteration may read", stmt.loc)
        if stmt.prim in _WRITES and stmt.args[0] in check.shared:
            if index in _integer_indices(stmt):
                _own_access(check, stmt, plain=stmt.prim not in _ADDING)
                continue
            if stmt.prim in _ADDING or \
                    _is_accumulation(check, stmt, check.defs.get(stmt.args[-1])):
                _accumulation(check, stmt)
                continue
            raise check.error(f"this iteration writes elements of '{stmt.args[0].hint}' that "
                              f"another iteration may write or read (no index is the loop "
                              f"variable '{index.hint}')", stmt.loc)
        if stmt.prim in _READS and stmt.args[0] in check.shared:
            if index in _integer_indices(stmt):
                _own_access(check, stmt, plain=True)
                continue
            if _feeds_accumulation(check, stmt):
                continue
            raise check.error(f"this iteration reads elements of '{stmt.args[0].hint}' that "
                              f"another iteration may be writing", stmt.loc)
        for k, a in enumerate(stmt.args):
            if a in check.shared and not (stmt.prim in _WRITES + _READS and k == 0) \
                    and _SHAPE_ONLY.get(stmt.prim) != k:
                raise check.error(f"this iteration uses the whole array '{a.hint}' while other "
                                  f"iterations write its elements", stmt.loc)


def _own_slot(op):
    """A tape op saving to or reading from the iteration's own slot (``tape_push(v, slot)``,
    ``tape_pop(slot)``)?"""
    return (op.prim == "tape_push" and len(op.args) == 2) or \
        (op.prim == "tape_pop" and len(op.args) == 1)


def _own_access(check, op, plain):
    """Record that ``op`` accesses its array at the iteration's own elements; an array
    accessed so must be indexed by the loop variable on one axis in every access (``Y[i, j]``
    and ``Y[j, i]`` in one loop touch other iterations' rows). An array both read or set
    there (``plain``) and added into at others' elements is refused; additions alone, at
    any elements, are a reduction into elements."""
    root = check.family[op.args[0]]
    axes = {axis for axis, atom in _indexed_axes(op) if atom is check.loop.index}
    common = check.own_axes.get(root, axes) & axes
    if not common:
        raise check.error(f"this iteration indexes '{root.hint}' by the loop variable "
                          f"'{check.loop.index.hint}' on another axis than elsewhere in the "
                          f"loop, so iterations touch each other's elements", op.loc)
    check.own_axes[root] = common
    if plain:
        check.own_plain.add(root)
        if root in check.accumulated:
            raise _mixed_access(check, root, op)


def _accumulation(check, op):
    root = check.family[op.args[0]]
    check.accumulated.add(root)
    if root in check.own_plain:
        raise _mixed_access(check, root, op)


def _mixed_access(check, root, op):
    return check.error(f"'{root.hint}' is both accessed at the iteration's own elements and "
                       f"accumulated into at elements other iterations may own", op.loc)


def direct_uses(stmt):
    """What ``stmt`` reads itself, and the yields of its blocks (values its regions pass on)."""
    return stmt_uses(stmt) + [y for block in child_blocks(stmt) for y in block.yields]


def _is_accumulation(check, write, value_op):
    """``y[j] = y[j] + e`` (from ``y[j] += e``): the write stores the element it read plus
    something that does not read ``y``."""
    if write.prim != "setitem" or not isinstance(value_op, Op) or value_op.prim != "add":
        return False
    read = check.defs.get(value_op.args[0])
    return isinstance(read, Op) and read.prim == "getitem" and read.args[0] is write.args[0] \
        and list(read.args[1:]) == list(write.args[1:-1]) and value_op.args[1] is not read.result


def _feeds_accumulation(check, read):
    """Is ``read`` the element read of an accumulation ``y[j] += e`` (used by it only)?"""
    users = [s for s in walk_stmts(check.loop.body)
             if read.result in (direct_uses(s) if isinstance(s, Op) else [])]
    return len(users) == 1 and users[0].prim == "add" and users[0].args[0] is read.result and any(
        isinstance(s, Op) and s.prim == "setitem" and s.args[-1] is users[0].result
        and s.args[0] is read.args[0] and list(s.args[1:-1]) == list(read.args[1:])
        for s in walk_stmts(check.loop.body))


# -- the form Numba runs in parallel ------------------------------------------------------------

def has_parallel_loop(fn):
    """Does ``fn`` (a final IR) keep a parallel loop (compile with ``parallel=True``)?"""
    return any(isinstance(s, For) and s.parallel for s in walk_stmts(fn.body))


def prepare_parallel_loops(fn):
    """Put each ``prange`` loop of a final IR in the form ``njit(parallel=True)`` runs exactly:

    - a reduction ``s += e`` (in branches, in serial loops inside) starts each iteration at
      zero, and the iteration adds its total once at its end, ``s = s + total``: the one form
      of a reduction Numba's parallel loops accept;
    - a loop accumulating into array elements (``y[idx[i]] += v``, an adjoint adding into a
      neighbour's element, ``bu[i - 1] += ...``) runs as a parallel loop over chunks of its
      iterations, each chunk adding into its own private copy of the accumulated array
      (zeros), the copies added to the array after the loop, in chunk order: two iterations
      adding into one element at once would race (``_accumulate_privately``);
    - a ``prange`` nested in another runs serially (Numba runs only the outer one in
      parallel);
    - a loop of generated code (a tangent or adjoint loop of a ``prange`` loop) runs in
      parallel only where it passes the check user loops pass (an adjoint accumulating into a
      neighbour's element, ``bu[i - 1] += ...``, runs serially).

    Returns ``fn``, changed in place."""
    _prepare_block(fn.body, False, _used_vars(fn.body))
    return fn


def _prepare_block(block, inside_parallel, used):
    k = 0
    while k < len(block.stmts):
        stmt, inside = block.stmts[k], inside_parallel
        before, after = [], []
        if isinstance(stmt, For) and stmt.parallel:
            check = None if inside else _independent(stmt, used)
            if check is None:
                stmt.parallel = False
            else:
                if check.accumulated:
                    before, after = _accumulate_privately(stmt, check.accumulated)
                _privatize_reductions(stmt)
                inside = True
        for child in child_blocks(stmt):
            _prepare_block(child, inside, used)
        block.stmts[k:k + 1] = before + [stmt] + after
        k += 1 + len(before) + len(after)


def _accumulate_privately(loop, accumulated):
    """Rewrite ``loop``, which adds into elements of the carried arrays ``accumulated``, in
    place into a parallel loop over chunks of its iterations: chunk ``c`` runs its
    iterations serially, adding into row ``c`` of a zero array of private copies, and the
    copies are added to the arrays after the loop. Returns (ops before, ops after it)."""
    # the scaffolding has no line of its own: the loop's comment stands for it
    role, loc = "parallel", None
    trip, chunks, c = Var("n", INT), Var("chunks", INT), Var("chunk", INT)
    before = [Op("trip_count", [loop.start, loop.stop, loop.step], trip, loc, role),
              Op("num_chunks", [trip], chunks, loc, role)]
    positions = [k for k, a in enumerate(loop.args) if a in accumulated]
    partials = {}
    for k in positions:
        arg = loop.args[k]
        partials[k] = Var(f"{arg.hint}_partials", ArrayType(arg.type.dtype, arg.type.ndim + 1))
        before.append(Op("private_partials", [loop.inits[k], chunks], partials[k], loc, role))
    body = Block()

    def op(prim, args, hint):
        var = Var(hint, INT)
        body.stmts.append(Op(prim, args, var, loc, role))
        return var

    def first_index(j):          # start + (j * trip // chunks) * step
        j = op("floordiv", [op("mul", [j, trip], "j"), chunks], "j")
        if not (isinstance(loop.step, Const) and loop.step.value == 1):
            j = op("mul", [j, loop.step], "j")
        if not (isinstance(loop.start, Const) and loop.start.value == 0):
            j = op("add", [loop.start, j], "j")
        return j

    lo, hi = first_index(c), first_index(op("add", [c, Const(1)], "j"))
    views, kept = {}, [k for k in range(len(loop.args)) if k not in partials]
    for k in positions:
        views[k] = Var(loop.args[k].hint, loop.args[k].type)
        body.stmts.append(Op("getitem", [partials[k], c], views[k], loc, role))
    chunk_args = {k: Var(loop.args[k].hint, loop.args[k].type) for k in kept}
    inner_results = [Var(r.hint, r.type) for r in loop.results]
    inner = For(loop.index, lo, hi, loop.step, loop.args,
                [views[k] if k in views else chunk_args[k] for k in range(len(loop.args))],
                loop.body, inner_results, loc, loop.role, False)
    body.stmts.append(inner)
    body.yields = [inner_results[k] for k in kept]
    after = [Op("add_partials", [loop.inits[k], partials[k]], loop.results[k], loc, role)
             for k in positions]
    loop.index, loop.start, loop.stop, loop.step = c, Const(0), chunks, Const(1)
    loop.args, loop.inits = [chunk_args[k] for k in kept], [loop.inits[k] for k in kept]
    loop.results, loop.body = [loop.results[k] for k in kept], body
    return before, after


def prepare_kernels(fn):
    """For ``backend="cuda"``: keep parallel each outermost ``prange`` loop whose iterations
    are independent (the check above; a loop of generated code may fail it), each a kernel
    (codegen/kernels.py); a ``prange`` inside another, or a loop failing the check, runs
    serially. Additions into elements stay parallel: the kernel adds atomically. Returns
    ``fn``, changed in place."""
    used = _used_vars(fn.body)

    def visit(stmt, inside):
        if isinstance(stmt, For) and stmt.parallel:
            if inside or _independent(stmt, used) is None:
                stmt.parallel = False
            else:
                inside = True
        for child in child_blocks(stmt):
            for inner in child.stmts:
                visit(inner, inside)

    for stmt in fn.body.stmts:
        visit(stmt, False)
    return fn


def _independent(loop, used):
    """The check of ``loop`` (what it found), or None where its iterations depend on each
    other."""
    try:
        return _check_loop(loop, used)
    except CompileError:
        return None


def buffer_versions(loop):
    """The versions, inside parallel ``loop``, of the arrays it carries (written in place)."""
    check = _LoopCheck(loop)
    check.shared.update(a for a in loop.args if is_array(a.type))
    _follow_versions(check, loop.body)
    return check.shared


def accumulates_into_elements(loop):
    """Does prange ``loop`` add into elements of an array it shares at indices other than its
    own (``y[idx[i]] += v``)? Iterations may then meet at one element."""
    shared = buffer_versions(loop)
    return any(isinstance(s, Op) and s.prim in _WRITES and s.args[0] in shared
               and loop.index not in _integer_indices(s) for s in walk_stmts(loop.body))


def _privatize_reductions(loop):
    for k, arg in enumerate(loop.args):
        if is_array(arg.type) or loop.body.yields[k] is arg or not _computed_with(loop.body, arg):
            continue      # a buffer, a number never updated, or one set but never read
        _substitute(loop.body, arg, Const(0 if arg.type == INT else 0.0))
        added = Var(arg.hint, arg.type)
        loop.body.stmts.append(Op("add", [arg, loop.body.yields[k]], added, loop.loc, loop.role))
        loop.body.yields[k] = added


def _substitute(block, old, new):
    """Replace reads of ``old`` by ``new`` in ``block`` and its regions (not the yields of the
    block itself: the caller sets those)."""
    for stmt in walk_stmts(block):
        if isinstance(stmt, Op):
            stmt.args = [new if a is old else a for a in stmt.args]
        elif isinstance(stmt, If):
            if stmt.cond is old:
                stmt.cond = new
            for b in (stmt.then_body, stmt.else_body):
                b.yields = [new if a is old else a for a in b.yields]
        elif isinstance(stmt, For):
            stmt.inits = [new if a is old else a for a in stmt.inits]
            stmt.start, stmt.stop, stmt.step = (new if a is old else a
                                                for a in (stmt.start, stmt.stop, stmt.step))
            stmt.body.yields = [new if a is old else a for a in stmt.body.yields]
        else:
            stmt.inits = [new if a is old else a for a in stmt.inits]
            stmt.body.yields = [new if a is old else a for a in stmt.body.yields]
    block.yields = [new if a is old else a for a in block.yields]
