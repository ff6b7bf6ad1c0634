"""Turning a primitive's rule into IR: lowering its partial-derivative template."""
from ..ir.nodes import Const, Var, FLOAT, derivative_type
from .table import PRIMITIVES

# Filled without a lock: racing threads store equal values, and lowering only reads a
# template's body, so threads can share it.
_TEMPLATES = {}


def _template_body(template):
    from ..frontend.source import parse_function
    from ..frontend.desugar import desugar
    cached = _TEMPLATES.get(template)
    if cached is None:
        parsed = parse_function(template)
        cached = _TEMPLATES[template] = (parsed, desugar(parsed))
    return cached


def partial_derivatives(prim_name, args, out, builder):
    """Emit the partials of ``out = prim(*args)`` into ``builder``; one atom per argument."""
    prim = PRIMITIVES[prim_name]
    if prim.partials is None:
        raise NotImplementedError(f"primitive {prim_name!r} has no derivative rule")
    if isinstance(prim.partials, tuple):
        return [Const(c) for c in prim.partials]
    return _lower_template(prim.partials, list(args) + [out], builder)


def has_result_shape(arg, args):
    """True when elementwise ``prim(*args)`` has exactly ``arg``'s shape (every other
    argument is a scalar or ``arg`` itself): its derivative needs no broadcasting or summing."""
    from ..ir.nodes import is_array
    return is_array(arg.type) and all(a is arg or not is_array(a.type) for a in args)


def scale(builder, factor, value, hint):
    """``factor * value`` with the trivial cases folded at construction."""
    if isinstance(factor, Const) and factor.value == 1.0:
        return value
    if isinstance(factor, Const) and factor.value == -1.0:
        return builder.op("neg", [value], hint, value.type)
    return builder.op("mul", [factor, value], hint,
                      _product_type(factor, value))


def accumulate(builder, current, contribution, hint):
    """``current + contribution`` where ``current`` may be None (zero)."""
    if current is None:
        return contribution
    return builder.op("add", [current, contribution], hint, _product_type(current, contribution))


def _product_type(a, b):
    """Derivative type of a broadcast product/sum of ``a`` and ``b``."""
    from ..rules.table import elementwise
    return derivative_type(elementwise(lambda *t: FLOAT)(a.type, b.type))


def _select(template, args):
    """A rule given per argument ranks (a dict) picks the entry for these arguments."""
    if isinstance(template, dict):
        key = tuple(getattr(a.type, "ndim", 0) for a in args[:2])
        if key not in template:
            raise NotImplementedError(f"no rule for argument ranks {key}")
        return template[key]
    return template


def _lower_template(template, values, builder):
    from ..frontend.lower import Lowerer
    parsed, body = _template_body(template)
    names = [a.id for a in parsed.node.args.args]
    result = Lowerer(parsed, builder, track_loc=False).lower_body(body, dict(zip(names, values)))
    return list(result) if isinstance(result, tuple) else [result]


def tangent_terms(prim_name, args, out, tangents, builder):
    """Emit a vector rule's tangent terms, one per argument (None tangents are zero)."""
    prim = PRIMITIVES[prim_name]
    zeros = [t if t is not None else _zero_tangent(a, builder) for a, t in zip(args, tangents)]
    return _lower_template(_select(prim.tangent, args), list(args) + [out] + zeros, builder)


def _zero_tangent(arg, builder):
    """The tangent a template sees for an argument that has none: the caller drops the
    term it gives, but the template is lowered whole, so an array argument gets a zero of
    its own shape (``np.dot(0.0, b)`` would not type) that dead-code elimination removes."""
    from ..ir.nodes import is_array
    if isinstance(arg, Var) and is_array(arg.type):
        return builder.op("zeros_like_f", [arg], "d" + arg.hint, derivative_type(arg.type))
    return Const(0.0)


def adjoint_terms(prim_name, args, out, grad, builder):
    """Emit a vector rule's cotangent for each argument."""
    prim = PRIMITIVES[prim_name]
    return _lower_template(_select(prim.adjoint, args), list(args) + [out, grad], builder)
