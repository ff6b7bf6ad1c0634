"""A seeded random generator of valid, well-conditioned numeric Python programs.

``generate(seed)`` returns a :class:`Program`: the source of a whole module (imports, module
constants, helper functions and the entry function ``f``) and the arguments to call ``f``
with. Programs mix

* straight-line scalar arithmetic and math/NumPy functions on safe domains, with
  reassignment of the same names, augmented and tuple assignment;
* ``for ... in range(...)`` loops with runtime trip counts (int arguments), for-each loops
  over arrays, counter-bounded ``while k < n and <float condition>`` loops, ``break``,
  ``continue`` and early ``return``;
* nested ``if``/``elif``/``else`` and conditional expressions on runtime values;
* arrays: elementwise math, broadcasting, reductions, ``@``/``np.dot``/``np.einsum``, indexing, slicing,
  and in-place writes ``y[i] = ...`` / ``y[i] += ...`` inside loops;
* slice and row writes ``y[a:b] = v``, ``y[::2] += v``, ``y[i, :] = v``, ``y[:, j] = v``,
  ``y[i, a:b] = v`` (v a scalar or a broadcast array, often an expression of y itself),
  heat-equation steps ``u[1:-1] = u[1:-1] + c * (u[2:] - 2.0 * u[1:-1] + u[:-2])``;
* shared-memory traps: buffers made by identity-like ops (``b * 1.0``, ``+b``, ``b - 0.0``,
  ``b.copy()``, ...) then written (either array), the same array expression computed twice
  with a write into the first in between, reads of a buffer (element, slice copy, whole-array
  expression) followed in the same loop iteration by a write into it (maybe in a nested loop
  or branch), and views bound to names (``v = b[1:3]``, ``b.T``, ``b.reshape(...)``);
* calls to generated helper functions (with defaults, keyword arguments, tuple returns), and
  two array results of helpers combined into one update in a loop (Runge-Kutta-like stages
  sharing one cotangent, ``st_stages``);
* Python's semantics of everyday code (issue 10; ``NEW_CONSTRUCTS``, each enabled by name):
  nested loops reusing an enclosing loop's variable and loop variables reassigned in their
  body; loop variables and names a loop assigns read after the loop (bound to the last
  iteration's value, the value before the loop, or unbound when it ran zero times); names
  bound on some paths only (read where they may be unbound, when Python raises
  UnboundLocalError and so must the derivatives, or only where they are bound);
  ``enumerate``/``zip`` loops over arrays, slices, rows and ranges of unequal lengths;
  ``for``/``while`` ... ``else``; plain aliases ``c = b`` of written arrays and of array
  parameters; names that look like the compiler's own (``_returned``, ``_retval``,
  ``_skip1``, ``t1_``, ``bx0``, ``bout``, ...); and NumPy constructors with no derivative
  (``np.eye``, ``np.identity``, ``np.tri``) in differentiated expressions; ``prange`` loops
  (a map writing each iteration's own element, and a reduction, maybe in a branch).

The generator keeps a rough bound on ``|value|`` of every variable and squashes
expressions that could grow (``tanh``, ``sin``, contractions in loops) so programs stay
well-conditioned; check.py still verifies each program numerically before trusting finite
differences. Programs only use constructs the compiler documents as supported; see
``AVOIDED`` for the documented limitations the generator stays away from.
"""
import math
import random
import re
from dataclasses import dataclass, field

import numpy as np

# Documented limitations (clean CompileErrors or documented wrong results) that the
# generator deliberately does not produce.
AVOIDED = [
    "writing into an array created in an earlier iteration of a loop (lowered with a copy of "
    "the carried array per iteration where no other name sees it, else the CompileError 'the "
    "loop writes into array ... and also replaces it'; swapped buffers are checked by the "
    "corpus, not generated); arrays created and written in one iteration, in branches, in "
    "helpers called from loops are generated",
    "writing into a view, or into a helper's parameter (CompileError: 'is a view' / 'writes "
    "into its argument'); plain aliases (c = b, both written and read) are generated",
    "writing into an array while a view of it is bound to a name: the generator writes no more "
    "into an array once it has bound a view of it (CompileError: '... may share memory'; the "
    "reject fuzzer inserts such writes)",
    "for-each loops over an array that is written into (CompileError: \"'a' and '_e_array' are "
    "the same array\")",
    "a helper replacing its array parameter inside a loop when the caller wrote into that "
    "array (CompileError: 'the loop writes into array ... and also replaces it', although "
    "the loop does not write)",
    "tuple variables reassigned in loops (CompileError: unpack the tuple first)",
    "integer ** negative integer (documented wrong result under numba)",
    "math.fmod (documented: computed as %)",
    "changing module constants after compiling (documented)",
]

# Constructs added for issue 10 (Python's semantics of everyday code), each enabled by name
# (Generator(constructs=...), run.py --constructs):
#   shadow      a nested loop reusing an enclosing loop's variable; a loop variable
#               reassigned in its body
#   after_loop  loop variables, and names a loop body assigns, read after the loop
#   partial     names bound on some paths only (if without else, elif chains, the same flag,
#               the other path returning), read where they may be unbound or only where bound
#   enum_zip    for ... in enumerate(...) / zip(...) / enumerate(zip(...)) over 1-d arrays,
#               slices, rows of 2-d arrays and ranges
#   loop_else   for ... else and while ... else (searches binding a name before break)
#   alias       plain aliases c = b of written arrays and of array parameters
#   gen_names   user names that look like the compiler's own (_returned, _retval, _skip1,
#               t1_, bx0, bout, tape_t, _e_index, ...), also for parameters
#   opaque      NumPy constructors with no derivative (np.eye, np.identity, np.tri) in
#               expressions with differentiated values
#   row_view    a row of a written matrix bound to a name and written through (r = b[i];
#               r[j] = e, r += e), seen in b; aliases c = b written by c += e
NEW_CONSTRUCTS = ("shadow", "after_loop", "partial", "enum_zip", "loop_else", "alias",
                  "gen_names", "opaque", "closure", "comprehension", "prange", "row_view")

# names the compiler invents: frontend/desugar.py (loop exits, returns in loops, for loops
# with break), frontend/lower.py (for-each loops: _<v>_index, _<v>_array; "unset"), and
# codegen/pysource.py + transforms (temporaries t, t1_, ...; adjoints b<x>, tangents d<x>,
# the output out/bout, tapes tape_<t>/tape_<t>_top, the reverse loop's n, k, _)
DESUGAR_NAMES = ["_returned", "_retval", "_retval0", "_retval1", "_skip1", "_skip2", "_brk1",
                 "_brk2", "_n1", "_n2", "_k1", "_k2", "_start1", "_step1", "_items1", "_items2",
                 "__adc_trip_count", "__adc_placeholder"]
CODEGEN_NAMES = ["t", "t1_", "t2_", "t3_", "bout", "dout", "out", "tape_t", "tape_t_top",
                 "tape_t1_", "tape_t1_top", "n", "k", "k1_", "_", "unset", "_rt", "np_", "math_",
                 "_ext0", "ret", "old", "count", "b", "d", "v", "bx", "dx", "bt", "dt", "n1_",
                 "_x_index", "_x_array", "_e_index", "_e_array"]
PARAM_NAMES = ["bout", "dout", "out", "n", "k", "t", "_rt", "np_", "unset", "_returned",
               "_retval", "b", "d", "bx", "dx", "tape_t", "ret", "_"]

FLOAT, INT, BOOL = "float", "int", "bool"
LIMIT = 20.0          # squash expressions whose |value| bound exceeds this
LOOP_LIMIT = 4.0      # values carried by loops are kept around this size
MAX_WORK = 60         # product of the trip counts of nested loops


def is_arr(ty):
    return isinstance(ty, tuple) and ty[0] == "arr"


def arr(*shape):
    return ("arr", tuple(shape))


@dataclass
class Var:
    name: str
    ty: object
    bound: float = 1.0
    lo: int = 0                 # int range (ints only)
    hi: int = 0
    writable: bool = False      # an array that may be written into (never rebound)
    fixed: bool = False         # may not be reassigned (loop indices, counters, buffers)
    param: bool = False
    loop_var: bool = False      # an int target of a for loop (a nested loop may reuse it)
    counter: bool = False       # the counter of a while loop (never reused)
    group: list = None          # the names bound to the same array (plain aliases)
    viewed: bool = False        # a view of it is bound to a name


@dataclass
class Helper:
    name: str
    params: list                # [(name, ty, default or None)]
    returns: object             # FLOAT, ("tuple", 2) or an array type
    has_buffer: bool = False    # creates and writes an array
    bound: float = LOOP_LIMIT


@dataclass
class Program:
    """One generated program: module source, entry function name and call arguments."""
    source: str
    args: tuple
    seed: int = 0
    entry: str = "f"
    features: set = field(default_factory=set)


def draw_float_args(args, rng):
    """New random values for the float arguments of ``args`` (ints and shapes kept)."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(np.round(rng.normal(0.0, 0.8, size=a.shape), 6))
        elif isinstance(a, float):
            out.append(round(float(rng.uniform(-1.5, 1.5)), 6))
        else:
            out.append(a)
    return tuple(out)


def fmt(c):
    """A float literal."""
    text = repr(round(c, 3))
    return text if ("." in text or "e" in text) else text + ".0"


class Scope:
    def __init__(self, parent=None):
        self.parent = parent
        self.vars = {}

    def lookup_all(self):
        out = dict(self.parent.lookup_all()) if self.parent else {}
        out.update(self.vars)
        return out


class FunctionGen:
    """Generates the body of one function."""

    def __init__(self, g, name, params, returns, is_helper, budget):
        self.g, self.rng = g, g.rng
        self.name, self.returns, self.is_helper = name, returns, is_helper
        self.params = params
        self.lines = []
        self.indent = 1
        self.scope = Scope()
        self.loops = []             # trip bounds of the enclosing loops
        self.branch_depth = 0
        self.budget = budget        # statements left
        self.has_buffer = False
        self.returned = False       # an early return was emitted
        self.loop_frames = []       # per enclosing loop: its int target Vars (for loops)
        self.iterating = []         # arrays iterated by the enclosing loops
        self.after = []             # variables bound by a loop or on some paths, read later
        self.taken = {p.name for p in params}     # names bound in this function
        self.loop_names = []        # for-loop targets so far (for names like _e_index)
        for p in params:
            self.scope.vars[p.name] = p

    # -- variables ------------------------------------------------------------------------
    def visible(self, pred=lambda v: True):
        return [v for v in self.scope.lookup_all().values() if pred(v)]

    def floats(self):
        return self.visible(lambda v: v.ty == FLOAT)

    def ints(self):
        return self.visible(lambda v: v.ty == INT)

    def arrays(self, shape=None):
        return self.visible(lambda v: is_arr(v.ty) and (shape is None or v.ty[1] == shape))

    def new_name(self, prefix):
        if self.g.gen_names and self.chance(self.g.gen_names):
            name = self.pool_name()
            if name is not None:
                self.taken.add(name)
                self.g.features.add("generated_name")
                return name
        name = self.g.fresh(prefix)
        self.taken.add(name)
        return name

    def pool_name(self):
        """An unused name of the kind the compiler invents (desugaring's flags and return
        slots, the generated code's temporaries, adjoints, tangents, tapes), or None."""
        others = [v.name for v in self.visible()] + self.loop_names
        dynamic = []
        for w in others:
            dynamic += [f"b{w}", f"d{w}", f"{w}1_", f"tape_{w}"]
            if w[-1].isdigit():
                dynamic.append(f"{w}_")
        for w in self.loop_names:
            dynamic += [f"_{w}_index", f"_{w}_array"]
        module = {n for n, _ in self.g.constants} | {h.name for h in self.g.helpers} | \
            {"math", "np", self.name}
        pools = [DESUGAR_NAMES, CODEGEN_NAMES, dynamic]
        for _ in range(4):
            pool = self.rng.choices(pools, [3, 3, 2])[0]
            free = [w for w in pool if w not in self.taken and w not in module and w.isidentifier()]
            if free:
                return self.rng.choice(free)
        return None

    def define(self, var):
        self.scope.vars[var.name] = var
        return var

    def update_bound(self, name, bound):
        # the variable lives in some enclosing scope; bounds only grow
        s = self.scope
        while s is not None:
            if name in s.vars:
                v = s.vars[name]
                v.bound = max(v.bound, bound)
                for other in v.group or ():         # the same array under another name
                    other.bound = max(other.bound, bound)
                return
            s = s.parent

    def lookup(self, name):
        s = self.scope
        while s is not None:
            if name in s.vars:
                return s.vars[name]
            s = s.parent
        return None

    def widen(self, var, lo, hi):
        """The int ``var`` may now also hold values in [lo, hi] (in place, so that the
        enclosing scopes where it is bound see it)."""
        var.lo, var.hi = min(var.lo, lo), max(var.hi, hi)
        var.bound = max(var.bound, abs(var.lo), abs(var.hi))

    @property
    def work(self):
        w = 1
        for t in self.loops:
            w *= max(t, 1)
        return w

    @property
    def straight(self):
        # after an early return the rest of the function is a branch for the compiler
        return not self.loops and self.branch_depth == 0 and not self.returned

    def emit(self, line):
        self.lines.append("    " * self.indent + line)

    def chance(self, p):
        return self.rng.random() < p

    # -- int expressions ------------------------------------------------------------------
    def int_leaf(self):
        ints = self.ints()
        if ints and self.chance(0.8):
            v = self.rng.choice(ints)
            return v.name, v.lo, v.hi
        c = self.rng.randint(0, 4)
        return str(c), c, c

    def index_expr(self, length):
        """An int expression valid as an index into an axis of ``length``."""
        ints = [v for v in self.ints()]
        r = self.rng.random()
        if ints and r < 0.75:
            v = self.rng.choice(ints)
            if 0 <= v.lo and v.hi < length and self.chance(0.6):
                return v.name
            if 1 <= v.lo and v.hi <= length and self.chance(0.5):
                return f"{v.name} - 1"
            if 0 <= v.lo and v.hi < length and self.chance(0.5):
                return f"{length - 1} - {v.name}" if self.chance(0.5) else f"-1 - {v.name}"
            if v.lo >= 0 and self.chance(0.5):
                return f"({v.name} + 1) % {length}"
            return f"{v.name} % {length}"
        return str(self.rng.randint(-length, length - 1))

    def float_of_int(self):
        name, lo, hi = self.int_leaf()
        big = max(abs(lo), abs(hi), 1)
        form = self.rng.choice(["float({n})", "0.25 * {n}", "{n} * 0.1", "{n} / 4",
                                "({n} % 3) * 0.5"])
        bound = {"float({n})": big, "0.25 * {n}": 0.25 * big, "{n} * 0.1": 0.1 * big,
                 "{n} / 4": big / 4, "({n} % 3) * 0.5": 1.0}[form]
        return form.format(n=name), bound

    # -- float expressions ----------------------------------------------------------------
    def const(self):
        c = self.rng.choice([0.5, 1.5, 2.0, 0.25, 0.1, 3.0, -0.5, -1.25, 0.7, 1.0])
        if self.chance(0.3):
            c = round(self.rng.uniform(-2.0, 2.0), 3)
        return fmt(c), abs(c)

    def float_leaf(self):
        fl = self.floats()
        r = self.rng.random()
        if fl and r < 0.75:
            v = self.rng.choice(fl)
            return v.name, v.bound
        if r < 0.8 and self.g.constants:
            name, value = self.rng.choice(self.g.constants)
            return name, abs(value)
        if r < 0.86:
            return self.float_of_int()
        if r < 0.95 and self.arrays():
            return self.array_to_float(0)
        if fl and r < 0.97:
            v = self.rng.choice(fl)
            return v.name, v.bound
        return self.const()

    def squash(self, text, bound):
        if bound <= LIMIT:
            return text, bound
        form = self.rng.choice(["math.tanh({a})", "np.sin({a})", "math.atan({a})",
                                "np.tanh(0.1 * {a})"])
        return form.format(a=text), 1.0 if "atan" not in form else 1.6

    UNARY = [
        ("math.sin({a})", lambda b: min(b, 1.0)), ("np.sin({a})", lambda b: min(b, 1.0)),
        ("math.cos({a})", lambda b: 1.0), ("np.cos({a})", lambda b: 1.0),
        ("math.tanh({a})", lambda b: min(b, 1.0)), ("np.tanh({a})", lambda b: min(b, 1.0)),
        ("math.atan({a})", lambda b: min(b, 1.6)), ("np.arctan({a})", lambda b: min(b, 1.6)),
        ("math.exp(math.sin({a}))", lambda b: 2.72), ("np.exp(np.tanh({a}))", lambda b: 2.72),
        ("math.exp(-({a}) ** 2)", lambda b: 1.0), ("math.exp(0.5 * math.cos({a}))", lambda b: 1.65),
        ("math.log(1.0 + ({a}) ** 2)", lambda b: math.log1p(b * b)),
        ("np.log1p(({a}) ** 2)", lambda b: math.log1p(b * b)),
        ("np.log(2.0 + np.cos({a}))", lambda b: 1.1),
        ("math.log2(1.5 + math.sin({a}))", lambda b: 1.4),
        ("math.log10(1.5 + math.cos({a}))", lambda b: 0.4),
        ("math.sqrt(1.0 + ({a}) ** 2)", lambda b: math.sqrt(1 + b * b)),
        ("np.sqrt(2.0 + np.sin({a}))", lambda b: 1.8),
        ("({a}) ** 2", lambda b: b * b), ("({a}) ** 3", lambda b: b ** 3),
        ("np.square({a})", lambda b: b * b),
        ("(1.0 + ({a}) ** 2) ** -0.5", lambda b: 1.0), ("(1.0 + ({a}) ** 2) ** 0.5", lambda b: math.sqrt(1 + b * b)),
        ("math.pow(1.5 + math.sin({a}), 1.5)", lambda b: 4.0),
        ("np.power(2.0 + math.cos({a}), 0.5)", lambda b: 1.8),
        ("np.expm1(math.sin({a}))", lambda b: 1.8),
        ("math.asin(0.5 * math.sin({a}))", lambda b: 0.6),
        ("np.arccos(0.5 * np.tanh({a}))", lambda b: 2.1),
        ("math.sinh(math.sin({a}))", lambda b: 1.2), ("np.cosh(np.tanh({a}))", lambda b: 1.6),
        ("math.erf({a})", lambda b: 1.0), ("float({a})", lambda b: b), ("-({a})", lambda b: b),
        ("math.hypot({a}, 1.0)", lambda b: b + 1.0),
    ]
    KINKED_UNARY = [
        ("abs({a})", lambda b: b), ("np.abs({a})", lambda b: b), ("math.fabs({a})", lambda b: b),
        ("round({a}) * 0.5 + ({a})", lambda b: 1.5 * b + 0.5),
        ("math.floor({a}) + ({a})", lambda b: 2 * b + 1), ("np.sign({a}) * ({a}) ** 2", lambda b: b * b),
        ("({a}) % 1.5", lambda b: 1.5),
    ]

    def float_expr(self, depth=2):
        """(source, bound) of a float-valued expression."""
        if depth <= 0 or self.chance(0.25):
            return self.float_leaf()
        r = self.rng.random()
        if r < 0.30:
            template, fb = self.rng.choice(self.UNARY)
            a, ba = self.float_expr(depth - 1)
            return self.squash(template.format(a=a), fb(ba))
        if r < 0.36:
            template, fb = self.rng.choice(self.KINKED_UNARY)
            a, ba = self.float_expr(depth - 1)
            return self.squash(template.format(a=a), fb(ba))
        if r < 0.70:
            a, ba = self.float_expr(depth - 1)
            b, bb = self.float_expr(depth - 1)
            op = self.rng.choice(["+", "-", "*", "*", "/c", "/q", "+c", "*c"])
            if op in "+-":
                return self.squash(f"({a} {op} {b})", ba + bb)
            if op == "*":
                return self.squash(f"({a} * {b})", ba * bb)
            if op == "/c":
                return self.squash(f"({a} / (1.5 + math.cos({b})))", 2 * ba)
            if op == "/q":
                return self.squash(f"({a} / (1.0 + ({b}) ** 2))", ba)
            c, bc = self.const()
            if op == "+c":
                return self.squash(f"({a} + {c})", ba + bc)
            return self.squash(f"({c} * {a})", ba * bc)
        if r < 0.76:
            a, ba = self.float_expr(depth - 1)
            b, bb = self.float_expr(depth - 1)
            form = self.rng.choice(["max({a}, {b})", "min({a}, {b})", "np.maximum({a}, {b})",
                                    "np.fmin({a}, {b})", "max({a}, {b}, 0.3)",
                                    "math.atan2({a}, 1.0 + ({b}) ** 2)", "math.hypot({a}, {b} + 0.8137)",
                                    "np.arctan2({a}, 2.0 + np.cos({b}))"])
            bound = max(ba, bb) if "atan" not in form else 1.6
            if "hypot" in form:
                bound = ba + bb + 1
            return self.squash(form.format(a=a, b=b), bound)
        if r < 0.83:
            # the operands of a conditional expression are branches for the compiler
            self.branch_depth += 1
            a, ba = self.float_expr(depth - 1)
            b, bb = self.float_expr(depth - 1)
            self.branch_depth -= 1
            cond = self.condition(depth - 1)
            return f"({a} if {cond} else {b})", max(ba, bb)
        if r < 0.90 and self.g.helpers:
            call = self.helper_call(want=FLOAT)
            if call is not None:
                return call
        if self.arrays():
            return self.array_to_float(depth - 1)
        return self.float_leaf()

    # -- arrays ---------------------------------------------------------------------------
    def shapes(self):
        return sorted({v.ty[1] for v in self.arrays()})

    def array_to_float(self, depth):
        """A float computed from arrays: reduction, dot product or element."""
        shapes = self.shapes()
        shape = self.rng.choice(shapes)
        r = self.rng.random()
        if r < 0.35 or depth <= 0:
            v = self.rng.choice(self.arrays(shape))
            idx = ", ".join(self.index_expr(n) for n in shape)
            if r < 0.2:
                return f"{v.name}[{idx}]", v.bound
            a, ba = v.name, v.bound
        else:
            a, ba = self.array_expr(shape, depth - 1)
        size = int(np.prod(shape))
        forms = [("np.sum({a})", size * ba), ("np.mean({a})", ba), ("np.max({a})", ba),
                 ("np.min({a})", ba), ("({a}).sum()", size * ba), ("({a}).max()", ba),
                 ("np.linalg.norm({a} + 0.8137)", size * (ba + 1)), ("np.prod(np.tanh({a}))", 1.0),
                 (f"np.einsum('{'ijk'[:len(shape)]}->', {{a}})", size * ba)]
        if len(shape) == 1:
            b, bb = self.array_expr(shape, depth - 1)
            forms += [("np.dot({a}, {b})", size * ba * bb), ("(({a}) @ ({b}))", size * ba * bb),
                      ("np.einsum('i,i', {a}, {b})", size * ba * bb)]
        form, bound = self.rng.choice(forms)
        return self.squash(form.format(a=a, b=b if len(shape) == 1 else ""), bound)

    def sliced_leaf(self, shape):
        """A slice or row/column of an existing array that has ``shape``, or None."""
        options = []
        for v in self.arrays():
            vs = v.ty[1]
            if len(shape) == 1 and len(vs) == 1:
                n, L = vs[0], shape[0]
                if n == L + 1:
                    options += [f"{v.name}[1:]", f"{v.name}[:-1]", f"{v.name}[:{L}]"]
                if n == L + 2:
                    options += [f"{v.name}[1:-1]", f"{v.name}[2:]"]
                if (n + 1) // 2 == L:
                    options += [f"{v.name}[::2]"]
                if n == L:
                    options += [f"{v.name}[::-1]", f"{v.name}[0:{L}]"]
                if n > L:
                    options += [f"{v.name}[{n - L}:]"]
            if len(shape) == 1 and len(vs) == 2:
                m, k = vs
                if k == shape[0]:
                    options += [f"{v.name}[{self.index_expr(m)}]", f"{v.name}[{self.index_expr(m)}, :]"]
                if m == shape[0]:
                    options += [f"{v.name}[:, {self.index_expr(k)}]"]
            if len(shape) == 2 and len(vs) == 2 and vs == (shape[1], shape[0]):
                options += [f"{v.name}.T", f"np.transpose({v.name})"]
        if not options:
            return None
        text = self.rng.choice(options)
        bound = max((v.bound for v in self.arrays() if v.name in text), default=1.0)
        return text, bound

    def array_leaf(self, shape):
        if "opaque" in self.g.new and self.chance(0.05):
            self.g.features.add("opaque_constructor")
            return self.opaque_array(shape)
        same = self.arrays(shape)
        r = self.rng.random()
        if same and r < 0.65:
            v = self.rng.choice(same)
            return v.name, v.bound
        if r < 0.85:
            sl = self.sliced_leaf(shape)
            if sl is not None:
                return sl
        if same:
            v = self.rng.choice(same)
            return v.name, v.bound
        f, bf = self.float_expr(1)
        dims = str(shape[0]) if len(shape) == 1 else f"({shape[0]}, {shape[1]})"
        form = self.rng.choice(["np.ones({d}) * {f}", "{f} * np.ones({d})", "np.zeros({d}) + {f}",
                                "np.full({d}, {f})"] +
                               [f"np.zeros_like({v.name}) + {{f}}" for v in same] +
                               [f"np.ones_like({v.name}) * {{f}}" for v in same])
        return f"({form.format(d=dims, f=f)})", bf

    ARRAY_UNARY = [
        ("np.sin({a})", lambda b: min(b, 1.0)), ("np.cos({a})", lambda b: 1.0),
        ("np.tanh({a})", lambda b: min(b, 1.0)), ("np.arctan({a})", lambda b: min(b, 1.6)),
        ("np.exp(np.sin({a}))", lambda b: 2.72), ("np.exp(-({a}) ** 2)", lambda b: 1.0),
        ("np.log(1.0 + ({a}) ** 2)", lambda b: math.log1p(b * b)),
        ("np.sqrt(1.0 + ({a}) ** 2)", lambda b: math.sqrt(1 + b * b)),
        ("({a}) ** 2", lambda b: b * b), ("np.square({a})", lambda b: b * b),
        ("-({a})", lambda b: b), ("np.log1p(({a}) ** 2)", lambda b: math.log1p(b * b)),
        ("np.abs({a})", lambda b: b), ("np.clip({a}, -0.8, 0.8)", lambda b: min(b, 0.8)),
    ]

    def array_expr(self, shape, depth=2):
        """(source, elementwise bound) of an expression of array ``shape``."""
        if depth <= 0 or self.chance(0.25):
            return self.array_leaf(shape)
        r = self.rng.random()
        if r < 0.3:
            template, fb = self.rng.choice(self.ARRAY_UNARY)
            a, ba = self.array_expr(shape, depth - 1)
            return self.squash_array(template.format(a=a), fb(ba))
        if r < 0.6:
            a, ba = self.array_expr(shape, depth - 1)
            op = self.rng.choice(["+", "-", "*", "s*", "*s", "+s", "/", "max", "where"])
            if op in ("+", "-", "*", "/", "max", "where"):
                b, bb = self.array_expr(shape, depth - 1)
                if op == "/":
                    return self.squash_array(f"({a} / (1.5 + np.cos({b})))", 2 * ba)
                if op == "max":
                    return f"np.maximum({a}, {b})", max(ba, bb)
                if op == "where":
                    return f"np.where({a} > {b}, {a}, 0.5 * {b})", max(ba, bb)
                return self.squash_array(f"({a} {op} {b})", ba * bb if op == "*" else ba + bb)
            s, bs = self.float_expr(depth - 1)
            if op == "s*":
                return self.squash_array(f"({s} * {a})", ba * bs)
            if op == "*s":
                return self.squash_array(f"({a} * {s})", ba * bs)
            return self.squash_array(f"({a} + {s})", ba + bs)
        if r < 0.75 and len(shape) == 2:
            # broadcasting a row or a column against a matrix
            m, k = shape
            a, ba = self.array_expr(shape, depth - 1)
            if self.chance(0.5):
                row, br = self.array_expr((k,), depth - 1)
                op = self.rng.choice(["+", "*"])
                return self.squash_array(f"({a} {op} {row})", ba * br if op == "*" else ba + br)
            col, bc = self.array_expr((m,), depth - 1)
            return self.squash_array(f"({a} * ({col})[:, None])", ba * bc)
        if r < 0.85 and len(shape) == 1:
            # a matrix-vector product or an axis reduction with this result shape
            L = shape[0]
            mats = [v for v in self.arrays() if len(v.ty[1]) == 2 and L in v.ty[1]]
            if mats:
                M = self.rng.choice(mats)
                m, k = M.ty[1]
                if m == L and self.chance(0.6):
                    v, bv = self.array_expr((k,), depth - 1)
                    form = self.rng.choice(["({M} @ {v})", "np.dot({M}, {v})", "{M}.dot({v})",
                                            "np.einsum('ij,j->i', {M}, {v})"])
                    return self.squash_array(form.format(M=M.name, v=v), k * M.bound * bv)
                if k == L and self.chance(0.6):
                    v, bv = self.array_expr((m,), depth - 1)
                    form = self.rng.choice(["({v} @ {M})", "({M}.T @ {v})", "np.dot({v}, {M})",
                                            "np.einsum('ij,i->j', {M}, {v})"])
                    return self.squash_array(form.format(M=M.name, v=v), m * M.bound * bv)
                axis = 1 if m == L else 0
                n_red = k if axis == 1 else m
                form = self.rng.choice(["np.sum({M}, axis={ax})", "{M}.sum(axis={ax})",
                                        "np.mean({M}, axis={ax})"])
                return self.squash_array(form.format(M=M.name, ax=axis), n_red * M.bound)
        if r < 0.92 and self.g.helpers:
            call = self.helper_call(want=arr(*shape))
            if call is not None:
                return call
        return self.array_leaf(shape)

    def fresh_array_expr(self, shape, depth=2):
        """An array expression that is a new array (never a name or a view of one), so that
        binding it to a name creates no alias."""
        e, b = self.array_expr(shape, depth)
        if re.fullmatch(r"[\w.]+(\[[^\[\]]*\])?(\.T)?|np\.transpose\(\w+\)", e):
            e = self.rng.choice(["np.copy({e})", "{e} * 1.0", "1.0 * {e}", "({e}).copy()"]).format(e=e)
        return e, b

    def squash_array(self, text, bound):
        if bound <= LIMIT:
            return text, bound
        form = self.rng.choice(["np.tanh({a})", "np.sin({a})", "np.arctan({a})"])
        return form.format(a=text), 1.6

    # -- conditions -----------------------------------------------------------------------
    def condition(self, depth=1):
        # 'and'/'or' and chained comparisons evaluate operands conditionally: for the
        # compiler they are branches (no helper that writes an array may be called there)
        self.branch_depth += 1
        try:
            return self._condition(depth)
        finally:
            self.branch_depth -= 1

    def _condition(self, depth):
        r = self.rng.random()
        if r < 0.45:
            a, ba = self.float_expr(depth)
            op = self.rng.choice(["<", ">", "<=", ">="])
            c = round(self.rng.uniform(-0.8, 0.8) * min(ba, 2.0), 2)
            return f"{a} {op} {fmt(c)}"
        if r < 0.6:
            a, _ = self.float_expr(depth)
            b, _ = self.float_expr(depth)
            return f"{a} {self.rng.choice(['<', '>'])} {b}"
        if r < 0.72 and self.ints():
            v = self.rng.choice(self.ints())
            form = self.rng.choice(["{i} % 2 == 0", "{i} < {c}", "{i} >= {c}", "{i} == {c}",
                                    "{i} != {c}", "{i} % 3 == 1"])
            return form.format(i=v.name, c=self.rng.randint(v.lo, max(v.lo, v.hi)))
        if r < 0.78:
            a, _ = self.float_expr(depth)
            c = round(self.rng.uniform(0.1, 0.9), 2)
            return f"-{c} < {a} < {c}"
        if r < 0.85 and depth >= 0:
            return f"not ({self.condition(depth - 1)})"
        if r < 0.95 and depth >= 0:
            op = self.rng.choice(["and", "or"])
            return f"({self.condition(depth - 1)}) {op} ({self.condition(depth - 1)})"
        bools = self.visible(lambda v: v.ty == BOOL)
        if bools:
            return self.rng.choice(bools).name
        a, _ = self.float_expr(0)
        return f"{a} > 0.1"

    # -- helper calls ---------------------------------------------------------------------
    def helper_call(self, want):
        """(source, bound) of a call to an existing helper returning ``want``, or None."""
        options = [h for h in self.g.helpers if h.returns == want and h.name != self.name
                   ]
        if not options:
            return None
        h = self.rng.choice(options)
        return self.helper_call_of(h), h.bound

    def helper_call_of(self, h):
        self.g.called.add(h.name)
        if h.has_buffer:
            self.has_buffer = True
        parts = []
        keyword = False
        for pname, ty, default in h.params:
            if default is not None and self.chance(0.3):
                keyword = True          # later arguments must be keywords
                continue
            if ty == FLOAT:
                text = self.float_expr(1)[0]
            elif ty == INT:
                text = self.int_leaf()[0]
            else:
                text = self.array_expr(ty[1], 1)[0]
            if ty == INT and not text.isdigit():
                lo_hi = [v for v in self.ints() if v.name == text]
                if lo_hi and not (0 <= lo_hi[0].lo and lo_hi[0].hi <= 9):
                    text = default
            if keyword or (default is not None and self.chance(0.5)):
                keyword = True
                parts.append(f"{pname}={text}")
            else:
                parts.append(text)
        self.g.features.add("helper")
        return f"{h.name}({', '.join(parts)})"

    # -- statements -----------------------------------------------------------------------
    def block(self, n):
        """Emit up to ``n`` statements (fewer when the statement budget runs out)."""
        for _ in range(n):
            if self.budget <= 0:
                break
            self.statement()

    def statement(self):
        self.budget -= 1
        in_loop = bool(self.loops)
        depth = len(self.loops) + self.branch_depth
        weights = {
            "assign_new": 4, "reassign": 4, "augassign": 1.5, "tuple": 0.7,
            "if": 2.0 if depth < 3 else 0.3, "for": 1.6 if depth < 3 and self.work < MAX_WORK else 0,
            "while": 0.7 if depth < 2 and self.work < MAX_WORK else 0,
            "array_new": 1.2 if self.g.use_arrays else 0,
            "buffer": ((2.0 if not self.visible(lambda v: v.writable) else 0.6)
                       if self.straight else 0.8) if self.g.use_arrays else 0,
            "write": (5.0 if in_loop else 1.5) if self.visible(lambda v: v.writable) else 0,
            "slice_write": (3.0 if in_loop else 1.2) if self.visible(lambda v: v.writable) else 0,
            "read_write": (1.5 if in_loop else 0.6) if self.visible(lambda v: v.writable) else 0,
            "view": 0.6 if self.g.use_arrays and self.arrays() else 0,
            "cse": 0.5 if self.straight and self.g.use_arrays else 0,
            "jump": 1.2 if in_loop else 0,
            "early_return": 0.5 if depth > 0 else 0,
            "bool": 0.3,
            "stages": 4.0 if in_loop and self.stage_targets() else 0,
        }
        # the constructs of NEW_CONSTRUCTS (weight 0 when not enabled: the rest of the mix,
        # and with none enabled the programs themselves, stay what they were)
        new = self.g.new
        loopy = depth < 3 and self.work < MAX_WORK
        for_vars = self.enclosing_for_vars()
        weights.update({
            "shadow": 1.4 if "shadow" in new and for_vars and loopy else 0,
            "loop_var_set": 0.8 if "shadow" in new and self.loop_frames and
                            [v for v in self.loop_frames[-1] if self.lookup(v.name) is v] else 0,
            "loop_after": 0.7 if "after_loop" in new and loopy else 0,
            "partial": (0.7 if depth < 3 else 0.2) if "partial" in new else 0,
            "for_enum": 0.8 if "enum_zip" in new and loopy else 0,
            "loop_else": 0.55 if "loop_else" in new and loopy else 0,
            "alias": (1.1 if in_loop else 0.8) if "alias" in new and self.alias_sources() else 0,
            "row_view": 2.0 if "row_view" in new and self.row_view_sources() else 0,
            "opaque": (0.4 if self.g.use_arrays else 0.15) if "opaque" in new else 0,
            "closure": 0.6 if "closure" in new else 0,
            "comprehension": 0.6 if "comprehension" in new else 0,
            "prange": 0.5 if "prange" in new and self.g.use_arrays and depth < 3 and
                      self.visible(lambda v: is_arr(v.ty) and len(v.ty[1]) == 1) else 0,
        })
        if self.g.gen_names and in_loop:
            # the names of desugared returns and breaks next to returns and breaks in loops
            weights["early_return"] = 1.5
            weights["jump"] = 1.8
        kinds = list(weights)
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        return getattr(self, "st_" + kind)()

    def rhs_for(self, var):
        """A right-hand side to reassign float ``var`` (kept bounded inside loops)."""
        if not self.loops:
            e, b = self.float_expr(2)
            return e, b
        e, b = self.float_expr(2)
        form = self.rng.choice(["sq", "add", "mul", "contract", "free"])
        if form == "free" and b <= LOOP_LIMIT:
            return e, b
        if form == "add":
            c = self.rng.choice([0.1, 0.3, 0.5])
            sq = self.rng.choice(["math.tanh", "np.sin", "math.cos"])
            return f"{var.name} + {c} * {sq}({e})", var.bound + c * self.work
        if form == "mul":
            return f"{var.name} * (1.0 + 0.2 * math.tanh({e}))", var.bound * 1.2 ** min(self.work, 20)
        if form == "contract":
            return f"0.5 * {var.name} + 0.5 * np.tanh({e})", max(var.bound, 1.0)
        sq = self.rng.choice(["math.tanh", "np.sin", "math.cos", "np.arctan"])
        return f"{sq}({e})", 1.6

    def st_assign_new(self):
        if self.g.use_arrays and self.arrays() and self.chance(0.2):
            return self.st_array_new()
        if self.chance(0.08) and self.straight:
            # an int-initialised accumulator that becomes a float
            v = self.define(Var(self.new_name("s"), FLOAT, 0.0))
            self.emit(f"{v.name} = 0")
            return False
        e, b = self.float_expr(3)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        v = self.define(Var(self.new_name("s"), FLOAT, b))
        self.emit(f"{v.name} = {e}")
        return False

    def reassignable(self, ty_pred):
        # a helper's array parameter may be an array the caller writes into; replacing it
        # inside a loop is rejected ("the loop writes into array ... and also replaces it")
        return [v for v in self.visible() if ty_pred(v.ty) and not v.fixed and not v.writable
                and (self.g.assign_params or not v.param)
                and not (self.is_helper and v.param and is_arr(v.ty) and self.loops)]

    def stage_targets(self):
        """Arrays a loop may update from two calls of a helper returning their shape."""
        if not self.g.use_arrays:
            return []
        return [v for v in self.reassignable(is_arr) if any(
            h.returns == v.ty and h.name != self.name for h in self.g.helpers)]

    def st_stages(self):
        """Runge-Kutta-like stages: two helper results (each a new array the helper may write
        into in a loop) combined into one update, so that both get one cotangent."""
        v = self.rng.choice(self.stage_targets())
        first, _ = self.helper_call(v.ty)
        second, _ = self.helper_call(v.ty)
        a = self.define(Var(self.new_name("k"), v.ty, 1.0))
        self.emit(f"{a.name} = np.tanh({first})")
        b = self.define(Var(self.new_name("k"), v.ty, 1.0))
        self.emit(f"{b.name} = np.tanh({second})")
        scale, _ = self.float_expr(0)
        self.emit(f"{v.name} = 0.5 * {v.name} + 0.25 * math.tanh({scale}) * ({a.name} + {b.name})")
        self.update_bound(v.name, max(v.bound, 1.0))
        self.g.features.add("stages")
        return False

    def st_reassign(self):
        floats = self.reassignable(lambda t: t == FLOAT)
        arrays = self.reassignable(is_arr) if self.g.use_arrays else []
        if arrays and (not floats or self.chance(0.25)):
            v = self.rng.choice(arrays)
            e, b = self.fresh_array_expr(v.ty[1], 2)
            if self.loops:
                e, b = self.rng.choice([(f"np.tanh({e})", 1.0), (f"0.5 * {v.name} + 0.5 * np.sin({e})",
                                                                  max(v.bound, 1.0))])
            self.emit(f"{v.name} = {e}")
            self.update_bound(v.name, b)
            self.g.features.add("array_reassign")
            return False
        if not floats:
            return self.st_assign_new()
        v = self.rng.choice(floats)
        e, b = self.rhs_for(v)
        self.emit(f"{v.name} = {e}")
        self.update_bound(v.name, b)
        self.g.features.add("reassign")
        return False

    def st_augassign(self):
        floats = self.reassignable(lambda t: t == FLOAT)
        if not floats:
            return self.st_assign_new()
        v = self.rng.choice(floats)
        e, b = self.float_expr(2)
        op = self.rng.choice(["+=", "-=", "*="])
        if op == "*=":
            e, b = f"(1.0 + 0.2 * np.sin({e}))", 1.2
            self.emit(f"{v.name} *= {e}")
            self.update_bound(v.name, v.bound * 1.2 ** min(self.work, 20))
        else:
            if self.loops:
                e = f"0.3 * math.tanh({e})"
                b = 0.3 * self.work
            self.emit(f"{v.name} {op} {e}")
            self.update_bound(v.name, v.bound + b)
        self.g.features.add("augassign")
        return False

    def st_tuple(self):
        floats = self.reassignable(lambda t: t == FLOAT)
        r = self.rng.random()
        if r < 0.3 and len(floats) >= 2:
            a, b = self.rng.sample(floats, 2)
            self.emit(f"{a.name}, {b.name} = {b.name}, {a.name}")
            m = max(a.bound, b.bound)
            self.update_bound(a.name, m)
            self.update_bound(b.name, m)
            self.g.features.add("swap")
            return False
        if r < 0.7:
            call = self.helper_call(want=("tuple", 2))
            if call is not None:
                text, bound = call
                names = [self.define(Var(self.new_name("s"), FLOAT, bound)).name for _ in range(2)]
                self.emit(f"{names[0]}, {names[1]} = {text}")
                self.g.features.add("tuple_helper")
                return False
        e1, b1 = self.float_expr(2)
        e2, b2 = self.float_expr(2)
        if self.loops:
            e1, b1, e2, b2 = f"math.tanh({e1})", 1.0, f"np.sin({e2})", 1.0
        n1, n2 = self.new_name("s"), self.new_name("s")
        self.emit(f"{n1}, {n2} = {e1}, {e2}")
        self.define(Var(n1, FLOAT, b1))
        self.define(Var(n2, FLOAT, b2))
        self.g.features.add("tuple")
        return False

    def st_bool(self):
        cond = self.condition(1)
        v = self.define(Var(self.new_name("flag"), BOOL))
        self.emit(f"{v.name} = {cond}")
        return False

    def st_array_new(self):
        if not self.g.use_arrays or not self.g.shapes:
            return self.st_assign_new()
        shape = self.rng.choice(self.g.shapes)
        e, b = self.fresh_array_expr(shape, 2)
        if self.loops:
            e, b = f"np.tanh({e})", 1.0
        v = self.define(Var(self.new_name("u"), arr(*shape), b))
        self.emit(f"{v.name} = {e}")
        self.g.features.add("array")
        return False

    def st_buffer(self):
        """An array created here (top level) that loops may write into."""
        shape = self.rng.choice(self.g.shapes)
        same = self.arrays(shape)
        dims = str(shape[0]) if len(shape) == 1 else f"({shape[0]}, {shape[1]})"
        options = [(f"np.zeros({dims})", 0.0, None), (f"np.ones({dims})", 1.0, None)]
        for v in same:
            options += [(f"np.zeros_like({v.name})", 0.0, None), (f"np.sin({v.name})", 1.0, None)]
            # copies, and identity-like ops the compiler might fold into the operand itself:
            # the buffer must still be a new array
            options += [(form.format(v=v.name), v.bound, v) for form in self.IDENTITY]
        e, b, source = self.rng.choice(options)
        v = self.define(Var(self.new_name("b"), arr(*shape), b, writable=True, fixed=True))
        self.emit(f"{v.name} = {e}")
        self.has_buffer = True
        self.g.features.add("buffer")
        if source is not None:
            self.g.features.add("identity_copy")
            if self.chance(0.5):
                # write into either array at once: the other one must not see it
                target = source if source.writable and self.chance(0.5) else v
                self.write_into(target)
        return False

    IDENTITY = ["{v} * 1.0", "1.0 * {v}", "{v} + 0.0", "{v} - 0.0", "+{v}", "{v}.copy()",
                "np.copy({v})"]

    def st_cse(self):
        """The same array expression computed twice (a candidate for common-subexpression
        elimination) with a write into the first copy in between."""
        shape = self.rng.choice(self.g.shapes)
        e, b = self.fresh_array_expr(shape, 2)
        if self.chance(0.4) and self.arrays(shape):
            e, b = self.rng.choice(self.IDENTITY).format(v=self.rng.choice(self.arrays(shape)).name), \
                max(v.bound for v in self.arrays(shape))
        first = self.define(Var(self.new_name("b"), arr(*shape), b, writable=True, fixed=True))
        self.emit(f"{first.name} = {e}")
        self.has_buffer = True
        self.write_into(first)
        second = self.define(Var(self.new_name("b"), arr(*shape), b, writable=self.chance(0.5),
                                 fixed=True))
        self.emit(f"{second.name} = {e}")
        if second.writable and self.chance(0.5):
            self.write_into(second)
        self.g.features.add("cse_pair")
        return False

    def write_into(self, v):
        """One write (element, slice or row) into array ``v``."""
        if self.chance(0.45):
            return self.write_element(v)
        return self.write_slice(v)

    def st_write(self):
        return self.write_element(self.rng.choice(self.visible(lambda v: v.writable)))

    def write_element(self, v):
        if len(v.ty[1]) == 1 and self.chance(0.15):
            return self.write_through_indices(v)
        idx = ", ".join(self.index_expr(n) for n in v.ty[1])
        e, b = self.float_expr(2)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"np.tanh({e})", 1.0
        if self.chance(0.4):
            if self.loops:
                e, b = f"0.5 * np.sin({e})", 0.5 * self.work
            self.emit(f"{v.name}[{idx}] += {e}")
            self.update_bound(v.name, v.bound + b)
            self.g.features.add("write_aug")
        else:
            self.emit(f"{v.name}[{idx}] = {e}")
            self.update_bound(v.name, b)
            self.g.features.add("write")
        if self.loops:
            self.g.features.add("write_in_loop")
        return False

    def write_through_indices(self, v):
        """``v[np.array([...])] = e`` (or ``+=``) into a vector: indices that may repeat and
        be negative, one value for all or one per index (frontend/indexed_writes.py)."""
        n = v.ty[1][0]
        picks = [self.rng.randint(-n, n - 1) for _ in range(self.rng.randint(1, 4))]
        idx = f"np.array([{', '.join(map(str, picks))}])"
        e, b = self.float_expr(2)
        e, b = f"np.tanh({e})", 1.0
        if self.chance(0.5):           # one value per index
            e = f"{e} * np.arange({len(picks)})"
            b = float(len(picks))
        if self.chance(0.4):
            self.emit(f"{v.name}[{idx}] += {e}")
            self.update_bound(v.name, v.bound + b)
        else:
            self.emit(f"{v.name}[{idx}] = {e}")
            self.update_bound(v.name, max(v.bound, b))
        self.g.features.add("write_indices")
        return False

    def slice_targets(self, v):
        """[(index text, shape of an array value or None for scalars only)] of slice and row
        writes into array ``v``."""
        shape = v.ty[1]
        out = []
        if len(shape) == 1:
            n = shape[0]
            a = self.rng.randint(0, n - 1)
            b = self.rng.randint(a + 1, n)
            out += [(f"{a}:{b}", (b - a,)), ("1:", (n - 1,)), (":-1", (n - 1,)), ("::2", ((n + 1) // 2,)),
                    ("::-1", (n,)), (":", (n,)), (f"{n - b}:", (b,))]
            if n >= 2:
                out += [("1::2", (n // 2,))]
            if n >= 3:
                out += [("1:-1", (n - 2,)), (f"{n - 1}:0:-2", ((n - 1 + 1) // 2,))]
            for i in self.ints():
                if 0 <= i.lo and i.hi <= n:
                    out += [(f"{i.name}:", None), (f":{i.name}", None)]
                if 0 <= i.lo and i.hi + 2 <= n:
                    out += [(f"{i.name}:{i.name} + 2", (2,))]
            return out
        m, k = shape
        a = self.rng.randint(0, k - 1)
        b = self.rng.randint(a + 1, k)
        r = self.rng.randint(0, m - 1)
        row, col = self.index_expr(m), self.index_expr(k)
        out += [(f"{row}, :", (k,)), (f"{row}", (k,)), (f":, {col}", (m,)),
                (f"{row}, {a}:{b}", (b - a,)), (f"{r}:, :", (m - r, k)), (f"{r}:", (k,)),
                (f":, {a}:{b}", (m, b - a)), (f":, {a}:{b}", (b - a,)), (":, ::-1", (m, k))]
        return out

    def write_slice(self, v):
        shape = v.ty[1]
        if shape[-1] >= 3 and self.chance(0.15):
            return self.write_heat(v)
        index, vshape = self.rng.choice(self.slice_targets(v))
        if vshape is not None and self.chance(0.6):
            e, b = self.array_expr(vshape, 1)
            self.g.features.add("slice_write_array")
        else:
            e, b = self.float_expr(2)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"np.tanh({e})", 1.0
        if self.chance(0.35):
            if self.loops:
                e, b = f"0.5 * np.sin({e})", 0.5 * self.work
            self.emit(f"{v.name}[{index}] += {e}")
            self.update_bound(v.name, v.bound + b)
            self.g.features.add("slice_write_aug")
        else:
            self.emit(f"{v.name}[{index}] = {e}")
            self.update_bound(v.name, b)
            self.g.features.add("slice_write")
        if len(shape) == 2 and ":" not in index.split(",")[0]:
            self.g.features.add("row_write")
        if self.loops:
            self.g.features.add("slice_write_in_loop")
        return False

    def write_heat(self, v):
        """A heat-equation step (bounded: a convex combination of neighbours for c <= 0.5),
        repeated by a loop when not already in one."""
        c = self.rng.choice(["0.1", "0.2", "0.25", "0.45"])
        if len(v.ty[1]) == 1:
            u = v.name
            line = f"{u}[1:-1] = {u}[1:-1] + {c} * ({u}[2:] - 2.0 * {u}[1:-1] + {u}[:-2])"
        else:
            r = self.index_expr(v.ty[1][0])
            u = f"{v.name}[{r}, "
            line = (f"{u}1:-1] = {u}1:-1] + {c} * ({u}2:] - 2.0 * {u}1:-1] + {u}:-2])")
        self.g.features.add("heat")
        if self.loops or self.work * 4 >= MAX_WORK or self.chance(0.3):
            self.emit(line)
            return False
        header, lo, hi, trips = self.range_header()
        i = self.new_name("i")
        self.emit(f"for {i} in {header}:")

        def prologue():
            self.define(Var(i, INT, max(abs(lo), abs(hi)), lo, hi, fixed=True))
            self.emit(line)
        self.loop_body(trips, self.rng.randint(0, 2), prologue)
        return False

    def st_slice_write(self):
        return self.write_slice(self.rng.choice(self.visible(lambda v: v.writable)))

    def st_read_write(self):
        """A read of a buffer (element, slice copy or whole-array expression), then a write
        into it (maybe in a nested loop or branch), then a use of both."""
        v = self.rng.choice(self.visible(lambda v: v.writable))
        shape = v.ty[1]
        r = self.rng.random()
        name = self.new_name("t")
        if r < 0.35:
            idx = ", ".join(self.index_expr(n) for n in shape)
            read = self.define(Var(name, FLOAT, v.bound))
            self.emit(f"{name} = {v.name}[{idx}]")
        elif r < 0.65 and shape[0] >= 3:
            form = self.rng.choice(["{b}[1:3] * 1.0", "{b}[1:3] + 0.0", "np.copy({b}[1:3])",
                                    "{b}[1:3].copy()", "np.sin({b}[1:3])"])
            read = self.define(Var(name, arr(2, *shape[1:]), v.bound))
            self.emit(f"{name} = {form.format(b=v.name)}")
        else:
            form = self.rng.choice(["np.tanh({b})", "{b} * 1.0", "np.sin({b}) + 0.0", "{b} * {b}",
                                    "np.copy({b})"])
            read = self.define(Var(name, v.ty, 1.0 if "n(" in form else v.bound ** 2))
            self.emit(f"{name} = {form.format(b=v.name)}")
        where = self.rng.random()
        if where < 0.3 and self.work * 3 < MAX_WORK:
            trips = self.rng.randint(1, 3)
            j = self.new_name("j")
            self.emit(f"for {j} in range({trips}):")
            self.indent += 1
            self.loops.append(trips)
            self.scope = Scope(self.scope)
            self.define(Var(j, INT, trips, 0, trips - 1, fixed=True))
            self.write_into(v)
            self.scope = self.scope.parent
            self.loops.pop()
            self.indent -= 1
        elif where < 0.55:
            self.emit(f"if {self.condition(1)}:")
            self.indent += 1
            self.branch_depth += 1
            self.write_into(v)
            if self.chance(0.4):
                self.indent -= 1
                self.emit("else:")
                self.indent += 1
                self.write_into(v)
            self.branch_depth -= 1
            self.indent -= 1
        else:
            self.write_into(v)
        if read.ty == FLOAT:
            use = f"math.tanh({name} * {self.array_to_float(0)[0]})"
        elif read.ty == v.ty:
            use = f"math.tanh(np.sum({name} * {v.name}))"
        else:
            use = f"math.tanh(np.sum({name}) + np.mean({v.name}))"
        s = self.define(Var(self.new_name("s"), FLOAT, 1.0))
        self.emit(f"{s.name} = {use}")
        self.g.features.add("read_then_write")
        return False

    def st_view(self):
        """A view of an array bound to a name; its base is never written afterwards (that is
        rejected: '... may share memory')."""
        base = self.rng.choice(self.arrays())
        shape = base.ty[1]
        options = []
        if len(shape) == 1:
            n = shape[0]
            if n >= 3:
                options += [("{b}[1:3]", (2,)), ("{b}[1:]", (n - 1,)), ("{b}[::2]", ((n + 1) // 2,))]
            options += [("{b}[::-1]", (n,)), ("{b}.reshape(1, %d)" % n, (1, n)), ("{b}.T", (n,))]
            if n % 2 == 0:
                options += [("{b}.reshape(2, %d)" % (n // 2), (2, n // 2))]
        else:
            m, k = shape
            options += [("{b}.T", (k, m)), ("np.transpose({b})", (k, m)),
                        ("{b}.reshape(%d)" % (m * k), (m * k,)), ("{b}.reshape(%d, %d)" % (k, m), (k, m)),
                        ("{b}[%s]" % self.index_expr(m), (k,)), ("{b}[:, %s]" % self.index_expr(k), (m,)),
                        ("{b}.ravel()", (m * k,)), ("{b}[1:]", (m - 1, k))]
        form, vshape = self.rng.choice(options)
        if 0 in vshape:
            return self.st_assign_new()
        view = self.define(Var(self.new_name("v"), arr(*vshape), base.bound))
        self.emit(f"{view.name} = {form.format(b=base.name)}")
        base.viewed = True
        for other in base.group or ():
            other.viewed = True
            other.writable = False
        if base.writable:
            base.writable = False
            self.g.features.add("view_of_buffer")
        self.g.features.add("view")
        return False

    def st_if(self):
        cond = self.condition(2)
        self.emit(f"if {cond}:")
        self.sub_block(self.rng.randint(1, 3))
        r = self.rng.random()
        if r < 0.3:
            return False
        # elif chains
        while r < 0.5:
            self.emit(f"elif {self.condition(2)}:")
            self.sub_block(self.rng.randint(1, 2))
            self.g.features.add("elif")
            r = self.rng.random() + 0.2
        self.emit("else:")
        self.sub_block(self.rng.randint(1, 3))
        self.g.features.add("else")
        return False

    def sub_block(self, n, before=None):
        self.indent += 1
        self.branch_depth += 1
        self.scope = Scope(self.scope)
        if before:
            before()
        ended = self.block(n)
        if not self.lines[-1].startswith("    " * self.indent):
            self.emit("pass")
        self.scope = self.scope.parent
        self.branch_depth -= 1
        self.indent -= 1
        return ended

    def loop_body(self, trips, n, prologue=None, targets=(), body=None, iterating=()):
        """The body of a loop: ``targets`` (the loop's variables) are bound in it,
        ``prologue`` emits its first lines, then ``body()`` (or ``n`` statements)."""
        self.indent += 1
        self.loops.append(trips)
        self.loop_frames.append([t for t in targets if t.ty == INT])
        self.iterating.append(list(iterating))
        outer = self.scope
        self.scope = Scope(outer)
        for t in targets:
            self.define(t)
        if prologue:
            prologue()
        if body is not None:
            body()
        else:
            self.block(n)
        if not self.lines[-1].startswith("    " * self.indent):
            self.emit("pass")
        self.scope = outer
        self.iterating.pop()
        self.loop_frames.pop()
        self.loops.pop()
        self.indent -= 1

    def range_header(self):
        """(range(...) source, (lo, hi) of the index, max trips)."""
        ints = [v for v in self.ints() if v.param]
        arrays = [v for v in self.arrays() if len(v.ty[1]) == 1]
        options = []
        for n in ints:
            N = n.hi
            options += [(f"range({n.name})", 0, N - 1, N), (f"range(1, {n.name})", 1, N - 1, N - 1),
                        (f"range({n.name} - 1, -1, -1)", 0, N - 1, N),
                        (f"range(0, {n.name}, 2)", 0, N - 1, (N + 1) // 2),
                        (f"range({n.name}, 0, -1)", 1, N, N),
                        (f"range(2, {n.name} + 2)", 2, N + 1, N)]
        for a in arrays:
            L = a.ty[1][0]
            options += [(f"range(len({a.name}))", 0, L - 1, L), (f"range(1, len({a.name}))", 1, L - 1, L - 1),
                        (f"range(len({a.name}) - 1, 0, -1)", 1, L - 1, L - 1)]
        for a in self.arrays():
            if len(a.ty[1]) == 2:
                m, k = a.ty[1]
                options += [(f"range({a.name}.shape[0])", 0, m - 1, m),
                            (f"range({a.name}.shape[1])", 0, k - 1, k)]
        c = self.rng.randint(1, 4)
        options += [(f"range({c})", 0, c - 1, c)]
        # loops whose trip count is a runtime int are preferred
        header, lo, hi, trips = self.rng.choice(options)
        return header, lo, max(lo, hi), max(trips, 0)

    def st_for(self):
        # not over arrays that are written into: the loop keeps a second name for the array
        # ("'a' and '_e_array' are the same array")
        arrays1 = [v for v in self.arrays() if not v.writable]
        if arrays1 and self.chance(0.15):
            a = self.rng.choice(arrays1)
            e = self.new_name("e")
            self.emit(f"for {e} in {a.name}:")
            shape = a.ty[1]
            if len(shape) == 1:
                var = Var(e, FLOAT, a.bound, fixed=True)
            else:
                var = Var(e, arr(shape[1]), a.bound, fixed=True)
            self.loop_names.append(e)
            self.loop_body(shape[0], self.rng.randint(1, 4), targets=[var], iterating=[a.name])
            self.g.features.add("for_each")
            return False
        header, lo, hi, trips = self.range_header()
        i = self.new_name("i")
        self.emit(f"for {i} in {header}:")
        self.loop_names.append(i)
        self.loop_body(trips, self.rng.randint(1, 4),
                       targets=[Var(i, INT, max(abs(lo), abs(hi)), lo, hi, fixed=True, loop_var=True)])
        self.g.features.add("for")
        return False

    def st_while(self):
        k, header, prologue, L = self.while_header(squared=True)
        self.emit(header)
        self.loop_body(L, self.rng.randint(1, 4), prologue)
        return False

    def st_jump(self):
        kind = self.rng.choice(["break", "continue"])
        cond = self.condition(1)
        self.emit(f"if {cond}:")
        self.indent += 1
        if self.chance(0.3):
            self.branch_depth += 1
            self.scope = Scope(self.scope)
            self.block(1)
            self.scope = self.scope.parent
            self.branch_depth -= 1
        self.emit(kind)
        self.indent -= 1
        self.g.features.add(kind)
        return False

    def live_terms(self):
        """Terms that make the return value depend on several variables in scope."""
        candidates = [v for v in self.visible() if v.ty in (FLOAT, BOOL) or is_arr(v.ty)]
        picked = self.rng.sample(candidates, min(len(candidates), self.rng.randint(0, 3)))
        terms = []
        for v in picked:
            c = self.rng.choice(["0.5", "0.3", "1.0", "-0.7"])
            if v.ty == FLOAT:
                terms.append(f"{c} * {v.name}" if v.bound <= LIMIT else f"{c} * math.tanh({v.name})")
            elif v.ty == BOOL:
                terms.append(f"(0.5 if {v.name} else -0.5)")
            else:
                terms.append(self.rng.choice([f"{c} * np.sum(np.tanh({v.name}))",
                                              f"{c} * np.mean({v.name})"]))
        return terms

    def return_expr(self):
        ret = self.returns
        if ret == FLOAT:
            return " + ".join([self.float_expr(3)[0]] + self.live_terms() + self.after_terms())
        if ret == ("tuple", 2):
            terms = self.live_terms()
            first = " + ".join([self.float_expr(2)[0]] + terms[:1])
            second = " + ".join([self.float_expr(2)[0]] + terms[1:] + self.after_terms())
            return f"{first}, {second}"
        return self.fresh_array_expr(ret[1], 2)[0]

    def after_terms(self):
        """Terms reading the variables bound by a loop or on some paths only (those still
        visible), so that the result depends on them."""
        out = []
        for v in self.after:
            if self.lookup(v.name) is not v or not self.chance(0.6):
                continue
            if v.ty == FLOAT:
                out.append(f"0.5 * {v.name}" if v.bound <= LIMIT else f"0.5 * math.tanh({v.name})")
            elif v.ty == INT:
                out.append(f"0.1 * {v.name}")
            elif is_arr(v.ty):
                out.append(f"0.3 * np.mean({v.name})")
        return out

    def call_unused_helpers(self):
        """Bind a call of every helper not called yet (so every helper is exercised)."""
        for h in self.g.helpers:
            if h.name in self.g.called:
                continue
            if h.returns == FLOAT or h.returns == ("tuple", 2):
                call = self.helper_call_of(h)
                if h.returns == FLOAT:
                    v = self.define(Var(self.new_name("s"), FLOAT, h.bound))
                    self.emit(f"{v.name} = {call}")
                else:
                    a, b = self.new_name("s"), self.new_name("s")
                    self.define(Var(a, FLOAT, h.bound))
                    self.define(Var(b, FLOAT, h.bound))
                    self.emit(f"{a}, {b} = {call}")
            else:
                call = self.helper_call_of(h)
                v = self.define(Var(self.new_name("u"), h.returns, h.bound))
                self.emit(f"{v.name} = {call}")

    def st_early_return(self):
        self.returned = True
        self.emit(f"if {self.condition(1)}:")
        self.indent += 1
        self.emit(f"return {self.return_expr()}")
        self.indent -= 1
        self.g.features.add("early_return")
        return False


    # -- issue 10: Python's semantics of loop variables, partly bound names, enumerate/zip,
    # loop else clauses, aliases, opaque constructors --------------------------------------
    def enclosing_for_vars(self):
        """The int targets of the enclosing for loops that are visible under their name."""
        return [v for frame in self.loop_frames for v in frame if self.lookup(v.name) is v]

    def bounded_float_expr(self, depth=2):
        e, b = self.float_expr(depth)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        return e, b

    def read_after(self, var):
        """A statement reading ``var`` (bound by a loop or on some paths only), which the
        return then reads too (mostly)."""
        self.after.append(var)
        name = self.new_name("s")
        if var.ty == INT:
            leaf, bl = self.float_leaf()
            form = self.rng.choice(["{l} * (0.25 * {v})", "{l} + 0.1 * {v}", "({v} % 3) * 0.5 * {l}",
                                    "float({v}) * 0.2"])
            e, b = form.format(l=leaf, v=var.name), bl * (1 + 0.25 * var.bound)
        elif is_arr(var.ty):
            e, b = self.rng.choice([(f"np.sum(np.tanh({var.name}))", float(np.prod(var.ty[1]))),
                                    (f"np.mean({var.name})", var.bound)])
        else:
            other, bo = self.float_expr(1)
            form = self.rng.choice(["{v} * {o}", "{v} + {o}", "math.tanh({v}) * {o}", "{v}"])
            e, b = form.format(v=var.name, o=other), var.bound * max(bo, 1.0) + bo
        e, b = self.squash(e, b)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        reuse = self.reassignable(lambda t: t == FLOAT)
        if reuse and self.chance(0.35):
            v = self.rng.choice(reuse)
            self.emit(f"{v.name} = {v.name} * 0.5 + 0.5 * math.tanh({e})" if self.loops
                      else f"{v.name} = {v.name} + {e}")
            self.update_bound(v.name, v.bound + 1.0 if self.loops else v.bound + b)
            return
        self.define(Var(name, FLOAT, b))
        self.emit(f"{name} = {e}")

    # iterables of for loops: (text, element type, length, element bound, (lo, hi) of ints)
    def iterable(self, ranges=0.35):
        arrays = [v for v in self.arrays() if not v.writable]
        if not arrays or self.chance(ranges):
            header, lo, hi, trips = self.range_header()
            return header, INT, trips, max(abs(lo), abs(hi)), (lo, hi)
        a = self.rng.choice(arrays)
        shape = a.ty[1]
        if len(shape) == 2:
            m, k = shape
            if self.chance(0.25):
                return f"{a.name}.T", arr(m), k, a.bound, None
            return a.name, arr(k), m, a.bound, None
        L = shape[0]
        if self.chance(0.3):
            text, n = self.rng.choice([(f"{a.name}[1:]", L - 1), (f"{a.name}[:-1]", L - 1),
                                       (f"{a.name}[::-1]", L), (f"{a.name}[::2]", (L + 1) // 2)])
            return text, FLOAT, n, a.bound, None
        return a.name, FLOAT, L, a.bound, None

    def target_var(self, name, ty, bound, ints):
        if ty == INT:
            lo, hi = ints
            return Var(name, INT, max(abs(lo), abs(hi), 1), lo, max(lo, hi), fixed=True, loop_var=True)
        if ty == FLOAT:
            # a loop variable the body may reassign (the next iteration rebinds it)
            return Var(name, FLOAT, bound, fixed=self.chance(0.6))
        return Var(name, ty, bound, fixed=True)

    def enum_zip_spec(self, index_name=None):
        """(target text, iterable text, target Vars, trips, iterated array names) of an
        enumerate/zip loop; ``index_name`` reuses a name for enumerate's index."""
        kind = self.rng.choice(["enumerate", "enumerate", "zip", "zip", "enumerate_zip"])
        if index_name is not None and kind == "zip":
            kind = "enumerate"
        parts = [self.iterable() for _ in range(1 if kind == "enumerate" else
                                                 (3 if self.chance(0.12) else 2))]
        trips = min(p[2] for p in parts)
        names = [self.new_name("e") for _ in parts]
        targets = [self.target_var(n, p[1], p[3], p[4]) for n, p in zip(names, parts)]
        # (zip stops at the shortest iterable: an int element keeps its range's bounds)
        iterating = [p[0].split("[")[0].split(".")[0] for p in parts if p[1] != INT]
        inner = ", ".join(p[0] for p in parts)
        if kind == "zip":
            self.g.features.add("zip")
            return ", ".join(names), f"zip({inner})", targets, trips, iterating
        start = 0
        if self.chance(0.15):
            start = self.rng.choice([1, 2])
        i = index_name or self.new_name("i")
        index = Var(i, INT, max(trips + start, 1), start, max(start, start + trips - 1), fixed=True,
                    loop_var=True)
        call = f"zip({inner})" if kind == "enumerate_zip" else inner
        call = f"enumerate({call})" if start == 0 else f"enumerate({call}, {start})"
        target = names[0] if kind == "enumerate" else f"({', '.join(names)})"
        self.g.features.add("enumerate_zip" if kind == "enumerate_zip" else "enumerate")
        if "range(" in inner:
            self.g.features.add("enum_zip_range")
        return f"{i}, {target}", call, [index] + targets, trips, iterating

    def loop_spec(self, kinds=("range", "each", "enum")):
        """(header line, target Vars, trips, iterated arrays) of a for loop."""
        kind = self.rng.choice(kinds)
        if kind == "enum":
            target, call, targets, trips, iterating = self.enum_zip_spec()
            return f"for {target} in {call}:", targets, trips, iterating
        if kind == "each":
            text, ty, n, bound, ints = self.iterable(ranges=0.0)
            if ty != INT:
                e = self.new_name("e")
                self.g.features.add("for_each")
                return f"for {e} in {text}:", [self.target_var(e, ty, bound, ints)], n, \
                    [text.split("[")[0].split(".")[0]]
        header, lo, hi, trips = self.range_header()
        i = self.new_name("i")
        return f"for {i} in {header}:", [self.target_var(i, INT, 0, (lo, hi))], trips, []

    def emit_for(self, header, targets, trips, iterating, body):
        self.emit(header)
        self.loop_names += [t.name for t in targets]
        self.loop_body(trips, 0, targets=targets, body=body, iterating=iterating)

    def st_for_enum(self):
        """``for i, v in enumerate(x)``, ``for a, b in zip(x, y)``, ``for i, (a, b) in
        enumerate(zip(x, y))`` over 1-d arrays, rows of 2-d arrays, slices and ranges."""
        target, call, targets, trips, iterating = self.enum_zip_spec()
        self.emit_for(f"for {target} in {call}:", targets, trips, iterating,
                      lambda: self.block(self.rng.randint(1, 4)))
        return False

    def st_shadow(self):
        """A nested loop reusing an enclosing loop's variable: after it the name holds the
        nested loop's last value (or the outer one's when it ran zero times)."""
        outer = self.rng.choice(self.enclosing_for_vars())
        if self.chance(0.25):
            target, call, targets, trips, iterating = self.enum_zip_spec(index_name=outer.name)
            header = f"for {target} in {call}:"
        else:
            if self.chance(0.5):
                c = self.rng.randint(0, 3)
                header, lo, hi, trips = f"range({c})", 0, max(c - 1, 0), c
            else:
                header, lo, hi, trips = self.range_header()
            header = f"for {outer.name} in {header}:"
            targets, iterating = [Var(outer.name, INT, max(abs(lo), abs(hi), 1), lo, max(lo, hi),
                                      fixed=True, loop_var=True)], []
        self.emit_for(header, targets, trips, iterating, lambda: self.block(self.rng.randint(1, 3)))
        inner = targets[0]
        self.widen(outer, inner.lo, inner.hi)
        self.g.features.add("shadowed_loop_var")
        if self.chance(0.7):
            self.read_after(outer)
        return False

    def st_loop_var_set(self):
        """The loop variable reassigned in its body (the next iteration rebinds it)."""
        v = self.rng.choice([v for v in self.loop_frames[-1] if self.lookup(v.name) is v])
        c = self.rng.randint(1, 4)
        forms = [(f"{v.name} = {v.name} + 1", v.lo + 1, v.hi + 1),
                 (f"{v.name} += {c}", v.lo + c, v.hi + c),
                 (f"{v.name} -= 1", v.lo - 1, v.hi - 1),
                 (f"{v.name} = ({v.name} + 1) % 3", 0, 2),
                 (f"{v.name} = {c} - {v.name}", c - v.hi, c - v.lo),
                 (f"{v.name} = {v.name} // 2", v.lo // 2, v.hi // 2),
                 (f"{v.name} = min({v.name}, {c})", min(v.lo, c), min(v.hi, c))]
        if v.lo >= 0:
            forms.append((f"{v.name} = {v.name} * 2", 2 * v.lo, 2 * v.hi))
        line, lo, hi = self.rng.choice(forms)
        self.emit(line)
        self.widen(v, lo, hi)
        self.g.features.add("loop_var_reassigned")
        return False

    def st_loop_after(self):
        """A loop whose variables, and a variable ``last`` it assigns (maybe only in a
        branch), are read after it: unbound if it ran zero times (or never took the branch)
        and nothing bound them before."""
        r = self.rng.random()
        prebound = {}
        last = self.new_name("last")
        in_branch = self.chance(0.3)

        def body(lead=None):
            if lead:
                lead()
            self.block(self.rng.randint(0, 2))
            if in_branch:
                self.emit(f"if {self.condition(1)}:")
                self.indent += 1
            e, b = self.bounded_float_expr(2)
            self.emit(f"{last} = {e}")
            holder["last"] = Var(last, FLOAT, b)
            if in_branch:
                self.indent -= 1
            self.block(self.rng.randint(0, 2))
        holder = {}
        if r < 0.75:
            header, targets, trips, iterating = self.loop_spec()
            # sometimes the loop variable has a value before the loop (kept at zero trips)
            if self.chance(0.3):
                t = targets[0] if targets[0].ty == INT else None
                if t is not None:
                    c = self.rng.randint(-1, 2)
                    self.emit(f"{t.name} = {c}")
                    prebound[t.name] = (c, c)
            self.emit_for(header, targets, trips, iterating, body)
            if any(is_arr(t.ty) for t in targets):
                # a row read after the loop is a view of the array it iterated: that array
                # is written no more (see AVOIDED)
                for name in iterating:
                    base = self.lookup(name)
                    for v in (base.group or [base]) if base is not None else ():
                        v.viewed, v.writable = True, False
            for t in targets:
                if t.ty == INT:
                    lo, hi = t.lo, t.hi
                    if t.name in prebound:
                        lo, hi = min(lo, prebound[t.name][0]), max(hi, prebound[t.name][1])
                    v = self.define(Var(t.name, INT, max(abs(lo), abs(hi), 1), lo, hi, fixed=True))
                else:
                    v = self.define(Var(t.name, t.ty, t.bound, fixed=True))
                if self.chance(0.6):
                    self.read_after(v)
                else:
                    self.after.append(v)
            self.g.features.add("loop_var_after_loop")
        else:
            k, header, prologue, L = self.while_header()
            self.emit(header)
            self.loop_body(L, 0, prologue, body=body)
        if "last" in holder:
            v = self.define(holder["last"])
            self.read_after(v)
            self.g.features.add("assigned_in_loop_read_after")
            if in_branch:
                self.g.features.add("assigned_in_loop_branch")
        return False

    def while_header(self, squared=False):
        """(counter Var, header line, prologue, trips) of a counted while loop (the
        counter's ``= 0`` is emitted here); ``squared`` also draws conditions on a square."""
        floats = self.floats()
        limit_opts = [(v.name, v.hi) for v in self.ints() if v.param] + [(str(c), c) for c in (3, 5)]
        limit, L = self.rng.choice(limit_opts)
        k = self.define(Var(self.new_name("k"), INT, max(L, 1), 0, max(L, 0), fixed=True,
                            counter=True))
        self.emit(f"{k.name} = 0")
        if floats and self.chance(0.8):
            s = self.rng.choice(floats)
            c = fmt(round(self.rng.uniform(0.5, 6.0), 2))
            cond = self.rng.choice([f"{s.name} < {c}", f"abs({s.name}) < {c}", f"{s.name} > -{c}"]
                                   + ([f"{s.name} * {s.name} < {c}"] if squared else []))
            header = f"while {k.name} < {limit} and {cond}:"
        else:
            header = f"while {k.name} < {limit}:"

        def prologue():
            self.emit(f"{k.name} += 1")
            self.define(Var(k.name, INT, k.bound, 1, max(L, 1), fixed=True, counter=True))
        self.g.features.add("while")
        return k, header, prologue, L

    def emit_break(self):
        self.emit(f"if {self.condition(1)}:")
        self.indent += 1
        self.emit("break")
        self.indent -= 1
        self.g.features.add("break")

    def st_loop_else(self):
        """``for ... else`` / ``while ... else``: the else clause runs when the loop ends
        without break. Half of them are searches that bind a name in the loop (before its
        break) and in the else clause, so it is bound after the loop either way."""
        search = self.chance(0.5)
        found = self.new_name("found") if search else None
        holder = {}

        def body():
            self.block(self.rng.randint(0, 2))
            if search:
                self.emit(f"if {self.condition(1)}:")
                self.indent += 1
                e, b = self.bounded_float_expr(2)
                self.emit(f"{found} = {e}")
                holder["b"] = b
                self.emit("break")
                self.indent -= 1
                self.g.features.add("break")
            elif self.chance(0.7):
                self.emit_break()
            self.block(self.rng.randint(0, 2))

        if self.chance(0.72):
            header, targets, trips, iterating = self.loop_spec()
            self.emit_for(header, targets, trips, iterating, body)
            self.g.features.add("for_else")
        else:
            k, header, prologue, L = self.while_header()
            self.emit(header)
            self.loop_body(L, 0, prologue, body=body)
            self.g.features.add("while_else")
        self.emit("else:")

        def else_part():
            if search:
                e, b = self.bounded_float_expr(2)
                self.emit(f"{found} = {e}")
                holder["b"] = max(holder.get("b", 0.0), b)
        self.sub_block(self.rng.randint(0 if search else 1, 2), before=else_part)
        if search:
            v = self.define(Var(found, FLOAT, holder.get("b", 1.0)))
            self.read_after(v)
            self.g.features.add("loop_else_search")
        return False

    def st_partial(self):
        """A name bound on some paths only: read where it may be unbound (Python raises
        UnboundLocalError there), or only where it is bound (the same flag, an early return
        on the other path, or every branch assigning it)."""
        arrays = self.g.use_arrays and self.g.shapes and self.chance(0.2)
        name = self.new_name("u" if arrays else "w")
        shape = self.rng.choice(self.g.shapes) if arrays else None

        def value():
            if arrays:
                e, b = self.fresh_array_expr(shape, 1)
                if self.loops:
                    e, b = f"np.tanh({e})", 1.0
                return e, b, arr(*shape)
            e, b = self.bounded_float_expr(2)
            return e, b, FLOAT

        def assign_branch():
            self.indent += 1
            self.branch_depth += 1
            self.scope = Scope(self.scope)
            if self.chance(0.3):
                self.block(1)
            e, b, ty = value()
            self.emit(f"{name} = {e}")
            self.scope = self.scope.parent
            self.branch_depth -= 1
            self.indent -= 1
            return b, ty

        r = self.rng.random()
        if r < 0.3:
            # maybe unbound where read
            self.emit(f"if {self.condition(2)}:")
            b, ty = assign_branch()
            if self.chance(0.4):
                self.emit("else:")
                self.sub_block(self.rng.randint(1, 2))
            v = self.define(Var(name, ty, b))
            self.read_after(v)
            self.g.features.add("maybe_unbound_read")
            return False
        if r < 0.5:
            # bound exactly where read: under the same flag
            flag = self.define(Var(self.new_name("flag"), BOOL))
            self.emit(f"{flag.name} = {self.condition(1)}")
            self.emit(f"if {flag.name}:")
            b, ty = assign_branch()
            self.block(self.rng.randint(0, 2))
            v = Var(name, ty, b)
            if ty == FLOAT and self.chance(0.5):
                s = self.define(Var(self.new_name("s"), FLOAT, b + 1.0))
                other, bo = self.const()
                self.emit(f"{s.name} = {name} if {flag.name} else {other}")
                self.after.append(s)
            else:
                self.emit(f"if {flag.name}:")
                self.indent += 1
                self.branch_depth += 1
                self.scope = Scope(self.scope)
                self.define(v)
                self.read_after(v)
                self.scope = self.scope.parent
                self.branch_depth -= 1
                self.indent -= 1
            self.g.features.add("bound_under_flag")
            return False
        if r < 0.78:
            # if/elif/else: bound on every path, or (no else) maybe not
            self.emit(f"if {self.condition(2)}:")
            b, ty = assign_branch()
            while self.chance(0.4):
                self.emit(f"elif {self.condition(1)}:")
                b2, _ = assign_branch()
                b = max(b, b2)
            every = self.chance(0.7)
            if every:
                self.emit("else:")
                b2, _ = assign_branch()
                b = max(b, b2)
                self.g.features.add("bound_on_every_branch")
            else:
                self.g.features.add("maybe_unbound_read")
            v = self.define(Var(name, ty, b))
            self.read_after(v)
            return False
        # the other path returns
        cond = self.condition(2)
        self.emit(f"if {cond}:")
        b, ty = assign_branch()
        self.emit("else:")
        self.indent += 1
        self.emit(f"return {self.return_expr()}")
        self.indent -= 1
        self.returned = True
        v = self.define(Var(name, ty, b))
        self.read_after(v)
        self.g.features.add("bound_or_returned")
        self.g.features.add("early_return")
        return False

    def alias_sources(self):
        """Arrays a plain alias (``c = b``) may be made of, to write through either name:
        arrays written into already, and (in the entry function) array parameters nothing
        has viewed or iterates over."""
        iterated = {n for frame in self.iterating for n in frame}
        out = [v for v in self.visible(lambda v: v.writable)]
        if not self.is_helper:
            out += [v for v in self.visible(lambda v: v.param and is_arr(v.ty) and not v.writable
                                            and not v.viewed and v.name not in iterated)]
        return out

    def st_alias(self):
        """``c = b``: both names are the same array; a write through one is seen through
        the other (also when ``b`` is a parameter: the caller's array must stay as it was)."""
        sources = self.alias_sources()
        buffers = [v for v in sources if not v.param]
        src = self.rng.choice(buffers if buffers and self.chance(0.6) else sources)
        if not src.writable:
            src.writable, src.fixed = True, True
            self.g.features.add("write_param")
        self.g.features.add("alias_of_param" if src.param else "alias_of_buffer")
        group = src.group if src.group is not None else [src]
        src.group = group
        alias = Var(self.new_name("c"), src.ty, src.bound, writable=True, fixed=True, group=group)
        group.append(alias)
        self.define(alias)
        self.emit(f"{alias.name} = {src.name}")
        self.g.features.add("alias")
        through = alias if self.chance(0.7) else src
        if self.chance(0.25):
            self.augment_whole(through)         # c += ...: writes into the shared array
        elif self.chance(0.85):
            self.write_into(through)
        seen = self.rng.choice([v for v in group if v is not through] or [through])
        if self.chance(0.7):
            self.read_after(seen)
        return False

    def augment_whole(self, v):
        """``v += e`` (or ``-=``) of a whole array: Python writes into ``v``'s memory, which
        every other name of it sees."""
        e, b = self.array_expr(v.ty[1], 1)
        if self.loops:
            e, b = f"0.3 * np.tanh({e})", 0.3 * self.work
        self.emit(f"{v.name} {self.rng.choice(['+=', '-='])} {e}")
        self.update_bound(v.name, v.bound + b)
        self.g.features.add("aug_whole_array")

    def row_view_sources(self):
        return [v for v in self.visible(lambda v: v.writable and is_arr(v.ty)
                                        and len(v.ty[1]) == 2 and not v.param)]

    def st_row_view(self):
        """``r = b[i]`` of a written matrix, then a write through the row (``r[j] = e``,
        ``r[j] += e`` or ``r += e``), which is a write into ``b``; ``b`` is not written
        afterwards (a write while the row is live in a loop is refused)."""
        base = self.rng.choice(self.row_view_sources())
        m, k = base.ty[1]
        row = self.define(Var(self.new_name("r"), arr(k), base.bound))
        self.emit(f"{row.name} = {base.name}[{self.index_expr(m)}]")
        if self.chance(0.4):
            self.augment_whole(row)
        else:
            e, b = self.float_expr(2)
            if self.loops and b > LOOP_LIMIT:
                e, b = f"np.tanh({e})", 1.0
            op = self.rng.choice(["=", "+="])
            self.emit(f"{row.name}[{self.index_expr(k)}] {op} {e}")
            row.bound = max(row.bound, b + (row.bound if op == "+=" else 0.0))
        self.update_bound(base.name, row.bound)
        for v in [base] + list(base.group or ()):
            v.writable, v.viewed = False, True
        self.g.features.add("row_view_write")
        if self.chance(0.6):
            self.read_after(base if self.chance(0.5) else row)
        return False

    # NumPy constructors without a derivative (opaque data) in expressions
    def opaque_array(self, shape):
        """An expression of ``shape`` built from np.eye/np.identity/np.tri, or None."""
        if len(shape) == 2:
            m, k = shape
            forms = [f"np.eye({m}, {k})", f"np.tri({m}, {k})"]
            if m == k:
                forms += [f"np.eye({m})", f"np.identity({m})", f"np.tri({m})"]
            return self.rng.choice(forms), 1.0
        n = shape[0]
        forms = [(f"np.eye({n})[{self.index_expr(n)}]", 1.0), (f"np.tri({n})[{self.index_expr(n)}]", 1.0)]
        if self.arrays(shape) or self.chance(0.5):
            v, bv = self.array_leaf(shape) if self.chance(0.5) else self.array_expr(shape, 0)
            forms += [(f"(np.tri({n}) @ {v})", n * bv), (f"(np.eye({n}) @ {v})", bv),
                      (f"np.identity({n}).dot({v})", bv)]
        text, bound = self.rng.choice(forms)
        return self.squash_array(text, bound)

    def st_opaque(self):
        """np.eye/np.identity/np.tri (no derivative) mixed with differentiated values."""
        self.g.features.add("opaque_constructor")
        shapes = self.g.shapes if self.g.use_arrays else []
        if shapes and self.chance(0.6):
            shape = self.rng.choice(shapes)
            a, ba = self.array_expr(shape, 1)
            f, bf = self.float_expr(1)
            op, bo = self.opaque_array(shape)
            form = self.rng.choice(["{o} * {f} + {a}", "{a} * {o}", "({a} + {o}) * {f}", "{o} + {a}"])
            e = form.format(o=op, f=f, a=a)
            bound = (ba + bo) * max(bf, 1.0)
            e, bound = self.squash_array(e, bound)
            if self.loops:
                e, bound = f"np.tanh({e})", 1.0
            v = self.define(Var(self.new_name("u"), arr(*shape), bound))
            self.emit(f"{v.name} = {e}")
            return False
        n = self.rng.randint(2, 4)
        f, bf = self.float_expr(1)
        op = self.rng.choice([f"np.sum(np.eye({n}))", f"np.sum(np.tri({n}))", f"np.sum(np.eye({n}, {n + 1}))",
                              f"np.identity({n})[{self.index_expr(n)}, {self.index_expr(n)}]",
                              f"np.max(np.tri({n}, {n + 1}))", f"np.mean(np.identity({n}))"])
        e, b = self.squash(f"{f} * {op}", bf * n * n)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        v = self.define(Var(self.new_name("s"), FLOAT, b))
        self.emit(f"{v.name} = {e}")
        return False


    def st_closure(self):
        """A nested ``def`` (with a default) or a ``lambda`` reading a variable of this
        function, called at once or after that variable is reassigned (a closure sees the
        new value, as in Python)."""
        floats = self.visible(lambda v: v.ty == FLOAT)
        free = self.rng.choice(floats) if floats else None
        free_text, free_bound = (free.name, free.bound) if free else ("1.0", 1.0)
        arrays = self.arrays() if self.g.use_arrays else []
        name = self.new_name("q")
        if arrays and self.chance(0.35):
            a = self.rng.choice(arrays)
            self.emit(f"{name} = lambda t: np.sum(np.tanh(t * {a.name})) * {free_text}")
            bound = free_bound * int(np.prod(a.ty[1]))
            calls = [f"{name}({{}})"]
            self.g.features.add("lambda_over_array")
        elif self.chance(0.5):
            self.emit(f"{name} = lambda t: np.sin(t) * {free_text}")
            bound, calls = free_bound, [f"{name}({{}})"]
            self.g.features.add("lambda")
        else:
            self.emit(f"def {name}(t, k=0.5):")
            self.emit(f"    return math.tanh(t * {free_text} + k)")
            bound, calls = 1.0, [f"{name}({{}})", f"{name}({{}}, k=0.25)", f"{name}(k=-0.5, t={{}})"]
            self.g.features.add("nested_def")
        later = [v for v in self.reassignable(lambda t: t == FLOAT) if v is free]
        if later and self.chance(0.4):
            self.emit(f"{free.name} = 0.5 * {free.name}")      # the call sees this value
            self.g.features.add("closure_late_binding")
        first, _ = self.float_expr(1)
        second, _ = self.float_expr(1)
        text = f"{self.rng.choice(calls).format(first)} + {self.rng.choice(calls).format(second)}"
        e, b = self.squash(text, 2.0 * bound)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        v = self.define(Var(self.new_name("s"), FLOAT, b))
        self.emit(f"{v.name} = {e}")
        return False


    def st_prange(self):
        """A parallel loop over a vector: each iteration writes its own element of a new
        array and accumulates into a new float, maybe in a branch (transforms/parallel.py)."""
        a = self.rng.choice(self.visible(lambda v: is_arr(v.ty) and len(v.ty[1]) == 1))
        n = a.ty[1][0]
        e, _ = self.float_expr(1)
        c = self.define(Var(self.new_name("c"), FLOAT, 1.0))
        self.emit(f"{c.name} = math.tanh({e})")
        y, s, i = self.new_name("pout"), self.new_name("r"), self.new_name("i")
        self.emit(f"{y} = np.zeros({n})")
        self.emit(f"{s} = 0.0")
        extra, q = self.rng.choice(["none", "scatter", "inner", "neighbour"]), self.new_name("q")
        if extra == "scatter":
            self.emit(f"{q} = np.zeros(3)")
        self.emit(f"for {i} in prange({n}):")
        self.indent += 1
        self.emit(self.rng.choice([f"{y}[{i}] = np.tanh({a.name}[{i}] * {c.name})",
                                   f"{y}[{i}] = math.sin({a.name}[{i}]) + {c.name} * {y}[{i}]",
                                   f"{y}[{i}] = 0.5 * math.tanh({a.name}[{i}]) - {c.name}"]))
        if self.chance(0.4):
            self.emit(f"if {a.name}[{i}] > {c.name}:")
            self.emit(f"    {s} += {y}[{i}] * {c.name}")
            self.emit("else:")
            self.emit(f"    {s} -= 0.5 * {y}[{i}]")
        else:
            self.emit(f"{s} += {y}[{i}] * {y}[{i}] + {c.name}")
        if extra == "scatter":
            # additions into elements other iterations share: private accumulators / atomics
            self.emit(f"{q}[({i} * 2 + 1) % 3] += math.sin({a.name}[{i}]) * {c.name}")
        elif extra == "inner":
            # an inner loop of fixed count saving values: slots i * m + j
            j = self.new_name("j")
            self.emit(f"for {j} in range(3):")
            self.emit(f"    {s} += math.tanh({a.name}[{i}] * {c.name} + 0.5 * {j})")
        elif extra == "neighbour":
            # reads of another iteration's input element: the adjoint adds into neighbours
            self.emit(f"{s} += {a.name}[({i} + 1) % {n}] * {y}[{i}]")
        self.indent -= 1
        if extra == "scatter":
            self.define(Var(q, arr(3), float(n), fixed=True))
        self.define(Var(y, arr(n), 1.0 + a.bound, fixed=True))
        self.define(Var(s, FLOAT, 5.0 * n, fixed=True))
        self.g.features.add("prange")
        return False

    def st_comprehension(self):
        """sum/max/min of a generator expression or a list comprehension (with a filter,
        two ``for``s, over a range or an array), or np.array of a list comprehension."""
        x, bx = self.float_expr(1)
        vectors = [v for v in self.arrays() if len(v.ty[1]) == 1] if self.g.use_arrays else []
        k = self.rng.randint(1, 4)
        if vectors and self.chance(0.6):
            a = self.rng.choice(vectors)
            n = a.ty[1][0]
            source, count, item = f"for v in {a.name}", n, f"np.sin(v * {x})"
        else:
            source, count, item = f"for i in range({k})", k, f"math.tanh({x} * i + 0.5)"
        form = self.rng.choice(["sum_gen", "sum_list", "sum_filtered", "sum_nested", "max", "min",
                                "array"] if vectors else ["sum_gen", "sum_list", "sum_filtered",
                                                          "sum_nested", "max", "min"])
        if form == "array" and not source.startswith("for v"):
            form = "sum_gen"
        if form == "array":
            v = self.define(Var(self.new_name("u"), arr(count), 1.0))
            self.emit(f"{v.name} = np.array([{item} {source}])")
            self.g.features.add("comprehension_array")
            return False
        if form == "sum_gen":
            e, b = f"sum({item} {source})", count
        elif form == "sum_list":
            e, b = f"sum([{item} {source}])", count
        elif form == "sum_filtered":
            e, b = f"sum(({item} {source} if {x} > -0.3), 0.25)", count + 0.25
        elif form == "sum_nested":
            e, b = f"sum({item} * j {source} for j in range(2))", count
        else:
            e, b = f"{form}({item} {source})", 1.0
        if form in ("max", "min") and count == 0:
            e = f"{form}({item} {source}) if {count} > 0 else 0.0"
        e, b = self.squash(e, b)
        if self.loops and b > LOOP_LIMIT:
            e, b = f"math.tanh({e})", 1.0
        v = self.define(Var(self.new_name("s"), FLOAT, b))
        self.emit(f"{v.name} = {e}")
        self.g.features.add("comprehension_" + form)
        return False


class Generator:
    def __init__(self, seed, *, use_arrays=None, max_statements=None, n_helpers=None,
                 assign_params=True, constructs=None):
        self.seed = seed
        self.rng = random.Random(seed)
        # the constructs of NEW_CONSTRUCTS this generator writes (all by default; none gives
        # exactly the programs of the generator before them)
        self.new = set(NEW_CONSTRUCTS if constructs is None else constructs)
        unknown = self.new - set(NEW_CONSTRUCTS)
        if unknown:
            raise ValueError(f"unknown constructs {sorted(unknown)}; choose from {NEW_CONSTRUCTS}")
        self.nprng = np.random.default_rng(seed)
        self.counter = 0
        self.features = set()
        self.called = set()
        self.helpers = []
        self.constants = []
        self.use_arrays = self.rng.random() < 0.45 if use_arrays is None else use_arrays
        self.max_statements = max_statements or self.rng.randint(3, 14)
        self.n_helpers = self.rng.choice([0, 0, 1, 1, 2, 3]) if n_helpers is None else n_helpers
        self.assign_params = assign_params
        self.shapes = []
        # in a third of the programs, names look like the compiler's own (this share of them)
        self.gen_names = 0.0
        if "gen_names" in self.new and self.rng.random() < 0.33:
            self.gen_names = self.rng.choice([0.25, 0.4, 0.6])

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def generate(self):
        rng = self.rng
        # arguments of the entry function
        n_float = rng.randint(1, 3)
        n_int = rng.choice([0, 1, 1, 2])
        params, args = [], []
        for k in range(n_float):
            params.append(Var(f"x{k}", FLOAT, 1.5, param=True))
            args.append(round(rng.uniform(-1.5, 1.5), 6))
        for k in range(n_int):
            value = rng.randint(0, 5) if rng.random() < 0.9 else rng.randint(6, 9)
            params.append(Var(f"n{k}", INT, value, value, value, fixed=True, param=True))
            args.append(value)
        if self.use_arrays:
            n_arr = rng.choice([1, 1, 2, 3])
            for k in range(n_arr):
                if rng.random() < 0.25:
                    shape = (rng.randint(2, 4), rng.randint(2, 4))
                else:
                    shape = (rng.randint(2, 6),)
                if self.shapes and rng.random() < 0.4:
                    shape = rng.choice(self.shapes)
                params.append(Var(f"a{k}", arr(*shape), 2.5, writable=rng.random() < 0.2, param=True))
                params[-1].fixed = params[-1].writable
                args.append(np.round(self.nprng.normal(0.0, 0.8, size=shape), 6))
                if shape not in self.shapes:
                    self.shapes.append(shape)
        order = list(range(len(params)))
        rng.shuffle(order)
        params = [params[i] for i in order]
        args = [args[i] for i in order]
        if self.gen_names:
            # parameters named like the generated code's own names (bout, bx0 for a
            # parameter x0, n, ...)
            names = [p.name for p in params]
            for p in params:
                if rng.random() < 0.3:
                    pool = PARAM_NAMES + [f"{c}{q}" for q in names for c in "bd"] + \
                        [f"{q}_" for q in names]
                    free = [w for w in pool if w not in names]
                    new = rng.choice(free)
                    names[names.index(p.name)] = new
                    p.name = new
            self.features.add("generated_name")
        if any(p.writable for p in params):
            self.features.add("write_param")
        # module constants
        for k in range(rng.choice([0, 0, 1, 2])):
            self.constants.append((f"C{k}", round(rng.uniform(-1.5, 1.5), 3)))
        # helpers
        helper_sources = []
        for k in range(self.n_helpers):
            helper_sources.append(self.make_helper(f"h{k}"))
        # entry function
        ret = ("tuple", 2) if rng.random() < 0.12 else FLOAT
        fg = FunctionGen(self, "f", params, ret, False, self.max_statements)
        fg.block(self.max_statements)
        fg.call_unused_helpers()
        fg.emit(f"return {fg.return_expr()}")
        signature = ", ".join(p.name for p in params)
        lines = ["import math", "", "import numpy as np", "from numba import prange", ""]
        lines += [f"{name} = {value!r}" for name, value in self.constants]
        lines += [""]
        for src in helper_sources:
            lines += ["", src, ""]
        lines += ["", f"def f({signature}):"] + fg.lines + [""]
        source = "\n".join(lines)
        if ret != FLOAT:
            self.features.add("tuple_output")
        if self.use_arrays:
            self.features.add("arrays")
        return Program(source, tuple(args), self.seed, "f", set(self.features))

    def make_helper(self, name):
        rng = self.rng
        n_params = rng.randint(1, 3)
        params = []
        sig = []
        for k in range(n_params):
            pname = f"p{k}"
            ty = FLOAT
            if self.use_arrays and self.shapes and rng.random() < 0.35:
                ty = arr(*rng.choice(self.shapes))
            elif rng.random() < 0.12:
                ty = INT
            default = None
            if k == n_params - 1 and k > 0 and ty == FLOAT and rng.random() < 0.5:
                default = fmt(round(rng.uniform(-1.0, 1.0), 2))
            if ty == INT:
                value = rng.randint(1, 3)
                var = Var(pname, INT, 9, 0, 9, fixed=True, param=True)
                default = str(value)      # int params always have a default
            else:
                var = Var(pname, ty, 2.5, param=True)
            params.append(var)
            sig.append((pname, ty, default))
        # int params must come after non-default params: put defaults last
        order = sorted(range(n_params), key=lambda i: sig[i][2] is not None)
        params = [params[i] for i in order]
        sig = [sig[i] for i in order]
        r = rng.random()
        if r < 0.6:
            returns = FLOAT
        elif r < 0.8 or not (self.use_arrays and self.shapes):
            returns = ("tuple", 2)
        else:
            returns = arr(*rng.choice(self.shapes))
        fg = FunctionGen(self, name, params, returns, True, rng.randint(1, 5))
        # int params of helpers are used as trip counts only with their default value
        for p in params:
            if p.ty == INT:
                p.fixed = True
        fg.block(fg.budget)
        fg.emit(f"return {fg.return_expr()}")
        header = ", ".join(p if d is None else f"{p}={d}" for p, _, d in sig)
        helper = Helper(name, sig, returns, has_buffer=fg.has_buffer, bound=LIMIT)
        self.helpers.append(helper)
        src = "\n".join([f"def {name}({header}):"] + fg.lines)
        return src


def generate(seed, **options):
    """The program for ``seed`` (deterministic)."""
    return Generator(seed, **options).generate()
