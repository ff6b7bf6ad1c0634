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


_READS = {}


def _names_read(node):
    import ast
    return {n.id for n in ast.walk(node) if type(n).__name__ == "Name"}


def _template_reads(template):
    """For each term the template returns (one per argument), the positions of the
    template's parameters it reads, through the template's assignments; None when the body
    is not assignments and one return."""
    if template in _READS:
        return _READS[template]
    parsed, body = _template_body(template)
    params = [a.id for a in parsed.node.args.args]
    reads, depends = None, {}
    if body and type(body[-1]).__name__ == "Return" and all(
            type(s).__name__ == "Assign" and len(s.targets) == 1 and
            type(s.targets[0]).__name__ == "Name" for s in body[:-1]):
        def closure(node):
            names = _names_read(node)
            return names.union(*(depends.get(n, ()) for n in names))
        for stmt in body[:-1]:
            depends[stmt.targets[0].id] = closure(stmt.value)
        value = body[-1].value
        terms = value.elts if type(value).__name__ == "Tuple" else [value]
        reads = tuple(frozenset(k for k, p in enumerate(params) if p in closure(term))
                      for term in terms)
    _READS[template] = reads
    return reads


def _rule_template(prim, args):
    """The template the reverse sweep lowers for ``prim``: its adjoint (a vector rule, chosen
    by the ranks of ``args``) or its partials; None for constant partials."""
    if prim.adjoint is not None:
        return _select(prim.adjoint, args)
    if prim.partials is None or isinstance(prim.partials, tuple):
        return None
    return prim.partials


def rule_reads(prim_name, args, active):
    """Which of ``args + [out]`` (by position) the reverse rule of ``prim_name`` reads for the
    terms of the ``active`` arguments: its partials, or its adjoint for a vector rule. The
    reverse sweep recomputes or tapes no other primal value for it (``a + b`` reads neither
    ``a`` nor ``b``, ``2.0 * x`` not ``x``), and lowers the rule with :func:`_active_terms`."""
    template = _rule_template(PRIMITIVES[prim_name], args)
    if template is None:
        return frozenset()
    terms = _template_reads(template)
    if terms is None or len(terms) != len(args):
        return frozenset(range(len(args) + 1))
    return frozenset().union(*(t for t, is_active in zip(terms, active) if is_active))


_ACTIVE_BODIES = {}


def _active_terms(template, active):
    """The template's body returning 0.0 for the terms of inactive arguments, without the
    assignments only those used: it reads exactly what :func:`rule_reads` says (None where
    the whole body is lowered)."""
    key = (template, tuple(active))
    if key in _ACTIVE_BODIES:
        return _ACTIVE_BODIES[key]
    import gast
    parsed, body = _template_body(template)
    terms = _template_reads(template)
    value = body[-1].value if terms is not None else None
    short = None
    if value is not None and type(value).__name__ == "Tuple" and len(value.elts) == len(active):
        needed = set()
        for term, keep in zip(value.elts, active):
            if keep:
                needed |= _names_read(term)
        for stmt in reversed(body[:-1]):            # assignments the kept terms need
            if stmt.targets[0].id in needed:
                needed |= _names_read(stmt.value)
        elts = [term if keep else gast.Constant(value=0.0, kind=None)
                for term, keep in zip(value.elts, active)]
        short = [stmt for stmt in body[:-1] if stmt.targets[0].id in needed] + \
            [gast.Return(value=gast.Tuple(elts=elts, ctx=gast.Load()))]
    _ACTIVE_BODIES[key] = short
    return short


def partial_derivatives(prim_name, args, out, builder, active=None):
    """Emit the partials of ``out = prim(*args)`` into ``builder``; one atom per argument
    (0.0 for an argument not ``active``, whose values may be None: see :func:`rule_reads`)."""
    prim = PRIMITIVES[prim_name]
    if prim.partials is None:
        raise NotImplementedError(f"primitive {prim_name!r} has no derivative rule")
    if isinstance(prim.partials, tuple):
        return [Const(c) for c in prim.partials]
    return _lower_template(prim.partials, list(args) + [out], builder, active)


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


def _lower_template(template, values, builder, active=None):
    from ..frontend.lower import Lowerer
    parsed, body = _template_body(template)
    if active is not None:
        body = _active_terms(template, active) or body
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


def adjoint_terms(prim_name, args, out, grad, builder, chosen_by=None, active=None):
    """Emit a vector rule's cotangent for each argument (see :func:`partial_derivatives`
    for ``active``); a rule given per argument ranks is chosen by the ranks of ``chosen_by``
    (default ``args``)."""
    prim = PRIMITIVES[prim_name]
    template = _select(prim.adjoint, chosen_by if chosen_by is not None else args)
    return _lower_template(template, list(args) + [out, grad], builder, active)
