"""Source for ``backend="cuda"``: the host function is Python, and each parallel loop is a
``numba.cuda`` kernel it launches.

A loop left parallel by ``prepare_kernels`` (transforms/parallel.py) becomes a kernel whose
threads share the iterations by a grid stride (thread ``t`` of ``T`` runs iterations ``t``,
``t + T``, ...), running the loop body as printed for the other backends. What the loop
carries becomes:

- an array it writes in place (a buffer): a kernel argument, on the GPU, copied back when
  host code next reads it (``_gpu.on_host``) or when the call returns (``_gpu.finish``);
- a reduction ``s += e``: each thread's partial sum, from zero, summed over its block in
  shared memory and added into a one-element array by one ``cuda.atomic.add`` per block
  (written out in the kernel); the host adds the total to the value before the loop;
- an addition into elements another iteration may also add into (``y[idx[i]] += v``, the
  adjoint of a gather, ``bx[j] += g``): ``cuda.atomic.add``.

The statements of a kernel must be operations on numbers and on single elements of arrays;
anything else (an array created or computed inside the iteration) is a located CompileError
naming the line.
"""
from ..errors import CompileError
from ..ir.nodes import Var, Op, For, INT, is_array, walk_stmts, WRITES_IN_PLACE, RESTORES
from ..transforms.parallel import direct_uses
from ..transforms.reverse import defined_in, used_in
from ..rules import PRIMITIVES
from .pysource import SourceWriter

#: ops of a kernel that may take an array argument (always their first: the array itself)
_ELEMENT_OPS = ("getitem", "setitem", "index_add", "zero_at", "restore", "dim")
#: host operations that read an array's shape, not its contents
_SHAPE_ONLY = ("dim", "size", "len", "transpose")
#: python_rt helpers that runtime/cuda_rt.py defines as device functions of the same name
DEVICE_FUNCTIONS = ("trip_count", "log_or_zero", "inv_or_zero")
#: NumPy's functions of a number as CUDA has them (a kernel has the math module's)
_MATH_NAMES = {name: name for name in (
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "sinh", "cosh",
    "tanh", "hypot", "floor", "ceil", "trunc", "erf", "erfc", "copysign")}
_MATH_NAMES.update(arcsin="asin", arccos="acos", arctan="atan", arctan2="atan2",
                   arcsinh="asinh", arccosh="acosh", arctanh="atanh")
_KERNEL_HINT = "inside a prange loop run on the GPU, compute with numbers and single " \
               "elements (y[i], A[i, j]); create arrays before the loop; or use backend='numba'"


class CudaSourceWriter(SourceWriter):
    """The host function, launching a kernel for each parallel loop; ``kernels`` holds their
    source, printed before it."""

    nests_expressions = False   # kernels and their launches name every value they pass

    def __init__(self, fn):
        super().__init__(fn)
        self.used |= {"cuda", "_dev", "_gpu", "_THREADS"}
        self.kernels = []
        self.has_kernels = any(isinstance(s, For) and s.parallel for s in walk_stmts(fn.body))
        self.device_tapes = {s.attrs["tape"] for loop in walk_stmts(fn.body)
                             if isinstance(loop, For) and loop.parallel
                             for s in walk_stmts(loop.body)
                             if isinstance(s, Op) and s.prim.startswith("tape_")}

    def function(self):
        text = super().function()
        head, rest = text.split("\n", 1)
        body, _, ret = rest.rstrip("\n").rpartition("\n")
        host = f"{head}\n    _gpu = _dev.Residency()\n{body}\n    _gpu.finish()\n{ret}\n"
        return "".join(k + "\n\n" for k in self.kernels) + host

    def op(self, op, depth):
        if self.has_kernels and op.prim not in _SHAPE_ONLY:
            # what a kernel wrote comes back before host code reads (or writes) the array
            for a in dict.fromkeys(a for a in op.args if isinstance(a, Var) and is_array(a.type)):
                self.line(f"_gpu.on_host({self.name(a)})", depth)
        super().op(op, depth)
        if op.prim in WRITES_IN_PLACE + RESTORES and is_array(op.args[0].type):
            # a GPU copy of it, made for an earlier kernel, is stale now
            self.line(f"_gpu.host_wrote({self.name(op.args[0])})", depth)

    def tape_op(self, op, depth):
        tape = op.attrs["tape"]
        if tape not in self.device_tapes:
            return super().tape_op(op, depth)
        start = len(self.lines)
        super().tape_op(op, depth)
        # the tapes of parallel loops live on the GPU: only kernels read and write them
        for k in range(start, len(self.lines)):
            self.lines[k] = self.lines[k].replace("_rt.reserve(", "_dev.reserve(").replace(
                f"np.empty(0, {tape.dtype})", f"_dev.new_tape({tape.dtype})")

    def loop_for(self, stmt, depth):
        if not stmt.parallel:
            return super().loop_for(stmt, depth)
        self.share_buffer_names(stmt)
        kernel = KernelWriter(self, stmt)
        self.kernels.append(kernel.text())
        values = [self.atom(a) for a in kernel.arguments] + [self.names[t] for t in kernel.tapes]
        params = ", ".join(values) + ("," if len(values) == 1 else "")
        written = ", ".join(str(k) for k in kernel.written) + ("," if len(kernel.written) == 1 else "")
        dtypes = ", ".join("np.int64" if a.type == INT else "np.float64" for a in kernel.reductions)
        dtypes += "," if len(kernel.reductions) == 1 else ""
        start, stop, step = (self.atom(x) for x in (stmt.start, stmt.stop, stmt.step))
        totals = [self.fresh(f"{a.hint}_total") for a in kernel.reductions]
        call = f"_dev.launch(_gpu, {kernel.kernel_name}, len(range({start}, {stop}, {step})), " \
               f"({params}), ({written}), ({dtypes}))"
        self.line(f"{''.join(t + ', ' for t in totals)}= {call}" if totals else call, depth)
        for arg, init, result, nxt in zip(stmt.args, stmt.inits, stmt.results, stmt.body.yields):
            if arg in kernel.reductions:
                total = totals[kernel.reductions.index(arg)]
                self.line(f"{self.name(result)} = {self.atom(init)} + {total}", depth)
            elif isinstance(init, Var):
                self.names[result] = self.names[init]      # the same array (its GPU copy is newer)
            else:
                self.line(f"{self.name(result)} = {self.atom(init)}", depth)
        self.last_comment = None


class KernelWriter(SourceWriter):
    """The kernel of parallel loop ``loop``, printed with the host writer's names."""

    nests_expressions = False   # a kernel computes with numbers: nothing to nest

    def __init__(self, host, loop):
        super().__init__(host.fn)
        self.names, self.used, self.int_ranges = host.names, host.used, host.int_ranges
        self.externals, self.parallel_buffers, self.tops = host.externals, host.parallel_buffers, host.tops
        self.loop = loop
        self.kernel_name = host.fresh(f"_kernel_{host.fn.name}")
        local = defined_in(loop)
        bounds = [a for a in (loop.start, loop.stop, loop.step) if isinstance(a, Var)]
        free = {v for v in used_in(loop.body) | set(bounds) if v not in local}
        self.reductions = [a for a, y in zip(loop.args, loop.body.yields)
                           if not is_array(a.type) and y is not a]
        carried = [init for a, init, y in zip(loop.args, loop.inits, loop.body.yields)
                   if isinstance(init, Var) and (is_array(a.type) or y is a)]
        #: the host values passed in, in order
        self.arguments = sorted(free, key=lambda v: v.id) + [v for v in carried if v not in free]
        #: the tapes the iterations save to or read from (each in its own slots), on the GPU
        self.tapes = list(dict.fromkeys(s.attrs["tape"] for s in walk_stmts(loop.body)
                                        if isinstance(s, Op) and s.prim.startswith("tape_")))
        self.written = None          # positions of the arguments it writes: known once printed
        self.atomics, self.skipped = self.find_accumulations()

    def written_arguments(self):
        writes = {self.names.get(s.args[0]) for s in walk_stmts(self.loop.body)
                  if isinstance(s, Op) and (s.prim in WRITES_IN_PLACE or s.prim in RESTORES)}
        return [k for k, a in enumerate(self.arguments)
                if is_array(a.type) and self.names.get(a) in writes]

    def find_accumulations(self):
        """``y[j] = y[j] + e`` (from ``y[j] += e``) in the body: the write becomes an atomic
        addition of ``e``, and the read and the sum are not printed."""
        ops = [s for s in walk_stmts(self.loop.body) if isinstance(s, Op)]
        defs = {s.result: s for s in ops if s.result is not None}
        uses = {}
        for s in walk_stmts(self.loop.body):
            for a in direct_uses(s):
                if isinstance(a, Var):
                    uses[a] = uses.get(a, 0) + 1
        atomics, skipped = {}, set()
        for s in ops:
            if s.prim != "setitem":
                continue
            total = defs.get(s.args[-1])
            read = defs.get(total.args[0]) if total is not None and total.prim == "add" else None
            if read is not None and read.prim == "getitem" and read.args[0] is s.args[0] and \
                    list(read.args[1:]) == list(s.args[1:-1]) and self.loop.index not in s.args[1:-1] \
                    and uses.get(read.result) == 1 and uses.get(total.result) == 1:
                atomics[s] = total.args[1]
                skipped |= {read, total}
        return atomics, skipped

    def text(self):
        loop = self.loop
        params = [self.name(a) for a in self.arguments] + [self.names[t] for t in self.tapes]
        for a, init in zip(loop.args, loop.inits):
            if isinstance(init, Var) and (is_array(a.type) or a not in self.reductions):
                self.names.setdefault(a, self.names[init])
        reds = [self.fresh(f"{a.hint}_sum") for a in self.reductions]
        self.line(f"@cuda.jit\ndef {self.kernel_name}({', '.join(params + reds)}):", 0)
        first, stride = self.fresh("first"), self.fresh("stride")
        self.line(f"{first} = cuda.grid(1)", 1)
        self.line(f"{stride} = cuda.gridsize(1)", 1)
        for a, init in zip(loop.args, loop.inits):
            if a in self.reductions:
                self.line(f"{self.name(a)} = {'0' if a.type == INT else '0.0'}", 1)
            elif not isinstance(init, Var):
                self.line(f"{self.name(a)} = {self.atom(init)}", 1)
        start, stop, step = (self.atom(x) for x in (loop.start, loop.stop, loop.step))
        offset = first if step == "1" else f"{first} * {step}"
        begin = offset if start == "0" else f"{start} + {offset}"
        stride = stride if step == "1" else f"{stride} * {step}"
        self.line(f"for {self.name(loop.index)} in range({begin}, {stop}, {stride}):", 1)
        self.block(loop.body, 2, loop.args)
        if self.reductions:
            self.block_sums(reds)
        # by name: the versions of a buffer inside the loop print as the buffer's name
        self.written = self.written_arguments()
        return "\n".join(self.lines)

    def block_sums(self, reds):
        """Each reduction's partial sums of a block's threads added in shared memory (halving
        steps between barriers), then one atomic addition per block into ``reds``: written
        out in the kernel, because a device function call would make compiling to PTX need a
        driver."""
        lane, half = self.fresh("lane"), self.fresh("half")
        caches = [self.fresh(f"{a.hint}_block") for a in self.reductions]
        self.line(f"{lane} = cuda.threadIdx.x", 1)
        for a, cache in zip(self.reductions, caches):
            dtype = "np.int64" if a.type == INT else "np.float64"
            # a global name: Numba takes its value as the constant size shared memory needs
            self.line(f"{cache} = cuda.shared.array(_THREADS, {dtype})", 1)
            self.line(f"{cache}[{lane}] = {self.name(a)}", 1)
        self.line("cuda.syncthreads()", 1)
        self.line(f"{half} = _THREADS // 2", 1)
        self.line(f"while {half} > 0:", 1)
        self.line(f"if {lane} < {half}:", 2)
        for cache in caches:
            self.line(f"{cache}[{lane}] += {cache}[{lane} + {half}]", 3)
        self.line("cuda.syncthreads()", 2)
        self.line(f"{half} //= 2", 2)
        self.line(f"if {lane} == 0:", 1)
        for cache, red in zip(caches, reds):
            self.line(f"cuda.atomic.add({red}, 0, {cache}[0])", 2)

    # -- what a kernel may contain --------------------------------------------------------------
    def error(self, stmt, what):
        return CompileError(f"backend='cuda': {what} cannot run in a GPU kernel", stmt.loc,
                            _KERNEL_HINT)

    def stmt(self, stmt, depth):
        if isinstance(stmt, For) and stmt.parallel:
            stmt.parallel = False           # a prange inside a kernel: its thread runs it
        super().stmt(stmt, depth)

    def op(self, op, depth):
        if op in self.skipped:
            return
        if op.prim == "check_bound":
            raise self.error(op, "a check that a variable is bound")
        if op.prim == "opaque_call" or getattr(PRIMITIVES.get(op.prim), "external", None):
            raise self.error(op, "a call of a Python function")
        if op.result is not None and is_array(op.result.type) and op.prim not in WRITES_IN_PLACE:
            raise self.error(op, "an operation making an array")
        arrays = [k for k, a in enumerate(op.args) if is_array(a.type)]
        if arrays and (op.prim not in _ELEMENT_OPS or arrays != [0] or op.attrs.get("spec")):
            raise self.error(op, "an operation on whole arrays or slices")
        if op in self.atomics or op.prim == "index_add":
            value = self.atomics.get(op, op.args[-1])
            index = [self.atom(a) for a in op.args[1:-1]]
            where = index[0] if len(index) == 1 else f"({', '.join(index)})"
            self.line(f"cuda.atomic.add({self.name(op.args[0])}, {where}, {self.atom(value)})",
                      depth)
            self.names[op.result] = self.name(op.args[0])     # the same buffer
            return
        start = len(self.lines)
        super().op(op, depth)
        for k in range(start, len(self.lines)):
            self.lines[k] = self.device_calls(op, self.lines[k])
            for numpy_name, math_name in _MATH_NAMES.items():
                self.lines[k] = self.lines[k].replace(f"np.{numpy_name}(", f"math.{math_name}(")

    def device_calls(self, op, line):
        """``_rt.f(...)`` as the device function ``_dev.f``, where there is one."""
        while "_rt." in line:
            name = line.split("_rt.", 1)[1].split("(", 1)[0]
            if name not in DEVICE_FUNCTIONS:
                raise self.error(op, "an integer operation that could overflow int64" if
                                 name.startswith("checked_") else f"the runtime helper {name}")
            line = line.replace(f"_rt.{name}(", f"_dev.{name}(")
        return line

    def tape_op(self, op, depth):
        if len(op.args) != (2 if op.prim == "tape_push" else 1) or \
                op.prim not in ("tape_push", "tape_pop"):
            raise self.error(op, "a stack tape")
        super().tape_op(op, depth)
