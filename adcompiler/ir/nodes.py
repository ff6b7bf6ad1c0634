"""IR node classes and small traversal helpers."""
import itertools
import math
from dataclasses import dataclass, field

_ids = itertools.count(1)

#: Ops the generated code performs in place: they write into their first argument's array,
#: and their result is that same array under a new SSA name.
WRITES_IN_PLACE = ("setitem", "setslice", "index_add", "slice_add", "zero_at", "zero_slice")
#: Reverse-sweep ops putting saved elements back into a primal array (no result).
RESTORES = ("restore", "restore_slice")
#: Ops kept for their run-time check alone (they have no result).
CHECKS = ("check_bound",)
#: Ops whose array result is a view of their first argument's memory.
VIEWS = ("getitem", "slice", "reshape", "transpose")

#: Scalar types of the IR. Arrays arrive with the array issue as ``ArrayType``.
BOOL, INT, FLOAT = "bool", "int", "float"


@dataclass(frozen=True)
class ArrayType:
    """A NumPy array of ``dtype`` ('float64', 'float32', 'int64', 'bool') and ``ndim``."""
    dtype: str
    ndim: int

    def __repr__(self):
        return f"{self.dtype}[{self.ndim}d]"


def is_array(t):
    return isinstance(t, ArrayType)


def element_type(t):
    """The scalar type of an array's elements (or ``t`` itself for a scalar)."""
    if not is_array(t):
        return t
    return BOOL if t.dtype == "bool" else INT if t.dtype.startswith(("int", "uint")) else FLOAT


def is_float_type(t):
    """Types that carry derivatives: float scalars and float arrays."""
    return t == FLOAT or (is_array(t) and t.dtype.startswith("float"))


def derivative_type(t):
    """Type of a tangent or adjoint of a value of type ``t`` (float arrays keep their dtype)."""
    if is_array(t):
        return ArrayType(t.dtype if t.dtype.startswith("float") else "float64", t.ndim)
    return FLOAT


class Var:
    """An SSA value. ``hint`` is the user-facing name it came from; ``type`` a scalar type."""
    __slots__ = ("id", "hint", "type")

    def __init__(self, hint="t", type=None):
        self.id = next(_ids)
        self.hint = hint
        self.type = type

    def __repr__(self):
        return f"%{self.hint}.{self.id}"


class Const:
    """A literal: bool, int or float."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    @property
    def type(self):
        if isinstance(self.value, bool):
            return BOOL
        if isinstance(self.value, int):
            return INT
        return FLOAT

    def __eq__(self, other):
        """The same literal: of one type, with nan equal to nan and -0.0 not equal to 0.0
        (they give different results: 1.0 / x, math.atan2(x, -1.0))."""
        if not (isinstance(other, Const) and type(self.value) is type(other.value)):
            return False
        a, b = self.value, other.value
        if isinstance(a, float):
            return (a == b and math.copysign(1.0, a) == math.copysign(1.0, b)) or (a != a and b != b)
        return a == b

    def __hash__(self):
        return hash((type(self.value), "nan" if self.value != self.value else self.value))

    def __repr__(self):
        return repr(self.value)


def is_var(atom):
    return isinstance(atom, Var)


@dataclass(frozen=True)
class Loc:
    """Where a statement came from in the user's source. ``called_from``: for code inlined
    from a helper, the call sites that led there (innermost first), each a Loc."""
    filename: str
    lineno: int
    text: str = ""
    called_from: tuple = ()


class Tape:
    """A typed stack array saving one SSA value per loop iteration for the reverse sweep."""

    def __init__(self, var):
        self.var = var
        self.hint = f"tape_{var.hint}"
        self.ndim = var.type.ndim if is_array(var.type) else 0
        if self.ndim:
            # arrays are saved whole, elements then shape: integer and boolean arrays on an
            # int64 tape (an index array must come back as integers), the rest on float64
            self.dtype = "np.float64" if var.type.dtype.startswith("float") else "np.int64"
            self.is_bool = var.type.dtype == "bool"
        else:
            self.dtype = {BOOL: "np.bool_", INT: "np.int64"}.get(var.type, "np.float64")
            self.is_bool = False

    def __repr__(self):
        return f"@{self.hint}"


@dataclass(eq=False)
class Op:
    """``result = prim(*args)``; ``attrs`` carries non-value operands (a tape, a callee)."""
    prim: str
    args: list
    result: Var = None
    loc: Loc = None
    role: str = "primal"
    attrs: dict = field(default_factory=dict)


@dataclass(eq=False)
class Block:
    stmts: list = field(default_factory=list)
    yields: list = field(default_factory=list)


@dataclass(eq=False)
class If:
    """``results = if cond then {then_body} else {else_body}``; both blocks yield results."""
    cond: object
    then_body: Block
    else_body: Block
    results: list
    loc: Loc = None
    role: str = "primal"


@dataclass(eq=False)
class For:
    """``results = for index in range(start, stop, step) carried args = inits { body }``.

    ``parallel`` marks a ``prange`` loop (iterations independent), for the CUDA backend.
    """
    index: Var
    start: object
    stop: object
    step: object
    args: list
    inits: list
    body: Block
    results: list
    loc: Loc = None
    role: str = "primal"
    parallel: bool = False


@dataclass(eq=False)
class While:
    """``results = while carried args = inits { cond_body yields [c] } do { body }``."""
    args: list
    inits: list
    cond_body: Block
    body: Block
    results: list
    loc: Loc = None
    role: str = "primal"


@dataclass(eq=False)
class Function:
    name: str
    params: list
    body: Block
    param_names: list = None
    filename: str = "<unknown>"
    firstlineno: int = 1
    annotations: dict = field(default_factory=dict)


def child_blocks(stmt):
    if isinstance(stmt, If):
        return [stmt.then_body, stmt.else_body]
    if isinstance(stmt, For):
        return [stmt.body]
    if isinstance(stmt, While):
        return [stmt.cond_body, stmt.body]
    return []


def walk_stmts(block):
    """Every statement in ``block`` and its nested regions, outer before inner."""
    for stmt in block.stmts:
        yield stmt
        for child in child_blocks(stmt):
            yield from walk_stmts(child)


def stmt_uses(stmt):
    """Atoms a statement reads directly (not inside its nested blocks)."""
    if isinstance(stmt, Op):
        return list(stmt.args)
    if isinstance(stmt, If):
        return [stmt.cond]
    if isinstance(stmt, For):
        return [stmt.start, stmt.stop, stmt.step] + list(stmt.inits)
    if isinstance(stmt, While):
        return list(stmt.inits)
    raise TypeError(stmt)


def stmt_defs(stmt):
    """Vars a statement defines in its enclosing block."""
    if isinstance(stmt, Op):
        return [stmt.result] if stmt.result is not None else []
    return list(stmt.results)


def block_arguments(stmt, block):
    """Vars defined at the entry of ``block`` of region ``stmt`` (index, carried args)."""
    if isinstance(stmt, For) and block is stmt.body:
        return [stmt.index] + list(stmt.args)
    if isinstance(stmt, While):
        return list(stmt.args)
    return []
