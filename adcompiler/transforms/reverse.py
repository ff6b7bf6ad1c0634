"""Reverse mode: the adjoint function.

The generated function runs a *forward sweep* (the primal code, saving to tapes the values
the reverse sweep will need from inside loops) followed by a *reverse sweep* that visits
statements in reverse order and accumulates adjoints ``b<x>`` of every active value.

How regions are reversed:

* ``if``: the reverse sweep branches on the same condition (popped from a tape when the
  ``if`` is inside a loop) and reverses the taken branch; adjoints of outer values updated
  in a branch become the results of the reversed ``if``.
* ``for``/``while``: a loop of the same trip count (a ``while`` counts its iterations in the
  forward sweep) whose carried values are the adjoints of the loop's carried values plus the
  adjoints of outer values the body uses. Each iteration pops the values it needs from typed
  tapes: one array per saved SSA value, preallocated from the trip count of a ``for`` (of a
  whole nest when its bounds are loop-invariant: ``TripCounts``), doubling for a ``while``.
  Values outside every loop are never overwritten in the generated code (SSA names are
  unique), so they are read directly.
* a ``prange`` loop whose iterations are independent (``transforms/parallel.py``) and that
  does not accumulate into elements: its iterations may run in any order, so its adjoint is a
  loop over the same indices, in parallel where it passes the same check. Each iteration
  saves the values its reverse iteration needs into its own slot of the tapes (``top + j`` for
  iteration ``j``: the forward sweep claims the loop's slots before it and the reverse sweep
  releases them), so the forward sweep stays parallel too; where a tape is an array's or
  belongs to a loop inside, both run serially, the adjoint in reverse order on stack tapes.
"""
from ..errors import CompileError
from ..ir.nodes import (ArrayType, Var, Const, Op, Block, If, For, While, Function, Tape, FLOAT, INT,
                        WRITES_IN_PLACE, VIEWS,
                        stmt_uses, stmt_defs, child_blocks, block_arguments, walk_stmts, is_array,
                        element_type,
                        derivative_type)
from ..ir.builder import Builder
from .parallel import accumulates_into_elements
from ..rules import PRIMITIVES
from ..rules.array import sliced_ndim, einsum_adjoint_subscripts, einsum_type
from ..rules.apply import (partial_derivatives, adjoint_terms, rule_reads, scale, accumulate,
                           has_result_shape as _has_result_shape)

ZERO = Const(0.0)


def _placeholder(var):
    """A value of ``var``'s type for the branch that does not define it (never read)."""
    return Const({FLOAT: 0.0, INT: 0}.get(var.type, False) if var.type != FLOAT else 0.0)


def defined_in(stmt):
    """Every Var defined inside region ``stmt`` (block arguments and nested definitions)."""
    out = set()
    for block in child_blocks(stmt):
        out.update(block_arguments(stmt, block))
        for inner in block.stmts:
            out.update(stmt_defs(inner))
            out.update(defined_in(inner))
    return out


def used_in(block):
    """Every Var read inside ``block`` and its nested regions (yields included)."""
    out = {a for a in block.yields if isinstance(a, Var)}
    for stmt in block.stmts:
        out.update(a for a in stmt_uses(stmt) if isinstance(a, Var))
        for child in child_blocks(stmt):
            out.update(used_in(child))
    return out


#: primal writes into a buffer: the reverse sweep restores what each overwrites
_WRITES = ("setitem", "setslice")


def _overwritten_type(write):
    """Type of what ``write`` overwrites: an element, or an array of the slice's shape."""
    if write.prim == "setitem":
        return element_type(write.args[0].type)
    base = write.args[0].type
    return ArrayType(base.dtype, sliced_ndim(write.attrs["spec"], base.ndim))


#: integer ops a trip count's bound may be computed with, again, before the loops around it
_HOISTABLE = ("add", "sub", "mul", "dim")
#: integer ops recomputed in the reverse sweep instead of taped
def _same_atom(a, b):
    """One SSA value, or equal constants of one type."""
    if isinstance(a, Var) or isinstance(b, Var):
        return a is b
    return type(a) is type(b) and a.value == b.value and type(a.value) is type(b.value)


_CHEAP_INT_OPS = ("add", "sub", "mul", "neg", "floordiv", "mod", "trip_count")
#: integer ops that read only their array argument's shape
_SIZE_OPS = ("len", "dim", "size")
#: ops creating an array whose shape their arguments give
_ALLOCATIONS = ("empty", "zeros", "ones", "full", "empty_like", "zeros_like", "ones_like")
#: float ops recomputed when their inputs are at hand (see ReverseTransform.rematerializable)
_CHEAP_FLOAT_OPS = ("add", "sub", "mul", "neg", "pos")
#: ops whose array result is always a newly allocated array (besides elementwise ones)
_NEW_ARRAY_PRIMS = ("dot", "outer", "onehot_argmax", "onehot_argmin", "fill_like", "zeros_like_f",
                    "copy", "expand_axis")
#: runtime helpers that may return their first argument itself
_MAY_RETURN_ARGUMENT = ("reshape_like", "cast_like", "seed_like")
#: how many cheap float ops deep a recomputation may go before a pop is cheaper
_REMAT_DEPTH = 3
#: array ops whose result is saved rather than recomputed by the reverse sweep: a
#: transcendental costs tens of cycles per element, a tape a copy; a product costs more
#: than its result's size (the cost model of Tapenade's TBR and JAX's remat policies)
_COSTLY_OPS = ("exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin",
               "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "erf", "hypot", "dot",
               "inv", "solve", "cholesky", "einsum", "einsum_like")


def _costly(op):
    """Is array op ``op`` dearer to recompute than to save? (integer powers are products)"""
    if op.prim == "pow":
        e = op.args[1]
        return not (isinstance(e, Const) and float(e.value).is_integer() and abs(e.value) <= 4)
    return op.prim in _COSTLY_OPS


class TripCounts:
    """Where the forward sweep counts the iterations of each ``for`` loop and reserves its
    tapes.

    A ``for`` loop's trip count is computed just before the loop, and every tape the loop
    owns is reserved there for that many pushes; inside another loop the count is taped,
    once per outer iteration, for the reverse sweep. A loop whose bounds are defined outside
    the loops around it (loop-invariant, with a nonzero literal step, so that counting it
    early cannot raise) is counted once, before the outermost of them, and its count is
    never taped. A nest of such ``for`` loops reserves the tapes of every level once, before
    the nest, for the product of the trip counts (outer trip x inner trip): Enzyme's
    preallocation per chunk of a loop nest (NOTES-reverse.md, section 4). A ``while`` has
    no count known in advance: reserves stop there (its own pushes grow the tape). Counts
    that vary per iteration keep the per-loop scheme.
    """

    def __init__(self, fn):
        self.parent = {}            # loop -> innermost loop around it (None at the top level)
        self.depth = {}             # loop -> how many loops are around it
        self._defined = {}          # loop -> Vars defined inside it
        self.definition = {}        # Var -> the Op defining it
        self._walk(fn.body, None)
        loops = [loop for loop in self.parent if isinstance(loop, For)]
        #: for loop -> the loop before which its trip count is computed (itself or outer)
        self.counted_before = {loop: self._count_point(loop) for loop in loops}
        #: for loop -> the loops whose trip counts multiply to its tapes' reserve, outer first
        self.reserve_chain = {loop: self._reserve_chain(loop) for loop in loops}

    def _walk(self, block, loop):
        for stmt in block.stmts:
            if isinstance(stmt, Op) and stmt.result is not None:
                self.definition[stmt.result] = stmt
            if isinstance(stmt, (For, While)):
                self.parent[stmt] = loop
                self.depth[stmt] = 0 if loop is None else self.depth[loop] + 1
            for child in child_blocks(stmt):
                self._walk(child, stmt if isinstance(stmt, (For, While)) else loop)

    def defined_inside(self, loop):
        """The Vars defined inside ``loop`` (computed once per loop)."""
        if loop not in self._defined:
            self._defined[loop] = defined_in(loop)
        return self._defined[loop]

    def _invariant_in(self, loop, outer):
        return all(self.computable_before(b, outer) for b in (loop.start, loop.stop, loop.step))

    def computable_before(self, atom, outer):
        """Is ``atom`` defined outside loop ``outer``, or an integer computed inside it from
        such values by a cheap op (``m - 1`` in the body, for an inner ``range(1, m - 1)``)?
        Then it can be computed again before ``outer``."""
        if not isinstance(atom, Var) or atom not in self.defined_inside(outer):
            return True
        op = self.definition.get(atom)
        return op is not None and atom.type == INT and op.prim in _HOISTABLE and \
            all(self.computable_before(a, outer) for a in op.args)

    def _count_point(self, loop):
        point = loop
        if isinstance(loop.step, Const) and loop.step.value != 0:
            outer = self.parent[loop]
            while outer is not None and self._invariant_in(loop, outer):
                point, outer = outer, self.parent[outer]
        return point

    def _reserve_chain(self, loop):
        """From the outermost ``for`` loop before which the counts of every loop from it down
        to ``loop`` are known, to ``loop``."""
        chain = [loop]
        outer = self.parent[loop]
        while isinstance(outer, For) and all(
                self.depth[self.counted_before[inner]] <= self.depth[outer] for inner in chain):
            chain.insert(0, outer)
            outer = self.parent[outer]
        return chain

    def counted_here(self, loop):
        """The for loops counted just before ``loop`` (itself first, then inner ones)."""
        return [inner for inner, point in self.counted_before.items() if point is loop]

    def reserved_here(self, loop):
        """The for loops whose tapes are reserved just before ``loop``."""
        return [inner for inner, chain in self.reserve_chain.items() if chain[0] is loop]


class ReverseTransform:
    def __init__(self, fn):
        self.fn = fn
        self.active = fn.annotations["active"]
        self.def_block = {}     # Var -> primal Block defining it
        self.taped = set()      # primal Blocks inside a loop: their values go through tapes
        self.owner = {}         # taped Block -> innermost loop around it
        self.trip = {}          # loop -> Var holding its trip count (for) / iteration count (while)
        self.counted_by = {}    # the trip count Var of a for loop -> the loop
        self.trip_counts = TripCounts(fn)   # where each for loop is counted and its tapes reserved
        self.loop_block = {}    # loop -> primal Block containing it
        self.needed = {}        # taped Block -> Vars the reverse sweep pops there, in order
        self.saved_at_end = {}  # taped Block -> buffers created there, saved at its end
        self.frames = {}        # primal Block being reversed -> {primal Var: popped Var}
        self.recomputed = {}    # primal Block being reversed -> {array Var: recomputed Var}
        self.preludes = {}      # primal Block being reversed -> Block of recomputations
        self.reverse_counters = {}  # For loop -> (counter, trip count) of its reverse sweep
        self.any_order = set()  # prange loops whose adjoint runs over the primal's indices
        self.backwards = set()  # serial for loops whose adjoint runs over their indices backwards
        self.slot_tapes = {}    # prange loop -> the tapes it saves to by iteration, or None
        self.slots = {}         # Tape -> the slot of the current iteration (forward sweep)
        self.claimed = {}       # Tape of a prange loop -> the first slot claimed (forward sweep)
        self.iteration = {}     # prange loop, or serial loop inside one saving by iteration ->
        #                         its iteration number, counted over the nest (forward sweep)
        self.adjoint_loops = {}  # primal loop -> the loop of its reverse sweep
        self.tapes = {}         # Var -> Tape
        self.exported = {}      # Var defined in a branch outside loops -> its copy at top level
        self.export_requests = {}   # branch Block -> Vars the reverse sweep reads from it
        self.definition = {}    # Var -> the Op defining it
        self.buffers = fn.annotations.get("buffers", {})  # array written in place -> its buffer
        self.saved_old = {}     # write Op -> Var holding the element or slice it overwrites
        self.old_is_read = set()    # writes whose saved_old is the program's own earlier read
        self.stable = {}        # element read -> never overwritten after it (stable_read)
        self.restores = {}      # write -> whether the reverse sweep puts back what it overwrote
        self.owned = set()      # adjoint arrays this function created: safe to update in place
        self.position = {}      # primal Op -> (its Block, its index there)
        self.rewrites = {}      # primal Block -> {buffer: indices of statements writing it}
        self.shape_only = False  # primal values asked for now only give shapes (see primal_shape)
        self.stale = {}         # primal Block being reversed -> {array Var: shape-only stand-in}
        self.b = Builder(role="adjoint")

    # -- 1. where values live ------------------------------------------------------------------
    def find_definitions(self, block, loop):
        if loop is not None:
            self.taped.add(block)
            self.owner[block] = loop
        rewrites = self.rewrites.setdefault(block, {})
        for index, stmt in enumerate(block.stmts):
            for v in stmt_defs(stmt):
                self.def_block[v] = block
                if v in self.buffers:
                    rewrites.setdefault(self.buffers[v], []).append(index)
            if isinstance(stmt, Op):
                self.position[stmt] = (block, index)
            if isinstance(stmt, Op) and stmt.result is not None:
                self.definition[stmt.result] = stmt
            if isinstance(stmt, Op) and stmt.prim in _WRITES:
                read = self.earlier_read(block, index, stmt)
                if read is not None:        # the program read it already: that value, once
                    self.saved_old[stmt] = read
                    self.old_is_read.add(stmt)
                else:
                    self.saved_old[stmt] = Var("old", _overwritten_type(stmt))
                    self.def_block[self.saved_old[stmt]] = block
            if isinstance(stmt, (For, While)):
                self.loop_block[stmt] = block
                self.trip[stmt] = Var("n" if isinstance(stmt, For) else "count", INT)
                if isinstance(stmt, For):
                    self.counted_by[self.trip[stmt]] = stmt
                # a loop-invariant count lives where it is computed, before an outer loop
                point = self.trip_counts.counted_before.get(stmt, stmt)
                self.def_block[self.trip[stmt]] = self.loop_block[point]
                for v in block_arguments(stmt, stmt.body):
                    self.def_block[v] = stmt.body
                self.find_definitions(stmt.body, stmt)
                if isinstance(stmt, While):
                    self.find_definitions(stmt.cond_body, stmt)
            elif isinstance(stmt, If):
                self.find_definitions(stmt.then_body, loop)
                self.find_definitions(stmt.else_body, loop)

    def recomputes_rewritten(self, op, seen):
        """Would recomputing ``op`` recompute, on the way, a value of its own block that reads
        an array the block writes into afterwards? Then one pop of ``op``'s result replaces
        the pops of all such values."""
        for a in op.args:
            inner = self.definition.get(a) if isinstance(a, Var) else None
            if inner is None or inner.prim in _WRITES or \
                    self.position.get(inner, (None,))[0] is not self.position[op][0]:
                continue
            if not (is_array(a.type) or inner.prim == "getitem"):
                continue                 # a scalar is popped, never recomputed
            if is_array(a.type) and (inner.prim == "opaque_call" or
                                     _costly(inner) and a.type.ndim <= 3):
                continue                 # popped too (see recompute): nothing read through it
            if a not in seen:
                seen[a] = (self.reads_rewritten_buffer(inner)
                           or self.recomputes_rewritten(inner, seen))
            if seen[a]:
                return True
        return False

    def primal_shape(self, atom):
        """A value of ``atom``'s shape (its primal value, or a recomputation from buffers that
        may hold later elements): for zeros and unbroadcasting, never taped for that."""
        saved, self.shape_only = self.shape_only, True
        try:
            return self.primal(atom)
        finally:
            self.shape_only = saved

    def available(self, array):
        """Can the reverse sweep read ``array`` directly (no tape)?"""
        block = self.def_block.get(array)
        return array in self.buffers or block is None or block is self.fn.body

    def primal(self, atom):
        """The primal value of ``atom`` as seen from the reverse sweep (popped if in a loop)."""
        if not isinstance(atom, Var):
            return atom
        if atom in self.buffers:
            # arrays written in place are never taped: the reverse sweep restores each
            # overwritten element, so the buffer holds this version when it is read
            root = self.buffers[atom]
            block = self.def_block.get(root, self.fn.body)
            if self.shape_only and block in self.taped:
                allocated = self.allocation_shape(root, block)
                if allocated is not None:
                    return allocated
            if block in self.taped:
                replayed = self.replay(root, block)
                return replayed if replayed is not None else self.pop_final(root, block)
            # created in a branch outside loops: exported like any branch value (the export
            # is the same buffer, so it sees the later writes and restores too)
            return root if block is self.fn.body else self.export(root, block)
        block = self.def_block.get(atom)
        if block is None or block is self.fn.body:
            return atom
        if block not in self.taped:
            return self.export(atom, block)
        op = self.definition.get(atom)
        if op is not None and not self.shape_only and self.reads_rewritten_buffer(op):
            return self.pop(atom, block)
        if op is not None and op.prim in ("getitem", "slice") and self.available(op.args[0]):
            # re-reading an element (or view) of an array beats taping it
            return self.b.op(op.prim, [self.primal(op.args[0])] + [self.primal(i) for i in op.args[1:]],
                             atom.hint, atom.type, **op.attrs)
        if is_array(atom.type):
            return self.recompute(atom, block, op)
        loop = self.owner.get(block)
        if isinstance(loop, For) and atom is loop.index and loop in self.reverse_counters:
            return self.loop_index(loop)
        step = self.induction_step(loop, atom) if isinstance(loop, For) and \
            loop in self.reverse_counters else None
        if step is not None:
            return self.induction_value(loop, atom, step)
        if atom.type == INT and op is not None and op.prim in _SIZE_OPS and \
                isinstance(op.args[0], Var) and is_array(op.args[0].type):
            # a length reads its array's shape alone
            with self.b.into(self.preludes[block]):
                return self.b.op(op.prim, [self.primal_shape(op.args[0])] + op.args[1:],
                                 atom.hint, atom.type, **op.attrs)
        if atom.type == INT and op is not None and op.prim in _CHEAP_INT_OPS:
            return self.recompute(atom, block, op)     # i + 1 is cheaper to redo than to tape
        if atom.type == FLOAT and op is not None and self.rematerializable(atom, _REMAT_DEPTH):
            return self.recompute(atom, block, op)
        counted = self.counted_by.get(atom)
        if counted is not None:
            return self.trip_count_again(counted, atom, block)
        return self.pop(atom, block)

    def trip_count_again(self, loop, count, block):
        """The trip count of ``loop`` for the reverse sweep: counted again from its bounds
        when they can be had without a tape (an inner loop ``range(col + 1, d)``), else
        popped (counted where the loop is, so its bounds are values of ``block``)."""
        bounds = (loop.start, loop.stop, loop.step)
        if self.trip_counts.counted_before.get(loop, loop) is not loop or \
                not all(self.rematerializable(b, _REMAT_DEPTH) for b in bounds):
            return self.pop(count, block)
        done = self.recomputed[block]
        if count not in done:
            with self.b.into(self.preludes[block]):
                done[count] = self.b.op("trip_count", [self.primal(b) for b in bounds],
                                        count.hint, INT)
        return done[count]

    def rematerializable(self, atom, depth):
        """Can the reverse sweep recompute ``atom`` from what it holds anyway, without a tape:
        constants, values outside loops, loop indices, elements of an array the reverse
        sweep of an enclosing iteration already popped (a time step's state, read cell by
        cell by an inner loop), through at most ``depth`` cheap arithmetic ops? Then one
        array pop per outer iteration replaces a scalar pop per inner iteration (Tapenade's
        TBR, JAX's remat policies: recompute what is cheap, save what is not)."""
        if not isinstance(atom, Var):
            return True
        block = self.def_block.get(atom)
        if block is None or block is self.fn.body:
            return True
        if block not in self.taped or atom in self.buffers or is_array(atom.type):
            return False
        loop = self.owner.get(block)
        if isinstance(loop, For) and atom is loop.index:
            return loop in self.reverse_counters
        op = self.definition.get(atom)
        if op is None or self.reads_rewritten_buffer(op):
            return False
        if op.prim == "getitem":
            return (self.already_popped(op.args[0]) or self.outer_array(op.args[0], block) or
                    self.stable_read(op)) \
                and all(self.rematerializable(i, depth) for i in op.args[1:])
        cheap = _CHEAP_INT_OPS if atom.type == INT else _CHEAP_FLOAT_OPS
        return depth > 0 and op.prim in cheap and all(
            self.rematerializable(a, depth - 1) for a in op.args)

    def already_popped(self, array):
        """Is ``array`` (not a buffer written in place) popped or recomputed by the reverse
        sweep of a block being reversed now?"""
        if not isinstance(array, Var) or array in self.buffers:
            return False
        block = self.def_block.get(array)
        return array in self.frames.get(block, ()) or array in self.recomputed.get(block, ())

    def outer_array(self, array, block):
        """Is ``array`` (never written in place) defined in a loop body around ``block`` that
        is being reversed now? Its reverse iteration recomputes or pops it once, which beats
        a scalar pop per inner iteration for every element an inner loop reads."""
        if not isinstance(array, Var) or array in self.buffers or not is_array(array.type):
            return False
        home = self.def_block.get(array)
        return home is not block and home in self.taped and home in self.frames

    def reads_rewritten_buffer(self, op):
        """Does ``op`` read an array that its own block writes into afterwards? The reverse
        sweep puts the overwritten elements back only as it passes each write, so until then
        re-reading the array (or recomputing from it) would see the later contents."""
        if self.stable_read(op):
            return False
        block, index = self.position[op]
        return any(later > index
                   for a in op.args if a in self.buffers
                   for later in self.rewrites[block].get(self.buffers[a], ()))

    def stable_read(self, op):
        """Is ``op`` an element read ``B[t + c, ...]`` of a buffer that, inside the ``for t``
        loop (positive step) around the read, is written only at elements ``B[t + c', ...]``
        with ``c' > c`` (a time loop keeping every step in one 2-d array: ``U[t + 1, i] = f(U[t,
        i - 1], U[t, i], ...)``)? Later iterations write later rows, so the element is never
        overwritten after the read, and the reverse sweep, which puts back what a write
        overwrote only as it passes that write, reaches the write of this row only after it
        has passed this read: it may read the buffer itself instead of a tape."""
        if op.prim != "getitem" or len(op.args) < 2 or op.args[0] not in self.buffers:
            return False
        if op in self.stable:
            return self.stable[op]
        root, form = self.buffers[op.args[0]], self.row_of(op.args[1])
        self.stable[op] = False
        if form is None:
            return False
        loop, read_row = form
        inside = self.blocks_within(loop.body)
        if not (isinstance(loop.step, Const) and loop.step.value > 0) or \
                not self.row_never_negative(loop, read_row) or \
                self.position[op][0] not in inside:
            return False
        for block in inside:
            for stmt in block.stmts:
                if not (isinstance(stmt, Op) and stmt.prim in _WRITES and
                        self.buffers.get(stmt.args[0]) is root):
                    continue
                if stmt.prim == "setslice" and stmt.attrs["spec"][0] != ("index",):
                    return False
                written = self.row_of(stmt.args[1])
                if written is None or written[0] is not loop or written[1] <= read_row or \
                        not self.row_never_negative(loop, written[1]):
                    return False
        self.stable[op] = True
        return True

    @staticmethod
    def row_never_negative(loop, offset):
        """Is ``t + offset`` at least 0 for every ``t`` of ``loop`` (a negative row counts
        from the end: ``u[t - 1]`` at ``t = 0`` is the last row, which later iterations may
        write)?"""
        start = loop.start
        return isinstance(start, Const) and isinstance(start.value, int) and \
            start.value + offset >= 0

    def restore_needed(self, write):
        """Must the reverse sweep put back what ``write`` overwrote? Not for a write at row
        ``t + c`` in a top-level ``for t`` loop (positive step) into a buffer that the program
        reads only at earlier rows of that loop (``stable_read``) or after the loop: the
        reverse sweep re-reads rows of the iteration it is in, which no restore of this write
        reaches, and reverses the reads after the loop before the loop (the hoisted time loop
        ``U[t + 1, i] = f(U[t, ...])`` then saves nothing per cell)."""
        if write in self.restores:
            return self.restores[write]
        self.restores[write] = True
        root, form = self.buffers.get(write.args[0]), self.row_of(write.args[1])
        if root is None or form is None or (write.prim == "setslice" and
                                             write.attrs["spec"][0] != ("index",)):
            return True
        loop = form[0]
        if self.loop_block.get(loop) is not self.fn.body or \
                not (isinstance(loop.step, Const) and loop.step.value > 0) or \
                not self.row_never_negative(loop, form[1]):
            return True
        after = self.fn.body.stmts.index(loop) + 1
        later = {id(s) for stmt in self.fn.body.stmts[after:]
                 for s in [stmt] + [t for b in child_blocks(stmt) for t in walk_stmts(b)]}
        inside = {id(s) for s in walk_stmts(loop.body)}
        for stmt in walk_stmts(self.fn.body):
            if not isinstance(stmt, Op) or stmt.prim in _WRITES or \
                    not any(self.buffers.get(a) is root for a in stmt.args):
                continue
            if id(stmt) in later:
                continue
            if id(stmt) in inside and self.stable_read(stmt) and \
                    self.row_of(stmt.args[1])[0] is loop:
                continue
            return True
        self.restores[write] = False
        return False

    def row_of(self, atom):
        """``atom`` as ``t + c`` for the index ``t`` of a for loop: (loop, c), or None."""
        if not isinstance(atom, Var):
            return None
        loop = self.owner.get(self.def_block.get(atom))
        if isinstance(loop, For) and atom is loop.index:
            return loop, 0
        op = self.definition.get(atom)
        if op is None or op.prim not in ("add", "sub") or len(op.args) != 2:
            return None
        a, b = op.args
        if isinstance(b, Const) and isinstance(b.value, int) and not isinstance(b.value, bool):
            inner = self.row_of(a)
            if inner is not None and a is inner[0].index:
                return inner[0], inner[1] + (b.value if op.prim == "add" else -b.value)
        if op.prim == "add" and isinstance(a, Const) and isinstance(a.value, int) and \
                not isinstance(a.value, bool):
            inner = self.row_of(b)
            if inner is not None and b is inner[0].index:
                return inner[0], inner[1] + a.value
        return None

    def export(self, atom, block):
        """``atom`` of a branch outside loops, as the top-level copy the forward sweep's
        ``if`` exports."""
        if atom not in self.exported:
            self.exported[atom] = Var(atom.hint, atom.type)
            self.export_requests.setdefault(block, []).append(atom)
        return self.exported[atom]

    def iteration_number(self, loop):
        """Which iteration of the forward ``for`` loop the reverse sweep is in: the reverse
        sweep's counter ``k`` runs iteration ``n - 1 - k`` (a loop in any order runs over
        the primal's indices)."""
        done = self.recomputed[loop.body]
        if loop not in done:
            counter, count = self.reverse_counters[loop]
            with self.b.into(self.preludes[loop.body]):
                if loop in self.any_order or loop in self.backwards:
                    done[loop] = self.index_to_iteration(loop, counter, self.primal)
                else:
                    last = self.b.op("sub", [count, Const(1)], "k", INT)
                    done[loop] = self.b.op("sub", [last, counter], "k", INT)
        return done[loop]

    def index_to_iteration(self, loop, index, value):
        """``(index - start) // step``: the iteration of ``loop`` with that index (``value``
        gives the bounds' values where the ops go)."""
        start, step = value(loop.start), value(loop.step)
        if not (isinstance(start, Const) and start.value == 0):
            index = self.b.op("sub", [index, start], "j", INT)
        if not (isinstance(step, Const) and step.value == 1):
            index = self.b.op("floordiv", [index, step], "j", INT)
        return index

    def progression(self, loop, first, step, hint):
        """``first + j * step`` at iteration ``j`` of ``loop`` (in its reverse prelude)."""
        j = self.iteration_number(loop)
        with self.b.into(self.preludes[loop.body]):
            if not (isinstance(step, Const) and step.value == 1):
                j = self.b.op("mul", [j, self.primal(step)], "k", INT)
            return self.b.op("add", [self.primal(first), j], hint, INT)

    def loop_index(self, loop):
        """The index of a ``for`` loop recomputed from the reverse sweep's counter:
        iteration ``j`` of the forward loop has index ``start + j * step``."""
        if loop in self.any_order or loop in self.backwards:
            return self.reverse_counters[loop][0]
        done = self.recomputed[loop.body]
        if loop.index not in done:
            done[loop.index] = self.progression(loop, loop.start, loop.step, loop.index.hint)
        return done[loop.index]

    def induction_step(self, loop, atom):
        """The step ``c`` of an integer carried by ``loop`` as ``a = a + c`` (or ``a - c``)
        with ``c`` the same in every iteration (an induction variable, like a running
        index into packed storage), else None."""
        if atom.type != INT or atom not in loop.args:
            return None
        update = self.definition.get(loop.body.yields[loop.args.index(atom)])
        if update is None or update.prim not in ("add", "sub") or \
                self.position.get(update, (None,))[0] is not loop.body:
            return None
        a, b = update.args
        if update.prim == "add" and b is atom:
            a, b = b, a
        if a is not atom or (isinstance(b, Var) and b in self.trip_counts.defined_inside(loop)):
            return None
        if update.prim == "sub":
            if not isinstance(b, Const):
                return None
            b = Const(-b.value)
        return b

    def induction_value(self, loop, atom, step):
        """An induction variable at iteration ``j``: its value on entry plus ``j`` steps
        (``step``, from ``induction_step``; as exact as the forward sweep's sums: integers)."""
        done = self.recomputed[loop.body]
        if atom not in done:
            first = loop.inits[loop.args.index(atom)]
            done[atom] = self.progression(loop, first, step, atom.hint)
        return done[atom]

    def pop(self, atom, block, saved=None):
        """``atom`` popped at the start of the reverse sweep of ``block``; the forward sweep
        pushes it where it is defined (or, ``saved=self.saved_at_end``, at the block's end)."""
        frame = self.frames[block]
        if atom not in frame:
            if is_array(atom.type) and atom.type.ndim > 3:
                raise CompileError("reverse mode saves arrays of at most 3 dimensions inside loops",
                                   self.loc, "reshape the array to 3 or fewer dimensions")
            frame[atom] = Var(atom.hint, atom.type)
            (self.needed if saved is None else saved).setdefault(block, []).append(atom)
        return frame[atom]

    def pop_final(self, root, block):
        """A buffer created in loop body (or branch) ``block`` and written only there: the
        forward sweep saves its contents once, at the end of ``block`` (one array per
        iteration, as a double-buffered time step keeps one state per step), and the reverse
        sweep of ``block`` starts from that copy, putting back what each write overwrote as
        it passes the write, exactly as for buffers outside loops."""
        if root not in self.frames[block] and not self.written_only_in(root, block):
            created = self.definition.get(root)
            raise CompileError(f"reverse mode: array '{root.hint}' is created inside a loop "
                               f"and written into after that iteration ends",
                               created.loc if created is not None and created.loc else self.loc,
                               "write into it in the iteration that creates it, or create "
                               "it before the loop")
        return self.pop(root, block, saved=self.saved_at_end)

    def replay(self, root, block):
        """A scratch array made and filled in loop body ``block`` (``z = np.empty(n)`` then a
        loop of ``z[i] = ...``, a Runge-Kutta stage) made again by the reverse sweep, by
        running its allocation and its writes once more from the values they read, instead of
        saving it whole each iteration: where the writes are element and slice writes and
        ``for`` loops of cheap ops that write nothing else (Tapenade's recompute-vs-store
        choice). Returns its last version, or None."""
        done = self.recomputed[block]
        if root in done:
            return done[root]
        made = self.definition.get(root)
        if made is None or made.prim not in ("empty", "zeros", "ones", "full") or \
                self.def_block.get(root) is not block:
            return None
        family = {v for v, r in self.buffers.items() if r is root} | {root}
        writers = []
        for index, stmt in enumerate(block.stmts):
            if isinstance(stmt, Op) and stmt.prim in _WRITES and stmt.args[0] in family or \
                    isinstance(stmt, For) and family & set(stmt.inits):
                if self.reads_later_rewritten(stmt, index, block, root):
                    return None
                writers.append(stmt)
            elif not isinstance(stmt, Op) and self.touches(stmt, family):
                return None         # a branch or loop reading or writing it: saved instead
        if not writers or not all(self.replayable(stmt, family, 0) for stmt in writers):
            return None
        mapping = {}

        def value(atom):
            if not isinstance(atom, Var):
                return atom
            return mapping[atom] if atom in mapping else self.primal(atom)

        with self.b.into(self.preludes[block]):
            mapping[root] = self.b.op(made.prim, [value(a) for a in made.args], root.hint,
                                      root.type, **made.attrs)
            last = mapping[root]
            for stmt in writers:
                last = self.clone(stmt, mapping, value, family) or last
        done[root] = last
        return last

    @staticmethod
    def touches(stmt, family):
        """Does region ``stmt`` (a branch or loop) use or define a version of ``family``
        anywhere inside it?"""
        for s in [stmt] + [t for b in child_blocks(stmt) for t in walk_stmts(b)]:
            if family & (set(stmt_uses(s)) | set(stmt_defs(s))):
                return True
        return any(family & set(b.yields) for s in [stmt] +
                   [t for b in child_blocks(stmt) for t in walk_stmts(b)]
                   for b in child_blocks(s))

    def reads_later_rewritten(self, stmt, index, block, root):
        """Does ``stmt`` (the ``index``-th of ``block``) read another buffer that ``block``
        writes into after it? Run again at the start of the reverse iteration, it would see
        that buffer's later contents (see reads_rewritten_buffer)."""
        stmts = [stmt] + (list(walk_stmts(stmt.body)) if isinstance(stmt, For) else [])
        reads = {a for s in stmts for a in stmt_uses(s) if a in self.buffers}
        return any(later > index for a in reads if self.buffers[a] is not root
                   for later in self.rewrites[block].get(self.buffers[a], ()))

    def replayable(self, stmt, family, depth):
        """Can ``stmt`` run again in the reverse sweep to remake a buffer of ``family``: a
        write into it (its element or slice reads are of values at hand), or a ``for`` loop
        (one deep) of cheap ops that writes into nothing else; its other reads and uses are
        of the family only as written arrays."""
        if isinstance(stmt, Op):
            if stmt.prim in _WRITES:
                return stmt.args[0] in family
            if stmt.prim in ("getitem", "slice", "dim", "len", "size"):
                return True
            if stmt.result is None or stmt.prim.startswith("tape_") or \
                    stmt.prim in ("opaque_call", "restore", "restore_slice") or _costly(stmt):
                return False
            return not (family & set(stmt.args)) or PRIMITIVES.get(stmt.prim) is not None
        if isinstance(stmt, For) and depth == 0 and not stmt.parallel:
            return all(self.replayable(inner, family | set(stmt.body.yields) |
                                       set(stmt.args) | set(stmt.results), depth + 1)
                       for inner in stmt.body.stmts)
        return False

    def clone(self, stmt, mapping, value, family):
        """Emit a copy of primal ``stmt`` with fresh Vars (``mapping``: primal Var -> copy;
        other reads through ``value``); returns the copy's last version of the family."""
        if isinstance(stmt, Op):
            result = None
            if stmt.result is not None:
                result = mapping[stmt.result] = Var(stmt.result.hint, stmt.result.type)
            self.b.append(Op(stmt.prim, [value(a) for a in stmt.args], result, stmt.loc,
                             "adjoint", dict(stmt.attrs)))
            return result if stmt.prim in _WRITES else None
        index = mapping[stmt.index] = Var(stmt.index.hint, stmt.index.type)
        inits = [value(a) for a in stmt.inits]
        args = []
        for a in stmt.args:
            args.append(Var(a.hint, a.type))
            mapping[a] = args[-1]
        body = Block()
        with self.b.into(body):
            for inner in stmt.body.stmts:
                self.clone(inner, mapping, value, family)
            body.yields = [value(y) for y in stmt.body.yields]
        results = []
        for r in stmt.results:
            results.append(Var(r.hint, r.type))
            mapping[r] = results[-1]
        self.b.append(For(index, value(stmt.start), value(stmt.stop), value(stmt.step), args,
                          inits, body, results, stmt.loc, "adjoint"))
        carried = [mapping[r] for r, i in zip(stmt.results, stmt.inits) if i in family]
        return carried[0] if carried else None

    def written_only_in(self, root, block):
        """Is every version of buffer ``root`` defined in ``block`` or in regions inside it?"""
        inside = set(self.blocks_within(block))
        return all(self.def_block.get(v) in inside for v, r in self.buffers.items() if r is root)

    def blocks_within(self, block):
        out = [block]
        for stmt in block.stmts:
            for child in child_blocks(stmt):
                out += self.blocks_within(child)
        return out

    def recompute(self, atom, block, op):
        """An array computed inside a loop is recomputed at the start of the reverse iteration
        from saved scalars and outer arrays, rather than copied into a tape every iteration."""
        done = self.recomputed[block]
        if atom in done:
            return done[atom]
        if self.shape_only and atom in self.stale[block]:
            return self.stale[block][atom]
        if op is None or op.prim == "opaque_call" or op.prim.startswith("tape_") or (
                not self.shape_only and (self.recomputes_rewritten(op, {}) or (
                    _costly(op) and atom.type.ndim <= 3))):
            # carried, chosen by a branch, computed from an array written afterwards, or
            # dearer to recompute than to save (exp, tanh, a matrix product; tapes hold
            # arrays of up to 3 dimensions, so a 4-d one is recomputed)
            return self.pop(atom, block)
        if self.shape_only:
            done = self.stale[block]
            stand_in = self.shape_stand_in(atom, block, op)
            if stand_in is not None:
                done[atom] = stand_in
                return stand_in
        with self.b.into(self.preludes[block]):
            args = [self.primal(a) for a in op.args]
            done[atom] = self.b.op(op.prim, args, atom.hint, atom.type, **op.attrs)
        return done[atom]

    def allocation_shape(self, root, block):
        """For its shape alone, a buffer written in place created in a loop by ``np.empty(n)``
        and the like is a new ``np.empty`` of its shape (writes keep an array's shape), not
        its final value from a tape; None for other roots."""
        op = self.definition.get(root)
        if op is None or op.prim not in _ALLOCATIONS:
            return None
        # the stand-in must have the root's dtype too (zeros of its shape take it)
        if op.prim.endswith("_like"):
            if getattr(op.args[0], "type", None) != root.type:
                return None
            with self.b.into(self.preludes[block]):
                return self.primal_shape(op.args[0])
        if root.type.dtype != "float64":
            return None
        shape = op.args[:-1] if op.prim == "full" else op.args
        with self.b.into(self.preludes[block]):
            return self.b.op("empty", [self.primal(n) for n in shape], root.hint, root.type)

    def shape_stand_in(self, atom, block, op):
        """For its shape alone, an elementwise result is its array argument's stand-in (or
        the broadcast of two): exp, tanh and sigmoid chains are not recomputed for a shape.
        Not for integer arrays: their values may be indices (``M[idx - 4]``) that an op
        recomputed for its shape reads."""
        prim = PRIMITIVES.get(op.prim)
        if prim is None or not prim.elementwise or (is_array(atom.type) and
                                                    not atom.type.dtype.startswith("float")):
            return None
        arrays = [a for a in op.args if isinstance(a, Var) and is_array(a.type)]
        if not arrays or len(arrays) > 2 or arrays[0].type != atom.type:
            return None
        with self.b.into(self.preludes[block]):
            shapes = [self.primal_shape(a) for a in arrays]
            if len(shapes) == 1:
                return shapes[0]
            return self.b.op("broadcast_like", shapes, atom.hint, atom.type)

    # -- 2. the reverse sweep --------------------------------------------------------------------
    @property
    def loc(self):
        return self.b.loc

    def zero_adjoint(self, like):
        """A zero cotangent for primal value ``like`` (an array of its shape for arrays)."""
        if not is_array(like.type):
            return ZERO
        zero = self.b.op("zeros_like_f", [self.primal_shape(like)], "b" + like.hint,
                         derivative_type(like.type))
        self.owned.add(zero)
        return zero

    def owned_adjoint(self, adj, var, like=None):
        """``adj[var]`` as an array this function owns (zeros, or a copy), for in-place updates."""
        current = adj.get(var)
        if current is None:
            current = self.zero_adjoint(like if like is not None else var)
        elif current not in self.owned and not self.sole_new_array(adj, var):
            current = self.b.op("copy", [current], "b" + var.hint, current.type)
        self.owned.add(current)
        adj[var] = current
        return current

    def sole_new_array(self, adj, var):
        """Is ``adj[var]`` a new array that no other adjoint refers to (so it may be updated
        in place without a copy)?"""
        memory, fresh = self.storage(adj[var], self.b.block)
        return fresh and not any(
            k is not var and isinstance(w, Var) and is_array(w.type)
            and self.storage(w, self.b.block)[0] is memory for k, w in adj.items())

    def add_adjoint(self, adj, var, contribution):
        if isinstance(var, Var) and var in self.active:
            current = adj.get(var)
            total = accumulate(self.b, current, contribution, "b" + var.hint)
            if current is not None and is_array(total.type):
                self.owned.add(total)        # a fresh sum: nobody else refers to it
            adj[var] = total

    def reverse_block(self, block, adj, seeds=()):
        """Emit the adjoint of ``block`` into a new Block; pops for taped values come first.

        ``seeds`` are (yielded atom, adjoint) pairs added to ``adj`` inside the new block: a
        yield may repeat a value or be an outer one, and the sum must be in the block's scope
        (a loop's carried adjoints exist only inside its body)."""
        new = Block()
        self.frames[block] = {}
        self.recomputed[block] = {}
        self.stale[block] = {}
        self.preludes[block] = Block()
        with self.b.into(new):
            for atom, seed in seeds:
                self.add_adjoint(adj, atom, seed)
            for stmt in reversed(block.stmts):
                with self.b.at(loc=stmt.loc):
                    self.reverse_stmt(stmt, adj)
        frame = self.frames.pop(block)
        prelude = self.preludes.pop(block).stmts
        del self.recomputed[block], self.stale[block]
        pops = [Op("tape_pop", [], popped, None, "adjoint", {"tape": self.tape(v)})
                for v, popped in frame.items()]
        new.stmts[:0] = pops + prelude
        return new

    def reverse_stmt(self, stmt, adj):
        if isinstance(stmt, Op):
            self.reverse_op(stmt, adj)
        elif isinstance(stmt, If):
            self.reverse_if(stmt, adj)
        else:
            self.reverse_loop(stmt, adj)

    def reverse_op(self, op, adj):
        if op.prim == "setitem":
            return self.reverse_setitem(op, adj)
        if op.prim == "setslice":
            return self.reverse_setslice(op, adj)
        if op.result is None or op.result not in adj:
            return
        grad = adj.pop(op.result)
        if op.prim in ("getitem", "slice"):
            return self.scatter(op, grad, adj)
        if op.prim in ("einsum", "einsum_like"):
            return self.einsum_adjoints(op, grad, adj)
        if op.prim in ("reshape", "concatenate", "stack"):
            return self.reverse_structural(op, grad, adj)
        # only the values the rule reads (None for the others, which it never looks up):
        # the operands of a + b are neither recomputed nor taped for its adjoint
        active = [isinstance(a, Var) and a in self.active for a in op.args]
        reads = rule_reads(op.prim, op.args, active)
        args = [self.primal(a) if k in reads or not isinstance(a, Var) else None
                for k, a in enumerate(op.args)]
        out = self.primal(op.result) if len(op.args) in reads else None
        if PRIMITIVES[op.prim].adjoint is not None:
            cotangents = adjoint_terms(op.prim, args, out, grad, self.b, chosen_by=op.args,
                                       active=active)
            for arg, is_active, cot in zip(op.args, active, cotangents):
                if is_active:
                    self.add_adjoint(adj, arg, cot)
            return
        partials = partial_derivatives(op.prim, args, out, self.b, active)
        for arg, is_active, partial in zip(op.args, active, partials):
            if is_active and not is_array(arg.type) and is_array(grad.type) and \
                    isinstance(partial, Const) and partial.value == -1.0:
                # a scalar subtracted from an array (x - top): sum(-g) is -sum(g) exactly,
                # without the negated array
                total = self.unbroadcast(grad, arg, None)
                self.add_adjoint(adj, arg, self.b.op("neg", [total], "b" + arg.hint, FLOAT))
            elif is_active:
                cot = scale(self.b, partial, grad, "b" + arg.hint)
                if _has_result_shape(arg, op.args):
                    self.add_adjoint(adj, arg, cot)
                else:
                    self.add_adjoint(adj, arg, self.unbroadcast(cot, arg, self.primal_shape(arg)))

    def unbroadcast(self, cot, arg, value):
        """Sum a cotangent of a broadcast result back to the shape of argument ``arg``."""
        if not is_array(cot.type):
            return cot
        if not is_array(arg.type):
            return self.b.op("sum", [cot], "b" + arg.hint, FLOAT)
        return self.b.op("unbroadcast", [cot, value], "b" + arg.hint, derivative_type(arg.type))

    def reverse_setitem(self, op, adj):
        """``y1 = setitem(y0, i, v)``: ``bv += by1[i]``, ``by0 = by1`` with ``[i]`` zeroed,
        then the overwritten element is put back so earlier reads see ``y0``."""
        y0, index, value = op.args[0], op.args[1:-1], op.args[-1]
        index = [self.primal(i) for i in index]
        grad = adj.pop(op.result, None)
        if grad is not None:
            if isinstance(value, Var) and value in self.active:
                element = self.b.op("getitem", [grad] + index, "b" + value.hint,
                                    derivative_type(value.type))
                self.add_adjoint(adj, value, element)
            if y0 in self.active:
                adj[op.result] = grad
                owned = self.owned_adjoint(adj, op.result)
                del adj[op.result]
                zeroed = self.b.op("zero_at", [owned] + index, "b" + y0.hint, owned.type)
                self.owned.add(zeroed)
                self.add_adjoint(adj, y0, zeroed)
        if self.restore_needed(op):
            self.b.append(Op("restore", [self.primal(y0)] + index +
                             [self.primal(self.saved_old[op])], None, self.b.loc, "adjoint"))

    def reverse_setslice(self, op, adj):
        """``y1 = setslice(y0, s, v)``: ``bv += by1[s]`` (summed back to ``v``'s shape if ``v``
        was broadcast), ``by0 = by1`` with ``[s]`` zeroed, then the overwritten part is put back
        from its saved copy so earlier reads see ``y0``."""
        y0, index, value = op.args[0], op.args[1:-1], op.args[-1]
        index = [self.primal(i) for i in index]
        spec = op.attrs["spec"]
        grad = adj.pop(op.result, None)
        if grad is not None:
            if isinstance(value, Var) and value in self.active:
                piece_type = derivative_type(self.saved_old[op].type)
                # a copy: the slice of the cotangent is zeroed just below
                piece = self.b.op("slice_copy", [grad] + index, "b" + value.hint, piece_type,
                                  spec=spec)
                piece = self.unbroadcast(piece, value, self.primal_shape(value))
                self.add_adjoint(adj, value, piece)
            if y0 in self.active:
                adj[op.result] = grad
                owned = self.owned_adjoint(adj, op.result)
                del adj[op.result]
                zeroed = self.b.op("zero_slice", [owned] + index, "b" + y0.hint, owned.type,
                                   spec=spec)
                self.owned.add(zeroed)
                self.add_adjoint(adj, y0, zeroed)
        if self.restore_needed(op):
            old = self.primal(self.saved_old[op])
            self.b.append(Op("restore_slice", [self.primal(y0)] + index + [old], None,
                             self.b.loc, "adjoint", {"spec": spec}))

    def writes_buffers(self, stmt):
        return any(isinstance(s, Op) and s.prim in _WRITES
                   for b in child_blocks(stmt) for s in walk_stmts(b))

    def reverse_structural(self, op, grad, adj):
        """Adjoints of reshape (reshape back), concatenate (slice at the offsets) and stack
        (argument k gets g[k])."""
        args = [self.primal_shape(a) for a in op.args]      # only their shapes are needed
        if op.prim == "reshape":
            if op.args[0] in self.active:
                back = self.b.op("reshape_like", [grad, args[0]], "b" + op.args[0].hint,
                                 derivative_type(op.args[0].type))
                self.add_adjoint(adj, op.args[0], back)
            return
        offset = Const(0)
        for k, (arg, value) in enumerate(zip(op.args, args)):
            if not (isinstance(arg, Var) and arg in self.active):
                if op.prim == "concatenate":
                    offset = self.b.op("add", [offset, self.b.op("dim", [value, Const(0)], "n", INT)],
                                       "n", INT)
                continue
            if op.prim == "stack":
                piece_type = derivative_type(arg.type)
                piece = self.b.op("getitem", [grad, Const(k)], "b" + arg.hint, piece_type)
            else:
                length = self.b.op("dim", [value, Const(0)], "n", INT)
                end = self.b.op("add", [offset, length], "n", INT)
                piece = self.b.op("slice", [grad, offset, end], "b" + arg.hint,
                                  derivative_type(arg.type), spec=(("slice", True, True, False),))
                offset = end
            self.add_adjoint(adj, arg, piece)

    def einsum_adjoints(self, op, grad, adj):
        """The cotangent of each active einsum operand is an einsum of the output's cotangent
        with the other operands (rules/array.py: ``einsum_like`` where it lands on a diagonal
        or broadcasts; its first argument gives only a shape)."""
        first = 1 if op.prim == "einsum_like" else 0
        operands = op.args[first:]
        for k, x in enumerate(operands):
            if not (isinstance(x, Var) and x in self.active):
                continue
            others = [self.primal(a) for j, a in enumerate(operands) if j != k]
            subscripts, needs_like = einsum_adjoint_subscripts(op.attrs["subscripts"], k)
            rtype = einsum_type(subscripts, [grad.type] + [a.type for a in others])
            if needs_like:
                cot = self.b.op("einsum_like", [self.primal_shape(x), grad] + others, "b" + x.hint,
                                rtype, subscripts=subscripts)
            else:
                cot = self.b.op("einsum", [grad] + others, "b" + x.hint, rtype,
                                subscripts=subscripts)
            self.add_adjoint(adj, x, cot)

    def scatter(self, op, grad, adj):
        """Adjoint of ``x[i]``: ``bx[i] += g`` in place (a scatter: repeated reads accumulate)."""
        x = op.args[0]
        if x not in self.active:
            return
        index = [self.primal(i) for i in op.args[1:]]
        current = self.owned_adjoint(adj, x)
        if is_array(grad.type) and isinstance(grad, Var) and \
                self.storage(grad, self.b.block)[0] is self.storage(current, self.b.block)[0]:
            # the value added is (a view of) the cotangent it is added into (``x[::-1] + x``
            # gives both the same cotangent): an in-place add over overlapping memory, which
            # Numba does not buffer as NumPy does, so it goes into a copy
            current = self.b.op("copy", [current], "b" + x.hint, current.type)
            self.owned.add(current)
        prim = "index_add" if op.prim == "getitem" else "slice_add"
        updated = self.b.op(prim, [current] + index + [grad], "b" + x.hint, current.type, **op.attrs)
        self.owned.add(updated)
        adj[x] = updated

    def merge_outer(self, adj, branch_adjs, blocks, local):
        """Adjoints of outer values changed in some branch become the branches' yields."""
        keys = []
        for badj in branch_adjs:
            for k, v in badj.items():
                if k not in local and k not in keys and v is not adj.get(k):
                    keys.append(k)
        for badj, block in zip(branch_adjs, blocks):
            with self.b.into(block):
                block.yields = [badj.get(k) or adj.get(k) or self.zero_adjoint(k) for k in keys]
        return keys

    def reverse_if(self, stmt, adj):
        seeds = [(i, adj.pop(r)) for i, r in enumerate(stmt.results) if r in adj]
        if not seeds and not self.writes_buffers(stmt):
            return
        cond = self.primal(stmt.cond)
        blocks, branch_adjs = [], []
        for body in (stmt.then_body, stmt.else_body):
            badj = dict(adj)
            blocks.append(self.reverse_block(body, badj, [(body.yields[i], s) for i, s in seeds]))
            branch_adjs.append(badj)
        keys = self.merge_outer(adj, branch_adjs, blocks, defined_in(stmt))
        results = [Var("b" + k.hint, derivative_type(k.type)) for k in keys]
        self.b.append(If(cond, blocks[0], blocks[1], results, stmt.loc, "adjoint"))
        self.owned.update(r for k, r in enumerate(results) if is_array(r.type) and all(
            self.is_exclusive(block.yields, k) for block in blocks))
        adj.update(zip(keys, results))

    def is_exclusive(self, yields, k):
        """Is ``yields[k]`` an array this function owns that no other yield repeats?"""
        v = yields[k]
        return v in self.owned and sum(y is v for y in yields) == 1

    def storage(self, v, block):
        """(the array whose memory ``v`` may be, whether that is a new array nothing else
        refers to) for adjoint value ``v`` defined in ``block``: an elementwise op's result
        is always a new array, ``unbroadcast`` may return its argument (or a new reduction),
        an in-place update is its argument, a view is part of its base's memory."""
        op = next((s for s in reversed(block.stmts) if isinstance(s, Op) and s.result is v), None)
        if op is None:
            return v, False
        aliasing = op.prim == "unbroadcast" or op.prim in WRITES_IN_PLACE
        if aliasing or op.prim in VIEWS or op.prim in _MAY_RETURN_ARGUMENT:
            if not isinstance(op.args[0], Var):
                return v, False
            memory, fresh = self.storage(op.args[0], block)
            return memory, fresh and aliasing
        prim = PRIMITIVES.get(op.prim)
        return v, op.prim in _NEW_ARRAY_PRIMS or (prim is not None and prim.elementwise)

    def exclusive(self, yields, others=()):
        """``yields`` of a reversed loop body, each array its own: the next iteration updates
        the carried adjoints in place, so one that is not owned (``unbroadcast`` may return
        its argument) or is yielded twice (``a + b`` gives both the same cotangent) is copied;
        a new array (an elementwise op's result) is its own.
        Also used for a loop's inits, which become its results when it runs no iteration;
        ``others`` are adjoints that stay live beside them."""
        seen, out = set(), []
        for w in others:
            if isinstance(w, Var) and is_array(w.type):
                seen.update((w, self.storage(w, self.b.block)[0]))
        for v in yields:
            if isinstance(v, Var) and is_array(v.type):
                memory, fresh = self.storage(v, self.b.block)
                if (v not in self.owned and not fresh) or v in seen or memory in seen:
                    v = memory = self.b.op("copy", [v], v.hint, v.type)
                self.owned.add(v)
                seen.add(memory)
            seen.add(v)
            out.append(v)
        return out

    def reverse_loop(self, stmt, adj):
        positions = [i for i, a in enumerate(stmt.args) if a in self.active]
        seeds = [adj.pop(stmt.results[i], None) for i in positions]
        if all(s is None for s in seeds) and not self.writes_buffers(stmt):
            return
        local = defined_in(stmt)
        outer = sorted((v for v in used_in(stmt.body) if v in self.active and v not in local),
                       key=lambda v: v.id)
        def adjoint_var(v):
            return Var("b" + v.hint, derivative_type(v.type))
        shapes = [stmt.results[i] for i in positions] + outer    # outer values shaped like each
        inits = [s if s is not None else self.zero_adjoint(stmt.results[i])
                 for i, s in zip(positions, seeds)]
        inits += [self.owned_adjoint(adj, o) if is_array(o.type) else adj.get(o, ZERO) for o in outer]
        # an init may share its memory with an adjoint the loop does not carry (k1 and k4 of
        # a Runge-Kutta step get one new cotangent): the loop updates its own in place
        inits = self.exclusive(inits, [w for k, w in adj.items() if k not in outer])
        carried_args = [adjoint_var(stmt.args[i]) for i in positions]
        carried_outer = [adjoint_var(o) for o in outer]
        self.owned.update(v for v in carried_args + carried_outer if is_array(v.type))
        badj = dict(zip(outer, carried_outer))
        counter, count = Var("_", INT), self.primal(self.trip[stmt])
        bounds = (Const(0), count, Const(1))
        if isinstance(stmt, For) and stmt.parallel and not accumulates_into_elements(stmt):
            counter = Var(stmt.index.hint, INT)     # the primal's index: any order will do
            self.any_order.add(stmt)
        elif self.runs_indices_backwards(stmt):
            counter = Var(stmt.index.hint, INT)
            bounds = self.reversed_range(stmt, count)
            self.backwards.add(stmt)
        if isinstance(stmt, For):
            self.reverse_counters[stmt] = (counter, count)
        body = self.reverse_block(stmt.body, badj, [(stmt.body.yields[i], arg)
                                                    for i, arg in zip(positions, carried_args)])
        with self.b.into(body):
            body.yields = self.exclusive([badj.get(v) or self.zero_adjoint(like) for v, like in
                                          zip([stmt.args[i] for i in positions] + outer, shapes)])
        results = [adjoint_var(stmt.args[i]) for i in positions] + [adjoint_var(o) for o in outer]
        if stmt in self.backwards and counter not in used_in(body):
            self.backwards.discard(stmt)            # a plain count will do
            counter, bounds = Var("_", INT), (Const(0), count, Const(1))
            self.reverse_counters[stmt] = (counter, count)
        loop = For(counter, *bounds, carried_args + carried_outer, inits, body,
                   results, stmt.loc, "adjoint")
        if stmt in self.any_order:
            loop = self.adjoint_in_any_order(stmt, loop)
        self.adjoint_loops[stmt] = loop
        self.b.append(loop)
        # exclusive inits and yields: each result is an array of its own
        self.owned.update(r for r in results if is_array(r.type))
        # the outer accumulators already include the adjoints from before the loop; an init
        # may itself be an outer value (s = t; for ...: s = s + t), so add to them afterwards
        adj.update(zip(outer, results[len(positions):]))
        for i, r in zip(positions, results):
            self.add_adjoint(adj, stmt.inits[i], r)

    def runs_indices_backwards(self, loop):
        """Does the reverse sweep of ``loop`` run over the primal's indices backwards
        (``range(n - 1, -1, -1)``) rather than count its iterations? For a serial for loop with
        a constant step whose body reads its index: the compiler then sees the index's range
        (``i - 1`` needs no wraparound for a negative index). Not inside a prange loop, whose
        tape slots are counted from the iterations of the serial loops within."""
        if not (isinstance(loop, For) and isinstance(loop.step, Const)) or loop.parallel:
            return False
        # the body's own yields do not count: they pass the index on as Python's value after
        # the loop
        if loop.index not in used_in(Block(loop.body.stmts)):
            return False
        around = self.owner.get(self.loop_block.get(loop))
        while around is not None:
            if isinstance(around, For) and around.parallel:
                return False
            around = self.owner.get(self.loop_block.get(around))
        return True

    def reversed_range(self, loop, count):
        """Bounds running ``loop``'s ``count`` indices last to first: ``start + (count - 1) *
        step`` down to ``start``, by ``-step``."""
        start, step = self.primal(loop.start), loop.step.value
        if isinstance(start, Const):
            offset = start.value - step         # start + (count - 1) * step = count * step + offset
            first = count if step == 1 else self.b.op("mul", [count, Const(step)], "k", INT)
            if offset:
                first = self.b.op("add" if offset > 0 else "sub", [first, Const(abs(offset))],
                                  "k", INT)
            return first, Const(offset), Const(-step)
        last = self.b.op("sub", [count, Const(1)], "k", INT)
        if step != 1:
            last = self.b.op("mul", [last, Const(step)], "k", INT)
        first = self.b.op("add", [start, last], "k", INT)
        return first, self.b.op("sub", [start, Const(step)], "k", INT), Const(-step)

    def tapes_by_iteration(self, loop):
        """The tapes prange ``loop`` saves to, each with the loop saving to it (``loop``, or a
        serial ``for`` loop inside it, through serial for loops whose trip counts are the
        same in every iteration, ``m1``, ``m2``, ...), if its iterations may run in any order
        and each tape is a number: then iteration ``j`` gets slot ``j`` of the loop's block
        of a tape of its own, or, in iteration ``k1`` of a loop inside it, slot ``j * m1 +
        k1`` (``(j * m1 + k1) * m2 + k2`` two loops deep). Else None: an array's tape, or one
        of a loop whose count varies, has no fixed size per iteration."""
        if loop not in self.slot_tapes:
            tapes = {}
            for block in self.blocks_within(loop.body):
                needed = self.needed.get(block, ())
                owner = self.owner.get(block)
                if self.saved_at_end.get(block) or any(is_array(v.type) for v in needed) or (
                        needed and owner is not loop and not self.counted_outside(owner, loop)):
                    tapes = None
                    break
                tapes.update((self.tape(v), owner) for v in needed)
            independent = loop.parallel and not accumulates_into_elements(loop)
            self.slot_tapes[loop] = tapes if independent else None
        return self.slot_tapes[loop]

    def counted_outside(self, inner, loop):
        """Is ``inner`` a serial for loop inside ``loop``, through serial for loops only, each
        with a trip count known before ``loop`` (the same in each of its iterations)?"""
        return self.serial_nest(inner, loop) is not None

    def serial_nest(self, inner, loop):
        """The serial for loops from ``loop``'s body down to ``inner``, outermost first, where
        each has a trip count known before ``loop``; else None."""
        counts, nest = self.trip_counts, []
        while inner is not loop:
            if not (isinstance(inner, For) and not inner.parallel and inner in counts.parent
                    and counts.depth[counts.counted_before[inner]] <= counts.depth[loop]):
                return None
            nest.append(inner)
            inner = counts.parent[inner]
        return nest[::-1]

    def slot_count(self, tape, loop, owner, value):
        """How many slots of ``tape`` one run of prange ``loop`` fills (``value`` gives the
        trip counts where the op goes)."""
        count = value(self.trip[loop])
        for inner in (self.serial_nest(owner, loop) if owner is not loop else ()):
            count = self.b.op("mul", [count, value(self.trip[inner])], "n", INT)
        return count

    def slot_owner(self, inner):
        """The prange loop whose slots serial loop ``inner``, or a loop inside it, saves
        into, or None."""
        outer = self.trip_counts.parent.get(inner)
        while isinstance(outer, For) and not outer.parallel:
            outer = self.trip_counts.parent.get(outer)
        tapes = self.slot_tapes.get(outer) if isinstance(outer, For) else None
        if tapes and any(o is not outer and inner in self.serial_nest(o, outer)
                         for o in tapes.values()):
            return outer
        return None

    def adjoint_in_any_order(self, stmt, loop):
        """The adjoint ``loop`` of prange loop ``stmt``, built over the primal's indices: a
        parallel loop reading its iteration's slots of the tapes, or, where ``stmt`` saves to
        stack tapes, a serial loop running the iterations backwards."""
        index, count = loop.index, self.reverse_counters[stmt][1]
        tapes = self.tapes_by_iteration(stmt)
        prefix = Block()
        if tapes is None:
            counter = Var("_", INT)
            with self.b.into(prefix), self.b.at(loc=stmt.loc):
                last = self.b.op("sub", [count, Const(1)], "k", INT)
                j = self.b.op("sub", [last, counter], "k", INT)
                step = self.primal(stmt.step)
                if not (isinstance(step, Const) and step.value == 1):
                    j = self.b.op("mul", [j, step], "k", INT)
                prefix.stmts.append(Op("add", [self.primal(stmt.start), j], index, stmt.loc,
                                       "adjoint"))
            loop.index = counter
        else:
            bases = {tape: self.b.op("tape_release", [self.slot_count(tape, stmt, owner,
                                                                     self.primal)],
                                     "base", INT, tape=tape)
                     for tape, owner in tapes.items()}
            with self.b.into(prefix), self.b.at(loc=stmt.loc):
                j = self.index_to_iteration(stmt, index, self.primal)
                slots = {tape: self.b.op("add", [base, j], "slot", INT)
                         for tape, base in bases.items() if tapes[tape] is stmt}
            iteration = {stmt: j}
            nests = [self.serial_nest(o, stmt) for o in tapes.values() if o is not stmt]
            for inner in dict.fromkeys(loop_ for nest in nests for loop_ in nest):
                # slot (its loop's iteration) * m + k for iteration k of an inner loop (run
                # backwards by its counter): computed at the top of its reverse body, after
                # that of the loop around it
                adjoint, m = self.adjoint_loops[inner], self.primal(self.trip[inner])
                top = Block()
                with self.b.into(top), self.b.at(loc=inner.loc):
                    last = self.b.op("sub", [m, Const(1)], "k", INT)
                    k = self.b.op("sub", [last, adjoint.index], "k", INT)
                    around = iteration[self.trip_counts.parent[inner]]
                    first = self.b.op("mul", [around, m], "slot", INT)
                    here = iteration[inner] = self.b.op("add", [first, k], "slot", INT)
                    for tape, owner in tapes.items():
                        if owner is inner:
                            slots[tape] = self.b.op("add", [bases[tape], here], "slot", INT)
                adjoint.body.stmts[:0] = top.stmts
            for s in walk_stmts(loop.body):
                if isinstance(s, Op) and s.prim == "tape_pop" and s.attrs["tape"] in slots:
                    s.args = [slots[s.attrs["tape"]]]
            loop.start, loop.stop, loop.step = (self.primal(stmt.start), self.primal(stmt.stop),
                                                self.primal(stmt.step))
            loop.parallel = True
        loop.body.stmts[:0] = prefix.stmts
        return loop

    # -- 3. the forward sweep, saving what the reverse sweep pops ----------------------------------
    def tape(self, var):
        if var not in self.tapes:
            self.tapes[var] = Tape(var)
        return self.tapes[var]

    def save(self, block, values):
        """Push the values of ``block`` that the reverse sweep needs."""
        needed = self.needed.get(block, ())
        for v in values:
            if v in needed:
                grow = isinstance(self.owner[block], While)
                slot = self.slots.get(self.tape(v))
                self.b.append(Op("tape_push", [v] + ([slot] if slot is not None else []), None,
                                 None, "primal", {"tape": self.tape(v), "grow": grow}))

    def forward_block(self, block, entry_values=(), exports=None, slots_of=None):
        """Copy ``block`` with tape pushes; ``exports`` collects (value wanted at top level,
        its atom in this block) for values of branches outside loops; ``slots_of``: (prange
        loop, {tape: first slot the loop claimed}) for the body of a loop saving by iteration."""
        new = Block()
        with self.b.into(new), self.b.at(role="primal"):
            if slots_of is not None:
                self.claim_slots(*slots_of)
            self.save(block, entry_values)
            for stmt in block.stmts:
                self.forward_stmt(stmt, block, exports)
                self.save(block, stmt_defs(stmt))
                if exports is not None:
                    requested = self.export_requests.get(block, ())
                    defs = list(stmt_defs(stmt))
                    if isinstance(stmt, (For, While)):
                        # a loop in a branch: its trip count (a while's is its result), and
                        # those of invariant inner loops counted before it
                        defs += [self.trip[loop] for loop in self.trip_counts.counted_here(stmt)]
                        if isinstance(stmt, While):
                            defs.append(self.trip[stmt])
                    exports += [(v, v) for v in defs if v in requested]
            for root in self.saved_at_end.get(block, ()):
                # its last version here (the same buffer), which forward mode gives a tangent
                final = root
                for stmt in block.stmts:
                    final = next((v for v in stmt_defs(stmt) if self.buffers.get(v) is root), final)
                self.b.append(Op("tape_push", [final], None, None, "primal",
                                 {"tape": self.tape(root), "grow": False}))
        new.yields = list(block.yields)
        return new

    def claim_slots(self, loop, outer, tapes):
        """At the top of ``loop``'s body: the slot of each of ``tapes`` this iteration saves
        into (``base + j``; ``base + j * m + k`` in a loop inside prange loop ``outer``). Not
        the user's integers (role "tape"): a position in a tape never leaves int64."""
        with self.b.at(role="tape"):
            j = self.index_to_iteration(loop, loop.index, lambda atom: atom)
            if outer is not None:
                around = self.iteration[self.trip_counts.parent[loop]]
                first = self.b.op("mul", [around, self.trip[loop]], "slot", INT)
                j = self.b.op("add", [first, j], "slot", INT)
            self.iteration[loop] = j
            for tape in tapes:
                self.slots[tape] = self.b.op("add", [self.claimed[tape], j], "slot", INT)

    def earlier_read(self, block, index, write):
        """A read by the program, earlier in ``block``, of exactly what ``write`` (its
        ``index``-th statement) overwrites: the same array version at the same index or slice
        (``hidden = state[2 * j]`` ... ``state[2 * j] = h``), so saving the old value saves that
        read again. An element is a value; a row or slice is a view, which sees the write,
        so it is shared only where values are taped (at their definition, before the write)."""
        spec = write.attrs.get("spec")
        # y[i] = row is a slice write whose spec is all indices; its read is y[i], a getitem
        by_index = write.prim == "setitem" or all(part == ("index",) for part in spec)
        want = _overwritten_type(write)
        if is_array(want) and block not in self.taped:
            return None

        def reads_it(stmt, version):
            if by_index:
                same = stmt.prim == "getitem"
            else:
                same = stmt.prim == "slice" and stmt.attrs.get("spec") == spec
            return same and stmt.result is not None and stmt.result.type == want and \
                len(stmt.args) == len(write.args) - 1 and stmt.args[0] is version and \
                all(_same_atom(a, b) for a, b in zip(stmt.args[1:], write.args[1:-1]))
        index_args = write.args[1:-1]
        versions = [write.args[0]]
        while by_index:         # older versions, by writes at an index provably elsewhere
            earlier = self.definition.get(versions[-1])
            if earlier is None or earlier.prim not in _WRITES or not (
                    earlier.prim == "setitem" or
                    all(part == ("index",) for part in earlier.attrs["spec"])) or \
                    len(earlier.args) != len(write.args) or \
                    not any(self.differ(a, b) for a, b in zip(earlier.args[1:-1], index_args)):
                break
            versions.append(earlier.args[0])
        for stmt in reversed(block.stmts[:index]):
            if isinstance(stmt, Op) and any(reads_it(stmt, v) for v in versions):
                return stmt.result
        return None

    def differ(self, a, b):
        """Are indices ``a`` and ``b`` different elements for sure: two different constants
        of one sign, or one the other plus a positive constant where the other is never
        negative (``2 * j`` and ``2 * j + 1``)? A negative index counts from the end, so
        ``0`` and ``-2``, or ``j`` and ``j - 3``, may be one element."""
        if isinstance(a, Const) and isinstance(b, Const):
            return a.value != b.value and (a.value >= 0) == (b.value >= 0)
        for x, y in ((a, b), (b, a)):
            op = self.definition.get(x) if isinstance(x, Var) else None
            if op is None or op.prim not in ("add", "sub") or not self.never_negative(y):
                continue
            left, right = op.args
            step = right.value if op.prim == "add" and left is y and isinstance(right, Const) \
                else -right.value if op.prim == "sub" and left is y and isinstance(right, Const) \
                else left.value if op.prim == "add" and right is y and isinstance(left, Const) \
                else 0
            if isinstance(step, int) and not isinstance(step, bool) and step > 0:
                return True
        return False

    def never_negative(self, atom, depth=4):
        """Is integer ``atom`` at least 0 for sure: a constant, the index of a ``for`` loop
        counting up from 0 or more, or sums and products of those?"""
        if isinstance(atom, Const):
            return isinstance(atom.value, int) and atom.value >= 0
        if depth == 0 or not isinstance(atom, Var):
            return False
        loop = self.owner.get(self.def_block.get(atom))
        if isinstance(loop, For) and atom is loop.index:
            return self.never_negative(loop.start, 0) and isinstance(loop.step, Const) and \
                loop.step.value > 0
        op = self.definition.get(atom)
        return op is not None and op.prim in ("add", "mul") and \
            all(self.never_negative(arg, depth - 1) for arg in op.args)

    def save_overwritten(self, write, block, old):
        """The op reading into ``old`` what ``write`` is about to overwrite: an element, or the
        written slice alone (never the whole array). Inside a loop the tape push copies a
        view of the slice; elsewhere the reverse sweep reads ``old`` itself, so it is a copy."""
        where = list(write.args[:-1])
        if write.prim == "setitem":
            return Op("getitem", where, old, write.loc, "primal")
        prim = "slice" if block in self.taped else "slice_copy"
        return Op(prim, where, old, write.loc, "primal", {"spec": write.attrs["spec"]})

    def forward_if(self, stmt, block, exports):
        if block in self.taped:
            return If(stmt.cond, self.forward_block(stmt.then_body),
                      self.forward_block(stmt.else_body), stmt.results, stmt.loc, stmt.role)
        then_exports, else_exports = [], []
        then_body = self.forward_block(stmt.then_body, exports=then_exports)
        else_body = self.forward_block(stmt.else_body, exports=else_exports)
        results = list(stmt.results)
        for wanted in dict.fromkeys(k for k, _ in then_exports + else_exports):
            for body, found in ((then_body, dict(then_exports)), (else_body, dict(else_exports))):
                value = found.get(wanted)
                if value is None:
                    value = self.array_placeholder(body, wanted) if is_array(wanted.type) \
                        else _placeholder(wanted)
                body.yields.append(value)
            # the top-level copy is what the reverse sweep reads; nested ifs pass it up
            result = self.exported[wanted] if block is self.fn.body else Var(wanted.hint, wanted.type)
            results.append(result)
            if block is not self.fn.body:
                exports.append((wanted, result))
        return If(stmt.cond, then_body, else_body, results, stmt.loc, stmt.role)

    def array_placeholder(self, body, var):
        """An empty array of ``var``'s type for the branch that does not define it."""
        if var.type.dtype == "bool":
            with self.b.into(body):
                empty = self.b.op("empty", [Const(0)] * var.type.ndim, var.hint,
                                  ArrayType("float64", var.type.ndim))
                return self.b.op("lt", [empty, Const(0.0)], var.hint, var.type)
        if var.type.dtype == "int64":           # an index array: np.arange(0), reshaped
            with self.b.into(body):
                empty = self.b.op("arange", [Const(0)], var.hint, ArrayType("int64", 1))
                if var.type.ndim == 1:
                    return empty
                return self.b.op("reshape", [empty] + [Const(0)] * var.type.ndim, var.hint,
                                 var.type)
        if var.type.dtype != "float64":
            raise CompileError(f"reverse mode: a {var.type.dtype} array '{var.hint}' defined in "
                               f"only one branch is needed by the reverse sweep", self.loc,
                               "assign it before the if (e.g. a float64 array)")
        with self.b.into(body):
            return self.b.op("empty", [Const(0)] * var.type.ndim, var.hint, var.type)

    def count_and_reserve(self, loop, block):
        """Before loop ``loop`` (in ``block``): the for loops' trip counts ``TripCounts``
        computes here, saved if ``block`` is in a loop, then the reserves of the scalar tapes
        of the for loops reserved here, each for the product of its nest's trip counts, and of
        the array tapes of ``loop``'s carried values."""
        inside, copies = self.trip_counts.defined_inside(loop), {}
        for counted in self.trip_counts.counted_here(loop):
            bounds = [self.computed_before(b, inside, copies)
                      for b in (counted.start, counted.stop, counted.step)]
            self.b.append(Op("trip_count", bounds, self.trip[counted], counted.loc))
            self.save(block, [self.trip[counted]])
        products = {}           # (outer loop, ..., inner loop) -> the product of their counts
        for reserved in self.trip_counts.reserved_here(loop):
            chain = self.trip_counts.reserve_chain[reserved]
            total = self.trip[chain[0]]
            for k in range(1, len(chain)):
                key = tuple(chain[:k + 1])
                if key not in products:
                    with self.b.at(loc=loop.loc):
                        products[key] = self.b.op("mul", [total, self.trip[chain[k]]], "n", INT)
                total = products[key]
            for var, tape in self.tapes.items():
                if self.owner.get(self.def_block[var]) is not reserved:
                    continue
                if not tape.ndim:
                    self.b.append(Op("tape_reserve", [total], None, None, "primal", {"tape": tape}))
                    continue
                init = loop.inits[loop.args.index(var)] if reserved is loop and \
                    var in loop.args else None
                if isinstance(init, Var) and is_array(init.type) and init.type.ndim == tape.ndim:
                    # a carried array (a time step's state) saved once per iteration: room for
                    # that many of its initial value's size, so the tape is allocated once (it
                    # still grows if the state does)
                    self.b.append(Op("tape_reserve", [total, init], None, None, "primal",
                                     {"tape": tape}))
                else:
                    # room for that many arrays of the size of the first one saved
                    self.b.append(Op("tape_reserve", [total], None, None, "primal",
                                     {"tape": tape}))

    def computed_before(self, atom, inside, copies):
        """``atom``, a bound of a loop counted before the loop whose Vars are ``inside``: a
        copy of its computation where it is computed inside (TripCounts.computable_before)."""
        if not isinstance(atom, Var) or atom not in inside:
            return atom
        if atom not in copies:
            op = self.trip_counts.definition[atom]
            copies[atom] = self.b.op(op.prim, [self.computed_before(a, inside, copies)
                                               for a in op.args], atom.hint, INT, **op.attrs)
        return copies[atom]

    def forward_stmt(self, stmt, block, exports=None):
        if isinstance(stmt, Op) and stmt.prim in _WRITES and stmt not in self.old_is_read:
            old = self.saved_old[stmt]
            self.b.append(self.save_overwritten(stmt, block, old))
            self.save(block, [old])
            if exports is not None and old in self.export_requests.get(block, ()):
                exports.append((old, old))
            self.b.append(stmt)
        elif isinstance(stmt, Op):
            self.b.append(stmt)
        elif isinstance(stmt, If):
            self.b.append(self.forward_if(stmt, block, exports))
        elif isinstance(stmt, For):
            self.count_and_reserve(stmt, block)
            # a prange loop saving by iteration claims its slots of each tape and stays
            # parallel; one pushing onto stack tapes runs serially
            tapes = self.tapes_by_iteration(stmt) if stmt.parallel else None
            slots_of = None
            if tapes is not None:
                for tape, owner in tapes.items():
                    count = self.slot_count(tape, stmt, owner, lambda atom: atom)
                    self.claimed[tape] = self.b.op("tape_claim", [count], "base", INT, tape=tape)
                slots_of = (stmt, None, [t for t, o in tapes.items() if o is stmt])
            outer = self.slot_owner(stmt)
            if outer is not None:
                slots_of = (stmt, outer, [t for t, o in self.slot_tapes[outer].items()
                                          if o is stmt])
            body = self.forward_block(stmt.body, [stmt.index] + stmt.args, slots_of=slots_of)
            self.b.append(For(stmt.index, stmt.start, stmt.stop, stmt.step, stmt.args, stmt.inits,
                              body, stmt.results, stmt.loc, stmt.role, tapes is not None))
        else:
            self.count_and_reserve(stmt, block)
            counter = Var("count", INT)
            body = self.forward_block(stmt.body, stmt.args)
            with self.b.into(body):
                body.yields = body.yields + [self.b.op("add", [counter, Const(1)], "count", INT,
                                                              iteration_counter=True)]
            self.b.append(While(stmt.args + [counter], stmt.inits + [Const(0)],
                                self.forward_block(stmt.cond_body), body,
                                stmt.results + [self.trip[stmt]], stmt.loc, stmt.role))
            self.save(block, [self.trip[stmt]])

    # -- assembly ----------------------------------------------------------------------------
    def run(self, wrt_params):
        fn = self.fn
        self.find_definitions(fn.body, None)
        outputs = fn.body.yields
        seeds = [Var("b" + (o.hint if isinstance(o, Var) else "out"), derivative_type(o.type))
                 for o in outputs]
        adj, seeding = {}, Block()
        with self.b.into(seeding):
            # an output returned twice (return x, x) sums its seeds before the sweep
            for out, seed in zip(outputs, seeds):
                if is_array(out.type):
                    # ad.vjp computes the value alone with an empty seed: zeros of out's shape
                    seed = self.b.op("seed_like", [seed, out], seed.hint, seed.type)
                self.add_adjoint(adj, out, seed)
        reverse = self.reverse_block(fn.body, adj)
        reverse.stmts[:0] = seeding.stmts
        with self.b.into(reverse):
            grads = [adj.get(p) or self.zero_adjoint(p) for p in wrt_params]
            grads = [self.b.op("cast_like", [g, p], g.hint, derivative_type(p.type))
                     if is_array(p.type) and p.type.dtype != "float64" else g
                     for g, p in zip(grads, wrt_params)]
        forward = self.forward_block(fn.body, exports=[])
        outputs = list(outputs)
        for k, out in enumerate(outputs):
            if out in self.buffers:
                outputs[k] = Var(out.hint, out.type)
                forward.stmts.append(Op("copy", [out], outputs[k], None, "primal"))
        allocations = [Op("tape_new", [], None, None, "primal", {"tape": t}) for t in self.tapes.values()]
        body = Block(allocations + forward.stmts + reverse.stmts, list(outputs) + grads)
        out = Function(fn.name + "_vjp", fn.params + seeds, body,
                       fn.param_names + [s.hint for s in seeds], fn.filename, fn.firstlineno)
        out.annotations.update(fn.annotations, mode="reverse", n_outputs=len(outputs))
        return out


def reverse_transform(fn, wrt_params):
    """The adjoint function: ``(*params, *b_outputs) -> (*outputs, *b_wrt_params)``."""
    return ReverseTransform(fn).run(wrt_params)
