"""Turning a primitive's rule into IR: lowering its partial-derivative template."""
from ..ir.nodes import Const, FLOAT
from .table import PRIMITIVES

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
    from ..frontend.lower import Lowerer
    prim = PRIMITIVES[prim_name]
    if prim.partials is None:
        raise NotImplementedError(f"primitive {prim_name!r} has no derivative rule")
    if isinstance(prim.partials, tuple):
        return [Const(c) for c in prim.partials]
    parsed, body = _template_body(prim.partials)
    names = [a.id for a in parsed.node.args.args]
    env = dict(zip(names, list(args) + [out]))
    result = Lowerer(parsed, builder, track_loc=False).lower_body(body, env)
    parts = list(result) if isinstance(result, tuple) else [result]
    return parts


def scale(builder, factor, value, hint):
    """``factor * value`` with the trivial cases folded at construction."""
    if isinstance(factor, Const) and factor.value == 1.0:
        return value
    if isinstance(factor, Const) and factor.value == -1.0:
        return builder.op("neg", [value], hint, FLOAT)
    return builder.op("mul", [factor, value], hint, FLOAT)


def accumulate(builder, current, contribution, hint):
    """``current + contribution`` where ``current`` may be None (zero)."""
    if current is None:
        return contribution
    return builder.op("add", [current, contribution], hint, FLOAT)
