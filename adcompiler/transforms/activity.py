"""Activity analysis: a value is active if it depends on a differentiated input (varied)
and the output depends on it (useful). Inactive values get no derivative code."""
from ..errors import CompileError
from ..ir.nodes import Var, Op, If, For, While, is_float_type
from ..rules import PRIMITIVES


def _differentiable(op):
    prim = PRIMITIVES.get(op.prim)
    return prim is not None and prim.differentiable


def varied_values(fn, seeds):
    varied = set(seeds)
    changed = True

    def mark(var):
        nonlocal changed
        if var not in varied and is_float_type(var.type):
            varied.add(var)
            changed = True

    def block(b):
        for stmt in b.stmts:
            if isinstance(stmt, Op):
                hit = any(a in varied for a in stmt.args if isinstance(a, Var))
                if hit and stmt.prim == "opaque_call":
                    raise CompileError(
                        f"call to '{stmt.attrs['callee_name']}', which has no rule and no Python "
                        f"source, with an argument that depends on a differentiated input",
                        stmt.loc, "register a rule with @ad.rule, or use a function adcompiler knows")
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


def useful_values(fn, outputs):
    useful = set(o for o in outputs if isinstance(o, Var))
    changed = True

    def mark(atom):
        nonlocal changed
        if isinstance(atom, Var) and atom not in useful:
            useful.add(atom)
            changed = True

    def block(b):
        for stmt in reversed(b.stmts):
            if isinstance(stmt, Op):
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
    varied = varied_values(fn, [p for p in active_params if is_float_type(p.type)])
    useful = useful_values(fn, fn.body.yields)
    fn.annotations["active"] = varied & useful
    fn.annotations["varied"] = varied
    return fn
