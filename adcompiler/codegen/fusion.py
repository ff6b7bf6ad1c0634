"""Fusing a block's elementwise adjoint statements into one loop over the elements.

The reverse sweep of vector code (an LSTM cell, an RK4 stage) is a run of elementwise
statements, each of which NumPy or Numba computes as one loop making one new array:
``bt6 = (1.0 - c * c) * (g * bt5)``, ``bt7 = -(t * (o / t1) * bt6)``, ``b[i] += f * bt7``.
Where every vector the run reads has one length, the run is one loop computing scalars,

    for j in range(n):
        bt6e = (1.0 - c[j] * c[j]) * (g[j] * bt5[j])
        bt7e = -(t[j] * (o[j] / t1[j]) * bt6e)
        b[i, j] += f[j] * bt7e

making only the arrays read after it. Every element is computed by the same operations in
the same order, so the values are the same bit for bit; where the lengths differ (a length-1
vector broadcast) the statements are printed as before, behind the length test.

A run is a stretch of a block's statements: its *members* (elementwise ops of float64
vectors and numbers, and vectors added into a row or a 1-d slice of a cotangent), ops that do not depend on
them (printed *before* the loop) and ops that depend on them but that no later member reads
(printed *after* it, e.g. the sum of a member). Nothing moves past a write into storage it
reads. Adjoint statements take part, and the primal's exact arithmetic (``+ - * /``, whose
every element is the same bits in any loop form). A result read after the run that lives
only within one iteration of the loop around it goes into a buffer made once, before the
function's loops, instead of a new array per iteration.
"""
from ..ir.nodes import Var, Const, Op, For, While, FLOAT, ArrayType, is_array, WRITES_IN_PLACE
from ..rules import PRIMITIVES
from ..rules.array import sliced_ndim

_VECTOR = ArrayType("float64", 1)


class Run:
    """One fused stretch of a block: ``region`` its statements in order, of which
    ``members`` go into the loop, ``before`` and ``after`` around it; ``outputs`` the member
    results read after the run; ``vectors`` what the loop reads, whose lengths must agree."""

    def __init__(self):
        self.region, self.members, self.before, self.after = [], [], [], []
        self.outputs, self.vectors, self.rows, self.scratch = [], [], [], []


def _is_vector(atom):
    return isinstance(atom, Var) and atom.type == _VECTOR


def _is_row_update(op):
    """``b[i] += v`` of a vector into a row, or ``b[lo:hi] += v`` into a 1-d slice."""
    if not (op.prim in ("index_add", "slice_add") and _is_vector(op.args[-1]) and
            is_array(op.args[0].type) and op.args[0].type.dtype == "float64" and
            op.args[-1] not in op.args[:-1]):
        return False
    if op.prim == "slice_add":
        spec = op.attrs["spec"]
        return all(entry[0] != "newaxis" for entry in spec) and \
            sliced_ndim(spec, op.args[0].type.ndim) == 1
    return op.args[0].type.ndim == len(op.args) - 1


def _is_elementwise_vector_op(op):
    if op.result is None or not _is_vector(op.result):
        return False
    if op.prim == "unbroadcast":
        return _is_vector(op.args[0]) and _is_vector(op.args[1])
    prim = PRIMITIVES.get(op.prim)
    return prim is not None and prim.elementwise and op.prim not in WRITES_IN_PLACE and \
        op.prim != "float"


#: elementwise ops whose every element is exact IEEE arithmetic, the same in any loop form:
#: the primal's own statements of these (an RK4 stage, ``xc = x[i] - mu[k]``) may be fused
#: too without changing a bit of the value
_EXACT = ("add", "sub", "mul", "div", "neg")


#: ops whose array result is new storage whatever their arguments
_FRESH = ("copy", "dot", "outer", "stack", "concatenate", "zeros_like", "zeros_like_f",
          "empty_like", "ones_like", "fill_like")


#: helpers whose result may be their first argument; the others give only a shape or dtype
_SHAPED_BY_OTHERS = ("unbroadcast", "seed_like", "shaped_like", "broadcast_like",
                     "reshape_like", "cast_like")


def _numeric(atom):
    if isinstance(atom, Const):
        return isinstance(atom.value, (int, float)) and not isinstance(atom.value, bool)
    return _is_vector(atom) or atom.type in (FLOAT, "int")


class RunFinder:
    """The runs of a function's blocks, for a SourceWriter (its nested expressions and
    storage families): {id of a run's first statement: Run}."""

    def __init__(self, writer):
        self.w = writer
        self.uses = {}
        self.runs = {}
        self.loop_around = {}       # id of a statement -> the innermost loop around it
        self.defined = {}           # id of a loop -> the Vars defined inside it

    def find(self, fn):
        from ..ir.nodes import child_blocks, stmt_uses, walk_stmts
        for stmt in walk_stmts(fn.body):
            for a in stmt_uses(stmt):
                self.count(a)
            for child in child_blocks(stmt):
                for y in child.yields:
                    self.count(y)
        for y in fn.body.yields:
            self.count(y)
        self.members = {}
        for v, root in self.w.family.items():
            self.members.setdefault(root, set()).add(v)
        self.users = {}
        for s in walk_stmts(fn.body):
            if isinstance(s, Op):
                for a in s.args:
                    if isinstance(a, Var):
                        self.users.setdefault(a, []).append(s)
        self.block(fn.body)
        for stmt in walk_stmts(fn.body):
            loop = stmt if isinstance(stmt, (For, While)) else self.loop_around.get(id(stmt))
            for child in child_blocks(stmt):
                for inner in child.stmts:
                    self.loop_around[id(inner)] = loop
                self.block(child, loop)
        return self.runs

    def count(self, atom):
        if isinstance(atom, Var):
            self.uses[atom] = self.uses.get(atom, 0) + 1

    # -- what an op reads, its nested expressions included ---------------------------------
    def reads(self, op):
        """The atoms ``op`` reads, through the expressions nested in it (with repeats)."""
        out = []
        for a in op.args:
            if isinstance(a, Var) and a in self.w.nested:
                out += self.reads(self.w.nested[a])
            else:
                out.append(a)
        return out

    def storage(self, atom):
        return self.w.family.get(atom, atom)

    def is_member(self, op):
        if op.role != "adjoint" and not self.exact(op):
            return False
        if _is_row_update(op):
            return self.w.is_element_expression(op.args[-1])
        return _is_elementwise_vector_op(op) and all(
            self.w.is_element_expression(a) if isinstance(a, Var) and a in self.w.nested
            else _numeric(a) for a in op.args)

    def exact(self, op):
        """Is ``op`` exact arithmetic all through the expressions nested in it?"""
        if op.prim not in _EXACT:
            return False
        return all(self.exact(self.w.nested[a]) for a in op.args
                   if isinstance(a, Var) and a in self.w.nested)

    # -- growing a run ------------------------------------------------------------------------
    def block(self, b, loop=None):
        stmts, k = b.stmts, 0
        while k < len(stmts):
            s = stmts[k]
            if isinstance(s, Op) and s.result not in self.w.nested and self.is_member(s):
                run, end = self.grow(stmts, k)
                if run is not None:
                    self.runs[id(s)] = run
                    run.scratch = [v for v in run.outputs if loop is not None
                                   and self.stays_in_iteration(v, loop)]
                    k = end
                    continue
            k += 1

    def grow(self, stmts, start):
        run = Run()
        made = set()            # results of members
        later = set()           # results of ops printed after the loop
        written = set()         # storage the members write (rows)
        read = set()            # storage the members read
        deferred = set()        # storage the ops printed after the loop write
        seen_after = set()      # storage the ops printed after the loop read
        created = set()         # storage of the members' results (made in the loop)
        end = start
        for k in range(start, len(stmts)):
            s = stmts[k]
            if not isinstance(s, Op):
                break
            if s.result in self.w.nested:
                run.region.append(s)
                end = k + 1
                continue
            reads = self.reads(s)
            arrays = {self.storage(a) for a in reads if isinstance(a, Var) and is_array(a.type)}
            needs = {a for a in reads if isinstance(a, Var)}
            if self.is_member(s) and (needs & later or arrays & deferred):
                break               # it may start a run of its own after what it reads
            if self.is_member(s):
                target = self.storage(s.args[0]) if _is_row_update(s) else None
                values = self.reads(Op(s.prim, s.args[1:])) if target is not None else reads
                vectors = [a for a in values if _is_vector(a) and a not in made]
                if any(self.storage(v) in written or self.storage(v) == target
                       for v in vectors) or (target is not None and target in
                                             read | deferred | seen_after | created):
                    break
                run.members.append(s)
                read |= {self.storage(v) for v in vectors}
                if target is not None:
                    written.add(target)
                    run.rows.append(s)
                else:
                    made.add(s.result)
                    created.add(self.storage(s.result))
                run.vectors += [v for v in vectors if v not in run.vectors]
            elif self.pure(s) and not needs & (made | later) and not arrays & (written | deferred):
                run.before.append(s)
            elif self.movable_after(s) and not arrays & written:
                if s.prim in ("index_add", "slice_add", "zero_at", "zero_slice"):
                    if self.storage(s.args[0]) in read | written:
                        break
                    deferred.add(self.storage(s.args[0]))
                run.after.append(s)
                seen_after |= arrays
                if s.result is not None and is_array(s.result.type):
                    created.add(self.storage(s.result))
                if s.result is not None:
                    later.add(s.result)
            else:
                break
            run.region.append(s)
            end = k + 1
        # sums back to a shape that is the same are no work: two statements that compute
        # something make a loop worth printing
        if sum(m in run.rows or m.prim != "unbroadcast" for m in run.members) < 2:
            return None, start
        run.outputs = [m.result for m in run.members
                       if m not in run.rows and self.uses_outside(m.result, run)]
        return run, end

    def stays_in_iteration(self, value, loop):
        """Is every array sharing ``value``'s storage made in one iteration of serial ``loop``
        (no parallel loop around it) and dead at its end (not carried to the next, not kept
        by a helper or the user's code)? Then one buffer, made before the loop, can hold it
        in every iteration."""
        from ..transforms.reverse import defined_in
        around = loop
        while around is not None:       # a parallel loop's iterations run at once: no sharing
            if isinstance(around, For) and around.parallel:
                return False
            around = self.loop_around.get(id(around))
        if id(loop) not in self.defined:
            self.defined[id(loop)] = defined_in(loop)
        root = self.storage(value)
        shared = self.members.get(root, set()) | {value, root}
        carried = [y for y in loop.body.yields if isinstance(y, Var)]
        if not shared <= self.defined[id(loop)] or any(v is y for v in shared for y in carried):
            return False
        # every op reading it makes a number, another name of it, or a new array (a helper
        # that may return its argument, or the user's code, could keep it past the iteration)
        for v in shared:
            for op in self.users.get(v, ()):
                r = op.result
                if r is None or not is_array(r.type) or r in shared or op.prim in _FRESH or (
                        op.prim in _SHAPED_BY_OTHERS and op.args[0] not in shared):
                    continue
                prim = PRIMITIVES.get(op.prim)
                if prim is None or not prim.elementwise or op.prim in WRITES_IN_PLACE:
                    return False
        return True

    def uses_outside(self, value, run):
        """Is a member's result read by anything but the members (whose reads count every
        leaf of the expressions nested in them)?"""
        inside = sum(1 for m in run.members for a in self.reads(m) if a is value)
        return self.uses.get(value, 0) > inside

    @staticmethod
    def pure(op):
        from .pysource import _may_pass
        return _may_pass(op) and op.prim not in WRITES_IN_PLACE

    def movable_after(self, op):
        from .pysource import _may_pass
        if op.prim in ("index_add", "slice_add", "zero_at", "zero_slice") and \
                op.role == "adjoint":
            return True
        return _may_pass(op)
