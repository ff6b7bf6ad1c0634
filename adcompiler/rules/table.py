"""Registry of primitives.

A primitive knows how to print itself (``emit``), its result type, and how to
differentiate itself. Scalar functions declare their partial derivatives once
(:func:`scalar_rule`, like ChainRules' ``@scalar_rule``) and both the tangent and the
adjoint are derived from them. Rules are ordinary Python functions used as templates: the
compiler parses their source and lowers the returned expression into IR, so a rule is
checked by Python's parser and can call any primitive.
"""
from ..ir.nodes import BOOL, INT, FLOAT, ArrayType, is_array, element_type

PRIMITIVES = {}
_BY_OBJECT = {}

#: Functions that are data, not math: their results carry no derivative.
NON_DIFFERENTIABLE = []


class Primitive:
    def __init__(self, name, emit, result_type, objects=(), differentiable=True, emit_array=None):
        self.name = name
        self.emit = emit                   # format string over argument names (or a callable)
        self.emit_array = emit_array       # the spelling when an argument is an array
        self.result_type = result_type     # callable(arg types) -> type
        self.objects = objects
        self.differentiable = differentiable
        self.partials = None               # template: (*args, out) -> partial or tuple
        self.tangent = None                # template: (*args, out, *d_args) -> one term per arg
        self.adjoint = None                # template: (*args, out, g) -> one cotangent per arg
        self.nargs = None
        self.elementwise = False           # a scalar function lifted to arrays

    def __repr__(self):
        return f"<primitive {self.name}>"


def _numeric_join(*types):
    if FLOAT in types or None in types:
        return FLOAT
    return INT


def float_result(*types):
    return FLOAT


def int_result(*types):
    return INT


def bool_result(*types):
    return BOOL


def same_as_args(*types):
    return _numeric_join(*types)


def elementwise(scalar_result):
    """Lift a scalar result-type rule to arrays with NumPy broadcasting of ranks."""
    def result(*types):
        scalar = scalar_result(*[element_type(t) for t in types])
        arrays = [t for t in types if is_array(t)]
        if not arrays:
            return scalar
        ndim = max(a.ndim for a in arrays)
        if scalar == BOOL:
            return ArrayType("bool", ndim)
        if scalar == INT:
            return ArrayType("int64", ndim)
        floats = {a.dtype for a in arrays if a.dtype.startswith("float")}
        return ArrayType("float32" if floats == {"float32"} else "float64", ndim)
    return result


def defprim(name, emit, result_type=float_result, objects=(), differentiable=True,
            emit_array=None, lift=True):
    """Declare a primitive: how it prints, its result type, the Python objects it stands for.

    Scalar primitives are elementwise on arrays unless ``lift=False``."""
    prim = Primitive(name, emit, elementwise(result_type) if lift else result_type, objects,
                     differentiable, emit_array)
    prim.elementwise = lift
    PRIMITIVES[name] = prim
    for obj in objects:
        _BY_OBJECT[id(obj)] = (obj, name)
    if not differentiable:
        NON_DIFFERENTIABLE.append(name)
    return prim


def primitive_for_object(obj):
    """The primitive a Python callable stands for, or None."""
    hit = _BY_OBJECT.get(id(obj))
    return hit[1] if hit is not None and hit[0] is obj else None


def scalar_rule(name):
    """Register the partial derivatives of primitive ``name``.

    The decorated function takes the primitive's arguments and its output ``out`` and returns
    one partial per argument (a tuple when there are several).
    """
    def register(template):
        prim = PRIMITIVES[name]
        prim.partials = template
        prim.nargs = template.__code__.co_argcount - 1
        return template
    return register


def vector_rule(name):
    """Register a tangent and an adjoint template side by side for primitive ``name``
    (for functions whose Jacobian should not be formed: sums, products of matrices).

    ``tangent(*args, out, *d_args)`` returns one term per argument (terms of inactive
    arguments are dropped); ``adjoint(*args, out, g)`` returns one cotangent per argument,
    already of the argument's shape. Either may be a dict keyed by the arguments' ndims.
    """
    def register(rules):
        prim = PRIMITIVES[name]
        prim.tangent = rules.tangent
        prim.adjoint = rules.adjoint
        return rules
    return register


def linear_rule(name, *coefficients):
    """Partials that are constants (add, sub, neg): no template to lower."""
    prim = PRIMITIVES[name]
    prim.partials = tuple(float(c) for c in coefficients)
    prim.nargs = len(coefficients)
