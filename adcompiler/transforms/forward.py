"""Forward mode: each active value ``x`` gets a tangent ``dx`` computed next to it.

A loop carries the tangents of its active carried values; a branch yields the tangents of
its active results. The tangent of ``out = prim(*args)`` is ``sum_i partial_i * d(arg_i)``
over the arguments whose tangent is not zero.
"""
from ..errors import CompileError
from ..ir.nodes import (Var, Const, Op, Block, If, For, While, Function, Tape, INT, is_array,
                        WRITES_IN_PLACE, RESTORES, VIEWS, derivative_type, stmt_defs)
from ..ir.builder import Builder
from ..rules import PRIMITIVES
from ..rules.array import einsum_type
from .reverse import defined_in
from ..rules.apply import (partial_derivatives, tangent_terms, scale, accumulate,
                           has_result_shape as _has_result_shape)

ZERO = Const(0.0)


class ForwardTransform:
    def __init__(self, fn, active_params):
        self.fn = fn
        self.active = fn.annotations["active"] | set(active_params)
        self.tangent = {}
        self.fresh = set()      # tangent arrays no other value refers to: writable in place
        self.in_buffer = set()  # tangent arrays that are (views of) tangent buffers written in place
        self.active_tapes = fn.annotations.get("active_tapes", set())
        self.buffers = fn.annotations.get("buffers", {})  # array written in place -> its buffer
        self.depth = 0
        self.uninitialised = set()  # arrays of np.empty, before any write
        self.local = set()      # Vars defined directly in the block being transformed
        self.tangent_tapes = {}  # tape of a first derivative -> the tape of its tangents
        self.b = Builder(role="tangent")

    def tangent_var(self, var):
        return Var("d" + var.hint, derivative_type(var.type))

    def tangent_or_zero(self, atom, like):
        """The tangent of ``atom``, or a zero shaped like primal value ``like``."""
        found = self.tangent.get(atom)
        if found is not None:
            return found
        if is_array(like.type) and like in self.uninitialised and \
                like.type == derivative_type(like.type):
            # np.empty's values are undefined until written, and so are their tangents:
            # each element's tangent is written with it (no pass of zeros per array)
            empty = self.b.op("empty_like", [like], "d" + like.hint, like.type)
            self.fresh.add(empty)
            return empty
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
        self.depth += 1
        try:
            return self.block_body(block)
        finally:
            self.depth -= 1

    def block_body(self, block):
        new = Block()
        saved, self.local = self.local, {v for s in block.stmts for v in stmt_defs(s)}
        try:
            with self.b.into(new):
                for stmt in block.stmts:
                    with self.b.at(loc=stmt.loc):
                        self.stmt(stmt)
        finally:
            self.local = saved
        new.yields = list(block.yields)
        return new

    def stmt(self, stmt):
        if isinstance(stmt, Op):
            if stmt.prim in ("empty", "empty_like") and \
                    self.fn.annotations.get("mode") != "reverse":
                self.uninitialised.add(stmt.result)     # not yet written
            self.b.append(stmt)
            if stmt.prim.startswith("tape_"):
                self.tangent_of_tape_op(stmt)
            elif stmt.prim in RESTORES:
                self.tangent_of_restore(stmt)
            elif stmt.result in self.active:
                self.tangent_of_op(stmt)
        elif isinstance(stmt, If):
            self.tangent_of_if(stmt)
        else:
            self.tangent_of_loop(stmt)
        self.follow_buffers(stmt)

    def follow_buffers(self, stmt):
        """An array written in place is one buffer under many SSA names, and a first
        derivative restores saved elements into it by its first name (or by that name
        exported from the branch creating it): that name's tangent is kept the latest tangent
        of the buffer, so the restore reaches the written one."""
        if self.fn.annotations.get("mode") != "reverse":
            return
        results = [stmt.result] if isinstance(stmt, Op) else getattr(stmt, "results", [])
        for r in results:
            root = self.buffers.get(r)
            # only where the root is in scope: the top level, or the block creating it
            if root is not None and root is not r and r in self.tangent and (
                    self.depth == 1 or root in self.local):
                self.tangent[root] = self.tangent[r]

    # -- forward over reverse: the tape and in-place ops of a first derivative -----------------
    def tangent_of_tape_op(self, op):
        """A tape saving active values gets a twin tape saving their tangents, pushed and
        popped in the same order, so each popped value finds its tangent."""
        tape = op.attrs["tape"]
        if tape not in self.active_tapes:
            return
        twin = self.tangent_tapes.get(tape)
        if twin is None:
            twin = self.tangent_tapes[tape] = Tape(self.tangent_var(tape.var))
        attrs = dict(op.attrs, tape=twin)
        if op.prim == "tape_push":
            value = op.args[0]
            # a slot's index (a push by iteration) is the same for the twin
            self.b.append(Op("tape_push", [self.tangent_or_zero(value, value)] + op.args[1:],
                             None, op.loc, "tangent", attrs))
        elif op.prim == "tape_pop":
            d = self.tangent_var(op.result)
            self.b.append(Op("tape_pop", list(op.args), d, op.loc, "tangent", attrs))
            self.tangent[op.result] = d
            if is_array(d.type):
                self.fresh.add(d)
        else:       # tape_new, tape_reserve; tape_claim, tape_release (the twin's slots)
            base = Var(op.result.hint, INT) if op.result is not None else None
            self.b.append(Op(op.prim, list(op.args), base, op.loc, "tangent", attrs))

    def tangent_of_restore(self, op):
        """``buf[i] = old`` (or ``buf[s] = old``) puts saved elements back: the tangent buffer
        gets their tangent."""
        buf, old = op.args[0], op.args[-1]
        dbuf, dold = self.tangent.get(buf), self.tangent.get(old)
        if dbuf is None and dold is None:
            return
        if dbuf is None:
            raise CompileError("second derivative: an array restored by the reverse sweep has "
                               "no tangent", op.loc, "please report this; use jacobian of grad")
        self.b.append(Op(op.prim, [dbuf] + op.args[1:-1] + [dold if dold is not None else ZERO],
                         None, op.loc, "tangent", dict(op.attrs)))

    def tangent_of_write(self, op):
        """The ops in ``WRITES_IN_PLACE`` write into their first argument; each is linear in the buffer
        and the value, so the tangent does the same write into the tangent buffer."""
        y0 = op.args[0]
        has_value = op.prim not in ("zero_at", "zero_slice")
        value = op.args[-1] if has_value else None
        dy0 = self.tangent.get(y0)
        dvalue = self.tangent.get(value) if has_value else None
        if dy0 is None and dvalue is None:
            return
        if dvalue is None and op.prim in ("index_add", "slice_add"):
            self.tangent[op.result] = dy0          # adding a constant: the tangent is unchanged
            return
        if dy0 is None:
            dy0 = self.tangent_or_zero(y0, y0)
        elif dy0 not in self.fresh:      # may be shared with another tangent: copy
            dy0 = self.b.op("copy", [dy0], dy0.hint, dy0.type)
        index = op.args[1:-1] if has_value else op.args[1:]
        extra = [dvalue if dvalue is not None else ZERO] if has_value else []
        out = self.b.op(op.prim, [dy0] + index + extra, "d" + op.result.hint, dy0.type, **op.attrs)
        self.fresh.add(out)
        self.in_buffer.add(out)
        self.tangent[op.result] = out

    def tangent_of_op(self, op):
        prim = PRIMITIVES[op.prim]
        with self.b.at(role="tangent"):
            if op.prim in WRITES_IN_PLACE:
                self.tangent_of_write(op)
                return
            if not prim.differentiable:
                # a constant buffer that later writes of active values go into (a first
                # derivative restores saved elements into it): its tangent starts at zero
                if is_array(op.result.type):
                    self.tangent[op.result] = self.tangent_or_zero(op.result, op.result)
                return
            if op.prim in ("einsum", "einsum_like"):
                self.einsum_tangent(op)
                return
            if op.prim in ("reshape", "concatenate", "stack"):
                tangents = [self.tangent.get(a) for a in op.args]
                if op.prim == "reshape":
                    parts = [tangents[0]] + op.args[1:]
                else:
                    parts = [self.tangent_or_zero(a, a) for a in op.args]
                self.set_result_tangent(op, self.b.op(op.prim, parts, "d" + op.result.hint,
                                                      derivative_type(op.result.type)))
                return
            if op.prim in ("getitem", "slice", "slice_copy"):
                dx = self.tangent.get(op.args[0])
                if dx is not None:
                    self.set_result_tangent(op, self.b.op(op.prim, [dx] + op.args[1:],
                                                          "d" + op.result.hint,
                                                          derivative_type(op.result.type),
                                                          **op.attrs))
                return
            if prim.tangent is not None:
                tangents = [self.tangent.get(a) for a in op.args]
                terms = tangent_terms(op.prim, op.args, op.result, tangents, self.b)
                total = None
                for term, t in zip(terms, tangents):
                    # a rule's literal 0.0 term (an argument giving only a shape) is no term
                    if t is not None and not (isinstance(term, Const) and term.value == 0.0):
                        total = accumulate(self.b, total, term, "d" + op.result.hint)
                if total is not None:
                    self.set_result_tangent(op, total)
                return
            partials = partial_derivatives(op.prim, op.args, op.result, self.b)
            total = None
            for arg, partial in zip(op.args, partials):
                darg = self.tangent.get(arg)
                if darg is not None:
                    total = accumulate(self.b, total, scale(self.b, partial, darg, "d" + op.result.hint),
                                       "d" + op.result.hint)
            if total is not None and is_array(op.result.type) and not any(
                    self.tangent.get(a) is not None and _has_result_shape(a, op.args)
                    for a in op.args) and not all(
                    self.tangent.get(a) is not None for a in op.args
                    if isinstance(a, Var) and is_array(a.type)):
                # only a broadcast argument may vary (zeros(3) + p): give the tangent the
                # result's shape, or a later sum or index would see the small one (of the
                # same rank, it has that shape unless an axis of size 1 was broadcast)
                if is_array(total.type) and total.type.ndim == op.result.type.ndim:
                    total = self.b.op("shaped_like", [total, op.result], "d" + op.result.hint,
                                      derivative_type(op.result.type))
                else:
                    zeros = self.b.op("zeros_like_f", [op.result], "d" + op.result.hint,
                                      derivative_type(op.result.type))
                    total = self.b.op("add", [zeros, total], "d" + op.result.hint,
                                      derivative_type(op.result.type))
        if total is not None:
            self.set_result_tangent(op, total)

    def einsum_tangent(self, op):
        """An einsum is linear in each operand: the sum of einsums with one operand's tangent
        in its place (rules/array.py; ``einsum_like``'s first argument gives only a shape)."""
        first = 1 if op.prim == "einsum_like" else 0
        total = None
        for k in range(first, len(op.args)):
            d = self.tangent.get(op.args[k])
            if d is None:
                continue
            args = op.args[:k] + [d] + op.args[k + 1:]
            term = self.b.op(op.prim, args, "d" + op.result.hint,
                             einsum_type(op.attrs["subscripts"], [a.type for a in args[first:]]),
                             **op.attrs)
            total = accumulate(self.b, total, term, "d" + op.result.hint)
        if total is not None:
            self.set_result_tangent(op, total)

    def set_result_tangent(self, op, total):
        """Make ``total`` the tangent of ``op``'s result, keeping the tangents' memory sharing
        the primal's: the frontend lets no write into a buffer reach a live value, and that
        must hold for their tangents too."""
        passed_through = [a for a in op.args if total is self.tangent.get(a)]
        if is_array(total.type) and op.prim in VIEWS and self.shares_tangent_buffer(op.args[0]):
            self.in_buffer.add(total)          # a view of a view: the primal shares too
        elif is_array(total.type) and any(self.shares_tangent_buffer(a) for a in passed_through):
            # the rule passed the tangent of (a view of) a written buffer through (w = b[1:3]
            # * 1.0): the result is a new array, its tangent must not see later writes
            total = self.b.op("copy", [total], total.hint, total.type)
            self.fresh.add(total)
        elif passed_through:
            # b * 1.0 for an array b written nowhere: two values share one tangent, so a
            # later write into either must copy first
            self.fresh.discard(total)
        elif op.prim == "copy" and is_array(total.type):
            # the tangent of a copy is a copy (np.copy(dx)) no other value refers to: a loop
            # carrying it may write into it without copying it again
            self.fresh.add(total)
        self.tangent[op.result] = total

    def shares_tangent_buffer(self, primal):
        """Is the tangent of ``primal`` (a view of) a tangent array written in place?"""
        return primal in self.buffers or self.tangent.get(primal) in self.in_buffer

    def tangent_of_if(self, stmt):
        active = [r for r in stmt.results if r in self.active]
        then_body, else_body = self.block(stmt.then_body), self.block(stmt.else_body)
        for new, old in ((then_body, stmt.then_body), (else_body, stmt.else_body)):
            with self.b.into(new):
                # a zero is shaped like the branch's own value: the result is not in scope yet
                new.yields += [self.tangent_or_zero(y, y if isinstance(y, Var) else r)
                               for r, y in zip(stmt.results, old.yields) if r in self.active]
        dresults = [self.tangent_var(r) for r in active]
        n = len(stmt.results)
        inner = defined_in(stmt)
        positions = [i for i, r in enumerate(stmt.results) if r in self.active]
        for k, (i, d) in enumerate(zip(positions, dresults)):
            yielded = (then_body.yields[n + k], else_body.yields[n + k])
            primal_yields = (stmt.then_body.yields[i], stmt.else_body.yields[i])
            if any(t in self.in_buffer for t in yielded):
                self.in_buffer.add(d)       # (a view of) a written tangent buffer
            if all(t in self.fresh for t in yielded) and all(y in inner for y in primal_yields):
                self.fresh.add(d)
            else:
                # a branch yields the tangent of an outer value: both now name it
                self.fresh.difference_update(yielded)
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
