"""Which ``prange`` loops are parallel loops: a pass checking that iterations are independent.

A loop the user marks parallel (``for i in prange(n)``) must be one whose iterations could run
in any order, at once, and give the result the serial loop gives. Checked on the structured
IR, where what a loop carries from one iteration to the next is explicit:

- an array written in the loop (a carried buffer) is written only at elements that an
  integer index equal to the loop variable selects (``y[i] = ...``, ``Y[i, j] = ...``,
  ``Y[j, i] = ...``), or accumulated into (``y[idx[i]] += v``: a reduction into elements);
  and it is read only at the elements the iteration itself writes (``y[i]``);
- a number carried by the loop is a reduction: only ``s += e`` (or ``s -= e``, also in a
  branch or a serial loop inside) updates it, and nothing else in the loop reads it.

Anything else is refused with a located ``CompileError`` naming the offending line: another
iteration's element written, a shared number overwritten or read, a value carried out of the
loop. Arrays created inside an iteration are that iteration's own and are not restricted.
"""
from ..errors import CompileError
from ..ir.nodes import (For, If, While, Op, Var, Const, INT, is_array, walk_stmts, child_blocks,
                        stmt_uses)

_WRITES = ("setitem", "setslice", "index_add", "slice_add")
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
    used = set(a for a in block.yields if isinstance(a, Var))
    for stmt in walk_stmts(block):
        used.update(a for a in _direct_uses(stmt) if isinstance(a, Var))
    return used


def _integer_indices(op):
    """The atoms of ``op`` (a read or write of array elements) that index an axis by one
    integer (not slice bounds, not the written value)."""
    atoms = op.args[1:-1] if op.prim in _WRITES else op.args[1:]
    spec = op.attrs.get("spec")
    if spec is None:
        return list(atoms)
    found, atoms = [], iter(atoms)
    for entry in spec:
        if entry[0] == "index":
            found.append(next(atoms))
        elif entry[0] != "newaxis":
            for present in entry[1:]:
                if present:
                    next(atoms)
    return found


class _LoopCheck:
    def __init__(self, loop):
        self.loop = loop
        self.shared = set()        # versions of the arrays the loop carries (written in place)
        self.reductions = {}       # carried number -> the ops and regions allowed to use it
        self.defs = {}             # Var -> the op defining it, inside the loop

    def error(self, message, loc):
        return CompileError(f"prange loop: {message}", loc or self.loop.loc, _HINT)


def _check_loop(loop, used):
    check = _LoopCheck(loop)
    for stmt in walk_stmts(loop.body):
        if isinstance(stmt, Op) and stmt.result is not None:
            check.defs[stmt.result] = stmt
    for arg, nxt, result in zip(loop.args, loop.body.yields, loop.results):
        if is_array(arg.type):
            check.shared.add(arg)
        elif not _computed_with(loop.body, arg) and nxt is not arg:
            # set in every iteration and not read there (an inner loop's variable, a
            # temporary): private, unless read after the loop, as the last iteration's value
            if result in used:
                loc = check.defs[nxt].loc if nxt in check.defs else loop.loc
                raise check.error(f"'{arg.hint}' is read after the loop, where it would hold "
                                  f"the value of whichever iteration ran last", loc)
        else:
            check.reductions[arg] = _reduction_updates(check, arg, nxt)
    _follow_versions(check, loop.body)
    _check_uses(check, loop.body)


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
    as a reduction (``s + e``, ``s - e``, or a branch choosing between such and ``s``);
    CompileError if it is anything else."""
    allowed = []

    def accepts(v):
        if v is arg:
            return True
        op = check.defs.get(v)
        if isinstance(op, Op) and op.prim in ("add", "sub") and op.args[0] is arg and \
                arg not in op.args[1:]:
            allowed.append(op)
            return True
        if isinstance(op, Op) and op.prim == "add" and op.args[1] is arg and op.args[0] is not arg:
            allowed.append(op)
            return True
        region = _defining_region(check.loop.body, v)
        if isinstance(region, If):
            k = region.results.index(v)
            if accepts(region.then_body.yields[k]) and accepts(region.else_body.yields[k]):
                allowed.append(region)
                return True
        if isinstance(region, For) and not region.parallel:
            # accumulated by a serial loop inside (for j in range(m): s += a[i, j]): its
            # carried value is a reduction too
            k = region.results.index(v)
            if accepts(region.inits[k]):
                allowed.append(region)
                inner = region.args[k]
                check.reductions[inner] = _reduction_updates(check, inner, region.body.yields[k])
                return True
        return False

    if not accepts(value):
        loc = check.defs[value].loc if value in check.defs else check.loop.loc
        raise check.error(f"'{arg.hint}' is carried from one iteration to the next; a number "
                          f"shared by the iterations may only be accumulated (+= or -=)", loc)
    return allowed


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
                check.shared.add(stmt.result)
            continue
        if isinstance(stmt, (For, While)):
            for arg, init in zip(stmt.args, stmt.inits):
                if init in check.shared:
                    check.shared.add(arg)
        for child in child_blocks(stmt):
            _follow_versions(check, child)
        blocks = child_blocks(stmt)
        body = stmt.body if isinstance(stmt, (For, While)) else None
        for k, result in enumerate(stmt.results):
            sources = [stmt.inits[k]] if body is not None else []
            sources += [b.yields[k] for b in (blocks if body is None else [body])]
            if any(s in check.shared for s in sources):
                check.shared.add(result)


def _check_uses(check, block):
    index = check.loop.index
    for stmt in walk_stmts(block):
        uses = [a for a in _direct_uses(stmt) if isinstance(a, Var)]
        for arg, allowed in check.reductions.items():
            if arg in uses and stmt not in allowed:
                raise check.error(f"'{arg.hint}' is accumulated by the iterations (a reduction), "
                                  f"so it cannot be read inside the loop", stmt.loc)
        if not isinstance(stmt, Op):
            continue
        if stmt.prim in _WRITES and stmt.args[0] in check.shared:
            if index in _integer_indices(stmt):
                continue
            if _is_accumulation(check, stmt, check.defs.get(stmt.args[-1])):
                continue
            raise check.error(f"this iteration writes elements of '{stmt.args[0].hint}' that "
                              f"another iteration may write or read (no index is the loop "
                              f"variable '{index.hint}')", stmt.loc)
        if stmt.prim in _READS and stmt.args[0] in check.shared:
            if index in _integer_indices(stmt) or _feeds_accumulation(check, stmt):
                continue
            raise check.error(f"this iteration reads elements of '{stmt.args[0].hint}' that "
                              f"another iteration may be writing", stmt.loc)


def _direct_uses(stmt):
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
             if read.result in (_direct_uses(s) if isinstance(s, Op) else [])]
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
    - a loop accumulating into array elements (``y[idx[i]] += v``) runs serially (two
      iterations could add into one element at once; private accumulators would be needed),
      and so does a ``prange`` nested in another (Numba runs only the outer one in parallel).

    Returns ``fn``, changed in place."""
    for stmt in fn.body.stmts:
        _prepare_outermost(stmt, inside_parallel=False)
    return fn


def _prepare_outermost(stmt, inside_parallel):
    if isinstance(stmt, For) and stmt.parallel:
        if inside_parallel or _accumulates_into_elements(stmt):
            stmt.parallel = False
        else:
            _privatize_reductions(stmt)
            inside_parallel = True
    for child in child_blocks(stmt):
        for inner in child.stmts:
            _prepare_outermost(inner, inside_parallel)


def buffer_versions(loop):
    """The versions, inside parallel ``loop``, of the arrays it carries (written in place)."""
    check = _LoopCheck(loop)
    check.shared.update(a for a in loop.args if is_array(a.type))
    _follow_versions(check, loop.body)
    return check.shared


def _accumulates_into_elements(loop):
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
