"""Which integer operations of a function may leave int64: an interval analysis.

Python integers are unbounded and compiled ones are 64-bit, so generated code computes an
integer operation through a checked runtime helper (``_rt.checked_mul``) unless the ranges of
its operands prove that the plain operation cannot overflow. Loop indices and array
dimensions have known ranges, so index arithmetic such as ``i + 1`` or ``t * n + i`` with
``n = x.shape[0]`` stays plain, readable code.
"""
from ..ir.nodes import Const, Var, Op, If, For, While, INT, BOOL, is_array, walk_stmts

INT_MIN, INT_MAX = -2 ** 63, 2 ** 63 - 1
_ANY = (INT_MIN, INT_MAX)
#: no array dimension exceeds this (2**40 float64 elements are 8 TiB)
_DIM_MAX = 2 ** 40

#: conversions to an integer, out of range when their argument is a float past 2**63
_TO_INT = {"int", "round", "ifloor", "iceil", "itrunc"}
#: integer primitives that can leave int64
CHECKED = {"add", "sub", "mul", "pow", "neg", "abs", "floordiv", "mod"} | _TO_INT
_HELPER = {"ifloor": "floor", "iceil": "ceil", "itrunc": "trunc"}


#: a call runs fewer loop iterations than this (nine years at one per nanosecond)
_ITERATIONS_MAX = 2 ** 58
#: counters whose steps add up to at most this per iteration of their loops are bounded
_COUNTER_STEPS_MAX = 16
#: so a counter moves at most this far from the values it starts from or is reset to
_COUNTER_DRIFT = _ITERATIONS_MAX * _COUNTER_STEPS_MAX


def _fits(lo, hi):
    return INT_MIN <= lo and hi <= INT_MAX


def _definitions(fn):
    """Var -> how it is defined: ("op", op), ("arg"/"result", loop, i), ("if", if, i)."""
    defs = {}
    for stmt in walk_stmts(fn.body):
        if isinstance(stmt, Op) and stmt.result is not None:
            defs[stmt.result] = ("op", stmt)
        elif isinstance(stmt, (For, While)):
            defs.update((a, ("arg", stmt, i)) for i, a in enumerate(stmt.args))
            defs.update((r, ("result", stmt, i)) for i, r in enumerate(stmt.results))
        elif isinstance(stmt, If):
            defs.update((r, ("if", stmt, i)) for i, r in enumerate(stmt.results))
    return defs


def _constant_step(op):
    """``c`` when ``op`` is ``v + c``, ``c + v`` or ``v - c`` for an integer literal ``c``:
    (the other operand, |c|), else None."""
    if op.prim not in ("add", "sub") or len(op.args) != 2:
        return None
    a, b = op.args
    if op.prim == "add" and isinstance(a, Const):
        a, b = b, a
    if isinstance(b, Const) and type(b.value) is int and isinstance(a, Var):
        return a, abs(b.value)
    return None


class IntRanges:
    """Ranges of the integer values of ``fn`` and the operations that need a check."""

    def __init__(self, fn):
        self.ranges = {}
        self.unsafe = set()
        self._defs = _definitions(fn)
        for stmt in walk_stmts(fn.body):      # definitions come before uses, outer first
            if isinstance(stmt, Op) and stmt.result is not None:
                self._op(stmt)
            elif isinstance(stmt, For):
                self._loop_index(stmt)
            if isinstance(stmt, (For, While)):
                for arg in stmt.args:
                    if arg.type == INT and arg not in self.ranges:
                        self._counter(arg)

    def range_of(self, atom):
        if isinstance(atom, Const):
            v = atom.value
            return (int(v), int(v)) if isinstance(v, (bool, int)) else _ANY
        if atom.type == BOOL:
            return (0, 1)
        return self.ranges.get(atom, _ANY)

    def helper_name(self, op):
        """``checked_mul`` when ``op`` must be computed by a checked helper, else ``None``."""
        if op not in self.unsafe:
            return None
        return "checked_" + _HELPER.get(op.prim, op.prim)

    def _loop_index(self, loop):
        if not isinstance(loop.step, Const):
            return
        (start_lo, start_hi), (stop_lo, stop_hi) = self.range_of(loop.start), self.range_of(loop.stop)
        if loop.step.value > 0:
            self.ranges[loop.index] = (start_lo, max(start_lo, stop_hi - 1))
        else:
            self.ranges[loop.index] = (min(start_hi, stop_lo + 1), start_hi)

    def _counter(self, seed):
        """Ranges for an integer carried by loops that only ever steps by small literals
        (``idx += 1`` in a nest of loops) from values of known range: each step op runs at
        most once per loop iteration, so all of them together move it by less than
        ``_COUNTER_DRIFT``. Its family is every value it flows through (carried arguments,
        loop and branch results, the steps); ``starts`` are the values flowing in."""
        family, starts, steps, todo = set(), [], 0, [seed]
        while todo:
            v = todo.pop()
            if v in family:
                continue
            how = self._defs.get(v) if isinstance(v, Var) and v.type == INT else None
            kind = how[0] if how else None
            if kind is None or (kind == "op" and _constant_step(how[1]) is None):
                starts.append(v)                # a value of its own: its range is known or not
                continue
            family.add(v)
            if kind == "op":
                operand, step = _constant_step(how[1])
                steps += step
                todo.append(operand)
            elif kind == "arg":
                loop, i = how[1], how[2]
                todo += [loop.inits[i], loop.body.yields[i], loop.results[i]]
            elif kind == "result":
                todo.append(how[1].args[how[2]])
            else:
                todo += [how[1].then_body.yields[how[2]], how[1].else_body.yields[how[2]]]
        if steps > _COUNTER_STEPS_MAX:
            return
        bounds = [self.range_of(v) for v in starts]
        if not bounds:
            return
        lo, hi = min(b[0] for b in bounds) - _COUNTER_DRIFT, max(b[1] for b in bounds) + _COUNTER_DRIFT
        if _fits(lo, hi):
            self.ranges.update((v, (lo, hi)) for v in family)

    def _op(self, op):
        result = op.result
        if result.type != INT or is_array(result.type):
            return
        prim = op.prim
        if prim in ("dim", "size", "len"):
            self.ranges[result] = (0, _DIM_MAX)
            return
        if op.attrs.get("iteration_counter"):
            # counts iterations that ran: 2**63 of them would take centuries
            self.ranges[result] = (1, INT_MAX)
            return
        if prim in ("tape_claim", "tape_release"):
            self.ranges[result] = (0, _DIM_MAX)      # a position in a tape: an array's size
            return
        if prim == "trip_count":
            self.ranges[result] = (0, INT_MAX)
            return
        if prim not in CHECKED:
            return
        if op.role != "primal":
            # derivative code recomputes integers the primal computed (and checked), such as
            # a loop index from the reverse sweep's counter, or lowers an exponent by one
            return
        if prim in _TO_INT:
            if op.args[0].type not in (INT, BOOL):     # from a float: its range is unknown
                self.unsafe.add(op)
            else:
                self.ranges[result] = self.range_of(op.args[0])
            return
        bounds = self._bounds(prim, [self.range_of(a) for a in op.args])
        if bounds is None or not _fits(*bounds):
            self.unsafe.add(op)
        else:
            self.ranges[result] = bounds

    @staticmethod
    def _bounds(prim, ranges):
        """The exact range of the mathematical result, or ``None`` when it is not bounded."""
        if prim in ("neg", "abs"):
            (lo, hi), = ranges
            if prim == "neg":
                return -hi, -lo
            return (0 if lo <= 0 <= hi else min(abs(lo), abs(hi))), max(abs(lo), abs(hi))
        (alo, ahi), (blo, bhi) = ranges
        if prim == "add":
            return alo + blo, ahi + bhi
        if prim == "sub":
            return alo - bhi, ahi - blo
        if prim == "mul":
            corners = [alo * blo, alo * bhi, ahi * blo, ahi * bhi]
            return min(corners), max(corners)
        if prim == "pow":
            largest = max(abs(alo), abs(ahi))
            if blo < 0 or (bhi > 64 and largest > 1):
                return None
            top = largest ** bhi if largest > 1 else 1
            return (-top if alo < 0 else 0), top
        a_may_be_min = alo == INT_MIN
        b_may_be_minus_one = blo <= -1 <= bhi
        if prim == "floordiv":       # |a // b| <= |a|; only INT_MIN // -1 leaves int64
            if a_may_be_min and b_may_be_minus_one:
                return None
            if blo >= 1:
                return min(alo, 0), max(ahi, 0)
            return min(alo, -ahi, 0), max(ahi, -alo, 0)
        if prim == "mod":            # the sign of b; int64 remainder traps on INT_MIN % -1
            if a_may_be_min and b_may_be_minus_one:
                return None
            return min(blo + 1, 0), max(bhi - 1, 0)
        return None
