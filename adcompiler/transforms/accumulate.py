"""Adjoint accumulation into one element through a loop, kept in a register.

The reverse sweep of ``for row in ...: qx[row] += a[row] * xc[col]`` adds into the cotangent
``bxc[col]`` once per iteration, at an index the loop does not change. Written as an array
update, every iteration loads and stores that element (the compiler cannot prove the store
does not alias the loop's other arrays), which serialises the loop. This pass carries the sum
in a scalar instead and adds it into the element once, after the loop.

In a parallel (``prange``) loop the carried sum is a reduction like a user's ``s += e``: per
thread (or per chunk) partial sums, on the GPU summed over each block in shared memory and
added with one atomic per block, where the element update was one atomic per iteration (the
cotangent of a weight shared by all iterations, ``bw[0] += ...``).

Only adjoint ops are changed: the sum's rounding differs from the element-by-element order,
which a cotangent may do and a primal value the user computes may not.
"""
from ..ir.nodes import Var, Const, Op, For, FLOAT, is_array, element_type, child_blocks
from .cleanup import storage_families, touches_storage, _storage
from .reverse import defined_in


def accumulate_in_registers(fn):
    """Rewrite, in every loop, each cotangent array that the loop body only updates by
    ``b[i, ...] += v``: the updates at loop-invariant indices become sums the loop carries as
    scalars, added into ``b`` after it (the others stay as they are)."""
    family = storage_families(fn)
    _block(fn.body, family)
    return fn


def _block(block, family):
    index = 0
    while index < len(block.stmts):
        stmt = block.stmts[index]
        for child in child_blocks(stmt):
            _block(child, family)              # inner loops first: their adds move out
        after = _promote(stmt, family) if isinstance(stmt, For) else []
        block.stmts[index + 1:index + 1] = after
        index += 1 + len(after)


def _promote(loop, family):
    """Promote the accumulations of ``loop``; return the ops adding the sums after it."""
    inside = defined_in(loop)
    after = []
    for position in range(len(loop.args)):
        chain = _accumulations(loop, position, family)
        fixed = [op for op in chain or () if not any(isinstance(i, Var) and i in inside
                                                     for i in op.args[1:-1])]
        if not fixed:
            continue
        final = loop.results[position]
        loop.results[position] = current = Var(final.hint, final.type)
        inner = loop.args[position]
        for op in chain:
            if op not in fixed:                 # still added element by element in the loop
                op.args[0] = inner
                inner = op.result
                continue
            total, summed, result = Var("acc", FLOAT), Var("acc", FLOAT), Var("acc", FLOAT)
            loop.args.append(total)
            loop.inits.append(Const(0.0))
            loop.body.yields.append(summed)
            loop.results.append(result)
            at = loop.body.stmts.index(op)
            loop.body.stmts[at] = Op("add", [total, op.args[-1]], summed, op.loc, op.role)
            out = final if op is fixed[-1] else Var(final.hint, final.type)
            after.append(Op("index_add", [current] + op.args[1:-1] + [result], out, op.loc,
                            op.role, dict(op.attrs)))
            current = out
        loop.body.yields[position] = inner
    return after


def _accumulations(loop, position, family):
    """The ``index_add`` ops through which the body updates carried array ``position``, in
    order, when they are its only contact with that storage and each adds one float to one
    element; else None."""
    array, end = loop.args[position], loop.body.yields[position]
    if not (isinstance(array, Var) and is_array(array.type)
            and element_type(array.type) == FLOAT):
        return None
    storage = _storage(family, array)
    chain, current = [], array
    for stmt in loop.body.stmts:
        if not touches_storage(stmt, storage, family):
            continue
        if not (isinstance(stmt, Op) and stmt.prim == "index_add" and stmt.role == "adjoint"
                and stmt.args[0] is current and len(stmt.args) == array.type.ndim + 2
                and not is_array(getattr(stmt.args[-1], "type", None))):
            return None
        chain.append(stmt)
        current = stmt.result
    if not chain or current is not end:
        return None
    if any(_storage(family, y) == storage for i, y in enumerate(loop.body.yields)
           if i != position):
        return None
    return chain
