"""Desugaring on the gast tree, before SSA construction.

After these steps a function body contains only: assignments to names or tuples of names,
``if``/``else``, ``for ... in range(...)``, ``while`` and ``return`` in tail position.

1. ``simplify_statements``: augmented and annotated assignment (chained comparisons are
   lowered in SSA construction, which can evaluate a middle operand once).
2. ``lower_loop_exits``: ``break``/``continue``/``return`` inside loops become flags; the rest
   of the iteration is guarded by ``if not skip``; a ``for`` with ``break`` becomes a ``while``.
3. ``returns_to_tail``: ``if c: return a`` followed by more code moves that code into the
   branch that does not return, so every ``return`` ends a path.
"""
import copy
import itertools

import gast

#: Every name desugaring invents starts with this character, which no Python identifier can
#: contain: invented names can never collide with the user's (codegen drops it from hints).
INVENTED = "%"


def invented(name):
    return INVENTED + name


TRIP_COUNT = invented("trip_count")
#: the value of a return slot before a return in a loop fills it (typed from that return)
PLACEHOLDER = invented("placeholder")
RETURNED = invented("returned")


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _assign(target, value):
    if not isinstance(value, gast.AST):
        value = gast.Constant(value=value, kind=None)
    return gast.Assign(targets=[_name(target, gast.Store())], value=value, type_comment=None)


def _located(nodes, like):
    for node in nodes:
        for sub in gast.walk(node):
            if getattr(sub, "lineno", None) is None and hasattr(like, "lineno"):
                sub.lineno = like.lineno
                sub.col_offset = getattr(like, "col_offset", 0)
    return nodes


# -- 1. simple statements ------------------------------------------------------------------
_AUGMENTED = {"Add": "+=", "Sub": "-=", "Mult": "*=", "Div": "/=", "FloorDiv": "//=",
              "Mod": "%=", "Pow": "**=", "MatMult": "@=", "BitAnd": "&=", "BitOr": "|=",
              "BitXor": "^=", "LShift": "<<=", "RShift": ">>="}


class _Simplify(gast.NodeTransformer):
    def visit_AugAssign(self, node):
        self.generic_visit(node)
        load_target = copy.deepcopy(node.target)
        for sub in gast.walk(load_target):
            if hasattr(sub, "ctx"):
                sub.ctx = gast.Load()
        value = gast.BinOp(left=load_target, op=node.op, right=node.value)
        new = gast.Assign(targets=[node.target], value=value, type_comment=None)
        # ``a += b`` on an array writes into it (lower.py, Lowering.augmented_assign)
        new.augmented = _AUGMENTED.get(type(node.op).__name__, "op=")
        return gast.copy_location(new, node)

    def visit_Attribute(self, node):
        # np.newaxis is None: written as the literal, slicing sees it where it looks for None
        if node.attr == "newaxis" and isinstance(node.value, gast.Name):
            return gast.copy_location(gast.Constant(value=None, kind=None), node)
        return self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if node.value is None:
            return None
        return gast.copy_location(gast.Assign(targets=[node.target], value=node.value,
                                              type_comment=None), node)


def simplify_statements(body):
    return [s for s in (_Simplify().visit(stmt) for stmt in body) if s is not None]


# -- 2. loop exits ----------------------------------------------------------------------------
def _contains(nodes, kinds, into_loops):
    """Does any statement in ``nodes`` contain a node of ``kinds`` (not looking into loops
    unless ``into_loops``)?"""
    for node in nodes:
        if isinstance(node, kinds):
            return True
        if isinstance(node, gast.If):
            if _contains(node.body, kinds, into_loops) or _contains(node.orelse, kinds, into_loops):
                return True
        elif isinstance(node, (gast.For, gast.While)) and into_loops:
            if _contains(node.body, kinds, into_loops) or _contains(node.orelse, kinds, into_loops):
                return True
    return False


def _assigns(stmt, name):
    return any(isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Store)
               for n in gast.walk(stmt))


class _Loop:
    def __init__(self, number):
        self.number = number
        self.skip = invented(f"skip{number}")
        self.brk = invented(f"brk{number}")
        self.has_break = False
        self.has_skip = False


class _LoopExits:
    def __init__(self):
        self.numbers = itertools.count(1)
        self.return_arity = None   # set when a return inside a loop was seen
        self.first_return = None

    def block(self, stmts, loop):
        out = []
        for stmt in stmts:
            out.extend(self.stmt(stmt, loop))
        return out

    def stmt(self, stmt, loop):
        if isinstance(stmt, gast.Return) and loop is not None:
            return self.block(_located(self._return_in_loop(stmt), stmt), loop)
        if isinstance(stmt, gast.Break):
            loop.has_break = loop.has_skip = True
            return _located([_assign(loop.brk, True), _assign(loop.skip, True)], stmt)
        if isinstance(stmt, gast.Continue):
            loop.has_skip = True
            return _located([_assign(loop.skip, True)], stmt)
        if isinstance(stmt, gast.If):
            stmt.body = self.block(stmt.body, loop)
            stmt.orelse = self.block(stmt.orelse, loop)
            return [stmt]
        if isinstance(stmt, (gast.For, gast.While)):
            return self.loop(stmt, loop)
        return [stmt]

    def _return_values(self):
        if self.return_arity is None:
            return [_name(invented("retval"))]
        return [_name(invented(f"retval{i}")) for i in range(self.return_arity)]

    def _return_in_loop(self, stmt):
        value = stmt.value
        arity = len(value.elts) if isinstance(value, gast.Tuple) else None
        if self.first_return is None:
            self.first_return, self.return_arity = stmt, arity
        elif arity != self.return_arity:
            self.return_arity = "mixed"
        values = value.elts if arity is not None else [value]
        names = [t.id for t in self._return_values()] if self.return_arity != "mixed" else [invented("retval")]
        out = [_assign(n, v) for n, v in zip(names, values)]
        return out + [_assign(RETURNED, True), gast.Break()]

    def loop(self, stmt, outer):
        ctx = _Loop(next(self.numbers))
        orelse, stmt.orelse = stmt.orelse, []
        has_return = _contains(stmt.body, gast.Return, into_loops=True)
        body = self.block(stmt.body, ctx)
        after = []
        if has_return:
            exit_ = [gast.Break()] if outer is not None else \
                [gast.Return(value=self._return_tuple())]
            after = self.block(_located([gast.If(test=_name(RETURNED), body=exit_, orelse=[])], stmt),
                               outer)
        if not ctx.has_skip:
            stmt.body = body
            loop = [stmt]
        else:
            body = [_assign(ctx.skip, False)] + _guard(body, ctx.skip)
            _located(body, stmt)
            if ctx.has_break:
                loop = _located(self._while_with_break(stmt, body, ctx), stmt)
            else:
                stmt.body = body
                loop = [stmt]
        return loop + after + self.loop_else(orelse, ctx, outer)

    def loop_else(self, orelse, ctx, outer):
        """A loop's ``else`` runs when the loop ends without ``break`` (a return in the loop
        is a break here too); its own break/continue/return belong to the enclosing loop."""
        if not orelse:
            return []
        stmts = self.block(orelse, outer)
        if not ctx.has_break:
            return stmts
        not_broken = gast.UnaryOp(op=gast.Not(), operand=_name(ctx.brk))
        return _located([gast.If(test=not_broken, body=stmts, orelse=[])], orelse[0])

    def _return_tuple(self):
        values = self._return_values()
        return values[0] if len(values) == 1 else gast.Tuple(elts=values, ctx=gast.Load())

    def _while_with_break(self, stmt, body, ctx):
        not_broken = gast.UnaryOp(op=gast.Not(), operand=_name(ctx.brk))
        if isinstance(stmt, gast.While):
            test = gast.BoolOp(op=gast.And(), values=[not_broken, stmt.test])
            return [_assign(ctx.brk, False), gast.While(test=test, body=body, orelse=[])]
        # for target in range(start, stop, step)  ->  while k < n and not brk
        call = stmt.iter
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)
                and call.func.id == "range"):
            return _for_each_with_break(self, stmt, body, ctx, not_broken)
        args = list(call.args)
        start, stop, step = (gast.Constant(0, None), args[0], gast.Constant(1, None)) if len(args) == 1 \
            else (args[0], args[1], args[2] if len(args) > 2 else gast.Constant(1, None))
        n, k = invented(f"n{ctx.number}"), invented(f"k{ctx.number}")
        first, stride = invented(f"start{ctx.number}"), invented(f"step{ctx.number}")
        pre = [_assign(ctx.brk, False), _assign(first, start), _assign(stride, step),
               _assign(n, gast.Call(func=_name(TRIP_COUNT), args=[_name(first), stop, _name(stride)],
                                    keywords=[])),
               _assign(k, 0)]
        index = gast.BinOp(left=_name(first), op=gast.Add(),
                           right=gast.BinOp(left=_name(k), op=gast.Mult(), right=_name(stride)))
        target = copy.deepcopy(stmt.target)
        new_body = [gast.Assign(targets=[target], value=index, type_comment=None),
                    _assign(k, gast.BinOp(left=_name(k), op=gast.Add(), right=gast.Constant(1, None)))]
        test = gast.BoolOp(op=gast.And(), values=[
            gast.Compare(left=_name(k), ops=[gast.Lt()], comparators=[_name(n)]), not_broken])
        return pre + [gast.While(test=test, body=new_body + body, orelse=[])]


def _for_each_with_break(self, stmt, body, ctx, not_broken):
    """for v in xs (with break)  ->  items = xs; k = 0; while k < len(items) and not brk:
    v = items[k]; k += 1; ...; then items = 0"""
    items, k = invented(f"items{ctx.number}"), invented(f"k{ctx.number}")
    pre = [_assign(ctx.brk, False), _assign(items, stmt.iter), _assign(k, 0)]
    element = gast.Subscript(value=_name(items), slice=_name(k), ctx=gast.Load())
    new_body = [gast.Assign(targets=[copy.deepcopy(stmt.target)], value=element, type_comment=None),
                _assign(k, gast.BinOp(left=_name(k), op=gast.Add(), right=gast.Constant(1, None)))]
    size = gast.Call(func=_name("len"), args=[_name(items)], keywords=[])
    test = gast.BoolOp(op=gast.And(), values=[
        gast.Compare(left=_name(k), ops=[gast.Lt()], comparators=[size]), not_broken])
    # after the loop the iterable is let go: writes into its arrays are refused only while
    # it is iterated (its elements are read by index as the loop goes)
    release = _assign(items, 0)
    return pre + [gast.While(test=test, body=new_body + body, orelse=[]), release]


def _guard(stmts, flag):
    """Wrap every statement after one that may set ``flag`` in ``if not flag:``."""
    out = []
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, gast.If):
            stmt.body = _guard(stmt.body, flag)
            stmt.orelse = _guard(stmt.orelse, flag)
        out.append(stmt)
        if _assigns(stmt, flag) and i + 1 < len(stmts):
            rest = _guard(stmts[i + 1:], flag)
            test = gast.UnaryOp(op=gast.Not(), operand=_name(flag))
            out.append(_located([gast.If(test=test, body=rest, orelse=[])], stmt)[0])
            break
    return out


def lower_loop_exits(body):
    """Replace break/continue/return-in-loop by flags; returns the new body."""
    pass_ = _LoopExits()
    new_body = pass_.block(body, None)
    if pass_.first_return is None:
        return new_body, None
    if pass_.return_arity == "mixed":
        return new_body, pass_.first_return
    unset = gast.Call(func=_name(PLACEHOLDER), args=[], keywords=[])
    inits = [_assign(v.id, copy.deepcopy(unset)) for v in pass_._return_values()] + \
        [_assign(RETURNED, False)]
    return _located(inits, body[0]) + new_body, None


# -- 3. returns in tail position ------------------------------------------------------------
def always_returns(stmts):
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, gast.Return):
        return True
    if isinstance(last, gast.If):
        return always_returns(last.body) and always_returns(last.orelse)
    return False


def returns_to_tail(stmts):
    out = []
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, gast.Return):
            out.append(stmt)
            return out            # anything after a return is unreachable
        if isinstance(stmt, gast.If) and _contains([stmt], gast.Return, into_loops=False):
            rest = stmts[i + 1:]
            if not always_returns(stmt.body):
                stmt.body = stmt.body + copy.deepcopy(rest)
            if not always_returns(stmt.orelse):
                stmt.orelse = stmt.orelse + copy.deepcopy(rest)
            stmt.body = returns_to_tail(stmt.body)
            stmt.orelse = returns_to_tail(stmt.orelse)
            out.append(stmt)
            return out
        out.append(stmt)
    return out


def desugar(parsed, helper=False):
    """Desugar ``parsed.node``'s body in place order: the steps in the module docstring. A
    helper (``helper``) may end without ``return``: it returns None there, as in Python."""
    body = copy.deepcopy(parsed.node.body)   # the parsed tree is cached: never mutate it
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if helper:
        for node in [n for stmt in body for n in gast.walk(stmt)]:
            if isinstance(node, gast.Return) and node.value is None:
                node.value = gast.copy_location(gast.Constant(value=None, kind=None), node)
        if not always_returns(body):
            last = body[-1] if body else parsed.node
            body.append(gast.copy_location(gast.Return(value=gast.copy_location(
                gast.Constant(value=None, kind=None), last)), last))
    body = simplify_statements(body)
    body, mixed_return = lower_loop_exits(body)
    if mixed_return is not None:
        raise parsed.error(mixed_return, "returns inside a loop give tuples of different lengths",
                           "return the same number of values on every path")
    body = returns_to_tail(body)
    if not always_returns(body):
        last = body[-1] if body else parsed.node
        raise parsed.error(last, f"function '{parsed.node.name}' can reach its end without 'return'",
                           "return a value on every path")
    return body
