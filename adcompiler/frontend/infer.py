"""Parameter kinds read off how a function uses its parameters, for ``ad.source`` and the
CLI when no example arguments are given: indexed, ``.shape``/``.T``, ``len``, ``@`` or looped
over means an array (of as many dimensions as its indices, ``.shape[k]`` or the names
``.shape`` is unpacked into need); a loop bound or an index means an int; anything else a
float."""
import gast

_ARRAY_ATTRIBUTES = {"shape", "T", "ndim", "size", "sum", "mean", "max", "min", "prod", "dot",
                     "reshape", "ravel", "flatten", "copy", "astype"}
_ARRAY_FUNCTIONS = {"sum", "mean", "max", "min", "amax", "amin", "prod", "dot", "outer", "trace",
                    "transpose", "reshape", "ravel", "copy", "zeros_like", "ones_like", "empty_like", "matmul",
                    "concatenate", "stack", "cumsum", "diag", "linalg", "einsum"}


def parameter_kinds(parsed, names):
    """The kind (``"float"``, ``"int"``, ``"array:float64:N"``) of each parameter in ``names``."""
    rank = {n: 0 for n in names}
    ints = set()

    def note_array(node, r):
        if isinstance(node, gast.Name) and node.id in rank:
            rank[node.id] = max(rank[node.id], r)

    def note_int(node):
        if isinstance(node, gast.Name) and node.id in rank:
            ints.add(node.id)

    for node in gast.walk(parsed.node):
        if isinstance(node, gast.Subscript):
            parts = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
            note_array(node.value, len(parts))
            for part in parts:
                note_int(part)
                if isinstance(part, gast.Slice):
                    for bound in (part.lower, part.upper, part.step):
                        note_int(bound)
            if isinstance(node.value, gast.Attribute) and node.value.attr == "shape" and \
                    isinstance(node.slice, gast.Constant) and isinstance(node.slice.value, int):
                note_array(node.value.value, node.slice.value + 1)
        elif isinstance(node, gast.Assign) and isinstance(node.value, gast.Attribute) and \
                node.value.attr == "shape" and isinstance(node.targets[0], gast.Tuple):
            # ``n, d = x.shape``: as many dimensions as names
            note_array(node.value.value, len(node.targets[0].elts))
        elif isinstance(node, gast.Attribute) and node.attr in _ARRAY_ATTRIBUTES:
            note_array(node.value, 2 if node.attr == "T" else 1)
        elif isinstance(node, gast.BinOp) and isinstance(node.op, gast.MatMult):
            note_array(node.left, 1)
            note_array(node.right, 1)
        elif isinstance(node, gast.For):
            note_array(node.iter, 1)
        elif isinstance(node, gast.Call):
            func = node.func
            name = func.attr if isinstance(func, gast.Attribute) else getattr(func, "id", None)
            if name in ("range", "prange"):
                for arg in node.args:
                    note_int(arg)
            elif name == "einsum" and node.args and isinstance(node.args[0], gast.Constant) \
                    and isinstance(node.args[0].value, str):
                terms = node.args[0].value.replace(" ", "").partition("->")[0].split(",")
                for arg, term in zip(node.args[1:], terms):
                    note_array(arg, max(len(term), 1))
            elif name in ("len", "enumerate", "zip") or name in _ARRAY_FUNCTIONS:
                for arg in node.args:
                    note_array(arg, 1)
    return [f"array:float64:{rank[n]}" if rank[n] else "int" if n in ints else "float"
            for n in names]


def parse_kinds(text, names):
    """Kinds from the CLI's ``--args 'x=f64[:,:], n=int'`` (unnamed parameters: inferred
    later, None here)."""
    kinds = dict.fromkeys(names)
    for item in filter(None, (p.strip() for p in _split(text))):
        name, _, spec = item.partition("=")
        name, spec = name.strip(), spec.strip().replace(" ", "")
        if name not in kinds:
            raise ValueError(f"--args: no parameter {name!r} (parameters: {', '.join(names)})")
        scalar = {"float": "float", "f64": "float", "int": "int", "bool": "bool"}
        if spec in scalar:
            kinds[name] = scalar[spec]
            continue
        base, _, dims = spec.partition("[")
        dtype = {"f64": "float64", "float64": "float64", "f32": "float32", "float32": "float32",
                 "i64": "int64", "int": "int64", "bool": "bool"}.get(base)
        if dtype is None or not dims.endswith("]"):
            raise ValueError(f"--args: cannot read {spec!r} (write float, int, bool, f64[:], "
                             f"f64[:,:], f32[:], i64[:])")
        kinds[name] = f"array:{dtype}:{dims[:-1].count(':')}"
    return [kinds[n] for n in names]


def _split(text):
    """Split at commas outside brackets."""
    depth, part = 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            yield part
            part = ""
        else:
            part += ch
    yield part
