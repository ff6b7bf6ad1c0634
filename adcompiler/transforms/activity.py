"""Activity analysis: a value is active if it depends on a differentiated input (varied)
and the output depends on it (useful). Inactive values get no derivative code."""
from ..errors import CompileError
from ..ir.nodes import Var, Op, If, For, While, is_float_type, WRITES_IN_PLACE, RESTORES
from ..rules import PRIMITIVES
from .cleanup import storage_families


#: in-place ops of reverse-mode code, linear in their buffer and value; a second derivative
#: (forward over reverse) differentiates them structurally, like setitem
IN_PLACE_LINEAR = tuple(p for p in WRITES_IN_PLACE if p not in ("setitem", "setslice"))


def _differentiable(op):
    prim = PRIMITIVES.get(op.prim)
    return prim is not None and (prim.differentiable or op.prim in IN_PLACE_LINEAR)


def _storage_of(fn):
    """({storage family: its Vars}, {Var: its family}) of a first derivative's code, whose
    buffers are written in place and read through any of their names (the reverse sweep
    reads the array a loop wrote into by its first name); empty for a primal, whose array
    versions are values."""
    family = storage_families(fn) if fn.annotations.get("mode") == "reverse" else {}
    storage = {}
    for v, f in family.items():
        storage.setdefault(f, []).append(v)
    return storage, family


def varied_values(fn, seeds, tapes):
    """Values depending on ``seeds``; ``tapes`` collects the tapes that save such values."""
    varied = set(seeds)
    changed = True
    storage, family = _storage_of(fn)

    def mark(var):
        nonlocal changed
        if var not in varied and is_float_type(var.type):
            varied.add(var)
            changed = True

    def mark_tape(tape):
        nonlocal changed
        if tape not in tapes:
            tapes.add(tape)
            changed = True

    def block(b):
        for stmt in b.stmts:
            if isinstance(stmt, Op):
                hit = any(a in varied for a in stmt.args if isinstance(a, Var))
                if stmt.prim == "tape_push" and hit:
                    mark_tape(stmt.attrs["tape"])
                elif stmt.prim == "tape_pop" and stmt.attrs["tape"] in tapes:
                    mark(stmt.result)
                elif stmt.prim in RESTORES and stmt.args[-1] in varied:
                    mark(stmt.args[0])        # the buffer gets a varied element back
                if stmt.prim in WRITES_IN_PLACE + RESTORES and stmt.args[-1] in varied:
                    # generated code reads a buffer through any name of its storage
                    # (the reverse sweep reads the array a loop wrote into by its first name)
                    for other in storage.get(family.get(stmt.args[0]), ()):
                        mark(other)
                if hit and stmt.prim in ("linspace", "arange"):
                    raise CompileError(
                        f"np.{stmt.prim} with an argument that depends on a differentiated input "
                        f"(its derivative would be silently dropped)", stmt.loc,
                        "write a + (b - a) * np.linspace(0.0, 1.0, n), or a + step * np.arange(n)")
                if hit and stmt.prim == "opaque_call" and not stmt.attrs.get("data"):
                    raise CompileError(
                        f"call to '{stmt.attrs['callee_name']}', which has no rule and no Python "
                        f"source, with an argument that depends on a differentiated input",
                        stmt.loc, "register a rule with @ad.rule (or ad.non_differentiable if it is data), "
                        "or use a function adcompiler knows")
                if hit and stmt.result is not None and _differentiable(stmt) and \
                        _without_rule(stmt):
                    raise CompileError(
                        f"'{stmt.prim}' has no derivative rule, and its argument depends on a "
                        f"differentiated input here", stmt.loc,
                        "it is part of a first derivative (np.linalg.cholesky's): take second "
                        "derivatives by finite differences of the gradient")
                if hit and stmt.result is not None and _differentiable(stmt):
                    mark(stmt.result)
            elif isinstance(stmt, If):
                block(stmt.then_body)
                block(stmt.else_body)
                for r, a, c in zip(stmt.results, stmt.then_body.yields, stmt.else_body.yields):
                    if a in varied or c in varied:
                        mark(r)
            elif isinstance(stmt, (For, While)):
                for a, i in zip(stmt.args, stmt.inits):
                    if i in varied:
                        mark(a)
                block(stmt.body)
                for a, y, r in zip(stmt.args, stmt.body.yields, stmt.results):
                    if y in varied:
                        mark(a)
                    if a in varied:
                        mark(r)

    while changed:
        changed = False
        block(fn.body)
    return varied


def useful_values(fn, outputs, tapes):
    """Values the ``outputs`` depend on; ``tapes`` collects the tapes read for such values."""
    useful = set(o for o in outputs if isinstance(o, Var))
    changed = True
    storage, family = _storage_of(fn)

    def mark(atom):
        nonlocal changed
        if isinstance(atom, Var) and atom not in useful:
            useful.add(atom)
            changed = True
            for other in storage.get(family.get(atom), ()):
                mark(other)     # what is written into a buffer reaches every name of it

    def block(b):
        nonlocal changed
        for stmt in reversed(b.stmts):
            if isinstance(stmt, Op):
                if stmt.prim == "tape_pop" and stmt.result in useful \
                        and stmt.attrs["tape"] not in tapes:
                    tapes.add(stmt.attrs["tape"])
                    changed = True
                elif stmt.prim == "tape_push" and stmt.attrs["tape"] in tapes:
                    mark(stmt.args[0])
                elif stmt.prim in RESTORES and stmt.args[0] in useful:
                    mark(stmt.args[-1])
                if stmt.result in useful and _differentiable(stmt):
                    for a in stmt.args:
                        mark(a)
            elif isinstance(stmt, If):
                for r, a, c in zip(stmt.results, stmt.then_body.yields, stmt.else_body.yields):
                    if r in useful:
                        mark(a)
                        mark(c)
                block(stmt.then_body)
                block(stmt.else_body)
            elif isinstance(stmt, (For, While)):
                for a, y, r, i in zip(stmt.args, stmt.body.yields, stmt.results, stmt.inits):
                    if r in useful:
                        mark(a)
                    if a in useful:
                        mark(y)
                        mark(i)
                block(stmt.body)

    while changed:
        changed = False
        block(fn.body)
    return useful


def analyse_activity(fn, active_params):
    """Store ``fn.annotations['active']``: the set of Vars needing derivatives."""
    varied_tapes, useful_tapes = set(), set()
    varied = varied_values(fn, [p for p in active_params if is_float_type(p.type)], varied_tapes)
    useful = useful_values(fn, fn.body.yields, useful_tapes)
    fn.annotations["active"] = varied & useful
    # tapes of a first derivative that save active values (forward over reverse)
    fn.annotations["active_tapes"] = varied_tapes & useful_tapes
    fn.annotations["varied"] = varied
    return fn


def _without_rule(op):
    """A primitive whose own derivative is not written (rules/array.py RULE_NOT_WRITTEN)."""
    from ..rules.array import RULE_NOT_WRITTEN
    return op.prim in RULE_NOT_WRITTEN
