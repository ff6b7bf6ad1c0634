"""Which integer operations of a function may leave int64: an interval analysis.

Python integers are unbounded and compiled ones are 64-bit, so generated code computes an
integer operation through a checked runtime helper (``_rt.checked_mul``) unless the ranges of
its operands prove that the plain operation cannot overflow. Loop indices and array
dimensions have known ranges, so index arithmetic such as ``i + 1`` or ``t * n + i`` with
``n = x.shape[0]`` stays plain, readable code.
"""
from ..ir.nodes import Const, Op, For, INT, BOOL, is_array, walk_stmts

INT_MIN, INT_MAX = -2 ** 63, 2 ** 63 - 1
_ANY = (INT_MIN, INT_MAX)
#: no array dimension exceeds this (2**40 float64 elements are 8 TiB)
_DIM_MAX = 2 ** 40

#: conversions to an integer, out of range when their argument is a float past 2**63
_TO_INT = {"int", "round", "ifloor", "iceil", "itrunc"}
#: integer primitives that can leave int64
CHECKED = {"add", "sub", "mul", "pow", "neg", "abs", "floordiv", "mod"} | _TO_INT
_HELPER = {"ifloor": "floor", "iceil": "ceil", "itrunc": "trunc"}


def _fits(lo, hi):
    return INT_MIN <= lo and hi <= INT_MAX


class IntRanges:
    """Ranges of the integer values of ``fn`` and the operations that need a check."""

    def __init__(self, fn):
        self.ranges = {}
        self.unsafe = set()
        for stmt in walk_stmts(fn.body):      # definitions come before uses, outer first
            if isinstance(stmt, Op) and stmt.result is not None:
                self._op(stmt)
            elif isinstance(stmt, For):
                self._loop_index(stmt)

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
