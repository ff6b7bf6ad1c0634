"""Forward mode: each active value ``x`` gets a tangent ``dx`` computed next to it.

A loop carries the tangents of its active carried values; a branch yields the tangents of
its active results. The tangent of ``out = prim(*args)`` is ``sum_i partial_i * d(arg_i)``
over the arguments whose tangent is not zero.
"""
from ..ir.nodes import Var, Const, Op, Block, If, For, While, Function, FLOAT
from ..ir.builder import Builder
from ..rules.apply import partial_derivatives, scale, accumulate

ZERO = Const(0.0)


class ForwardTransform:
    def __init__(self, fn, active_params):
        self.fn = fn
        self.active = fn.annotations["active"] | set(active_params)
        self.tangent = {}
        self.b = Builder(role="tangent")

    def tangent_var(self, var):
        return Var("d" + var.hint, FLOAT)

    def run(self, active_params):
        fn = self.fn
        tangent_params = []
        for p in active_params:
            dp = self.tangent_var(p)
            self.tangent[p] = dp
            tangent_params.append(dp)
        body = self.block(fn.body)
        body.yields = list(fn.body.yields) + [self.tangent.get(y, ZERO) for y in fn.body.yields]
        out = Function(fn.name + "_jvp", fn.params + tangent_params, body,
                       fn.param_names + [p.hint for p in tangent_params], fn.filename, fn.firstlineno)
        out.annotations.update(fn.annotations, mode="forward", n_outputs=len(fn.body.yields))
        return out

    def block(self, block):
        new = Block()
        with self.b.into(new):
            for stmt in block.stmts:
                with self.b.at(loc=stmt.loc):
                    self.stmt(stmt)
        new.yields = list(block.yields)
        return new

    def stmt(self, stmt):
        if isinstance(stmt, Op):
            self.b.append(stmt)
            if stmt.result in self.active:
                self.tangent_of_op(stmt)
        elif isinstance(stmt, If):
            self.tangent_of_if(stmt)
        else:
            self.tangent_of_loop(stmt)

    def tangent_of_op(self, op):
        with self.b.at(role="tangent"):
            partials = partial_derivatives(op.prim, op.args, op.result, self.b)
            total = None
            for arg, partial in zip(op.args, partials):
                darg = self.tangent.get(arg)
                if darg is not None:
                    total = accumulate(self.b, total, scale(self.b, partial, darg, "d" + op.result.hint),
                                       "d" + op.result.hint)
        if total is not None:
            self.tangent[op.result] = total

    def tangent_of_if(self, stmt):
        active = [r for r in stmt.results if r in self.active]
        then_body, else_body = self.block(stmt.then_body), self.block(stmt.else_body)
        for new, old in ((then_body, stmt.then_body), (else_body, stmt.else_body)):
            new.yields += [self.tangent.get(y, ZERO) for r, y in zip(stmt.results, old.yields)
                           if r in self.active]
        dresults = [self.tangent_var(r) for r in active]
        self.tangent.update(zip(active, dresults))
        self.b.append(If(stmt.cond, then_body, else_body, stmt.results + dresults, stmt.loc, stmt.role))

    def tangent_of_loop(self, stmt):
        positions = [i for i, a in enumerate(stmt.args) if a in self.active]
        dargs = [self.tangent_var(stmt.args[i]) for i in positions]
        dinits = [self.tangent.get(stmt.inits[i], ZERO) for i in positions]
        self.tangent.update((stmt.args[i], d) for i, d in zip(positions, dargs))
        body = self.block(stmt.body)
        body.yields += [self.tangent.get(stmt.body.yields[i], ZERO) for i in positions]
        dresults = [self.tangent_var(stmt.results[i]) for i in positions]
        self.tangent.update((stmt.results[i], d) for i, d in zip(positions, dresults))
        if isinstance(stmt, For):
            new = For(stmt.index, stmt.start, stmt.stop, stmt.step, stmt.args + dargs,
                      stmt.inits + dinits, body, stmt.results + dresults, stmt.loc, stmt.role,
                      stmt.parallel)
        else:
            new = While(stmt.args + dargs, stmt.inits + dinits, self.block(stmt.cond_body), body,
                        stmt.results + dresults, stmt.loc, stmt.role)
        self.b.append(new)


def forward_transform(fn, active_params):
    """The tangent function: ``(*params, *d_active_params) -> (*outputs, *d_outputs)``."""
    return ForwardTransform(fn, active_params).run(active_params)
