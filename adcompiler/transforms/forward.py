"""Forward mode: each active value ``x`` gets a tangent ``dx`` computed next to it.

A loop carries the tangents of its active carried values; a branch yields the tangents of
its active results. The tangent of ``out = prim(*args)`` is ``sum_i partial_i * d(arg_i)``
over the arguments whose tangent is not zero.
"""
from ..ir.nodes import (Var, Const, Op, Block, If, For, While, Function, is_array,
                        derivative_type)
from ..ir.builder import Builder
from ..rules import PRIMITIVES
from ..rules.apply import partial_derivatives, tangent_terms, scale, accumulate

ZERO = Const(0.0)


class ForwardTransform:
    def __init__(self, fn, active_params):
        self.fn = fn
        self.active = fn.annotations["active"] | set(active_params)
        self.tangent = {}
        self.fresh = set()      # tangent arrays no other value refers to: writable in place
        self.b = Builder(role="tangent")

    def tangent_var(self, var):
        return Var("d" + var.hint, derivative_type(var.type))

    def tangent_or_zero(self, atom, like):
        """The tangent of ``atom``, or a zero shaped like primal value ``like``."""
        found = self.tangent.get(atom)
        if found is not None:
            return found
        if is_array(like.type):
            zero = self.b.op("zeros_like_f", [like], "d" + like.hint, derivative_type(like.type))
            self.fresh.add(zero)
            return zero
        return ZERO

    def run(self, active_params):
        fn = self.fn
        tangent_params = []
        for p in active_params:
            dp = self.tangent_var(p)
            self.tangent[p] = dp
            tangent_params.append(dp)
        body = self.block(fn.body)
        with self.b.into(body):
            body.yields = list(fn.body.yields) + [self.tangent_or_zero(y, y) for y in fn.body.yields]
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
        prim = PRIMITIVES[op.prim]
        with self.b.at(role="tangent"):
            if op.prim == "setitem":
                y0, value = op.args[0], op.args[-1]
                dy0, dvalue = self.tangent.get(y0), self.tangent.get(value)
                if dy0 is None and dvalue is None:
                    return
                if dy0 is None:
                    dy0 = self.tangent_or_zero(y0, y0)
                elif dy0 not in self.fresh:      # may be shared with another tangent: copy
                    dy0 = self.b.op("copy", [dy0], dy0.hint, dy0.type)
                out = self.b.op("setitem", [dy0] + op.args[1:-1] +
                                [dvalue if dvalue is not None else ZERO], "d" + op.result.hint, dy0.type)
                self.fresh.add(out)
                self.tangent[op.result] = out
                return
            if op.prim in ("reshape", "concatenate", "stack"):
                tangents = [self.tangent.get(a) for a in op.args]
                if op.prim == "reshape":
                    parts = [tangents[0]] + op.args[1:]
                else:
                    parts = [self.tangent_or_zero(a, a) for a in op.args]
                self.tangent[op.result] = self.b.op(op.prim, parts, "d" + op.result.hint,
                                                    derivative_type(op.result.type))
                return
            if op.prim in ("getitem", "slice"):
                dx = self.tangent.get(op.args[0])
                if dx is not None:
                    self.tangent[op.result] = self.b.op(op.prim, [dx] + op.args[1:],
                                                        "d" + op.result.hint,
                                                        derivative_type(op.result.type), **op.attrs)
                return
            if prim.tangent is not None:
                tangents = [self.tangent.get(a) for a in op.args]
                terms = tangent_terms(op.prim, op.args, op.result, tangents, self.b)
                total = None
                for term, t in zip(terms, tangents):
                    if t is not None:
                        total = accumulate(self.b, total, term, "d" + op.result.hint)
                if total is not None:
                    self.tangent[op.result] = total
                return
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
            with self.b.into(new):
                new.yields += [self.tangent_or_zero(y, r) for r, y in zip(stmt.results, old.yields)
                               if r in self.active]
        dresults = [self.tangent_var(r) for r in active]
        n = len(stmt.results)
        for k, d in enumerate(dresults):
            if then_body.yields[n + k] in self.fresh and else_body.yields[n + k] in self.fresh:
                self.fresh.add(d)
        self.tangent.update(zip(active, dresults))
        self.b.append(If(stmt.cond, then_body, else_body, stmt.results + dresults, stmt.loc, stmt.role))

    def tangent_of_loop(self, stmt):
        positions = [i for i, a in enumerate(stmt.args) if a in self.active]
        dargs = [self.tangent_var(stmt.args[i]) for i in positions]
        dinits = [self.tangent_or_zero(stmt.inits[i], stmt.inits[i]) for i in positions]
        # a tangent array carried by a loop may be written in place: give the loop its own
        dinits = [self.b.op("copy", [d], d.hint, d.type) if is_array(d.type) and d not in self.fresh
                  else d for d in dinits]
        self.fresh.update(d for d in dargs if is_array(d.type))
        self.tangent.update((stmt.args[i], d) for i, d in zip(positions, dargs))
        body = self.block(stmt.body)
        with self.b.into(body):
            body.yields += [self.tangent_or_zero(stmt.body.yields[i], stmt.args[i]) for i in positions]
        dresults = [self.tangent_var(stmt.results[i]) for i in positions]
        self.fresh.update(d for d in dresults if is_array(d.type))
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
