"""Printing IR as Python source people can read: ``bx`` is the adjoint of ``x``, ``dx`` its
tangent, and each group of statements carries a comment naming the user's line."""
import keyword
import math

import numpy as np

from ..ir.nodes import (Var, Const, Op, If, For, While, FLOAT, ArrayType, is_array, WRITES_IN_PLACE, RESTORES,
                        CHECKS, child_blocks, stmt_uses, walk_stmts)
from ..rules import PRIMITIVES
from .intranges import IntRanges
from .fusion import RunFinder
from ..transforms.parallel import buffer_versions
from ..transforms.cleanup import storage_families

#: names the generated code uses as globals and builtins: never given to a local
_RESERVED = {"np", "math", "_rt", "prange", "range", "abs", "min", "max", "int", "float", "round",
             "len", "bool", "True", "False", "None", "UnboundLocalError"}


def literal(const, as_float=False):
    v = const.value
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, int) and not as_float:
        return repr(v) if v >= 0 else f"({v})"
    v = float(v)
    if math.isnan(v):
        return "np.nan"
    if math.isinf(v):
        return "np.inf" if v > 0 else "(-np.inf)"
    text = repr(v)
    # -0.0 too: printed bare, (-0.0) ** 2 would read -(0.0 ** 2)
    return text if math.copysign(1.0, v) > 0 else f"({text})"


#: how the ops on a slice ``x[s]`` of an array print ({0}: ``x[s]``, {1}: the value)
_SLICE_FORMS = {"slice": "{0}", "slice_copy": "{0}.copy()", "slice_add": "{0} += {1}",
                "setslice": "{0} = {1}", "restore_slice": "{0} = {1}", "zero_slice": "{0} = 0.0"}


def placeholder_text(type_):
    """A value of ``type_`` that is never read (an empty array for arrays)."""
    if is_array(type_):
        dtype = "np.bool_" if type_.dtype == "bool" else f"np.{type_.dtype}"
        return f"np.empty({(0,) * type_.ndim}, {dtype})"
    return {"bool": "False", "int": "0"}.get(type_, "0.0")


def _is_float32_array(var):
    return var is not None and is_array(var.type) and var.type.dtype == "float32"


def _is_number(atom):
    return not is_array(atom.type) and atom.type != "bool"


def _as_float32(text):
    """A scalar operand of a float32 array operation, made float32: NumPy keeps float32 for
    ``x * 0.5`` (a Python float is weak), but Numba would compute in float64, and a float64
    cotangent scalar would widen a float32 derivative the IR types as float32."""
    return f"np.float32({text})"


def nested_array_expressions(fn, family=None):
    """Elementwise array results used once, by the next ops of their own block, with nothing
    between that writes or checks: {Var: its Op}. The writer prints each inside the
    expression using it (``1.0 / (1.0 + np.exp(-(a * w + b)))``), which Numba compiles to one
    loop and one new array instead of one per op (a 14-element LSTM gate: 170 -> 71 ns),
    computing every element by the same operations in the same order."""
    uses = {}

    def count(atoms):
        for a in atoms:
            if isinstance(a, Var):
                uses[a] = uses.get(a, 0) + 1

    def walk(block):
        for stmt in block.stmts:
            count(stmt_uses(stmt))
            if isinstance(stmt, While):
                walk(stmt.cond_body)
                count(stmt.cond_body.yields)
                walk(stmt.body)
                count(stmt.body.yields)
                continue
            for child in child_blocks(stmt):
                walk(child)
                count(child.yields)
    walk(fn.body)
    count(fn.body.yields)
    nested = {}

    def consider(block):
        stmts = block.stmts
        for k, stmt in enumerate(stmts):
            for child in child_blocks(stmt):
                consider(child)
            if not _nestable(stmt) or uses.get(stmt.result) != 1:
                continue
            for later in stmts[k + 1:]:
                if isinstance(later, Op) and stmt.result in later.args:
                    if _adds_into_a_row(later, stmt.result) or _may_take_nested(later) and (
                            stmt.prim != "unbroadcast" or _is_elementwise(later)):
                        nested[stmt.result] = stmt
                    break
                if not isinstance(later, Op) or not may_pass(later, stmt):
                    break
    family = storage_families(fn) if family is None else family

    def storages(atoms):
        """The storage of every array an expression of ``atoms`` reads."""
        out = set()
        for a in atoms:
            if isinstance(a, Var) and is_array(a.type):
                out.add(family.get(a, a))
                if a in nested:
                    out |= storages(nested[a].args)
        return out

    def may_pass(later, stmt):
        """Can ``stmt``'s expression move past op ``later``? Past ops that write nothing, and
        past a cotangent update into storage that the expression does not read."""
        if _may_pass(later):
            return True
        return later.prim in ("index_add", "slice_add") and later.role == "adjoint" and \
            family.get(later.args[0], later.args[0]) not in storages(stmt.args)

    consider(fn.body)
    return nested


def _nestable(stmt):
    """An op whose array result may be printed inside the expression using it (a sum of a
    cotangent back to an argument's shape too: a call in the expression, or nothing where
    the shapes agree, see SourceWriter.row_update)."""
    if not isinstance(stmt, Op) or stmt.result is None or not is_array(stmt.result.type):
        return False
    if stmt.prim == "unbroadcast":
        return is_array(stmt.args[1].type)
    prim = PRIMITIVES.get(stmt.prim)
    return prim is not None and prim.elementwise and stmt.prim not in WRITES_IN_PLACE


def _is_elementwise(op):
    prim = PRIMITIVES.get(op.prim)
    return prim is not None and prim.elementwise


def _is_vector(atom):
    return isinstance(atom, Var) and atom.type == ArrayType("float64", 1)


def _adds_into_a_row(op, value):
    """``b[i] += value``: the reverse sweep adding a vector into one row of a cotangent (the
    expression is evaluated before the write, as Python does)."""
    return op.prim == "index_add" and op.role == "adjoint" and op.args[-1] is value \
        and value not in op.args[:-1] and _is_vector(value) \
        and is_array(op.args[0].type) and op.args[0].type.ndim == len(op.args) - 1


def _may_take_nested(op):
    """An op whose argument may be an expression: not a write, a tape push or a check."""
    return op.prim in PRIMITIVES and op.prim not in WRITES_IN_PLACE and \
        op.prim not in RESTORES and op.prim not in CHECKS and not op.prim.startswith("tape_")


def _may_pass(op):
    """An op a nested expression may be moved past: one that writes nothing, checks
    nothing and calls nothing of the user's."""
    return _may_take_nested(op) and op.prim != "opaque_call"


class SourceWriter:
    #: print single-use elementwise array results inside their use (nested_array_expressions)
    nests_expressions = True
    #: print runs of elementwise adjoint statements as one loop (fusion.py)
    fuses_runs = True

    def __init__(self, fn):
        self.fn = fn
        self.family = storage_families(fn) if self.nests_expressions else {}
        self.nested = nested_array_expressions(fn, self.family) if self.nests_expressions else {}
        self.names = {}
        self.tops = {}          # Tape -> the name of its top-of-stack counter
        # array tapes reserved by a count of pushes (the arrays' size is known at the first)
        # -> the name of that count
        self.push_counts = {op.attrs["tape"]: None for op in walk_stmts(fn.body)
                            if isinstance(op, Op) and op.prim == "tape_reserve" and
                            len(op.args) == 1 and op.attrs["tape"].ndim}
        self.used = set(_RESERVED)
        self.lines = []
        self.last_comment = None
        self.externals = {}
        self.int_ranges = IntRanges(fn)
        self.parallel_buffers = set()   # versions of the buffers prange loops write in place
        self.shapes_agree = False       # printing the branch where every shape is the same
        self.plain = False              # printing a fused run's statements for other lengths
        self.scratch = {}               # fused run output -> its buffer's name
        self.run_finder = RunFinder(self) if self.fuses_runs and self.nests_expressions \
            else None
        self.runs = self.run_finder.find(fn) if self.run_finder is not None else {}

    # -- names -------------------------------------------------------------------------------
    def fresh(self, hint):
        """A new name from ``hint``: ``t``, then ``t1_``, ``t2_`` (``x0`` becomes ``x0_``).

        No name ends in a digit, because Numba derives names by appending digits: the
        temporary of a load of ``x`` at bytecode offset 770 is ``$x770.N``, which is also the
        load of ``x7`` at offset 70; and its array-expression lowering spells the SSA version
        ``x.1`` of a reassigned ``x`` as ``x_1``. Either clash breaks its compiler."""
        hint = "".join(c for c in hint if c.isalnum() or c == "_")   # invented names' '%'
        base = hint if hint.isidentifier() and not keyword.iskeyword(hint) else "v"
        if base[-1].isdigit():
            base += "_"
        name, n = base, 0
        while name in self.used:
            n += 1
            name = f"{base}{n}_"
        self.used.add(name)
        return name

    def name(self, var):
        if var not in self.names:
            self.names[var] = self.fresh(var.hint)
        return self.names[var]

    def atom(self, a, as_float=False):
        if isinstance(a, Var):
            if a in self.nested and self.shapes_agree and self.nested[a].prim == "unbroadcast":
                return self.atom(self.nested[a].args[0])
            if a in self.nested:
                return f"({self.expression(self.nested[a])})"
            return self.name(a)
        return literal(a, as_float)

    # -- output ------------------------------------------------------------------------------
    def line(self, text, depth):
        self.lines.append("    " * depth + text)

    def comment_for(self, stmt, depth):
        loc = stmt.loc
        if loc is None or not loc.text:
            return
        kind = "adjoint" if stmt.role == "adjoint" else "primal"
        key = (loc, kind)
        if key == self.last_comment:
            return
        self.last_comment = key
        if kind == "adjoint":
            self.line(f"# adjoint of: {loc.text}", depth)
        else:
            self.line(f"# line {loc.lineno}: {loc.text}", depth)

    def assign_many(self, targets, values, depth):
        pairs = [(t, v) for t, v in zip(targets, values) if t != v and v != f"_rt.c_layout({t})"]
        if not pairs:
            return
        lhs = ", ".join(t for t, _ in pairs)
        rhs = ", ".join(v for _, v in pairs)
        self.line(f"{lhs} = {rhs}", depth)

    def carried(self, args, atoms):
        """The values passed into a loop's or branch's carried variables ``args``. A matrix
        goes through _rt.c_layout: Numba cannot type a variable that is C-ordered on one
        path and transposed (F-ordered) on another (the python backend's is the identity)."""
        return [self.atom(a, as_float=isinstance(a, Var) and v.type == FLOAT)
                if isinstance(a, Const) else
                f"_rt.c_layout({self.atom(a)})" if is_array(v.type) and v.type.ndim >= 2
                else self.atom(a) for a, v in zip(atoms, args)]

    # -- statements --------------------------------------------------------------------------
    def function(self):
        fn = self.fn
        params = [self.fresh(p.hint) for p in fn.params]
        for p, n in zip(fn.params, params):
            self.names[p] = n
        self.line(f"def {fn.name}({', '.join(params)}):", 0)
        self.block(fn.body, 1)
        # the fused runs' buffers, made once (fused_run)
        self.lines[1:1] = [f"    {buffer} = np.empty({(0,) * v.type.ndim if v.type.ndim > 1 else 0})"
                           for v, buffer in self.scratch.items()]
        outs = [self.atom(y, as_float=True) if isinstance(y, Const) else self.atom(y)
                for y in fn.body.yields]
        self.last_comment = None
        self.line(f"return {', '.join(outs)}" if len(outs) != 1 else f"return {outs[0]}", 1)
        return "\n".join(self.lines) + "\n"

    def block(self, block, depth, yield_to=None):
        start = len(self.lines)
        printed = set()         # the statements of a fused run, printed with its first
        for stmt in block.stmts:
            if id(stmt) in printed:
                continue
            run = self.runs.get(id(stmt))
            if run is not None:
                self.fused_run(run, depth)
                printed |= {id(s) for s in run.region}
                continue
            self.stmt(stmt, depth)
        if yield_to is not None:
            for t, y in zip(yield_to, block.yields):
                if t in self.parallel_buffers and isinstance(y, Var) and t not in self.names:
                    self.names[t] = self.name(y)      # see share_buffer_names
            self.assign_many([self.name(t) for t in yield_to],
                             self.carried(yield_to, block.yields), depth)
        if len(self.lines) == start:
            self.line("pass", depth)

    def stmt(self, stmt, depth):
        if isinstance(stmt, Op) and stmt.result in self.nested:
            return                  # printed where it is used
        self.comment_for(stmt, depth)
        if isinstance(stmt, Op):
            self.op(stmt, depth)
        elif isinstance(stmt, If):
            self.line(f"if {self.atom(stmt.cond)}:", depth)
            self.block(stmt.then_body, depth + 1, stmt.results)
            self.last_comment = None
            self.line("else:", depth)
            self.block(stmt.else_body, depth + 1, stmt.results)
            self.last_comment = None
        elif isinstance(stmt, For):
            self.loop_for(stmt, depth)
        else:
            self.loop_while(stmt, depth)

    def share_buffer_names(self, stmt):
        """Inside a parallel loop, a region carrying a buffer the loop writes in place uses
        the buffer's own name: Numba's parallel loops refuse an outer array reassigned in
        their body (it would look like a reduction variable)."""
        if isinstance(stmt, For) and stmt.parallel:
            self.parallel_buffers |= buffer_versions(stmt)
        for arg, init in zip(stmt.args, stmt.inits):
            if arg in self.parallel_buffers and isinstance(init, Var) and init in self.names:
                self.names.setdefault(arg, self.names[init])

    def loop_for(self, stmt, depth):
        self.share_buffer_names(stmt)
        args = [self.name(a) for a in stmt.args]
        self.assign_many(args, self.carried(stmt.args, stmt.inits), depth)
        for r, a in zip(stmt.results, stmt.args):
            self.names[r] = self.names[a]
        # a call's arguments need no parentheses around a negative literal
        start, stop, step = (repr(x.value) if isinstance(x, Const) else self.atom(x)
                             for x in (stmt.start, stmt.stop, stmt.step))
        if step == "1":
            bounds = stop if start == "0" else f"{start}, {stop}"
        else:
            bounds = f"{start}, {stop}, {step}"
        index = self.name(stmt.index)
        rng = "prange" if stmt.parallel else "range"
        self.line(f"for {index} in {rng}({bounds}):", depth)
        self.block(stmt.body, depth + 1, stmt.args)
        self.last_comment = None

    def loop_while(self, stmt, depth):
        self.share_buffer_names(stmt)
        args = [self.name(a) for a in stmt.args]
        self.assign_many(args, self.carried(stmt.args, stmt.inits), depth)
        for r, a in zip(stmt.results, stmt.args):
            self.names[r] = self.names[a]
        cond = stmt.cond_body
        if len(cond.stmts) == 1 and isinstance(cond.stmts[0], Op) and cond.stmts[0].result is cond.yields[0] \
                and cond.stmts[0].prim in PRIMITIVES:
            self.line(f"while {self.expression(cond.stmts[0])}:", depth)
        else:
            self.line("while True:", depth)
            self.block(cond, depth + 1)
            self.line(f"if not {self.atom(cond.yields[0])}:", depth + 1)
            self.line("break", depth + 2)
        self.block(stmt.body, depth + 1, stmt.args)
        self.last_comment = None

    def expression(self, op):
        if op.prim == "opaque_call":
            # by identity: two closures of one factory have one name but are two functions
            callee = op.attrs["callee"]
            ext = self.externals.setdefault(id(callee), (f"_ext{len(self.externals)}", callee))[0]
            return f"{ext}({', '.join(self.atom(a) for a in op.args)})"
        if op.prim == "placeholder":
            return placeholder_text(op.result.type)
        if op.prim == "float" and op.args[0].type == "bool":     # Numba has no float(bool)
            return f"1.0 if {self.atom(op.args[0])} else 0.0"
        if op.prim in _SLICE_FORMS:
            from ..rules.array import slice_text
            atoms = [self.atom(a) for a in op.args]
            takes_value = op.prim in ("slice_add", "setslice", "restore_slice")
            index = atoms[1:-1] if takes_value else atoms[1:]
            text = slice_text(atoms[0], index, op.attrs["spec"])
            return _SLICE_FORMS[op.prim].format(text, atoms[-1])
        if op.prim in ("einsum", "einsum_like"):
            operands = "".join(", " + self.atom(a) for a in op.args)
            return f"_rt.{op.prim}({op.attrs['subscripts']!r}{operands})"
        if op.prim == "stack" and not any(is_array(a.type) for a in op.args):
            return f"np.array([{', '.join(self.atom(a) for a in op.args)}])"
        if "math_name" in op.attrs and op.result is not None and op.result.type == FLOAT \
                and not any(is_array(a.type) for a in op.args):
            return f"math.{op.attrs['math_name']}({', '.join(self.atom(a) for a in op.args)})"
        if op.prim in ("dot", "outer") and all(is_array(a.type) for a in op.args) and \
                op.args[0].type.dtype != op.args[1].type.dtype:
            # Numba multiplies matrices of one dtype only; NumPy converts the other one to
            # the wider dtype itself, so converting first computes the same values
            wide = np.result_type(op.args[0].type.dtype, op.args[1].type.dtype).name
            atoms = [self.atom(a) if a.type.dtype == wide else
                     f"{self.atom(a)}.astype(np.{wide})" for a in op.args]
            if op.attrs.get("matmul"):
                return f"({atoms[0]} @ {atoms[1]})"
            return f"np.{op.prim}({atoms[0]}, {atoms[1]})"
        if op.attrs.get("matmul"):     # the user's a @ b: np.dot may round differently
            return f"({self.atom(op.args[0])} @ {self.atom(op.args[1])})"
        if "numpy_name" in op.attrs and op.result is not None and (
                op.result.type == FLOAT or op.prim == "copy"):
            return f"np.{op.attrs['numpy_name']}({', '.join(self.atom(a) for a in op.args)})"
        checked = self.int_ranges.helper_name(op)
        if checked is not None:       # an integer result that could leave int64
            return f"_rt.{checked}({', '.join(self.atom(a) for a in op.args)})"
        prim = PRIMITIVES[op.prim]
        if getattr(prim, "external", None) is not None:      # a user function with a rule
            self.externals.setdefault(prim.name, prim.external)
        emit = prim.emit
        if prim.emit_array is not None and any(is_array(a.type) for a in op.args):
            emit = prim.emit_array
        atoms = [self.atom(a) for a in op.args]
        if prim.elementwise and _is_float32_array(op.result):
            atoms = [_as_float32(text) if _is_number(a) else text for a, text in zip(op.args, atoms)]
        return emit(atoms) if callable(emit) else emit.format(*atoms)

    def op(self, op, depth):
        prim = op.prim
        if prim.startswith("tape_"):
            return self.tape_op(op, depth)
        if prim == "index_add" and op.args[-1] in self.nested and not self.plain and \
                self.row_update(op, depth):
            return
        if prim in WRITES_IN_PLACE:          # the result is the same buffer
            self.names[op.result] = self.name(op.args[0])
            self.line(self.expression(op), depth)
            return
        if prim == "check_bound":
            self.line(f"if not {self.atom(op.args[0])}:", depth)
            if "error" in op.attrs:       # max() of an empty sequence, a tuple index
                kind = op.attrs.get("error_type", "ValueError")
                self.line(f"raise {kind}({op.attrs['error']!r})", depth + 1)
                return
            self.line(f"raise UnboundLocalError(\"cannot access local variable "
                      f"'{op.attrs['name']}' where it is not associated with a value\")", depth + 1)
            return
        if op.result is None:
            self.line(self.expression(op), depth)
            return
        if self.into_buffer(op, depth):
            return
        shapes = None if self.plain else self.shapes_to_agree(op)
        if shapes:
            # where they agree, a sum back to an argument's shape is the cotangent itself,
            # and the whole expression is one loop and one new array
            self.line(f"if {' == '.join(shapes)}:", depth)
            self.shapes_agree = True
            try:
                self.line(f"{self.name(op.result)} = {self.expression(op)}", depth + 1)
            finally:
                self.shapes_agree = False
            self.line("else:", depth)
            depth += 1
        self.line(f"{self.name(op.result)} = {self.expression(op)}", depth)

    def shapes_to_agree(self, op):
        """For an elementwise cotangent expression that sums a nested expression back to an
        argument's shape (``a + _rt.unbroadcast(b * c, x)``, which makes an array for
        ``b * c``): the shapes of every array it reads, which, when equal, make each such
        sum nothing. None for other ops, or where arrays of another rank take part."""
        if op.role != "adjoint" or not _is_elementwise(op) or not is_array(op.result.type):
            return None
        rank, shapes, summed = op.result.type.ndim, [], []

        def collect(atom):
            if not isinstance(atom, Var) or not is_array(atom.type):
                return True
            if atom.type.ndim != rank:
                return False
            if atom in self.nested:
                inner = self.nested[atom]
                if inner.prim == "unbroadcast":
                    summed.append(inner.args[0] in self.nested)
                    return collect(inner.args[1]) and collect(inner.args[0])
                return all(collect(a) for a in inner.args)
            text = f"len({self.name(atom)})" if rank == 1 else f"{self.name(atom)}.shape"
            if text not in shapes:
                shapes.append(text)
            return True

        if not all(collect(a) for a in op.args) or not any(summed) or len(shapes) < 2:
            return None
        return shapes

    # -- a vector added into one row, as a loop ----------------------------------------------
    def row_update(self, op, depth):
        """Print ``b[i] += f(u, v)`` of vectors as a loop over the row, ``b[i, j] += f(u[j],
        v[j])``, where every vector has the row's length: no array is made for ``f(u, v)``
        (a sum back to an argument's shape is nothing then). Other lengths (one of them
        broadcast) take the array expression. False where the expression is not made of
        elementwise ops on float64 vectors and numbers."""
        if not self.is_element_expression(op.args[-1]):
            return False
        vectors = self.read_vectors(op.args[-1])     # the unbroadcast targets among them
        # element j is read after earlier elements of the row were written: no vector may
        # be (a view of) the row's memory (NumPy's b[i] += v computes v first)
        storage = self.family.get(op.args[0], op.args[0])
        if any(self.family.get(v, v) is storage for v in vectors):
            return False
        leaves = list(dict.fromkeys(self.name(v) for v in vectors))
        target = self.atom(op.args[0])
        index = [self.atom(a) for a in op.args[1:-1]]
        lengths = [f"{target}.shape[{len(index)}]"] + [f"len({leaf})" for leaf in leaves]
        j = self.fresh("j")
        self.line(f"if {' == '.join(lengths)}:", depth)
        self.line(f"for {j} in range({lengths[0]}):", depth + 1)
        element = self.element(op.args[-1], j)
        self.line(f"{target}[{', '.join(index + [j])}] += {element}", depth + 2)
        self.line("else:", depth)
        self.names[op.result] = target
        self.line(self.expression(op), depth + 1)
        return True

    def is_element_expression(self, atom):
        """Is ``atom`` an elementwise expression of float64 vectors and numbers (sums back to
        a vector's shape included)?"""
        if not isinstance(atom, Var):
            return isinstance(atom.value, (int, float)) and not isinstance(atom.value, bool)
        if atom in self.nested:
            op = self.nested[atom]
            if not _is_vector(op.result):
                return False
            if op.prim == "unbroadcast":
                return _is_vector(op.args[1]) and self.is_element_expression(op.args[0])
            if op.prim == "float" or not PRIMITIVES[op.prim].elementwise:
                return False
            return all(self.is_element_expression(a) for a in op.args)
        if is_array(atom.type):
            return _is_vector(atom)
        return atom.type in (FLOAT, "int")

    def read_vectors(self, atom):
        """The array Vars an expression of ``atom`` (with what is nested in it) reads."""
        if not isinstance(atom, Var) or not is_array(atom.type):
            return []
        if atom in self.nested:
            return [v for a in self.nested[atom].args for v in self.read_vectors(a)]
        return [atom]

    def element(self, atom, j):
        """The scalar expression of element ``j`` of an elementwise expression of ``atom``."""
        return self.fused_element(atom, j, {})

    def into_buffer(self, op, depth):
        """A float64 array of zeros made in a loop and dead at the end of the iteration
        (fusion.py's stays_in_iteration): one buffer for every iteration, zeroed (as the
        new array was), made again only when the shape changes."""
        t = op.result.type
        if op.prim not in ("zeros_like_f", "zeros_like") or self.run_finder is None \
                or not (is_array(t) and t.dtype == "float64"):
            return False
        source = op.args[0]
        loop = self.run_finder.loop_around.get(id(op))
        if not (isinstance(source, Var) and is_array(source.type) and
                source.type.ndim == t.ndim) or source in self.nested or loop is None or \
                not self.run_finder.stays_in_iteration(op.result, loop):
            return False
        buffer = self.scratch[op.result] = self.fresh(self.name(op.result).rstrip("_") + "_buf")
        every = ", ".join([":"] * t.ndim)
        self.line(f"if {buffer}.shape != {self.name(source)}.shape:", depth)
        self.line(f"{buffer} = np.empty({self.name(source)}.shape)", depth + 1)
        self.line(f"{buffer}[{every}] = 0.0", depth)
        self.line(f"{self.name(op.result)} = {buffer}", depth)
        return True

    # -- a run of elementwise statements, as one loop (fusion.py) ----------------------------
    def fused_run(self, run, depth):
        """Print ``run``: the ops it moves before the loop, the loop where every vector has one
        length (else the statements as they are), then the ops it moves after the loop."""
        for s in run.before:
            self.stmt(s, depth)
        rows = {}                           # row update -> the row's text, its length
        for r in run.rows:                  # the row written in place keeps its array's name
            self.names[r.result] = self.name(r.args[0])
            if r.prim == "slice_add":
                from ..rules.array import slice_text
                view = self.fresh(f"{self.name(r.args[0])}_part")
                self.line(f"{view} = " + slice_text(self.name(r.args[0]),
                                                   [self.atom(a) for a in r.args[1:-1]],
                                                   r.attrs["spec"]), depth)
                rows[r] = (view, f"len({view})")
            else:
                index = ", ".join(self.atom(a) for a in r.args[1:-1])
                rows[r] = (f"{self.name(r.args[0])}[{index}, ",
                           f"{self.name(r.args[0])}.shape[{len(r.args) - 2}]")
        lengths = list(dict.fromkeys([f"len({self.name(v)})" for v in run.vectors] +
                                     [length for _, length in rows.values()]))
        inner = depth + 1 if len(lengths) > 1 else depth
        if len(lengths) > 1:
            self.line(f"if {' == '.join(lengths)}:", depth)
        n, j = self.fresh("n"), self.fresh("j")
        self.line(f"{n} = {lengths[0]}", inner)
        scalars = {}
        made = {m.result for m in run.members}
        for m in run.members:
            # a sum back to the shape it has already is the vector itself, as unbroadcast
            # returns it: no copy
            source = m.args[0]
            if m.prim == "unbroadcast" and source not in made and source not in self.nested:
                scalars[m.result] = f"{self.name(source)}[{j}]"
                if m.result in run.outputs:
                    self.line(f"{self.name(m.result)} = {self.name(source)}", inner)
        for out in run.outputs:
            if out in scalars:
                continue
            if out in run.scratch:          # one buffer for every iteration of the loop
                buffer = self.scratch[out] = self.fresh(self.name(out).rstrip("_") + "_buf")
                self.line(f"if len({buffer}) != {n}:", inner)
                self.line(f"{buffer} = np.empty({n})", inner + 1)
                self.line(f"{self.name(out)} = {buffer}", inner)
            else:
                self.line(f"{self.name(out)} = np.empty({n})", inner)
        self.line(f"for {j} in range({n}):", inner)
        self.last_comment = None
        for m in run.members:
            if m.result in scalars:
                continue
            if m.prim == "unbroadcast" and m.args[0] in scalars:
                scalars[m.result] = scalars[m.args[0]]
                if m.result in run.outputs:
                    self.line(f"{self.name(m.result)}[{j}] = {scalars[m.result]}", inner + 1)
                continue
            self.comment_for(m, inner + 1)
            if m in run.rows:
                row = rows[m][0]
                element = f"{row}{j}]" if row.endswith(", ") else f"{row}[{j}]"
                self.line(f"{element} += {self.fused_element(m.args[-1], j, scalars)}",
                          inner + 1)
                continue
            scalar = scalars[m.result] = self.fresh(f"{self.name(m.result)}j")
            self.line(f"{scalar} = {self.fused_op(m, j, scalars)}", inner + 1)
            if m.result in run.outputs:
                self.line(f"{self.name(m.result)}[{j}] = {scalar}", inner + 1)
        self.last_comment = None
        if len(lengths) > 1:
            # some vector is broadcast: the statements as they are, without the loops for
            # equal lengths (that case is the one above), so the code grows little
            self.line("else:", depth)
            self.plain = True
            try:
                for s in run.region:
                    if s not in run.before and s not in run.after:
                        self.stmt(s, depth + 1)
            finally:
                self.plain = False
            self.last_comment = None
        for s in run.after:
            self.stmt(s, depth)

    def fused_element(self, atom, j, scalars):
        """Element ``j`` of ``atom`` in a fused loop: a member's scalar, an expression nested
        in it, a vector's element, or the number itself."""
        if isinstance(atom, Var):
            if atom in scalars:
                return scalars[atom]
            if atom in self.nested:
                return self.fused_op(self.nested[atom], j, scalars)
            if is_array(atom.type):
                return f"{self.name(atom)}[{j}]"
        return self.atom(atom)

    def fused_op(self, op, j, scalars):
        """Element ``j`` of elementwise ``op`` where every vector has one length."""
        if op.prim == "unbroadcast":        # every length is the same: the sum is nothing
            return self.fused_element(op.args[0], j, scalars)
        args = [self.fused_element(a, j, scalars) for a in op.args]
        if "math_name" in op.attrs:
            return f"math.{op.attrs['math_name']}({', '.join(args)})"
        if "numpy_name" in op.attrs:
            return f"np.{op.attrs['numpy_name']}({', '.join(args)})"
        emit = PRIMITIVES[op.prim].emit
        return f"({emit(args) if callable(emit) else emit.format(*args)})"

    def tape_op(self, op, depth):
        tape = op.attrs["tape"]
        if tape not in self.names:
            t = self.names[tape] = self.fresh(tape.hint)
            # the counter's name is reserved like any other: a user's 'tape_t_top' is not it
            self.tops[tape] = self.fresh(f"{t}top" if t.endswith("_") else f"{t}_top")
            if tape in self.push_counts:
                self.push_counts[tape] = self.fresh(f"{t}pushes" if t.endswith("_")
                                                    else f"{t}_pushes")
        t, n, pushes = self.names[tape], self.tops[tape], self.push_counts.get(tape)
        if op.prim == "tape_new":
            self.line(f"{t} = np.empty(0, {tape.dtype})", depth)
            self.line(f"{n} = 0", depth)
            if pushes is not None:
                self.line(f"{pushes} = 1", depth)
        elif op.prim == "tape_reserve" and tape.ndim and len(op.args) == 1:
            self.line(f"{pushes} = {self.atom(op.args[0])}", depth)
        elif op.prim == "tape_reserve" and len(op.args) == 2:      # count times an array
            count, like = self.atom(op.args[0]), self.atom(op.args[1])
            self.line(f"{t} = _rt.reserve({t}, {n} + {count} * ({like}.size + {tape.ndim}))",
                      depth)
        elif op.prim == "tape_reserve":
            self.line(f"{t} = _rt.reserve({t}, {n} + {self.atom(op.args[0])})", depth)
        elif op.prim == "tape_claim":       # a prange loop's slots, one per iteration
            count = self.atom(op.args[0])
            self.line(f"{t} = _rt.reserve({t}, {n} + {count})", depth)
            self.line(f"{self.name(op.result)} = {n}", depth)
            self.line(f"{n} += {count}", depth)
        elif op.prim == "tape_release":
            self.line(f"{n} -= {self.atom(op.args[0])}", depth)
            self.line(f"{self.name(op.result)} = {n}", depth)
        elif op.prim == "tape_push" and len(op.args) == 2:      # into the iteration's slot
            self.line(f"{t}[{self.atom(op.args[1])}] = {self.atom(op.args[0])}", depth)
        elif op.prim == "tape_pop" and op.args:
            self.line(f"{self.name(op.result)} = {t}[{self.atom(op.args[0])}]", depth)
        elif op.prim == "tape_push" and tape.ndim:
            counted = "" if pushes is None else f", {pushes}"
            self.line(f"{t}, {n} = _rt.push_array({t}, {n}, {self.atom(op.args[0])}{counted})",
                      depth)
        elif op.prim == "tape_pop" and tape.ndim and tape.is_bool:     # saved as integers
            popped = self.fresh("popped")
            self.line(f"{popped}, {n} = _rt.pop_array{tape.ndim}({t}, {n})", depth)
            self.line(f"{self.name(op.result)} = {popped} != 0", depth)
        elif op.prim == "tape_pop" and tape.ndim:
            self.line(f"{self.name(op.result)}, {n} = _rt.pop_array{tape.ndim}({t}, {n})", depth)
        elif op.prim == "tape_push":
            if op.attrs.get("grow"):
                self.line(f"{t} = _rt.reserve({t}, {n} + 1)", depth)
            self.line(f"{t}[{n}] = {self.atom(op.args[0])}", depth)
            self.line(f"{n} += 1", depth)
        elif op.prim == "tape_pop":
            self.line(f"{n} -= 1", depth)
            self.line(f"{self.name(op.result)} = {t}[{n}]", depth)
        else:
            raise ValueError(op.prim)


def generate_source(fn, backend="numba"):
    """Python source of ``fn`` and the external callables it refers to (for ``backend="cuda"``
    the host function and its kernels: codegen/kernels.py)."""
    if backend == "cuda":
        from .kernels import CudaSourceWriter
        writer = CudaSourceWriter(fn)
    else:
        writer = SourceWriter(fn)
    return writer.function(), {name: obj for name, obj in writer.externals.values()}
