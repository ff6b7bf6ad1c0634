"""SSA construction for the structured IR.

Because the desugared tree is structured, SSA construction is the renaming walk alone:
an environment maps each Python name to its current SSA value; at an ``if`` the two
branch environments are merged into branch results (the phi nodes); at a loop the names
the body assigns become carried block arguments. Calls to the user's own helpers are
inlined from their source.
"""
import ast
import builtins
import collections
import copy
import dataclasses
import inspect
import math
import os
import textwrap
import numbers
import types

import gast
import numpy as np

from ..errors import CompileError
from ..ir.nodes import (Var, Const, Op, Block, If, For, While, Function, is_array, INT, BOOL, FLOAT,
                        ArrayType, stmt_uses, child_blocks)
from ..ir.builder import Builder
from ..rules import PRIMITIVES, primitive_for_object
from ..rules.array import MATRIX_CONSTRUCTORS, einsum_subscripts, einsum_type
from ..rules.custom import is_user_non_differentiable, declared_result
from ..rules.opaque import opaque_result_type, returns_new_array
from .desugar import desugar, invented, TRIP_COUNT, PLACEHOLDER
from .fence import check_syntax
from .source import parse_function, ParsedFunction, python_function
from . import indexed_writes

try:
    from numba import prange as _prange
except ImportError:  # pragma: no cover
    _prange = None


class _CannotMerge(Exception):
    """Values of one name that no branch result can join (different structures)."""


class _Undefined:
    """A name whose value cannot be carried to this point: a compile-time object (a function,
    a module) on one path and something else on another, or tuples of different lengths."""

    def __init__(self, name, reason="it is a different kind of value on different paths"):
        self.name = name
        self.reason = reason


#: a name's bound flag where it is bound / unbound on every path (singletons: branches
#: that agree yield the very same atom, and need no branch result)
_BOUND, _UNBOUND = Const(True), Const(False)


def bound_flag(name):
    """The environment key of the run-time flag telling whether ``name`` is bound.

    Python binds a local when it is assigned and raises UnboundLocalError when it is read
    before that. The key is present (a bool atom) only where the name may be unbound on the
    path taken; an absent key means it is bound. Being an invented name, it joins branches
    and loops like any variable, so the flag follows control flow exactly."""
    return invented("bound:" + name)


def _hint(name):
    """The SSA hint for a name: an invented name without its '%'."""
    return name.lstrip(invented(""))


def _is_flag(key):
    return key.startswith(invented("bound:"))


class PyObject:
    """A compile-time Python object (a module, a function) seen in an expression."""

    def __init__(self, obj):
        self.obj = obj


_COMPREHENSIONS = (gast.ListComp, gast.GeneratorExp, gast.SetComp, gast.DictComp)


def _template(text, **parts):
    """Statements from ``text`` whose upper-case names are replaced: by an invented name
    (a string), or by a user's AST node (the target or element of a comprehension)."""
    tree = gast.parse(textwrap.dedent(text))
    for node in gast.walk(tree):          # located later, at the user's node (lower_template)
        if hasattr(node, "lineno"):
            node.lineno = node.end_lineno = None

    class Fill(gast.NodeTransformer):
        def visit_Name(self, node):
            part = parts.get(node.id)
            if part is None:
                return node
            if isinstance(part, str):
                return gast.Name(id=part, ctx=node.ctx, annotation=None, type_comment=None)
            part = copy.deepcopy(part)
            if isinstance(node.ctx, gast.Store):
                for sub in gast.walk(part):
                    if isinstance(sub, (gast.Name, gast.Tuple, gast.List)):
                        sub.ctx = gast.Store()
            return part
    return Fill().visit(tree).body


#: NumPy functions lowered as the NumPy code they stand for (Lowerer.numpy_spelling)
_SPELLED_IN_NUMPY = (np.asarray, np.atleast_1d, np.atleast_2d, np.atleast_3d, np.column_stack,
                     np.vstack, np.hstack)


class LocalFunction:
    """A function defined inside the differentiated code (a nested ``def`` or a ``lambda``):
    inlined where it is called, like a helper. Names it does not bind are read from the
    enclosing function's variables as they are at the call, as a Python closure does."""

    def __init__(self, node, definer, defaults):
        self.node = node                 # a gast.FunctionDef (a lambda's made into one)
        self.definer = definer           # the Lowerer of the enclosing function
        self.defaults = defaults         # the default values, evaluated at the definition
        self.__name__ = self.__qualname__ = node.name

    def signature(self):
        """An ``inspect.Signature`` of the function, its defaults those of the definition."""
        args = self.node.args
        plain = args.posonlyargs + args.args
        defaults = dict(zip([a.id for a in plain[len(plain) - len(args.defaults):]],
                            self.defaults[:len(args.defaults)]))
        defaults.update({a.id: d for a, d in zip(args.kwonlyargs, self.defaults[len(args.defaults):])
                         if d is not None})
        kinds = [(a, inspect.Parameter.POSITIONAL_ONLY) for a in args.posonlyargs] + \
            [(a, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a in args.args] + \
            [(a, inspect.Parameter.KEYWORD_ONLY) for a in args.kwonlyargs]
        return inspect.Signature([inspect.Parameter(a.id, kind, default=defaults.get(
            a.id, inspect.Parameter.empty)) for a, kind in kinds])


def lambda_as_def(node, name="<lambda>"):
    """``lambda args: body`` as ``def <lambda>(args): return body``."""
    ret = gast.copy_location(gast.Return(value=node.body), node)
    fdef = gast.FunctionDef(name=name, args=node.args, body=[ret], decorator_list=[],
                            returns=None, type_comment=None, type_params=[])
    return gast.copy_location(fdef, node)


#: None: one object, so that branches returning None agree without a branch result
_NONE = PyObject(None)

#: the types tried, in order, for a name read in a loop before the body first binds it
_GUESSES = (FLOAT, INT, BOOL)


class _ReadBeforeBinding(CompileError):
    """A name first bound inside a loop is read before the body binds it (so in a later
    iteration): the loop is lowered again with a type for it (see Lowerer.lower_loop)."""

    def __init__(self, arg, message, loc, hint):
        super().__init__(message, loc, hint)
        self.arg = arg


class _Renew(Exception):
    """A loop writes into a carried array and replaces it by another (double buffering,
    ``u, new = new, u``): the loop is lowered again with each iteration writing into a copy of
    the carried array made at the start of its body (see Lowerer.lower_loop)."""

    def __init__(self, names, error):
        super().__init__(names)
        self.names, self.error = names, error


class _Unreachable(Exception):
    """Lowering reached a read of a local that no path to it binds: at run time that read
    raises UnboundLocalError, so the rest of the path is never run and is not lowered. The
    innermost branch or loop body containing it ends there, its results placeholders typed
    by the paths that go on (see Lowerer.unreachable_env)."""

    def __init__(self, name, loc):
        super().__init__(name)
        self.name, self.loc = name, loc


def _is_placeholder_op(var, block):
    """Is ``var`` the result of a placeholder op of ``block`` (created for a loop there)?"""
    return any(isinstance(stmt, Op) and stmt.result is var and stmt.prim == "placeholder"
               for stmt in block.stmts)


def _observes(block, var):
    """Does ``block`` look at ``var``'s value or memory? Passing it on unchanged (into a
    region's result, a nested loop that does not look at it, a yield) is not looking."""
    same = {var}
    for stmt in block.stmts:
        if isinstance(stmt, Op):
            if any(a in same for a in stmt.args if isinstance(a, Var)):
                return True
            continue
        if isinstance(stmt, If) and stmt.cond in same:
            return True
        if any(a in same for a in stmt_uses(stmt) if isinstance(a, Var)
               and not (isinstance(stmt, (For, While)) and a in stmt.inits)):
            return True       # a loop's bounds
        bodies = child_blocks(stmt)
        entries = list(zip(stmt.args, stmt.inits)) if isinstance(stmt, (For, While)) else []
        for arg, init in entries:
            if init in same and any(_observes(b, arg) for b in bodies):
                return True
        if any(_observes(b, v) for b in bodies for v in same):
            return True
        for k, r in enumerate(stmt.results):
            if any(b.yields[k] in same for b in bodies if b is not getattr(stmt, "cond_body", None)) \
                    or (entries and entries[k][1] in same):
                same.add(r)
    return False


def _reads(block, var):
    """Does ``block`` (its nested regions and yields included) read ``var``?"""
    if any(y is var for y in block.yields):
        return True
    for stmt in block.stmts:
        if any(a is var for a in stmt_uses(stmt)):
            return True
        if any(_reads(child, var) for child in child_blocks(stmt)):
            return True
    return False


def _source_types(block, value):
    """The types of the values that may reach ``value`` through the results of ``block``'s
    branches (a branch result whose paths disagree has no type of its own, and a later join
    with a guess would hide that)."""
    sources = {}

    def collect(b):
        for stmt in b.stmts:
            if isinstance(stmt, If):
                collect(stmt.then_body)
                collect(stmt.else_body)
                for r, *ys in zip(stmt.results, stmt.then_body.yields, stmt.else_body.yields):
                    sources[r] = ys

    collect(block)
    types, todo, seen = set(), [value], set()
    while todo:
        v = todo.pop()
        if not isinstance(v, Var) or v in seen:
            continue
        seen.add(v)
        if v in sources:
            todo += sources[v]
        elif v.type is not None:
            types.add(v.type)
    return types


class _Sequence:
    """What a ``for`` loop iterates, known at compile time: a ``range``, an array (its
    elements or rows), ``enumerate`` or ``zip`` of those. ``for t in seq: body`` is
    ``for k in range(len(seq)): t = seq[k]; body``."""
    arrays = ()     # the arrays whose elements it reads

    def length(self, lowerer):
        raise NotImplementedError

    def item(self, lowerer, k):
        raise NotImplementedError


class _RangeSequence(_Sequence):
    def __init__(self, start, stop, step):
        self.start, self.stop, self.step = start, stop, step

    def length(self, lowerer):
        return lowerer.emit("trip_count", [self.start, self.stop, self.step], "n")

    def item(self, lowerer, k):
        value = k if self.step == Const(1) else lowerer.emit("mul", [k, self.step])
        return value if self.start == Const(0) else lowerer.emit("add", [self.start, value])


class _ArraySequence(_Sequence):
    def __init__(self, array):
        self.array = array
        self.arrays = (array,)

    def length(self, lowerer):
        return lowerer.emit("dim", [self.array, Const(0)], "n")

    def item(self, lowerer, k):
        element = lowerer.emit("getitem", [self.array, k])
        if is_array(element.type):
            lowerer.add_view(element, self.array)      # a row: a view, as in NumPy
        return element


class _DictValue(tuple):
    """A dict of numbers, arrays and other such values, known at compile time by its keys
    (a pytree, as in JAX): its values in key order, a tuple in every other respect."""

    def __new__(cls, keys, values):
        self = super().__new__(cls, values)
        self.keys = tuple(keys)
        return self

    def get(self, key):
        return self[self.keys.index(key)] if key in self.keys else None


def _rebuild(like, parts):
    """``parts`` in the structure of ``like`` (a tuple or a dict value)."""
    return _DictValue(like.keys, parts) if isinstance(like, _DictValue) else tuple(parts)


def _same_structure(values):
    first = values[0]
    return all(isinstance(v, tuple) and len(v) == len(first) and
               getattr(v, "keys", None) == getattr(first, "keys", None) and
               all(isinstance(a, tuple) == isinstance(b, tuple) for a, b in zip(v, first))
               for v in values)


def _axes_pattern(spec, ndim):
    """Which axes an index ``spec`` slices and which it indexes (the axes it leaves out are
    sliced): two views with one pattern differ by offsets and steps only."""
    kinds = tuple(part[0] for part in spec if part[0] != "newaxis")
    return kinds + ("slice",) * (ndim - len(kinds))


def _leaves(value):
    """The atoms of a value, nested tuples and dicts flattened in order."""
    if isinstance(value, tuple):
        return [leaf for part in value for leaf in _leaves(part)]
    return [value]


def _unleaves(like, leaves):
    """Atoms from the iterator ``leaves`` in the structure of ``like``."""
    if isinstance(like, tuple):
        return _rebuild(like, [_unleaves(part, leaves) for part in like])
    return next(leaves)


class _ListValue(_ArraySequence):
    """A list built by a comprehension, held as the array of its elements stacked (the same
    values): it can be looped over, indexed, measured with len, reduced with sum/max/min
    and stacked with np.array/np.stack."""


class _EnumerateSequence(_Sequence):
    def __init__(self, inner, start):
        self.inner, self.start = inner, start
        self.arrays = inner.arrays

    def length(self, lowerer):
        return self.inner.length(lowerer)

    def item(self, lowerer, k):
        count = k if self.start == Const(0) else lowerer.emit("add", [self.start, k])
        return count, self.inner.item(lowerer, k)


class _ZipSequence(_Sequence):
    def __init__(self, inners):
        self.inners = inners
        self.arrays = tuple(a for inner in inners for a in inner.arrays)

    def length(self, lowerer):
        lengths = [inner.length(lowerer) for inner in self.inners]
        shortest = lengths[0]
        for n in lengths[1:]:            # zip stops at the shortest
            shortest = lowerer.emit("min", [shortest, n], "n")
        return shortest

    def item(self, lowerer, k):
        return tuple(inner.item(lowerer, k) for inner in self.inners)


_BINOPS = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div",
           gast.Pow: "pow", gast.FloorDiv: "floordiv", gast.Mod: "mod", gast.MatMult: "dot"}
_CMPOPS = {gast.Lt: "lt", gast.LtE: "le", gast.Gt: "gt", gast.GtE: "ge", gast.Eq: "eq",
           gast.NotEq: "ne"}
_UNARY = {gast.USub: "neg", gast.UAdd: "pos", gast.Not: "not"}

_NUMBER = (numbers.Number, np.number, np.bool_)
_SPELLING = {"amax": "max", "amin": "min", "prod": "prod"}    # of reductions, in messages


def _as_const(value):
    if isinstance(value, (bool, np.bool_)):
        return Const(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return Const(int(value))
    return Const(float(value))


def _has_slice(index):
    parts = index.elts if isinstance(index, gast.Tuple) else [index]
    return any(isinstance(p, gast.Slice) or (isinstance(p, gast.Constant) and p.value is None)
               for p in parts)


def _join(*types):
    from ..transforms.types import join
    out = types[0]
    for t in types[1:]:
        try:
            out = join(out, t)
        except TypeError:
            return None
    return out


def _plain_bool(node):
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not):
        return _plain_bool(node.operand) or isinstance(node.operand, gast.Name)
    if isinstance(node, gast.Compare):
        return all(isinstance(n, (gast.Name, gast.Constant)) for n in [node.left, *node.comparators])
    return isinstance(node, gast.Constant) and isinstance(node.value, bool)


def _array_parts(value):
    """The array Vars a name's value holds (a tuple may hold several)."""
    parts = value if isinstance(value, tuple) else (value,)
    return [p for p in parts if isinstance(p, Var) and is_array(p.type)]


def scope_walk(node):
    """The nodes of ``node`` that belong to its own scope: like ``gast.walk``, but the body
    and parameters of a nested ``def`` or ``lambda`` are another scope (its defaults and
    decorators are evaluated here)."""
    todo = collections.deque([node])     # breadth first, as gast.walk
    while todo:
        node = todo.popleft()
        yield node
        if isinstance(node, gast.FunctionDef):
            todo.extend(node.args.defaults + node.args.kw_defaults + node.decorator_list)
        elif isinstance(node, gast.Lambda):
            todo.extend(node.args.defaults + node.args.kw_defaults)
        elif isinstance(node, _COMPREHENSIONS):
            todo.append(node.generators[0].iter)     # the rest is the comprehension's scope
        else:
            todo.extend(gast.iter_child_nodes(node))


def written_arrays(stmts):
    """Names written through item assignment (``name[...] = ...``) or, if they hold arrays,
    augmented assignment (``name += ...`` writes into the array)."""
    return {node.value.id for stmt in stmts for node in scope_walk(stmt)
            if isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store)
            and isinstance(node.value, gast.Name)} | {
        node.targets[0].id for stmt in stmts for node in scope_walk(stmt)
        if isinstance(node, gast.Assign) and getattr(node, "augmented", False)
        and isinstance(node.targets[0], gast.Name)}


def plain_aliases(stmts, name):
    """``name`` and the names that may be bound to its very value by plain assignments
    (``b = a``, ``b, c = a, x``, anywhere in ``stmts``)."""
    pairs = []
    for stmt in stmts:
        for node in scope_walk(stmt):
            if isinstance(node, gast.Assign):
                for target in node.targets:
                    pairs += _name_pairs(target, node.value)
    names, grew = {name}, True
    while grew:
        new = {t for t, v in pairs if v in names} - names
        names |= new
        grew = bool(new)
    return names


def _name_pairs(target, value):
    if isinstance(target, gast.Name) and isinstance(value, gast.Name):
        return [(target.id, value.id)]
    if isinstance(target, (gast.Tuple, gast.List)) and isinstance(value, (gast.Tuple, gast.List)) \
            and len(target.elts) == len(value.elts):
        return [p for t, v in zip(target.elts, value.elts) for p in _name_pairs(t, v)]
    return []


def output_parameters(body, globals_, closure, seen=None):
    """The parameters of a function (its desugared ``body``) that it writes into, itself or
    through the helpers it passes them to (``out[i] = ...`` or ``fill(out)``)."""
    seen = set() if seen is None else seen
    written = set(written_arrays(body))
    for stmt in body:
        for call in scope_walk(stmt):
            if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)):
                continue
            callee = python_function(closure.get(call.func.id, globals_.get(call.func.id)))
            if not isinstance(callee, types.FunctionType) or callee in seen or \
                    not _is_user_code(callee):
                continue
            seen.add(callee)
            try:
                parsed = parse_function(callee)
                inner = output_parameters(parsed.node.body, callee.__globals__, {}, seen)
                params = [a.id for a in parsed.node.args.args]
            except CompileError:
                continue
            for position, arg in enumerate(call.args):
                if isinstance(arg, gast.Name) and position < len(params) and \
                        params[position] in inner:
                    written.add(arg.id)
            for kw in call.keywords:
                if isinstance(kw.value, gast.Name) and kw.arg in inner:
                    written.add(kw.value.id)
    return written


def bound_names(stmts):
    """The names ``stmts`` bind (assign, loop over, define): the function's locals. A write
    into an item (``a[0] = v``) reads ``a``; it does not bind it."""
    return {node.id for stmt in stmts for node in scope_walk(stmt)
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store)} | \
        {node.name for stmt in stmts for node in scope_walk(stmt)
         if isinstance(node, gast.FunctionDef)}


def assigned_names(stmts):
    """Names a list of statements may assign (recursively), in first-assignment order."""
    seen = {}
    for stmt in stmts:
        for node in scope_walk(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                seen.setdefault(node.id, None)
            elif isinstance(node, gast.FunctionDef):
                seen.setdefault(node.name, None)
            elif isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store) \
                    and isinstance(node.value, gast.Name):
                seen.setdefault(node.value.id, None)
    return list(seen)


class Lowerer:
    """Lowers one (desugared) function body into the builder, inlining helper calls."""

    def __init__(self, parsed, builder, call_stack=(), track_loc=True, call_sites=(),
                 enclosing=None):
        self.parsed = parsed
        self.call_sites = call_sites      # Locs of the calls inlining this body, innermost first
        self.track_loc = track_loc
        self.b = builder
        self.call_stack = call_stack + (parsed.fn,)
        self.enclosing = enclosing        # the Lowerer of the function defining this one
        self.current_env = {}             # the variables at the statement being lowered
        fn = parsed.fn
        if enclosing is not None:         # a nested function: the module's names are its own
            self.owner, self.globals, self.closure = \
                enclosing.owner, enclosing.globals, enclosing.closure
        else:
            self.owner = fn               # the Python function whose globals and cells we read
            self.globals = getattr(fn, "__globals__", {})
            try:
                closure = inspect.getclosurevars(fn).nonlocals \
                    if getattr(fn, "__closure__", None) else {}
            except (TypeError, ValueError):
                closure = {}
            self.closure = closure
        self.views = set()
        self.view_index = {}    # view base[i, ...] of integer indices -> (base, the indices)
        self.view_patterns = builder.view_patterns if hasattr(builder, "view_patterns") else {}
        builder.view_patterns = self.view_patterns   # view of a buffer -> which axes it slices
        self.family = builder.families if hasattr(builder, "families") else {}
        builder.families = self.family     # array Var -> the buffer it lives in (see store_item)
        self.parameters = {a.id for a in parsed.node.args.args}
        self.written = builder.written if hasattr(builder, "written") else set()
        builder.written = self.written     # buffers some setitem writes into
        self.shares = builder.shares if hasattr(builder, "shares") else {}
        builder.shares = self.shares       # array Var -> other buffers it may share storage with
        if not hasattr(builder, "placeholders"):
            builder.placeholders = set()   # values of names on paths where they are unbound
        self.placeholders = builder.placeholders
        self.locals = set(self.parameters)
        if not hasattr(builder, "captured"):
            builder.captured = []          # (owner, scope, name, value) of number constants

    def loc(self, node):
        """Where ``node`` is, with the call sites that inlined it."""
        return dataclasses.replace(self.parsed.loc(node), called_from=self.call_sites)

    def stmt_loc(self, stmt):
        """The location a region statement is shown at: its own, or (a template inlined with
        ``track_loc`` off) the line being lowered."""
        return self.loc(stmt) if self.track_loc else self.b.loc

    def error(self, node, message, hint=None):
        return CompileError(message, self.loc(node), hint)

    def lower_function(self, body, env):
        """Lower a whole (desugared) function body: its locals are its parameters and every
        name it assigns, as in Python (reading one before it is bound is an error, never a
        read of a global of the same name)."""
        self.locals = set(env) | set(bound_names(body))
        return self.lower_body(body, env)

    # -- statements ---------------------------------------------------------------------------
    def lower_body(self, stmts, env):
        """Lower ``stmts``; return the returned value if the block ends in ``return``."""
        for stmt in stmts:
            with self.b.at(loc=self.loc(stmt) if self.track_loc else None):
                result = self.lower_stmt(stmt, env)
            if result is not None:
                return result
        return None

    def lower_stmt(self, stmt, env):
        saved, self.current_env = self.current_env, env
        try:
            return self.lower_statement(stmt, env)
        finally:
            self.current_env = saved

    def lower_statement(self, stmt, env):
        if isinstance(stmt, gast.FunctionDef):
            env[stmt.name] = self.local_function(stmt, env)
            env.pop(bound_flag(stmt.name), None)
            return None
        if isinstance(stmt, gast.Assign):
            value = self.expr(stmt.value, env)
            if getattr(stmt, "augmented", False) and isinstance(stmt.targets[0], gast.Name):
                return self.augmented_assign(stmt.targets[0], value, env, stmt.augmented)
            for target in stmt.targets:
                self.bind(target, value, env)
        elif isinstance(stmt, gast.Return):
            if stmt.value is None:
                raise self.error(stmt, "'return' without a value", "return the result")
            value = self.expr(stmt.value, env)
            if value is _NONE or (isinstance(value, tuple) and any(v is _NONE for v in value)):
                return value                  # a helper's None (or with its output arrays)
            return self.as_value(value, stmt.value)
        elif isinstance(stmt, gast.If):
            return self.lower_if(stmt, env)
        elif isinstance(stmt, gast.For):
            self.lower_for(stmt, env)
        elif isinstance(stmt, gast.While):
            self.lower_while(stmt, env)
        elif isinstance(stmt, gast.Pass):
            pass
        elif isinstance(stmt, gast.Expr):
            call = stmt.value
            if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and \
                    call.func.attr in ("append", "extend", "insert", "pop", "remove", "update",
                                       "setdefault", "clear"):
                raise self.error(stmt, f"'.{call.func.attr}()' changes a list or dict; lists "
                                       f"and dicts are values here, built once",
                                 "build it at once (a comprehension, a literal) or write into a "
                                 "NumPy array")
            if isinstance(call, gast.Call) and self.calls_user_code(call, env):
                self.expr(call, env)          # a helper writing into its arguments
                return None
            if isinstance(call, gast.Call):
                self.refuse_writing_call(stmt, call)
            if not (isinstance(stmt.value, gast.Constant) and isinstance(stmt.value.value, str)):
                raise self.error(stmt, "an expression statement has no effect on the result",
                                 "assign the value to a variable or remove the line")
        else:
            raise self.error(stmt, f"'{type(stmt).__name__}' statements are not supported")
        return None

    def refuse_writing_call(self, stmt, call):
        """A NumPy call made for what it writes into an array (``np.add(a, b, out=y)``,
        ``np.copyto(y, v)``, ``y.fill(v)``, ``y.sort()``): named, with the assignment that
        does the same."""
        spelled = ast.unparse(gast.gast_to_ast(call))
        out = next((kw.value for kw in call.keywords if kw.arg == "out"), None)
        func = call.func
        name = func.attr if isinstance(func, gast.Attribute) else getattr(func, "id", "")
        ufunc = getattr(np, name, None)
        args = list(call.args)
        if out is None and isinstance(ufunc, np.ufunc) and len(args) > ufunc.nin:
            out, args = args[ufunc.nin], args[:ufunc.nin]       # np.add(a, b, y)
        if out is not None:
            target = ast.unparse(gast.gast_to_ast(out))
            rest = [kw for kw in call.keywords if kw.arg != "out"]
            plain = gast.Call(func=call.func, args=args, keywords=rest)
            raise self.error(stmt, f"'{spelled}' writes its result into '{target}' (out=), "
                                   f"which is not supported",
                             f"assign the result: {target} = "
                             f"{ast.unparse(gast.gast_to_ast(plain))}")
        if name == "copyto" and len(call.args) == 2:
            dst, src = (ast.unparse(gast.gast_to_ast(a)) for a in call.args)
            raise self.error(stmt, f"'{spelled}' writes into '{dst}', which is not supported",
                             f"write the values in: {dst}[...] = {src}")
        if isinstance(func, gast.Attribute) and name in ("fill", "sort", "put", "resize",
                                                         "itemset", "partition"):
            owner = ast.unparse(gast.gast_to_ast(func.value))
            hint = (f"{owner}[...] = {ast.unparse(gast.gast_to_ast(call.args[0]))}"
                    if name == "fill" and call.args else
                    f"{owner} = np.sort({owner})" if name == "sort" else
                    f"compute the new values and assign them to {owner}")
            raise self.error(stmt, f"'.{name}()' changes the array '{owner}' in place, which "
                                   f"is not supported", hint)

    def augmented_assign(self, target, value, env, spelling):
        """``a += b`` with ``value`` the lowered ``a + b``. On an array, Python writes into
        ``a``'s memory: where no other name sees that memory this is the new value bound to
        ``a``; where one does (another name for it, a view of it, ``a`` a view), it is the
        write ``a[:] = a + b``, which the other names see. The result keeps ``a``'s dtype
        (NumPy casts in place, and refuses a float result into an integer array)."""
        name = target.id
        old = env.get(name)
        if not (isinstance(old, Var) and is_array(old.type)):
            return self.bind(target, value, env)
        if isinstance(value, Var) and is_array(value.type) and value.type.dtype != old.type.dtype:
            if not (old.type.dtype.startswith("float") and value.type.dtype.startswith("float")):
                raise self.error(target, f"'{name} {spelling}' would store {value.type.dtype} "
                                         f"values into the {old.type.dtype} array '{name}', which "
                                         f"NumPy refuses", f"write {name} = {name} + ... for a "
                                         f"new array of the wider type")
            value = self.emit("cast_like", [value, old], name, node=target)
        storage = self.storage_of(old) | {old}
        seen_elsewhere = old in self.views or any(
            n != name and any(storage & (self.storage_of(part) | {part})
                              for part in _array_parts(v)) for n, v in env.items())
        if not seen_elsewhere:
            return self.bind(target, value, env)
        whole = gast.Subscript(value=gast.Name(id=name, ctx=gast.Load(), annotation=None,
                                               type_comment=None),
                               slice=gast.Slice(lower=None, upper=None, step=None),
                               ctx=gast.Store())
        for node in gast.walk(whole):
            gast.copy_location(node, target)
        return self.store_item(whole, value, env)

    def bind(self, target, value, env):
        if isinstance(target, gast.Name):
            if isinstance(value, Var) and value.hint == "t":
                value.hint = _hint(target.id)   # temporaries take the name they become
            env[target.id] = value
            env.pop(bound_flag(target.id), None)
        elif isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(value, _DictValue):
                raise self.error(target, "unpacking a dict gives its keys, which are not values "
                                         "here", "read the values by key: a = d['a']")
            if not isinstance(value, tuple) or len(value) != len(target.elts):
                n = len(value) if isinstance(value, tuple) else 1
                raise self.error(target, f"cannot unpack {n} value(s) into {len(target.elts)} names",
                                 "assign as many names as the right-hand side has values")
            for t, v in zip(target.elts, value):
                self.bind(t, v, env)
        elif isinstance(target, gast.Subscript):
            self.store_item(target, value, env)
        else:
            raise self.error(target, f"assignment to {type(target).__name__} is not supported",
                             "assign to a plain name")

    def merge_family(self, result, values):
        """An array chosen among ``values`` lives in their buffer if they share one; either
        way it may share the storage of each of them. A placeholder is never read (its path
        leaves the name unbound), so it holds no buffer."""
        if not is_array(result.type):
            return
        values = [v for v in values if v not in self.placeholders] or values
        roots = {self.family.get(v) for v in values}
        self.family[result] = roots.pop() if len(roots) == 1 else "merged"
        self.shares[result] = frozenset().union(*[self.storage_of(v) for v in values])

    def storage_of(self, array):
        """The buffers whose in-place writes ``array`` would see (its own and, for views and
        values chosen by branches or loops, those of the arrays it may be)."""
        own = self.family.get(array)
        return self.shares.get(array, frozenset()) | (
            {own} if own is not None and own != "merged" else set())

    def add_view(self, view, base):
        """``view`` shares ``base``'s storage: writes into that storage change it too."""
        self.views.add(view)
        self.shares[view] = self.storage_of(base)

    def add_row_view(self, view, base, index, pattern=None):
        """``view = base[i, ...]`` by integer ``index`` atoms: a view, and where ``base`` is
        not a view itself, one a write goes through (store_through_view) and that is taken
        again after writes into ``base``; ``pattern``: its sliced axes, if known already."""
        self.add_view(view, base)
        if base not in self.views:
            self.view_patterns[view] = pattern or _axes_pattern((("index",),) * len(index),
                                                                base.type.ndim)
            self.view_index[view] = (base, list(index))

    def carry_families(self, slots, yields, results, body, node, outer_buffers):
        """``outer_buffers``: the buffers that existed before the loop (the others are created
        anew by each iteration)."""
        for k, ((slot_names, a, i), y, r) in enumerate(zip(slots, yields, results)):
            if not is_array(a.type):
                continue
            # the body was lowered seeing only what the first iteration's value shares (a
            # body that never reads the value saw nothing)
            later = self.storage_of(y) - self.storage_of(a)
            if later & self.written & outer_buffers and _observes(body, a):
                raise self.error(node, f"in this loop '{a.hint}' becomes a view of (or the same "
                                       f"array as) an array the program writes into",
                                 f"give '{a.hint}' its own memory where the loop assigns it "
                                 f"(add .copy() there)")
            self.shares[r] = self.storage_of(i) | self.storage_of(y)
            if self.family.get(y) is self.family.get(a):
                self.family[r] = self.family.get(a)
            elif self.family.get(a) in self.written:
                error = self.error(node, f"the loop writes into array '{a.hint}' and also "
                                         f"replaces it with another array",
                                   "keep one array and write into it, or keep all time steps "
                                   "in one 2-d array")
                if self.may_alias_another_slot(k, slots, yields):
                    raise error
                raise _Renew(tuple(slot_names), error)
            else:
                # replaced by another array: from the second iteration on the carried value is
                # not the first one's buffer, so it is no version of that buffer (a later
                # write into the buffer must not make the reverse sweep read the buffer for it)
                self.family[r] = self.family[a] = "merged"

    def may_alias_another_slot(self, k, slots, yields):
        """May carried array ``k`` be, at the start of some iteration, the same array as
        another carried value (``old = a`` carried beside ``a, b = b, a``)? Their first values
        share a buffer, or their values for the next iteration may. Then writing into a copy
        of it (see lower_loop) would hide the writes from the other name."""
        _, arg, init = slots[k]
        first, later = self.storage_of(init), self.storage_of(yields[k])
        for j, ((_, other, other_init), y) in enumerate(zip(slots, yields)):
            if j != k and is_array(other.type) and (
                    first & self.storage_of(other_init) or later & self.storage_of(y)):
                return True
        return False

    def store_item(self, target, value, env):
        """``y[i] = v`` is ``y' = setitem(y, i, v)``; the generated code writes in place, so
        no other name may still refer to the old array."""
        if not isinstance(target.value, gast.Name):
            raise self.error(target, "only writes of the form name[index] = value are supported",
                             "index the array by one name: a[i, j] = v")
        name = target.value.id
        if name not in env and name not in self.locals and self.enclosing is not None:
            raise self.error(target, f"the nested function '{self.parsed.fn.__name__}' writes "
                                     f"into '{name}' of the function around it",
                             f"return the new values from '{self.parsed.fn.__name__}' and "
                             f"write them where it is called")
        array = self.value(target.value, env)
        if isinstance(array, tuple):
            raise self.error(target, f"'{name}' is a {'dict' if isinstance(array, _DictValue) else 'list or tuple'}, "
                                     f"which cannot be changed after it is built",
                             "build it with all its values at once, or use a NumPy array")
        if not is_array(array.type):
            raise self.error(target, f"'{name}' is not an array; item assignment needs an array")
        if isinstance(value, tuple):
            raise self.error(target, "cannot store a tuple into an array element")
        hidden = getattr(self.b, "hidden", {})
        if any(root in self.storage_of(array) | {array} for root in hidden.values()):
            raise self.error(target, f"'{name}' is (a view of) a global or captured array; "
                                     f"writing into it would modify that array",
                             f"write into a copy ({name} = {name}.copy()), or pass the array "
                             f"as an argument and return the new values")
        if array in self.view_index and self.base_name(array, env) is not None:
            return self.store_through_view(target, name, array, value, env)
        if array in self.views:
            raise self.error(target, f"'{name}' is a view of another array; writing into it would "
                                     f"modify that array too", f"write into a copy: {name} = {name}.copy()")
        root = self.family.get(array)
        if root is None or root == "merged":
            raise self.error(target, f"'{name}' may refer to one of several arrays here (it was "
                                     f"chosen by a branch or replaced in a loop), so writing into "
                                     f"it could modify another array",
                             f"write into a fresh copy: {name} = {name}.copy()")
        if any(isinstance(v, _Sequence) and any(root in self.storage_of(a) for a in v.arrays)
               for v in env.values()):
            raise self.error(target, f"a loop iterates over '{name}' (or an array sharing its "
                                     f"memory) and writes into it",
                             f"loop over indices instead: for i in range(len({name})): ...")
        # names bound to this very value are one buffer: the write is seen through all of them
        same = [n for n, v in env.items() if n != name and (v is array or (
            isinstance(v, tuple) and any(part is array for part in v)))]
        # rows of this array taken by integer indices (row = M[i]) are taken again after the
        # write, so they see it as NumPy's views do
        rows = {n: env.pop(n) for n in list(env) if n != name and n not in same
                and isinstance(env[n], Var) and env[n] in self.view_index
                and self.view_index[env[n]][0] is array}
        aliases = [n for n, v in env.items() if n != name and n not in same
                   and any(root in self.storage_of(part) for part in _array_parts(v))]
        if aliases:
            raise self.error(target, f"'{name}' and '{aliases[0]}' may share memory (the same "
                                     f"array, or a view of it); writing through one name would "
                                     f"change the other",
                             f"if '{aliases[0]}' must keep the old values, write into a copy "
                             f"({name} = {name}.copy() before this line); if it must see the "
                             f"write, compute it after this line")
        self.write_checked(target, name, array, value, root, same, env)
        written, again = env[name], {}
        for n, row in rows.items():
            if row not in again:
                again[row] = self.emit("getitem", [written] + self.view_index[row][1], n,
                                       node=target)
                self.add_row_view(again[row], written, self.view_index[row][1],
                                  self.view_patterns.get(row))
            env[n] = again[row]

    def write_checked(self, target, name, array, value, root, same, env):
        """The write ``target = value`` into ``array`` once store_item has checked it."""
        parts = target.slice.elts if isinstance(target.slice, gast.Tuple) else [target.slice]
        if len(parts) == 1 and not _has_slice(target.slice):
            first = self.atom(parts[0], env)
            if is_array(first.type) and first.type.dtype != "bool":
                return self.write_through_indices(target, array, first, value, env)
            # an integer: lowered again below, as the index of the write (a pure expression)
        if len(parts) == 2 and array.type.ndim == 2 and not _has_slice(target.slice):
            pair = [self.atom(p, env) for p in parts]
            if all(_is_index_array(p) for p in pair):
                return self.write_through_pairs(target, array, pair, value, env)
        if len(parts) == 2 and array.type.ndim == 2 and _is_whole_axis(parts[0]) and \
                not isinstance(parts[1], gast.Slice):
            second = self.atom(parts[1], env)
            if _is_index_array(second):
                return self.write_through_columns(target, array, second, value, env)
        if _has_slice(target.slice) or len(parts) < array.type.ndim:
            new = self.store_slice(target, parts, array, value, root, env)
        else:
            index = self.index(target.slice, array, env, write=True)
            if not isinstance(value, Const) and is_array(value.type):
                raise self.error(target, f"cannot store a {value.type.ndim}-d array into one "
                                         f"element of '{name}'", "index the value to one element")
            new = self.emit("setitem", [array] + index + [value], name, node=target)
        self.family[new] = root
        self.written.add(root)
        env[name] = new
        for n in same:
            env[n] = new if env[n] is array else tuple(new if p is array else p for p in env[n])

    def base_name(self, view, env):
        """A name bound to the array ``view`` was taken from (by integer indices), if any."""
        base = self.view_index[view][0]
        return next((n for n, v in env.items() if v is base and not _is_flag(n)), None)

    def store_through_view(self, target, name, view, value, env):
        """``row[j] = v`` (or ``row += v``) with ``row = M[i]``: the write into ``M[i, j]``,
        as NumPy does it; ``row`` is then the same row of the written ``M``."""
        base, index = self.view_index[view]
        base_name = self.base_name(view, env)
        keys = []
        for k, atom in enumerate(index):
            keys.append(f"view index {k}")      # not an identifier: never a name of the user's
            env[keys[-1]] = atom
        parts = list(target.slice.elts) if isinstance(target.slice, gast.Tuple) \
            else [target.slice]
        through = gast.Subscript(
            value=gast.Name(id=base_name, ctx=gast.Load(), annotation=None, type_comment=None),
            slice=gast.Tuple(elts=[gast.Name(id=k, ctx=gast.Load(), annotation=None,
                                             type_comment=None) for k in keys] + parts,
                             ctx=gast.Load()),
            ctx=gast.Store())
        for node in gast.walk(through):
            if getattr(node, "lineno", None) is None:
                gast.copy_location(node, target)
        try:
            self.store_item(through, value, env)     # which takes the row again after it
        finally:
            for k in keys:
                env.pop(k, None)

    def write_through_indices(self, target, array, idx, value, env):
        """``y[idx] = v`` with ``idx`` a 1-d integer array: the loop of element (or row)
        writes NumPy runs, inlined from frontend/indexed_writes.py."""
        if idx.type.ndim != 1 or idx.type.dtype != "int64":
            raise self.error(target, f"writes through a {idx.type.ndim}-d {idx.type.dtype} index "
                                     "array are not supported", "index with a 1-d int64 array")
        rows = not isinstance(value, Const) and is_array(value.type)
        if rows and value.type.ndim > array.type.ndim:
            raise self.error(target, f"cannot write a {value.type.ndim}-d array through an index "
                                     f"array into a {array.type.ndim}-d array")
        per_index = rows and value.type.ndim == array.type.ndim
        if per_index:
            count = self.emit("dim", [value, Const(0)], "n", node=target)
            length = self.emit("dim", [idx, Const(0)], "n", node=target)
            same = self.emit("eq", [count, length], node=target)
            self.b.op("check_bound", [same], result=False, name="", error_type="ValueError",
                      error="shape mismatch: the value has not one row per index")
        helper = indexed_writes.write_rows if per_index else indexed_writes.write_each
        tracking, self.track_loc = self.track_loc, False     # its ops are this line's
        try:
            self.inline(helper, [array, idx, value], {}, target, env)
        finally:
            self.track_loc = tracking

    def write_through_pairs(self, target, array, pair, value, env):
        """``M[i, j] = v`` with ``i``, ``j`` 1-d integer arrays of one length: the loop of
        element writes NumPy runs (frontend/indexed_writes.py), ``v`` one value for all the
        pairs or one per pair."""
        rows, cols = pair
        n = self.emit("dim", [rows, Const(0)], "n", node=target)
        same = self.emit("eq", [self.emit("dim", [cols, Const(0)], "n", node=target), n],
                         node=target)
        self.b.op("check_bound", [same], result=False, name="", error_type="ValueError",
                  error="shape mismatch: the index arrays of M[i, j] have different lengths")
        per_pair = not isinstance(value, Const) and is_array(value.type)
        if per_pair:
            if value.type.ndim != 1:
                raise self.error(target, f"cannot write a {value.type.ndim}-d array into the "
                                         f"elements M[i, j] selects",
                                 "write one value, or a 1-d array with one value per index")
            count = self.emit("dim", [value, Const(0)], "n", node=target)
            same = self.emit("eq", [count, n], node=target)
            self.b.op("check_bound", [same], result=False, name="", error_type="ValueError",
                      error="shape mismatch: the value has not one element per index")
        helper = indexed_writes.write_pairs if per_pair else indexed_writes.write_pairs_each
        tracking, self.track_loc = self.track_loc, False     # its ops are this line's
        try:
            self.inline(helper, [array, rows, cols, value], {}, target, env)
        finally:
            self.track_loc = tracking

    def write_through_columns(self, target, array, idx, value, env):
        """``M[:, idx] = v`` with ``idx`` a 1-d integer array: one column written per index, in
        order (frontend/indexed_writes.py); ``v`` broadcasts against the (rows, len(idx))
        selection as in NumPy."""
        helper = indexed_writes.write_columns_each
        if not isinstance(value, Const) and is_array(value.type):
            if value.type.ndim > 2:
                raise self.error(target, f"cannot write a {value.type.ndim}-d array into the "
                                         f"columns M[:, idx] selects")
            axis = value.type.ndim - 1          # the value's axis along the indices
            count = self.emit("dim", [value, Const(axis)], "n", node=target)
            length = self.emit("dim", [idx, Const(0)], "n", node=target)
            fits = self.emit("or", [self.emit("eq", [count, length], node=target),
                                    self.emit("eq", [count, Const(1)], node=target)], node=target)
            self.b.op("check_bound", [fits], result=False, name="", error_type="ValueError",
                      error="shape mismatch: the value has not one column per index")
            if value.type.ndim == 2:
                rows = self.emit("dim", [value, Const(0)], "n", node=target)
                height = self.emit("dim", [array, Const(0)], "n", node=target)
                fits = self.emit("or", [self.emit("eq", [rows, height], node=target),
                                        self.emit("eq", [rows, Const(1)], node=target)],
                                 node=target)
                self.b.op("check_bound", [fits], result=False, name="", error_type="ValueError",
                          error="shape mismatch: the value's rows are not the array's")
            helper = indexed_writes.write_columns if value.type.ndim == 2 else \
                indexed_writes.write_columns_of_values
        tracking, self.track_loc = self.track_loc, False     # its ops are this line's
        try:
            self.inline(helper, [array, idx, value], {}, target, env)
        finally:
            self.track_loc = tracking

    def store_slice(self, target, parts, array, value, root, env):
        """``y[a:b, i] = v`` (a row when indices are left out) is ``setslice(y, a, b, i, v)``;
        ``v`` broadcasts against the slice as in NumPy."""
        if any(isinstance(p, gast.Constant) and p.value is None for p in parts):
            raise self.error(target, "None (np.newaxis) cannot be used in a write",
                             "index the axes of the array only: y[i, a:b] = v")
        spec, atoms, ndim = self.slice_spec(parts, array, target, env, write=True)
        if not isinstance(value, Const) and is_array(value.type):
            if value.type.ndim > ndim:
                raise self.error(target, f"cannot write a {value.type.ndim}-d array into a "
                                         f"{ndim}-d slice", "index the value to the slice's rank")
            if root in self.storage_of(value):
                # the value may overlap the slice it is written into. NumPy gives the result of
                # copying the value first for a shift along the same axes (y[1:] = y[:-1]),
                # but not always otherwise (b[:, -1] = b[1, :] reads elements it has already
                # written, depending on its overlap heuristics): only the first is compiled
                pattern = _axes_pattern(spec, array.type.ndim)
                whole = ("slice",) * value.type.ndim \
                    if value not in self.views and self.family.get(value) == root else None
                if self.view_patterns.get(value, whole) != pattern:
                    raise self.error(target, f"the value written into '{target.value.id}' is a "
                                             f"view of it along other axes, where NumPy's result "
                                             f"depends on how it detects the overlap",
                                     "write a copy of the value (... = x[...].copy())")
                value = self.emit("copy", [value], "t", node=target)
        return self.emit("setslice", [array] + atoms + [value], target.value.id, node=target,
                         spec=spec)

    def merge(self, envs, blocks):
        """Merge the environments at the ends of an if's branches into branch results (the
        phi nodes). A name bound on some branches only gets a placeholder value on the others
        and a bound flag (see :func:`bound_flag`). Branches yielding the very same values
        share one result, so two names of one buffer stay one buffer."""
        names = []
        for e in envs:
            names += [n for n in e if n not in names and not _is_flag(n)]
        merged, results, yields = {}, [], [[] for _ in envs]
        by_inputs = {}

        def phi(hint, values):
            if all(v is values[0] for v in values):
                return values[0]
            key = tuple(id(v) for v in values)
            if key not in by_inputs:
                r = Var(hint, _join(*[v.type for v in values]))
                self.merge_family(r, values)
                results.append(r)
                for y, v in zip(yields, values):
                    y.append(v)
                by_inputs[key] = r
            return by_inputs[key]

        # names bound on every path first: a name unbound on some path is never read there,
        # so it may take another name's value there (one buffer under two names stays one)
        names.sort(key=lambda n: any(n not in e for e in envs))
        complete = []
        for name in names:
            values = [e.get(name) for e in envs]
            present = [v for v in values if v is not None]
            partner = None if len(present) == len(values) or isinstance(present[0], tuple) else \
                next((m for m, ms in complete if all(v is None or v is w for v, w in zip(values, ms))),
                     None)
            if partner is not None:
                merged[name] = merged[partner]
            elif all(v is values[0] for v in values):
                merged[name] = values[0]
            elif any(isinstance(v, (_Undefined, PyObject, _Sequence)) for v in present) or (
                    any(isinstance(v, tuple) for v in present) and not _same_structure(present)):
                merged[name] = _Undefined(name)
                continue
            else:
                values = [self.placeholder_like(present[0], block, _hint(name)) if v is None else v
                          for v, block in zip(values, blocks)]

                def join(values):
                    if isinstance(values[0], tuple):
                        if not _same_structure(values):
                            raise _CannotMerge(name)
                        return _rebuild(values[0], [join([v[k] for v in values])
                                                    for k in range(len(values[0]))])
                    if any(isinstance(v, (_Undefined, PyObject, _Sequence)) for v in values):
                        raise _CannotMerge(name)
                    return phi(_hint(name), values)
                try:
                    merged[name] = join(values)
                except _CannotMerge:
                    merged[name] = _Undefined(name)
                    continue
            if len(present) == len(values) and isinstance(merged[name], (Var, Const)):
                complete.append((name, values))
            flag = phi(f"bound_{_hint(name)}", [self.flag_in(e, name) for e in envs])
            if flag is not _BOUND:
                merged[bound_flag(name)] = flag
        return merged, results, yields

    @staticmethod
    def flag_in(env, name):
        """Whether ``name`` is bound in ``env``: a bool atom."""
        if name not in env:
            return _UNBOUND
        return env.get(bound_flag(name), _BOUND)

    def placeholder_like(self, value, block, hint):
        """A value of ``value``'s type at the end of ``block``, for a path where the name is
        unbound (its flag says so, so it is never read)."""
        if isinstance(value, tuple):
            return _rebuild(value, [self.placeholder_like(v, block, hint) for v in value])
        with self.b.into(block):
            out = self.b.op("placeholder", [], hint, value.type)
        self.placeholders.add(out)
        return out

    def lower_if(self, stmt, env):
        cond = self.value(stmt.test, env)
        if isinstance(cond, Const) and not isinstance(cond, tuple):
            # decided at compile time (x is None, a flag): only that branch exists, as the
            # other never runs
            return self.lower_body(stmt.body if cond.value else stmt.orelse, env)
        then_env, else_env = dict(env), dict(env)
        then_block, else_block = Block(), Block()
        then_ret, then_open = self.lower_branch(stmt.body, then_env, then_block)
        else_ret, else_open = self.lower_branch(stmt.orelse, else_env, else_block)
        if not (then_open or else_open):
            raise self.unreached
        if not then_open:
            then_ret = self.unreachable_env(then_env, else_env, env, else_ret, then_block)
        elif not else_open:
            else_ret = self.unreachable_env(else_env, then_env, env, then_ret, else_block)
        if (then_ret is None) != (else_ret is None):
            raise self.error(stmt, "internal: return on one branch only after desugaring")
        if then_ret is not None:
            if not _same_structure([then_ret, else_ret]) if isinstance(then_ret, tuple) \
                    else isinstance(else_ret, tuple):
                raise self.error(stmt, "the branches return different numbers of values",
                                 "return the same number of values on every path")
            pairs = [(a, b) for a, b in zip(_leaves(then_ret), _leaves(else_ret)) if a is not b]
            if any(isinstance(v, (PyObject, _Sequence, _Undefined)) for pair in pairs for v in pair):
                raise self.error(stmt, "a branch returns something that is not a number or an "
                                       "array", "return numbers, arrays, tuples or dicts")
            results = [Var("ret", _join(a.type, b.type)) for a, b in pairs]
            for r, (a, b) in zip(results, pairs):
                self.merge_family(r, [a, b])
            then_block.yields = [a for a, _ in pairs]
            else_block.yields = [b for _, b in pairs]
            self.b.append(If(cond, then_block, else_block, results, self.b.loc, self.b.role))
            chosen = iter(results)
            return _unleaves(then_ret, iter([a if a is b else next(chosen) for a, b in
                                             zip(_leaves(then_ret), _leaves(else_ret))]))
        merged, results, (ty, ey) = self.merge([then_env, else_env], [then_block, else_block])
        then_block.yields, else_block.yields = ty, ey
        env.clear()
        env.update(merged)
        if results or then_block.stmts or else_block.stmts:
            self.b.append(If(cond, then_block, else_block, results, self.b.loc, self.b.role))
        return None

    def lower_branch(self, stmts, env, block):
        """Lower one branch into ``block``: ``(returned, open)``, ``open`` False when the
        branch always raises UnboundLocalError (then ``self.unreached`` says where)."""
        with self.b.into(block):
            try:
                return self.lower_body(stmts, env), True
            except _Unreachable as exc:
                self.unreached = exc
                return None, False

    def unreachable_env(self, dead_env, live_env, before, live_ret, dead_block):
        """The values a branch that always raises passes on: placeholders typed like those
        of the branch that goes on (never read: the path stops at the raise). ``dead_env``
        is updated; returns the placeholder return values if the live branch returns."""
        dead_env.clear()
        for name, value in live_env.items():
            if value is before.get(name) or isinstance(value, (Const, PyObject, _Sequence,
                                                               _Undefined)):
                dead_env[name] = value
            else:
                dead_env[name] = self.placeholder_like(value, dead_block, _hint(name))
        if live_ret is None:
            return None
        return self.placeholder_like(live_ret, dead_block, "ret")

    # -- loops --------------------------------------------------------------------------------
    def loop_names(self, body, env, targets=()):
        """The names a loop may rebind: its targets, what its body assigns or writes into,
        and the other names of the buffers it writes into (they see the writes)."""
        names = list(dict.fromkeys(list(targets) + assigned_names(body)))
        written = [env[n] for n in written_arrays(body)
                   if isinstance(env.get(n), Var) and is_array(env[n].type)]
        names += [n for n, v in env.items() if n not in names and not _is_flag(n)
                  and any(v is w or (isinstance(v, tuple) and any(p is w for p in v))
                          for w in written)]
        return names

    def enter_loop(self, names, env, node, guesses=None):
        """The carried state of a loop rebinding ``names``: ``(slots, body_env)``, a slot
        ``(names, arg, init)`` per carried value. Names of one buffer share one slot; a
        name that may be unbound carries its bound flag too, and a name first bound inside
        the loop starts as an unbound placeholder."""
        slots, body_env, by_buffer = [], dict(env), {}
        for n in names:
            value = env.get(n)
            if isinstance(value, (_Undefined, PyObject, _Sequence)):
                continue
            if isinstance(value, tuple):
                raise self.error(node, f"tuple variable '{n}' cannot be reassigned in a loop",
                                 "unpack the tuple into separate names before the loop")
            if value is None:      # typed by the body (or guessed, see lower_loop)
                init = self.b.op("placeholder", [], _hint(n), (guesses or {}).get(n))
                self.placeholders.add(init)
                flag = _UNBOUND
            else:
                init, flag = value, env.get(bound_flag(n))
            if value is not None and is_array(value.type) and value in by_buffer:
                slot = by_buffer[value]
                slot[0].append(n)
            else:
                slot = ([n], Var(_hint(n), init.type), init)
                slots.append(slot)
                if value is None:
                    self.placeholders.add(slot[1])    # unbound until the body binds it
                if value is not None and is_array(value.type):
                    by_buffer[value] = slot
                    if value in self.family:
                        self.family[slot[1]] = self.family[value]
                    self.shares[slot[1]] = self.storage_of(value)
            body_env[n] = slot[1]
            if flag is not None:
                slots.append(([bound_flag(n)], Var(f"bound_{_hint(n)}", BOOL), flag))
                body_env[bound_flag(n)] = slots[-1][1]
        return slots, body_env

    def loop_yields(self, slots, body_env, body, node):
        """The values the body passes to the next iteration, one per slot kept. A name first
        bound inside the loop whose arg the body never reads needs no slot of its own when
        it ends each iteration as another slot's value (``c = b``); a slot whose value ends
        as a compile-time object is dropped (the name cannot be used after the loop).
        ``slots`` is updated."""
        values = {}
        for names, arg, init in slots:
            if _is_flag(names[0]):
                values[arg] = body_env.get(names[0], _BOUND)
                continue
            vs = [body_env.get(n) for n in names]
            if isinstance(vs[0], (PyObject, _Sequence, _Undefined)) and not _observes(body, arg):
                continue
            for n, v in zip(names, vs):
                if isinstance(v, tuple):
                    raise self.error(node, f"tuple variable '{n}' cannot be reassigned in a loop",
                                     "unpack the tuple into separate names")
                if not isinstance(v, (Var, Const)):
                    raise self.error(node, f"'{n}' cannot be carried to the next iteration of "
                                           f"this loop: {getattr(v, 'reason', 'it is not a value')}",
                                     f"give '{n}' a number or an array on every path through "
                                     f"the loop body")
            if any(v is not vs[0] for v in vs):
                raise self.error(node, f"'{names[0]}' and '{names[1]}' are one array before this "
                                       f"loop but may be different arrays after an iteration",
                                 "if they are meant to be two arrays, copy where one is "
                                 "bound to the other (with .copy())")
            values[arg] = vs[0]

        kept = [slot for slot in slots if slot[1] in values]
        # unbound before this loop (a placeholder of its own: an outer loop's carried value
        # may be bound, and a loop of no iteration leaves it as it was)
        first_bound = {arg for names, arg, init in kept if not _is_flag(names[0])
                       and _is_placeholder_op(init, self.b.block) and not _reads(body, arg)}
        by_value = {values[slot[1]]: slot for slot in kept
                    if not _is_flag(slot[0][0]) and slot[1] not in first_bound}
        slots[:] = []
        for slot in kept:
            names, arg, init = slot
            value = values[arg]
            if arg in first_bound and value in by_value:
                by_value[value][0].extend(names)
                continue
            if arg.type is None:         # first bound inside the loop: typed by its value
                # (none where the body raises before binding it: then it stays unbound)
                arg.type = init.type = value.type or FLOAT
            slots.append(slot)
            if not _is_flag(names[0]):
                by_value.setdefault(value, slot)
        return [values[a] for _, a, _ in slots]

    def lower_loop(self, stmt, env, targets=(), prologue=None, private=()):
        """Lower a loop (see :meth:`lower_loop_once`). A loop that writes into a carried array
        and also replaces it by another (``u, new = new, u`` after writing ``new``) is lowered
        again with each iteration writing into a copy of that array made at the start of its
        body: the same values, since no other name sees the array (else the error stands),
        and each iteration's buffer its own, as if the body had allocated it."""
        renewed = ()
        written, mark = set(self.written), len(self.b.block.stmts)
        while True:
            try:
                return self.lower_loop_once(stmt, env, targets, prologue, private, renewed)
            except _Renew as exc:
                if set(exc.names) <= set(renewed) or not self.only_names_of(exc.names, env):
                    raise exc.error from None
                renewed += exc.names
                del self.b.block.stmts[mark:]     # this try's placeholders
                self.written.clear()              # and its writes, which went nowhere
                self.written.update(written)

    def only_names_of(self, names, env):
        """Do no names bound before the loop but ``names`` see the buffer they hold?"""
        held = frozenset().union(*(self.storage_of(env[n]) for n in names
                                   if isinstance(env.get(n), Var)))
        if not held:
            return False
        return not any(isinstance(v, Var) and is_array(v.type) and self.storage_of(v) & held
                       for n, v in env.items() if n not in names)

    def lower_loop_once(self, stmt, env, targets, prologue, private, renewed):
        """Lower a loop's condition (for a ``while``) and body; returns ``(names, slots,
        cond_block, body, results)``.

        Two things are only known once the body is lowered, and then it is lowered again: a
        write through a name the body binds to an outer array (``c = b`` in the body) rebinds
        that outer name too, which must then be carried; and a name first bound inside the
        loop but read in a later iteration (``if k > 0: s += prev`` then ``prev = ...``) needs
        the type of its value before the body gives it: float, int and bool are tried, then
        the type the body's value turned out to have. ``private`` names (a prange loop's
        variable) are each iteration's own and never carried."""
        names = self.loop_names(stmt.body, env, targets)
        mark = len(self.b.block.stmts)
        guesses, first_error, settled, failures = {}, None, False, []
        while True:
            del self.b.block.stmts[mark:]      # the placeholders of an earlier try
            slots, body_env = self.enter_loop(names, env, stmt, guesses)
            outer_buffers = set(self.family.values())
            cond_block, body = Block(), Block()
            try:
                if isinstance(stmt, gast.While):
                    with self.b.into(cond_block):
                        cond_env = dict(body_env)
                        saved, self.current_env = self.current_env, cond_env
                        try:
                            cond_block.yields = [self.value(stmt.test, cond_env)]
                        finally:
                            self.current_env = saved
                with self.b.into(body):
                    if prologue is not None:
                        prologue(body_env)
                    self.renew(slots, renewed, body_env)
                    entry_env = dict(body_env)
                    try:
                        self.lower_body(stmt.body, body_env)
                    except _Unreachable:
                        # every iteration raises UnboundLocalError: the first ends the loop
                        body_env.clear()
                        body_env.update(entry_env)
            except _ReadBeforeBinding as exc:
                own = {arg: n for slot_names, arg, _ in slots for n in slot_names}
                if exc.arg not in own or own[exc.arg] in guesses:
                    raise
                first_error = first_error or exc
                guesses[own[exc.arg]] = _GUESSES[0]
                continue
            except CompileError as exc:
                if first_error is None or settled:
                    raise                 # not about a guess, or the types the body gave
                # the guessed type may be what failed: try the next; an error that every
                # guess gives alike, away from the read, is the program's own
                failures.append(str(exc))
                if len(failures) < len(_GUESSES):
                    guesses = {n: _GUESSES[len(failures)] for n in guesses}
                    continue
                own = len(set(failures)) == 1 and exc.loc is not None and \
                    exc.loc.lineno != first_error.loc.lineno
                raise (exc if own else first_error) from None
            missed = [n for n, v in env.items() if n not in names and not _is_flag(n)
                      and n not in private and body_env.get(n) is not v]
            mistyped = {}
            for n, t in guesses.items():
                value = body_env.get(n)
                if isinstance(value, Const) and value.type != t:
                    mistyped[n] = value.type
                elif isinstance(value, Var):
                    others = sorted((u for u in _source_types(body, value) if u != t),
                                    key=lambda u: (not is_array(u), str(u)))
                    if value.type != t or others:
                        mistyped[n] = others[0] if value.type in (t, None) and others \
                            else value.type
            if not missed and not mistyped:
                break
            if mistyped and settled:
                raise first_error
            names += missed
            if mistyped:
                guesses.update(mistyped)
                settled = True
        body.yields = self.loop_yields(slots, body_env, body, stmt)
        results = [Var(a.hint, _join(a.type, y.type)) for (_, a, _), y in zip(slots, body.yields)]
        self.carry_families(slots, body.yields, results, body, stmt, outer_buffers)
        return names, slots, cond_block, body, results

    def renew(self, slots, renewed, body_env):
        """Bind the names in ``renewed`` to a copy of their carried array, its own buffer."""
        for slot_names, arg, _ in slots:
            if not set(slot_names) & set(renewed) or not is_array(arg.type):
                continue
            fresh = self.b.op("copy", [arg], arg.hint, arg.type)
            self.family[fresh] = fresh
            for n in slot_names:
                body_env[n] = fresh

    @staticmethod
    def exit_loop(names, slots, results, env):
        """After the loop each name is its slot's result; names that could not be carried
        (compile-time objects) cannot be used."""
        carried = set()
        for (slot_names, _, _), r in zip(slots, results):
            for n in slot_names:
                env[n] = r
                carried.add(n)
        for n in names:
            if n not in carried:
                env[n] = _Undefined(n, "the loop may rebind it to a different kind of value")

    def range_bounds(self, call, env, node):
        """``range(...)``'s arguments as ``[start, stop, step]``."""
        if call.keywords:
            raise self.error(node, "range() takes no keyword arguments")
        bounds = [self.atom(a, env) for a in call.args]
        if not 1 <= len(bounds) <= 3:
            raise self.error(node, "range() takes 1 to 3 arguments")
        if len(bounds) == 1:
            bounds = [Const(0)] + bounds
        if len(bounds) == 2:
            bounds.append(Const(1))
        if isinstance(bounds[2], Const) and bounds[2].value == 0:
            raise self.error(node, "range() step must not be zero")
        return bounds

    def range_callee(self, call, env):
        """``range`` or ``prange`` if ``call`` calls one of them, else None."""
        if not isinstance(call, gast.Call):
            return None
        func = call.func
        if isinstance(func, gast.Attribute) and not isinstance(self.expr(func.value, env), PyObject):
            return None
        if not isinstance(func, (gast.Name, gast.Attribute)):
            return None
        f = self.expr(func, env)
        return f.obj if isinstance(f, PyObject) and f.obj in (builtins.range, _prange) else None

    def lower_for(self, stmt, env):
        """``for t in range(...)``: the loop index is ``t`` at the start of each iteration, and
        ``t`` keeps its last value after the loop (or its binding before it, if the loop runs
        no iteration), as in Python. Any other iterable is a :class:`_Sequence`."""
        loop_kind = self.range_callee(stmt.iter, env)
        if loop_kind is not None and isinstance(stmt.target, gast.Name):
            bounds = self.range_bounds(stmt.iter, env, stmt)
            index = Var(stmt.target.id, INT)
            parallel = loop_kind is _prange
            targets = [] if parallel else [stmt.target.id]

            def prologue(body_env):
                body_env[stmt.target.id] = index
                body_env.pop(bound_flag(stmt.target.id), None)
        else:
            seq = self.sequence(self.expr(stmt.iter, env), stmt)
            bounds = [Const(0), seq.length(self), Const(1)]
            index, parallel = Var("k", INT), False
            targets = [n.id for n in gast.walk(stmt.target)
                       if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)]

            def prologue(body_env):
                body_env[invented(f"iterated:{index.id}")] = seq    # writes into it are refused
                self.bind(stmt.target, seq.item(self, index), body_env)
        private = [stmt.target.id] if loop_kind is not None and parallel else []
        names, slots, _, body, results = self.lower_loop(stmt, env, targets, prologue, private)
        self.b.append(For(index, *bounds, [a for _, a, _ in slots], [i for _, _, i in slots],
                          body, results, self.stmt_loc(stmt), self.b.role, parallel=parallel))
        self.exit_loop(names, slots, results, env)
        if parallel:
            env[stmt.target.id] = _Undefined(stmt.target.id, "a prange loop's variable has no "
                                                             "value after the loop")

    def sequence(self, value, node):
        """What a for loop (or enumerate/zip) iterates: a range, an array, enumerate, zip."""
        if isinstance(value, _Sequence):
            return value
        if isinstance(value, Var) and is_array(value.type):
            return _ArraySequence(value)
        raise self.error(node, "only loops over range(...), arrays, enumerate(...) and zip(...) "
                               "are supported", "loop over indices with range(len(x))")

    def lower_while(self, stmt, env):
        names, slots, cond_block, body, results = self.lower_loop(stmt, env)
        self.b.append(While([a for _, a, _ in slots], [i for _, _, i in slots], cond_block,
                            body, results, self.stmt_loc(stmt), self.b.role))
        self.exit_loop(names, slots, results, env)

    # -- expressions --------------------------------------------------------------------------
    def value(self, node, env):
        """Lower an expression that must be a value (an atom or a tuple of atoms)."""
        return self.as_value(self.expr(node, env), node)

    def as_value(self, v, node):
        if isinstance(v, PyObject) and isinstance(v.obj, LocalFunction):
            raise self.error(node, f"the nested function '{v.obj.__name__}' is used as a value "
                                   f"(returned, stored or computed with); it can only be called "
                                   f"or passed to a function that calls it",
                             "define it at module level and pass what it needs as arguments")
        if isinstance(v, PyObject):
            raise self.error(node, f"{getattr(v.obj, '__name__', v.obj)!r} is not a number",
                             "use numbers (or NumPy arrays) as values")
        if isinstance(v, _ListValue):
            raise self.error(node, "a list made by a comprehension can only be looped over, "
                                   "indexed, measured with len(), reduced with sum/max/min or "
                                   "stacked with np.array/np.stack here",
                             "stack it first: np.array([...])")
        if isinstance(v, _Sequence):
            raise self.error(node, "a range, enumerate or zip object can only be looped over "
                                   "or indexed", "loop over it: for ... in ...:")
        return v

    def atom(self, node, env):
        v = self.value(node, env)
        if isinstance(v, tuple):
            raise self.error(node, "a tuple cannot be used as a number here",
                             "unpack the tuple into names first")
        return v

    def emit(self, prim, args, hint="t", node=None, **attrs):
        """Append ``prim(*args)``, typing its result now (lowering decisions need ranks)."""
        if prim == "pow" and args[0].type == INT and args[1].type == INT and not (
                isinstance(args[1], Const) and args[1].value >= 0):
            # Python gives 2 ** -1 == 0.5 but compiled integer power gives 0 (and overflows):
            # a runtime exponent makes the power a float one
            args = [self.emit("float", [args[0]], node=node), args[1]]
        try:
            rtype = PRIMITIVES[prim].result_type(*[a.type for a in args]) if prim in PRIMITIVES else None
        except (TypeError, AttributeError) as exc:
            raise self.error(node if node is not None else self.parsed.node,
                             f"{prim} is not supported for these argument types ({exc})")
        out = self.b.op(prim, args, hint, rtype, **attrs)
        if is_array(rtype) and prim not in ("getitem", "transpose", "setitem", "setslice"):
            self.family[out] = out            # a new array: its own buffer
        return out

    def expr(self, node, env):
        if isinstance(node, gast.Constant):
            if isinstance(node.value, (bool, int, float)):
                return _as_const(node.value)
            if node.value is None:
                return _NONE
            if isinstance(node.value, str):
                return PyObject(node.value)   # compared at compile time (a flag, a default)
            raise self.error(node, f"constant {node.value!r} is not a number")
        if isinstance(node, gast.Name):
            return self.name(node, env)
        if isinstance(node, gast.Attribute):
            base = self.expr(node.value, env)
            if isinstance(base, PyObject):
                try:
                    value = getattr(base.obj, node.attr)
                    if isinstance(value, _NUMBER) and not isinstance(base.obj, types.ModuleType):
                        # an attribute of the user's object, read as a constant
                        self.b.captured.append((base.obj, "attribute", node.attr, value))
                    if type(value) is np.ndarray and value.dtype.kind in "fiub" and \
                            not isinstance(base.obj, types.ModuleType):
                        # an array attribute (constructL.Lparamidx): passed at each call
                        return self.captured_array("attribute", node.attr, value, owner=base.obj)
                    return self.classify(value, node)
                except AttributeError:
                    raise self.error(node, f"{getattr(base.obj, '__name__', base.obj)!r} has no "
                                           f"attribute {node.attr!r}")
            return self.array_attribute(base, node)
        if isinstance(node, gast.BinOp):
            prim = _BINOPS.get(type(node.op))
            if prim is None:
                raise self.error(node, f"operator {type(node.op).__name__} is not supported",
                                 "use + - * / ** // % on numbers")
            operands = [self.atom(node.left, env), self.atom(node.right, env)]
            if prim == "dot":     # matmul and dot sum strided operands in different orders
                return self.emit(prim, operands, node=node, matmul=True)
            return self.emit(prim, operands, node=node)
        if isinstance(node, gast.UnaryOp):
            prim = _UNARY.get(type(node.op))
            if prim is None:
                raise self.error(node, f"operator {type(node.op).__name__} is not supported")
            operand = self.atom(node.operand, env)
            if prim == "neg" and isinstance(operand, Const) and not isinstance(operand.value, bool):
                return Const(-operand.value)
            if prim == "not" and isinstance(operand, Const) and isinstance(operand.value, bool):
                return Const(not operand.value)
            return self.emit(prim, [operand])
        if isinstance(node, gast.Compare):
            return self.compare(node, env)
        if isinstance(node, gast.BoolOp):
            return self.boolop(node, env)
        if isinstance(node, gast.IfExp):
            return self.conditional(node.test, lambda e: self.value(node.body, e),
                                    lambda e: self.value(node.orelse, e), env, "t")
        if isinstance(node, gast.Call):
            return self.call(node, env)
        if isinstance(node, gast.Lambda):
            return self.local_function(lambda_as_def(node), env)
        if isinstance(node, (gast.ListComp, gast.GeneratorExp)):
            return _ListValue(self.list_comprehension(node, env))
        if isinstance(node, gast.Dict):
            if any(k is None for k in node.keys):
                raise self.error(node, "'**' in a dict literal is not supported",
                                 "write the keys out")
            keys = [self.dict_key(k) for k in node.keys]
            return self.dict_value(keys, [self.value(v, env) for v in node.values], node)
        if isinstance(node, (gast.Tuple, gast.List)) and isinstance(node.ctx, gast.Load):
            # a list of known length is read like a tuple (writes into it are refused)
            parts = [self.expr(e, env) for e in node.elts]
            return tuple(v if v is _NONE else self.as_value(v, e) for v, e in zip(parts, node.elts))
        if isinstance(node, gast.Subscript):
            base = self.expr(node.value, env)
            if isinstance(base, _Sequence) and not _has_slice(node.slice):
                return base.item(self, self.index_atom(node.slice, env))
            base = self.as_value(base, node.value)
            if isinstance(base, _DictValue):
                key = self.dict_key(node.slice)
                if key not in base.keys:
                    raise self.error(node, f"the dict has no key {key!r} (its keys: "
                                           f"{', '.join(map(repr, base.keys))})")
                return base.get(key)
            if isinstance(base, tuple) and isinstance(node.slice, gast.Constant) \
                    and isinstance(node.slice.value, int):
                return base[node.slice.value]
            if isinstance(base, tuple) and not isinstance(node.slice, (gast.Slice, gast.Tuple)):
                return self.tuple_item(base, node, env)
            if not isinstance(base, tuple) and is_array(base.type):
                if not isinstance(node.slice, gast.Tuple) and not _has_slice(node.slice):
                    index = self.atom(node.slice, env)
                    if is_array(index.type) and index.type.dtype == "int64" and \
                            index.type.ndim > 1:
                        return self.gather_by_index_array(base, index, node)
                    if is_array(index.type) and index.type.dtype == "int64":
                        return self.emit("take", [base, index], node=node)   # a gather
                    at = self.index_atom(node.slice, env, atom=index)
                    item = self.emit("getitem", [base, at], node=node)
                    if is_array(item.type):
                        self.add_row_view(item, base, [at])
                    return item
                paired = self.paired_gather(base, node, env)
                if paired is not None:
                    return paired
                gather = self.matrix_gather(base, node, env)
                if gather is not None:
                    return self.expr(gather, env)
                gather = self.gather_3d(base, node, env)
                if gather is not None:
                    return gather
                if _has_slice(node.slice):
                    return self.slice_read(base, node, env)
                indices = self.index(node.slice, base, env)
                item = self.emit("getitem", [base] + indices, node=node)
                if is_array(item.type):
                    self.add_row_view(item, base, indices)
                return item
            raise self.error(node, "indexing is only supported on arrays and on tuples with a "
                                   "constant index", "unpack the tuple into names")
        raise self.error(node, f"{type(node).__name__} expressions are not supported")

    def gather_by_index_array(self, base, index, node):
        """``x[idx]`` with ``idx`` an integer array of 2 or more dimensions: the rows of ``x`` at
        ``idx``'s elements in order (a 1-d gather), in ``idx``'s shape followed by the rest of
        ``x``'s, as NumPy gives them."""
        dims = [f"i.shape[{k}]" for k in range(index.type.ndim)] + \
            [f"x.shape[{k}]" for k in range(1, base.type.ndim)]
        if len(dims) > 4:
            raise self.error(node, f"a gather through a {index.type.ndim}-d index array of a "
                                   f"{base.type.ndim}-d array would be {len(dims)}-d; arrays of "
                                   f"up to 4 dimensions are supported",
                             "gather through a flattened index array: x[idx.ravel()]")
        return self.lower_text(f"x[i.ravel()].reshape({', '.join(dims)})", node,
                               {"x": base, "i": index})

    def paired_gather(self, base, node, env):
        """``M[i, j]`` of a matrix with ``i`` and ``j`` 1-d integer arrays of one length: the
        elements at the pairs (``take_pairs``); of a 3-d array (``x[i, j]``, ``x[i, j, :]``)
        the rows at the pairs: a row gather of ``x`` seen as a matrix of its first two axes
        together, at the pairs' positions in that matrix (``take_pairs`` of the matrix of
        positions, which checks the bounds of each index as NumPy does). None for other
        indexing."""
        if base.type.ndim not in (2, 3) or not isinstance(node.slice, gast.Tuple):
            return None
        parts = list(node.slice.elts)
        if base.type.ndim == 3 and len(parts) == 3 and isinstance(parts[2], gast.Slice) and \
                parts[2].lower is None and parts[2].upper is None and parts[2].step is None:
            parts = parts[:2]                    # x[i, j, :] is x[i, j]
        if len(parts) != 2 or any(isinstance(p, gast.Slice) for p in parts):
            return None
        rows, cols = (self.atom(p, env) for p in parts)
        if not (_is_index_array(rows) and _is_index_array(cols)):
            return None
        if base.type.ndim == 2:
            return self.emit("take_pairs", [base, rows, cols], node=node)
        positions = self.lower_text("np.arange(x.shape[0] * x.shape[1]).reshape(x.shape[0], "
                                    "x.shape[1])", node, {"x": base})
        at = self.emit("take_pairs", [positions, rows, cols], node=node)
        return self.lower_text("x.reshape(x.shape[0] * x.shape[1], x.shape[2])[at]", node,
                               {"x": base, "at": at})

    def matrix_gather(self, base, node, env):
        """``M[:, idx]``, ``M[i, idx]``, ``M[idx, j]``, ``M[idx, :]``, ``M[a:b, idx]``,
        ``M[idx, a:b]`` of a matrix with ``idx`` a 1-d integer array, as the first-axis gather
        of a view (the same values NumPy gives): ``M.T[idx].T``, ``M[i][idx]``,
        ``M[:, j][idx]``, ``M[idx]``, ``M[a:b].T[idx].T``, ``M[:, a:b][idx]``; None for other
        indexing."""
        if base.type.ndim != 2 or not isinstance(node.slice, gast.Tuple) or \
                len(node.slice.elts) != 2:
            return None
        first, second = node.slice.elts
        whole = lambda p: isinstance(p, gast.Slice) and p.lower is None and p.upper is None \
            and p.step is None
        gathers = [not isinstance(p, gast.Slice) and _is_index_array(self.expr(p, env))
                   for p in (first, second)]
        if gathers == [False, False] or gathers == [True, True]:
            return None

        def at(value, index):
            return gast.copy_location(gast.Subscript(value=value, slice=index, ctx=gast.Load()), node)

        def transposed(value):
            return gast.copy_location(gast.Attribute(value=value, attr="T", ctx=gast.Load()), node)

        colon = gast.Slice(lower=None, upper=None, step=None)
        if gathers[0]:
            return at(node.value, first) if whole(second) else \
                at(at(node.value, gast.Tuple(elts=[colon, second], ctx=gast.Load())), first)
        if whole(first):
            return transposed(at(transposed(node.value), second))
        if isinstance(first, gast.Slice):            # M[1:, idx]: the columns of M[1:]
            return transposed(at(transposed(at(node.value, first)), second))
        return at(at(node.value, first), second)

    def gather_3d(self, base, node, env):
        """A 3-d array indexed by one 1-d integer array and otherwise integers and whole
        slices (``x[:, idx]``, ``x[i, :, idx]``, ``x[idx, j]``, ``x[:, :, idx]``): the
        integers index a view, which is gathered along the index array's axis (first-axis
        gathers of the view, its transpose, or of an einsum moving the middle axis first).
        The gathered axis sits where NumPy puts it: in place when the integers and the index
        array are next to each other, first otherwise. None for other indexing."""
        if base.type.ndim != 3 or not isinstance(node.slice, gast.Tuple) or \
                len(node.slice.elts) > 3:
            return None
        parts = list(node.slice.elts)
        whole = lambda p: isinstance(p, gast.Slice) and p.lower is None and p.upper is None \
            and p.step is None
        kinds = []
        for p in parts:
            if whole(p):
                kinds.append("slice")
                continue
            if isinstance(p, gast.Slice) or (isinstance(p, gast.Constant) and p.value is None):
                return None
            value = self.expr(p, env)
            if _is_index_array(value):
                kinds.append("gather")
            elif isinstance(value, (Var, Const)) and not is_array(value.type) and \
                    value.type == INT:
                kinds.append("int")
            else:
                return None
        if kinds.count("gather") != 1:
            return None
        kinds += ["slice"] * (3 - len(kinds))
        at = kinds.index("gather")
        advanced = [k for k, kind in enumerate(kinds) if kind != "slice"]
        together = advanced == list(range(advanced[0], advanced[-1] + 1))
        colon = gast.Slice(lower=None, upper=None, step=None)
        view_parts = [colon if k == at else p for k, p in enumerate(parts)]
        view = self.expr(gast.copy_location(gast.Subscript(
            value=node.value, slice=gast.Tuple(elts=view_parts, ctx=gast.Load()),
            ctx=gast.Load()), node), env) if "int" in kinds else base
        axis = kinds[:at].count("slice")          # the gathered axis of the view
        ndim = view.type.ndim
        values = {"y": view, "idx": self.expr(parts[at], env)}
        if axis == 0:
            text = "y[idx]"
        elif not together:                        # ints on both sides: a matrix view
            text = "y.T[idx]"
        elif axis == ndim - 1:
            text = "y.T[idx].T"
        else:                                     # the middle axis of a 3-d array
            text = "np.einsum('jik->ijk', np.einsum('ijk->jik', y)[idx])"
        return self.lower_text(text, node, values)

    def array_attribute(self, base, node):
        if isinstance(base, tuple) or not is_array(base.type):
            raise self.error(node, f"attribute '.{node.attr}' of a number is not supported")
        if node.attr == "T":
            view = self.emit("transpose", [base], node=node)
            self.add_view(view, base)
            return view
        if node.attr == "shape":
            return tuple(self.emit("dim", [base, Const(k)], "n", node=node) for k in range(base.type.ndim))
        if node.attr == "size":
            return self.emit("size", [base], "n", node=node)
        if node.attr == "ndim":
            return Const(base.type.ndim)
        raise self.error(node, f"array attribute '.{node.attr}' is not supported",
                         "see docs/supported.md for the supported array attributes")

    def method_call(self, base, node, env):
        name = node.func.attr
        if name == "astype" and is_array(base.type):
            target = self.expr(node.args[0], env) if len(node.args) == 1 and not node.keywords \
                else None
            if not (isinstance(target, PyObject) and target.obj in (float, np.float64)):
                raise self.error(node, "only .astype(float) (float64) is supported",
                                 "convert with .astype(float)")
            return self.emit("float", [base], node=node)
        args = [self.value(a, env) for a in node.args]
        kwargs = {kw.arg: self.value(kw.value, env) for kw in node.keywords}
        if not is_array(base.type):
            raise self.error(node, f"method '.{name}()' of a number is not supported")
        if name in ("sum", "mean", "max", "min", "prod") and len(args) <= 1:
            if args:                                   # x.sum(1): the axis by position
                if "axis" in kwargs:
                    raise self.error(node, f"'.{name}()' got the axis twice")
                kwargs["axis"] = args[0]
            return self.reduction({"max": "amax", "min": "amin"}.get(name, name), base, kwargs, node)
        if name == "dot" and len(args) == 1:
            return self.emit("dot", [base, args[0]], node=node)
        if name == "reshape" and args:
            return self.reshape(base, args, node)
        if name in ("ravel", "flatten") and not args:
            return self.reshape(base, [Const(-1)], node)
        if name == "copy" and not args:
            return self.emit("copy", [base], node=node)
        if name == "astype":
            return self.emit("float", [base], node=node)
        raise self.error(node, f"array method '.{name}()' is not supported",
                         "see docs/supported.md for the supported array methods")

    def reshape(self, x, dims, node):
        if len(dims) == 1 and isinstance(dims[0], tuple):
            dims = list(dims[0])
        if any(isinstance(d, tuple) or d.type != INT for d in dims):
            raise self.error(node, "reshape dimensions must be integers")
        view = self.emit("reshape", [x] + dims, node=node)
        self.add_view(view, x)
        return view

    def einsum(self, node, env):
        """``np.einsum("ij,jk->ik", a, b)``: one op with the subscripts made explicit."""
        if node.keywords:
            raise self.error(node, f"keyword argument {node.keywords[0].arg}= of np.einsum is not "
                                   "supported", "call np.einsum(subscripts, *operands) alone")
        subscripts = self.expr(node.args[0], env) if node.args else None
        if not (isinstance(subscripts, PyObject) and isinstance(subscripts.obj, str)):
            raise self.error(node, "np.einsum needs its subscripts as a string known when the "
                                   "function is compiled", "write them as a literal: "
                                   "np.einsum('ij,jk->ik', a, b)")
        operands = [self.atom(a, env) for a in node.args[1:]]
        if not operands or not all(isinstance(x, Var) and is_array(x.type) for x in operands):
            raise self.error(node, "np.einsum of anything but arrays is not supported",
                             "multiply a number in outside the einsum")
        try:
            explicit = einsum_subscripts(subscripts.obj, [x.type.ndim for x in operands])
        except ValueError as exc:
            raise self.error(node, f"np.einsum({subscripts.obj!r}): {exc}")
        out = self.b.op("einsum", operands, "t", einsum_type(explicit, [x.type for x in operands]),
                        subscripts=explicit)
        if is_array(out.type):
            self.family[out] = out
        return out

    def reduction(self, prim, x, kwargs, node):
        axis = kwargs.pop("axis", None)
        keepdims = kwargs.pop("keepdims", Const(False))
        if kwargs:
            raise self.error(node, f"keyword(s) {sorted(kwargs)} of {prim} are not supported")
        if not (isinstance(keepdims, Const) and isinstance(keepdims.value, bool)):
            raise self.error(node, "keepdims= must be a constant True or False")
        if keepdims.value:
            return self.reduction_keepdims(prim, x, axis, node)
        if axis is None and not isinstance(x, tuple) and not is_array(x.type):
            # of a number: the number itself (NumPy's 0-d reduction; mean of an int is a float)
            return self.emit("float", [x], node=node) if prim == "mean" and x.type != FLOAT \
                else x
        if axis is None:
            return self.emit(prim, [x], node=node)
        axis = self.constant_axis(axis, x, node)
        if prim == "sum":
            return self.emit("sum_axis", [x, axis], node=node)
        if prim == "mean":
            total = self.emit("sum_axis", [x, axis], node=node)
            return self.emit("div", [total, self.emit("dim", [x, axis], "n", node=node)], node=node)
        if x.type.ndim == 1:            # one slice: the whole-array reduction
            return self.emit(prim, [x], node=node)
        if x.type.ndim > 3:
            raise self.error(node, f"np.{_SPELLING[prim]} with axis= of a {x.type.ndim}-d array is "
                                   "not supported (up to 3-d)", "reshape to 3-d first")
        return self.emit(prim + "_axis", [x, axis], node=node)

    def reduction_keepdims(self, prim, x, axis, node):
        """``keepdims=True``: the reduction along the axis, reshaped with a 1 in its place.
        A whole-array reduction is one along the second axis of ``x`` as a (1, size) array,
        so the result keeps ``x``'s dtype."""
        if not (isinstance(x, Var) and is_array(x.type)):
            raise self.error(node, "keepdims= needs an array")
        ndim = x.type.ndim
        axis = None if axis is None else self.constant_axis(axis, x, node)
        if axis is None or ndim == 1:
            row = self.reshape(x, [Const(1), Const(-1)], node)
            return self.reshape(self.reduction(prim, row, {"axis": Const(1)}, node),
                                [Const(1)] * ndim, node)
        reduced = self.reduction(prim, x, {"axis": axis}, node)
        dims = [Const(1) if k == axis.value else self.emit("dim", [x, Const(k)], "n", node=node)
                for k in range(ndim)]
        return self.reshape(reduced, dims, node)

    def constant_axis(self, axis, x, node):
        """``axis=`` as a non-negative constant, checked against ``x``'s rank."""
        if not isinstance(axis, Const) or isinstance(axis.value, bool) or not isinstance(axis.value, int):
            raise self.error(node, "axis= must be a constant integer")
        ndim = x.type.ndim if isinstance(x, Var) and is_array(x.type) else 0
        if not -ndim <= axis.value < ndim:
            raise self.error(node, f"axis {axis.value} is out of bounds for a {ndim}-d array")
        return Const(axis.value % ndim)

    def slice_read(self, base, node, env):
        """``x[a:b, i, None]``: a view."""
        parts = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
        spec, atoms, ndim = self.slice_spec(parts, base, node, env)
        view = self.b.op("slice", [base] + atoms, "t", ArrayType(base.type.dtype, ndim),
                         spec=spec)
        self.add_view(view, base)
        if base not in self.views:          # a view of a buffer itself: its axes are known
            self.view_patterns[view] = _axes_pattern(spec, base.type.ndim)
        return view

    def slice_spec(self, parts, base, node, env, write=False):
        """``(spec, atoms, ndim)`` of index ``parts``: ``spec`` says what each index atom is
        (an index, a slice with its bounds present, or a new axis), ``ndim`` the result's rank."""
        spec, atoms, axes, ndim = [], [], 0, 0
        for p in parts:
            if isinstance(p, gast.Constant) and p.value is None:
                spec.append(("newaxis",))
                ndim += 1
                continue
            axes += 1
            if isinstance(p, gast.Slice):
                present = tuple(b is not None for b in (p.lower, p.upper, p.step))
                for bound in (p.lower, p.upper, p.step):
                    if bound is not None:
                        a = self.atom(bound, env)
                        if a.type != INT:
                            raise self.error(p, "slice bounds must be integers")
                        atoms.append(a)
                spec.append(("slice",) + present)
                ndim += 1
            else:
                atoms.append(self.index_atom(p, env, write))
                spec.append(("index",))
        if axes > base.type.ndim:
            raise self.error(node, f"too many indices for a {base.type.ndim}-d array")
        return tuple(spec), atoms, ndim + base.type.ndim - axes

    def index(self, slice_, base, env, write=False):
        parts = slice_.elts if isinstance(slice_, gast.Tuple) else [slice_]
        if len(parts) > base.type.ndim:
            raise self.error(slice_, f"too many indices for a {base.type.ndim}-d array")
        return [self.index_atom(p, env, write) for p in parts]   # no slices: see slice_spec

    def index_atom(self, node, env, write=False, atom=None):
        """An integer index (``atom``: ``node`` already lowered); a write through a mask or an
        index array is refused by name."""
        a = self.atom(node, env) if atom is None else atom
        if write and is_array(a.type):
            if a.type.dtype == "bool":
                raise self.error(node, "writes through a boolean mask are not supported",
                                 "select with np.where: y = np.where(mask, value, y)")
            raise self.error(node, "writes through an index array are not supported",
                             "write element by element: for k in range(len(idx)): y[idx[k]] = v")
        if is_array(a.type):
            if a.type.dtype == "bool":
                raise self.error(node, "indexing with a boolean mask is not supported",
                                 "select with np.where: np.sum(np.where(mask, x, 0.0))")
            raise self.error(node, "indexing with an array of indices is not supported",
                             "loop over the indices: for k in range(len(idx)): ... x[idx[k]] ...")
        if a.type != INT:
            raise self.error(node, "array indices must be integers",
                             "use int(...) or an integer loop variable")
        return a

    def conditional(self, test, then_fn, else_fn, env, hint):
        """``then_fn(env) if test else else_fn(env)`` as an If region with one result."""
        cond = self.atom(test, env) if isinstance(test, gast.AST) else test
        if isinstance(cond, Const):
            return (then_fn if cond.value else else_fn)(dict(env))
        then_block, else_block = Block(), Block()
        values = []
        for fn, block in ((then_fn, then_block), (else_fn, else_block)):
            with self.b.into(block):
                try:
                    values.append(fn(dict(env)))
                except _Unreachable as exc:
                    self.unreached = exc
                    values.append(None)
        tv, ev = values
        if tv is None and ev is None:
            raise self.unreached
        if tv is None or ev is None:     # that arm always raises UnboundLocalError
            live, dead_block = (ev, then_block) if tv is None else (tv, else_block)
            dead = self.placeholder_like(live, dead_block, hint)
            tv, ev = (dead, ev) if tv is None else (tv, dead)
        if isinstance(tv, tuple) or isinstance(ev, tuple):
            raise self.error(test if isinstance(test, gast.AST) else None,
                             "conditional tuples are not supported")
        result = Var(hint, _join(tv.type, ev.type))
        self.merge_family(result, [tv, ev])
        then_block.yields, else_block.yields = [tv], [ev]
        self.b.append(If(cond, then_block, else_block, [result], self.b.loc, self.b.role))
        return result

    def compare(self, node, env):
        """``a < b < c`` is ``(a < b) and (b < c)`` with ``b`` evaluated once, before the
        test; each later operand only if the comparisons before it hold."""
        if self.known_comparison(node, env):
            return self.compile_time_comparison(node, env)
        for op in node.ops:
            if type(op) not in _CMPOPS:
                raise self.error(node, f"comparison {type(op).__name__} is not supported")
        pairs = list(zip(node.ops, node.comparators))
        left = self.atom(node.left, env)
        if _plain_bool(node) and self.surely_bound(node, env):
            # names and literals only: nothing to short-circuit
            tests = []
            for op, comparator in pairs:
                right = self.atom(comparator, env)
                tests.append(self.emit(_CMPOPS[type(op)], [left, right]))
                left = right
            acc = tests[0]
            for t in tests[1:]:
                acc = self.emit("and", [acc, t])
            return acc
        return self.compare_chain(node, left, pairs, env)

    def known_comparison(self, node, env):
        """Is ``node`` decided at compile time: ``is``/``is not``, or an operand that is a
        compile-time object (None, a string, a function)?"""
        def compile_time(n):
            return (isinstance(n, gast.Constant) and (n.value is None or isinstance(n.value, str))) \
                or (isinstance(n, gast.Name) and isinstance(env.get(n.id), PyObject))
        return any(isinstance(op, (gast.Is, gast.IsNot)) for op in node.ops) or \
            any(compile_time(n) for n in [node.left, *node.comparators])

    def compile_time_comparison(self, node, env):
        """``x is None``, ``mode == "fast"``: a bool constant. A number or array is never
        None (nor any other compile-time object)."""
        import operator
        ops = {gast.Is: operator.is_, gast.IsNot: operator.is_not, gast.Eq: operator.eq,
               gast.NotEq: operator.ne}
        operands = [self.expr(n, env) for n in [node.left, *node.comparators]]
        result = True
        for op, a, b in zip(node.ops, operands, operands[1:]):
            if type(op) not in ops:
                raise self.error(node, f"comparison {type(op).__name__} of compile-time values "
                                       f"(None, strings, functions) is not supported")
            known = [isinstance(v, PyObject) for v in (a, b)]
            if all(known):
                outcome = ops[type(op)](a.obj, b.obj)
            elif any(known) and type(op) in (gast.Is, gast.IsNot, gast.Eq, gast.NotEq):
                # a run-time number or array against None or a string
                outcome = type(op) in (gast.IsNot, gast.NotEq)
            else:
                raise self.error(node, "'is' compares compile-time values (None) only",
                                 "compare numbers with == or !=")
            result = result and bool(outcome)
        return Const(result)

    def compare_chain(self, node, left, pairs, env):
        (op, comparator), rest = pairs[0], pairs[1:]
        right = self.atom(comparator, env)
        test = self.emit(_CMPOPS[type(op)], [left, right])
        if not rest:
            return test
        if is_array(test.type):
            raise self.error(node, "a chained comparison of arrays is ambiguous",
                             "compare elements, or combine with np.logical_and")
        return self.conditional(test, lambda e: self.compare_chain(node, right, rest, e),
                                lambda e: test, env, "t")

    def surely_bound(self, node, env):
        """Are the names ``node`` reads bound on every path here? (Reading one that may be
        unbound can raise, so it must not be evaluated before a short-circuit decides.)"""
        return not any(isinstance(n, gast.Name) and (bound_flag(n.id) in env or (
            n.id not in env and n.id in self.locals)) for n in gast.walk(node))

    def boolop(self, node, env):
        """``a and b`` is ``b if a else a``; ``a or b`` is ``a if a else b`` (short-circuit).

        When every operand is a plain comparison or negation of names and literals, nothing
        can fail or differ in evaluation order, so a non-short-circuit ``and``/``or`` is used."""
        values = node.values
        first_known = isinstance(values[0], gast.Compare) and self.known_comparison(values[0], env)
        if first_known or (isinstance(values[0], gast.Constant) and isinstance(values[0].value, bool)):
            first = self.atom(values[0], env)          # decided now: short-circuit now
            rest = values[1:]
            if bool(first.value) == isinstance(node.op, gast.Or) or not rest:
                return first
            if len(rest) == 1:
                return self.atom(rest[0], env)
            return self.boolop(gast.copy_location(gast.BoolOp(op=node.op, values=rest), node), env)
        if all(_plain_bool(v) and self.surely_bound(v, env) and not (
                isinstance(v, gast.Compare) and self.known_comparison(v, env)) for v in values):
            prim = "and" if isinstance(node.op, gast.And) else "or"
            acc = self.atom(values[0], env)
            for v in values[1:]:
                acc = self.emit(prim, [acc, self.atom(v, env)])
            return acc
        first = self.atom(values[0], env)
        if len(values) > 2:
            rest = gast.BoolOp(op=node.op, values=values[1:])
            gast.copy_location(rest, node)
        else:
            rest = values[1]
        if not isinstance(first, tuple) and is_array(first.type):
            raise self.error(node, "'and'/'or' on arrays is ambiguous",
                             "use np.logical_and / np.logical_or or compare elements")
        if isinstance(node.op, gast.And):
            return self.conditional(first, lambda e: self.atom(rest, e), lambda e: first, env, "t")
        return self.conditional(first, lambda e: first, lambda e: self.atom(rest, e), env, "t")

    def name(self, node, env):
        if node.id in env:
            value = env[node.id]
            if isinstance(value, _Undefined):
                raise self.error(node, f"'{node.id}' cannot be used here: {value.reason}",
                                 f"give '{node.id}' the same kind of value on every path")
            self.check_bound(node, env)
            if value in self.placeholders and value.type is None:
                raise _ReadBeforeBinding(value, f"'{node.id}' is read in this loop before the "
                                                f"loop assigns it, and it has no value before "
                                                f"the loop", self.loc(node),
                                         f"give '{node.id}' a value before the loop")
            return value
        if node.id in self.locals:
            return self.unbound_read(node)
        free = self.free_variable(node)
        if free is not None:
            return free
        if node.id in (TRIP_COUNT, PLACEHOLDER):
            return PyObject(node.id)
        for scope, values in (("closure", self.closure), ("global", self.globals)):
            if node.id in values:
                obj = values[node.id]
                if type(obj) is np.ndarray and obj.dtype.kind in "fiub":
                    return self.captured_array(scope, node.id, obj)
                if isinstance(obj, _NUMBER):
                    # compiled in as a constant: remembered so a later change recompiles
                    self.b.captured.append((self.owner, scope, node.id, obj))
                return self.classify(obj, node)
        if hasattr(builtins, node.id):
            return self.classify(getattr(builtins, node.id), node)
        raise self.error(node, f"name '{node.id}' is not defined")

    def captured_array(self, scope, name, array, owner=None):
        """A NumPy array the code reads from a global or closure variable (``lambda w:
        loss(w, X, y)``): an extra, never differentiated, parameter of the generated code,
        passed its current value at each call (so it may change between calls, as in
        Python); its dtype and rank are part of the specialisation."""
        key = (self.owner if owner is None else owner, scope, name)
        hidden = self.b.hidden if hasattr(self.b, "hidden") else {}
        self.b.hidden = hidden
        if key not in hidden:
            dtype = array.dtype.name if array.dtype.name in ("float64", "float32") else \
                "bool" if array.dtype.kind == "b" else "int64" if array.dtype.kind in "iu" \
                else "float64"
            hidden[key] = Var(name, ArrayType(dtype, array.ndim))
            self.family[hidden[key]] = hidden[key]     # its own buffer (never written)
        return hidden[key]

    def calls_user_code(self, call, env):
        """Does ``call`` call the user's own Python code (inlined)?"""
        try:
            fn = self.callee(call.func, env)
        except CompileError:
            return False
        obj = fn.obj if fn is not None else None
        return isinstance(obj, LocalFunction) or ((isinstance(obj, types.FunctionType) or
                                                  _is_method(obj)) and _is_user_code(obj)
                                                 and primitive_for_object(obj) is None)

    def local_function(self, fdef, env):
        """A nested ``def`` (or a lambda made into one): its defaults are evaluated now."""
        if fdef.decorator_list:
            raise self.error(fdef, "decorators on nested functions are not supported",
                             "call the decorated function's body directly")
        args = fdef.args
        defaults = [self.expr(d, env) for d in args.defaults] + \
            [self.expr(d, env) if d is not None else None for d in args.kw_defaults]
        return PyObject(LocalFunction(fdef, self, defaults))

    def free_variable(self, node):
        """A name a nested function reads but does not bind: the enclosing function's
        variable as it is now (at the call), as for a Python closure; None if no enclosing
        function has it."""
        outer = self.enclosing
        while outer is not None:
            env = outer.current_env
            if node.id in env:
                value = env[node.id]
                if isinstance(value, _Undefined):
                    raise self.error(node, f"'{node.id}' cannot be used here: {value.reason}",
                                     f"give '{node.id}' the same kind of value on every path")
                flag = env.get(bound_flag(node.id), _BOUND)
                if flag is not _BOUND:
                    self.b.op("check_bound", [flag], result=False, name=node.id)
                return value
            if node.id in outer.locals:      # the enclosing function has not bound it yet
                self.b.op("check_bound", [_UNBOUND], result=False, name=node.id)
                raise _Unreachable(node.id, self.loc(node))
            outer = outer.enclosing
        return None

    def check_bound(self, node, env):
        """Reading a name that may be unbound on the path taken checks its flag at run time
        and raises UnboundLocalError as Python does; afterwards it is known to be bound."""
        flag = env.pop(bound_flag(node.id), _BOUND)
        if flag is not _BOUND:
            self.b.op("check_bound", [flag], result=False, name=node.id)

    def unbound_read(self, node):
        """A read of a local that no path to here binds: it raises UnboundLocalError when
        reached, as in Python, so what follows on this path never runs (see _Unreachable)."""
        self.b.op("check_bound", [_UNBOUND], result=False, name=node.id)
        raise _Unreachable(node.id, self.loc(node))

    def classify(self, obj, node):
        obj = python_function(obj)
        if isinstance(obj, _NUMBER):
            return _as_const(obj)
        if obj is None:
            return _NONE
        if isinstance(obj, str):
            return PyObject(obj)
        if isinstance(obj, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
                            np.ufunc, type)) or callable(obj):
            return PyObject(obj)
        raise self.error(node, f"global {type(obj).__name__} value is not supported in "
                               f"differentiated code", "pass it as an argument")

    def callee(self, func, env):
        f = self.expr(func, env)
        return f if isinstance(f, PyObject) else None

    def call(self, node, env):
        if isinstance(node.func, gast.Attribute):
            base = self.expr(node.func.value, env)
            if not isinstance(base, PyObject):
                return self.method_call(base, node, env)
        fn = self.callee(node.func, env)
        if fn is None:
            raise self.error(node, "only functions can be called")
        obj = fn.obj
        if isinstance(obj, LocalFunction) or ((isinstance(obj, types.FunctionType) or _is_method(
                obj)) and _is_user_code(obj) and primitive_for_object(obj) is None):
            # the user's own code, inlined: functions may be passed to it
            args = [self.call_argument(a, env) for a in node.args]
            kwargs = {kw.arg: self.call_argument(kw.value, env) for kw in node.keywords}
            if isinstance(obj, LocalFunction):
                return self.inline_local(obj, args, kwargs, node, env)
            return self.user_call(obj, args, kwargs, node, env)
        listed = isinstance(node.args[0], gast.Name) and \
            isinstance(env.get(node.args[0].id), _ListValue) if node.args else False
        if obj in (builtins.sum, builtins.max, builtins.min) and node.args and (
                listed or isinstance(node.args[0], (gast.ListComp, gast.GeneratorExp))):
            return self.reduce_comprehension(obj, node, env)
        if obj in (np.array, np.stack, np.asarray) and len(node.args) == 1 and \
                not node.keywords and isinstance(node.args[0], (gast.ListComp, gast.GeneratorExp)):
            return self.emit("copy", [self.list_comprehension(node.args[0], env)], node=node)
        if obj in (np.array, np.stack) and len(node.args) == 1 and not node.keywords and listed:
            return self.emit("copy", [self.expr(node.args[0], env).array], node=node)
        if obj is np.concatenate and len(node.args) == 1 and not node.keywords and (
                listed or isinstance(node.args[0], (gast.ListComp, gast.GeneratorExp))):
            return self.concatenate_comprehension(node.args[0], env, node)
        if obj is dict:
            if node.args:
                raise self.error(node, "dict() with positional arguments is not supported",
                                 "dict(a=..., b=...) or a literal {'a': ...}")
            return self.dict_value([k.arg for k in node.keywords],
                                   [self.value(k.value, env) for k in node.keywords], node)
        if any(obj is f for f in _SPELLED_IN_NUMPY):
            return self.numpy_spelling(obj, node, env)
        if obj in (np.array, np.stack, np.concatenate) and node.args and \
                isinstance(node.args[0], (gast.List, gast.Tuple)) and len(node.args) == 1:
            if node.keywords:
                raise self.error(node, "keyword arguments (axis=, dtype=) are not supported here")
            if obj is np.array:
                return self.array_literal(node.args[0], env, node)
            items = [self.atom(e, env) for e in node.args[0].elts]
            prim = "concatenate" if obj is np.concatenate else "stack"
            return self.emit(prim, items, node=node)
        if obj in (builtins.range, builtins.enumerate, builtins.zip, builtins.len):
            sequence = self.sequence_call(obj, node, env)
            if sequence is not None:
                return sequence
        if obj in (np.reshape, np.ravel):
            x = self.atom(node.args[0], env)
            return self.reshape(x, [self.value(a, env) for a in node.args[1:]] or [Const(-1)], node)
        if primitive_for_object(obj) in MATRIX_CONSTRUCTORS:
            return self.matrix_constructor(primitive_for_object(obj), node, env)
        if obj is np.einsum:
            return self.einsum(node, env)
        if primitive_for_object(obj) is None and any(
                isinstance(a, gast.Constant) and isinstance(a.value, str) for a in node.args):
            name = getattr(obj, "__qualname__", getattr(obj, "__name__", repr(obj)))
            module = getattr(obj, "__module__", None)
            raise self.error(node, f"no rule for {module + '.' if module else ''}{name} (called "
                                   f"with a string argument)",
                             "compute it outside the function, or add a rule for it "
                             "(docs/adding_a_rule.md)")
        args = [self.value(a, env) for a in node.args]
        if obj == TRIP_COUNT:
            return self.emit("trip_count", args, "n")
        if obj == PLACEHOLDER:
            return self.emit("placeholder", args, "unset")
        if obj is np.linalg.slogdet and len(args) == 1 and not node.keywords:
            return (self.emit("slogdet_sign", args, node=node),     # (sign, log|det|)
                    self.emit("slogdet_log", args, node=node))
        if obj is np.linalg.norm and len(args) == 1 and not node.keywords:
            x = args[0]
            if isinstance(x, Var) and is_array(x.type) and x.type.ndim <= 2 \
                    and x.type.dtype == "float64":
                return self.emit("norm", [x], node=node)
            return self.emit("sqrt", [self.emit("sum", [self.emit("mul", [x, x], node=node)],
                                                node=node)], node=node)
        prim = primitive_for_object(obj)
        if prim is not None:
            keywords = list(node.keywords)
            if prim in ("zeros", "ones", "empty", "full"):
                typed = False
                for kw in [k for k in keywords if k.arg == "dtype"]:
                    self.check_float64(self.expr(kw.value, env), node)
                    keywords.remove(kw)
                    typed = True
                shape = args[0] if isinstance(args[0], tuple) else (args[0],)
                args = list(shape) + list(args[1:])
                if prim == "full" and not isinstance(args[-1], tuple) and (
                        typed and args[-1].type != FLOAT):      # dtype=float of an int fill
                    args[-1] = self.emit("float", [args[-1]], node=node)
                if prim == "full" and isinstance(args[-1], Var) and args[-1].type == FLOAT:
                    # the fill value may be differentiated: ones(shape) * value carries it
                    return self.emit("mul", [self.emit("ones", args[:-1], node=node),
                                             self.emit("float", [args[-1]], node=node)], node=node)
            kwargs = {kw.arg: self.value(kw.value, env) for kw in keywords}
            if prim in ("sum", "mean", "amax", "amin", "prod") and len(args) == 2 \
                    and "axis" not in kwargs:         # np.sum(x, 1): the axis by position
                kwargs["axis"] = args.pop()
            if prim in ("sum", "mean", "amax", "amin", "prod") and len(args) == 1:
                return self.reduction(prim, args[0], kwargs, node)
            if kwargs:
                raise self.error(node, f"keyword arguments {sorted(kwargs)} to {prim} are not supported")
            return self.primitive_call(prim, args, node, callee=obj)
        name = getattr(obj, "__qualname__", getattr(obj, "__name__", repr(obj)))
        module = getattr(obj, "__module__", None)
        full = f"{module}.{name}" if module and module != "builtins" else name
        if node.keywords:
            raise self.error(node, f"call to '{full}', which has no rule and no Python source",
                             "register a rule for it, or call a differentiable function instead")
        return self.opaque_call(obj, full, args, node)

    def lower_template(self, stmts, node, env):
        """Lower statements made by _template at ``node``'s place."""
        for stmt in stmts:
            for sub in gast.walk(stmt):       # the template's own nodes: at the user's node
                if hasattr(sub, "lineno") and sub.lineno is None:
                    gast.copy_location(sub, node)
            self.lower_stmt(stmt, env)

    @staticmethod
    def comprehension_scope(node, env):
        """The names a comprehension sees: the enclosing ones, less its own targets (a
        comprehension's variables are its own, as in Python 3)."""
        inner = dict(env)
        for gen in node.generators:
            for target in gast.walk(gen.target):
                if isinstance(target, gast.Name):
                    inner.pop(target.id, None)
                    inner.pop(bound_flag(target.id), None)
        return inner

    def comprehension_loops(self, node, body, env, inner):
        """The nested ``for``/``if`` statements of ``node``'s generators around ``body``.

        The first iterable is evaluated in the enclosing scope, as Python does: in
        ``[f(v) for v in v]`` the iterable is the outer ``v``, so outer names that the
        comprehension's targets shadow are read there through aliases in ``inner``."""
        first_iter = self.outer_names(node, node.generators[0].iter, env, inner)
        for k in range(len(node.generators) - 1, -1, -1):
            gen = node.generators[k]
            if gen.is_async:
                raise self.error(node, "async comprehensions are not supported")
            for test in reversed(gen.ifs):
                body = [gast.copy_location(gast.If(test=test, body=body, orelse=[]), test)]
            iterable = first_iter if k == 0 else gen.iter
            body = [gast.copy_location(gast.For(target=gen.target, iter=iterable, body=body,
                                                orelse=[], type_comment=None), gen.iter)]
        return body

    @staticmethod
    def outer_names(node, expr, env, inner):
        """A copy of ``expr`` whose names shadowed by ``node``'s targets read the enclosing
        scope's values (aliases added to ``inner``)."""
        targets = {t.id for gen in node.generators for t in gast.walk(gen.target)
                   if isinstance(t, gast.Name)}
        shadowed = {n.id for n in gast.walk(expr) if isinstance(n, gast.Name)
                    and n.id in targets and n.id in env}
        if not shadowed:
            return expr
        aliases = {}
        for name in sorted(shadowed):
            aliases[name] = alias = invented(name)
            inner[alias] = env[name]
            if bound_flag(name) in env:
                inner[bound_flag(alias)] = env[bound_flag(name)]
        expr = copy.deepcopy(expr)
        for n in gast.walk(expr):
            if isinstance(n, gast.Name) and n.id in aliases:
                n.id = aliases[n.id]
        return expr

    def reduce_comprehension(self, fn, node, env):
        """``sum(e for t in it if c)``, ``max(...)``, ``min(...)`` (also of a list a
        comprehension built): the loop Python runs, in its order (sum from 0 or ``start``;
        max/min keep the first of equal elements and raise ValueError when empty)."""
        arg = node.args[0]
        if not isinstance(arg, (gast.ListComp, gast.GeneratorExp)):     # a list value
            item = gast.Name(id=invented("item"), ctx=gast.Load(), annotation=None,
                             type_comment=None)
            target = gast.Name(id=item.id, ctx=gast.Store(), annotation=None, type_comment=None)
            arg = gast.copy_location(gast.GeneratorExp(elt=item, generators=[gast.comprehension(
                target=target, iter=arg, ifs=[], is_async=0)]), arg)
        inner = self.comprehension_scope(arg, env)   # the comprehension's names stay its own
        acc, have, value = invented("acc"), invented("have"), invented("value")
        if fn is builtins.sum:
            if len(node.args) > 2 or node.keywords and [k.arg for k in node.keywords] != ["start"]:
                raise self.error(node, "sum() takes an iterable and an optional start")
            start = node.args[1] if len(node.args) == 2 else (
                node.keywords[0].value if node.keywords else gast.Constant(value=0, kind=None))
            inner[acc] = self.value(start, env)
            if self.elements_are_arrays(arg, env):
                # start + first element, then the others: the sum's type is the element's
                names = {k: invented(k.lower()) for k in ("SEQ", "K")}
                inner[names["SEQ"]] = self.sequence(self.expr(arg.generators[0].iter, env), arg)
                self.lower_template(_template("""
                    TARGET = SEQ[0]
                    ACC = ACC + ELT
                    for K in range(1, len(SEQ)):
                        TARGET = SEQ[K]
                        ACC = ACC + ELT
                """, TARGET=arg.generators[0].target, ELT=arg.elt, ACC=acc, **names), node, inner)
                return inner[acc]
            body = _template("ACC = ACC + ELT", ACC=acc, ELT=arg.elt)
            self.lower_template(self.comprehension_loops(arg, body, env, inner), node, inner)
            return inner[acc]
        if len(node.args) != 1 or node.keywords:
            raise self.error(node, f"{fn.__name__}() of a comprehension takes no other arguments")
        inner[have] = Const(False)
        better = ">" if fn is builtins.max else "<"
        body = _template(f"""
            VALUE = ELT
            if not HAVE:
                ACC = VALUE
                HAVE = True
            elif VALUE {better} ACC:
                ACC = VALUE
        """, ACC=acc, HAVE=have, VALUE=value, ELT=arg.elt)
        self.lower_template(self.comprehension_loops(arg, body, env, inner), node, inner)
        self.b.op("check_bound", [inner[have]], result=False, name=acc,
                  error=f"{fn.__name__}() arg is an empty sequence")
        if acc not in inner:               # no iteration can bind it: always empty
            raise _Unreachable(acc, self.loc(node))
        return inner[acc]

    def elements_are_arrays(self, node, env):
        """Are the elements of comprehension ``node`` (one ``for``, no ``if``) arrays? Its
        first element is lowered into a block that is thrown away, to see."""
        if len(node.generators) != 1 or node.generators[0].ifs:
            return False
        gen = node.generators[0]
        seq = self.sequence(self.expr(gen.iter, env), gen.iter)
        probe, seq_name, first = self.comprehension_scope(node, env), invented("seq"), invented("first")
        probe[seq_name] = seq
        with self.b.into(Block()):
            try:
                self.lower_template(_template("TARGET = SEQ[0]\nFIRST = ELT", TARGET=gen.target,
                                              ELT=node.elt, SEQ=seq_name, FIRST=first),
                                    node, probe)
            except _Unreachable:
                return False
        value = probe[first]
        return not isinstance(value, tuple) and is_array(value.type)

    def list_comprehension(self, node, env):
        """``[e for t in it]`` (or a generator of it) as the array of its elements: the
        first element gives the shape, the others are written into their rows."""
        if len(node.generators) != 1 or node.generators[0].ifs:
            raise self.error(node, "only a list comprehension with one 'for' and no 'if' can "
                                   "be made into an array here (its length must be known)",
                             "write the loop, or use sum(...)/max(...)/min(...) over it")
        gen = node.generators[0]
        seq = self.sequence(self.expr(gen.iter, env), gen.iter)
        inner = self.comprehension_scope(node, env)
        names = {k: invented(k.lower()) for k in ("SEQ", "N", "FIRST", "OUT", "K")}
        inner[names["SEQ"]] = seq
        inner[invented("np")] = PyObject(np)
        self.lower_template(_template("N = len(SEQ)\nTARGET = SEQ[0]\nFIRST = ELT",
                                      TARGET=gen.target, ELT=node.elt, **names), node, inner)
        first = inner[names["FIRST"]]
        if isinstance(first, tuple) or first.type.dtype != "float64" if is_array(first.type) \
                else first.type != FLOAT:
            raise self.error(node, "only a comprehension of floats or float64 arrays can be made "
                                   "into an array here", "write the loop into an array")
        ndim = first.type.ndim if is_array(first.type) else 0
        shape = "".join(f", FIRST.shape[{i}]" for i in range(ndim))
        self.lower_template(_template(f"""
            OUT = np.empty((N{shape}))
            OUT[0] = FIRST
            for K in range(1, N):
                TARGET = SEQ[K]
                OUT[K] = ELT
        """, TARGET=gen.target, ELT=node.elt, np=invented("np"), **names), node,
            inner)
        return inner[names["OUT"]]

    def concatenate_comprehension(self, arg, env, node):
        """``np.concatenate([e for t in it])``: pieces of any lengths (``np.arange(c + 1, d)``
        for c in range(d)), written one after another into an array of their total length. The
        lengths are summed first, so each element but the first is evaluated twice; an element
        that calls the user's own functions (which may write into arrays) is refused."""
        if not isinstance(arg, (gast.ListComp, gast.GeneratorExp)):     # equal pieces, stacked
            stacked = self.expr(arg, env).array
            if stacked.type.ndim < 2:
                raise self.error(node, "np.concatenate needs a sequence of arrays, not of numbers",
                                 "use np.array([...]) for a sequence of numbers")
            rest = [self.emit("dim", [stacked, Const(i)], "n") for i in range(2, stacked.type.ndim)]
            return self.emit("copy", [self.reshape(stacked, [Const(-1)] + rest, node)], node=node)
        if len(arg.generators) != 1 or arg.generators[0].ifs:
            raise self.error(arg, "only a comprehension with one 'for' and no 'if' can be "
                                  "concatenated here", "write the loop into an array")
        gen = arg.generators[0]
        seq = self.sequence(self.expr(gen.iter, env), gen.iter)
        inner = self.comprehension_scope(arg, env)
        names = {k: invented(k.lower()) for k in ("SEQ", "N", "FIRST", "OUT", "K", "TOTAL",
                                                  "POS", "PIECE")}
        inner[names["SEQ"]] = seq
        inner[invented("np")] = PyObject(np)
        self.lower_template(_template("N = len(SEQ)\nTARGET = SEQ[0]\nFIRST = ELT",
                                      TARGET=gen.target, ELT=arg.elt, **names), node, inner)
        first = inner[names["FIRST"]]
        if isinstance(first, tuple) or not is_array(first.type) or first.type.ndim == 0 \
                or first.type.dtype not in ("float64", "int64"):
            raise self.error(arg, "np.concatenate of a comprehension needs float64 or integer "
                                  "arrays as its elements", "write the loop into an array")
        for call in (c for c in gast.walk(arg.elt) if isinstance(c, gast.Call)):
            try:
                fn = self.callee(call.func, inner)
            except CompileError:
                fn = None
            if fn is not None and (isinstance(fn.obj, LocalFunction) or (isinstance(
                    fn.obj, types.FunctionType) and _is_user_code(fn.obj))):
                raise self.error(call, "np.concatenate of a comprehension whose elements call "
                                       "your own function is not supported (each element is "
                                       "evaluated twice: once to measure it)",
                                 "compute the pieces in a loop into a preallocated array")
        rest = "".join(f", FIRST.shape[{i}]" for i in range(1, first.type.ndim))
        empty = "np.empty((TOTAL" + rest + "))" if first.type.dtype == "float64" else \
            "np.arange(TOTAL)"          # an integer buffer (rank 1: checked above for ints)
        if first.type.dtype == "int64" and first.type.ndim != 1:
            raise self.error(arg, "np.concatenate of integer arrays of rank above 1 is not "
                                  "supported", "concatenate 1-d integer arrays")
        self.lower_template(_template(f"""
            TOTAL = FIRST.shape[0]
            for K in range(1, N):
                TARGET = SEQ[K]
                TOTAL = TOTAL + ELT.shape[0]
            OUT = {empty}
            OUT[0:FIRST.shape[0]] = FIRST
            POS = FIRST.shape[0]
            for K in range(1, N):
                TARGET = SEQ[K]
                PIECE = ELT
                OUT[POS:POS + PIECE.shape[0]] = PIECE
                POS = POS + PIECE.shape[0]
        """, TARGET=gen.target, ELT=arg.elt, np=invented("np"), **names), node, inner)
        return inner[names["OUT"]]

    def tuple_item(self, items, node, env):
        """``t[i]`` with a run-time integer ``i``: the item chosen by comparisons (items of one
        kind); an index out of range raises IndexError, as in Python."""
        index = self.atom(node.slice, env)
        if index.type != INT or not items:
            raise self.error(node, "a tuple is indexed with an integer (of its length)",
                             "index with an integer, or use a NumPy array")
        if any(isinstance(v, (tuple, PyObject)) for v in items):
            raise self.error(node, "indexing a tuple of tuples (or functions) with a run-time "
                                   "integer is not supported", "unpack it first")
        n = len(items)
        names = {f"t{k}": v for k, v in enumerate(items)}
        names["i"] = index
        inside = self.lower_text(f"(i >= -{n}) and (i < {n})", node, names)
        self.b.op("check_bound", [inside], result=False, name="", error="tuple index out of range",
                  error_type="IndexError")
        names["k"] = self.lower_text(f"i + {n} if i < 0 else i", node, names)
        text = f"t{n - 1}"
        for k in range(n - 2, -1, -1):
            text = f"(t{k} if k == {k} else {text})"
        return self.lower_text(text, node, names)

    def dict_key(self, node):
        if not (isinstance(node, gast.Constant) and isinstance(node.value, (str, int))
                and not isinstance(node.value, bool)):
            raise self.error(node, "dict keys must be string or integer constants here",
                             "write the key as a literal: d['a']")
        return node.value

    def dict_value(self, keys, values, node):
        merged = dict(zip(keys, values))       # a repeated key keeps its last value
        for v in values:
            if isinstance(v, PyObject) or isinstance(v, _Sequence):
                raise self.error(node, "a dict can hold numbers, arrays, tuples and dicts only")
        return _DictValue(list(merged), list(merged.values()))

    def lower_text(self, text, node, values):
        """Lower the expression ``text`` (NumPy code) at ``node``'s place, its names bound
        to ``values`` (and ``np`` to NumPy, whatever the user's module calls it)."""
        expr = gast.parse(text, mode="eval").body
        for sub in gast.walk(expr):
            if hasattr(sub, "lineno"):
                gast.copy_location(sub, node)
        return self.expr(expr, dict(values, np=PyObject(np)))

    def numpy_spelling(self, obj, node, env):
        """NumPy functions that are other NumPy code: np.asarray, np.atleast_1d/2d/3d,
        np.column_stack, np.vstack, np.hstack (the same values, dtypes and memory order)."""
        name = obj.__name__
        if obj is np.asarray:
            if len(node.args) != 1 or any(k.arg != "dtype" for k in node.keywords):
                raise self.error(node, "np.asarray takes one argument here (and dtype=float)")
            for kw in node.keywords:
                self.check_float64(self.expr(kw.value, env), node)
            if isinstance(node.args[0], (gast.List, gast.Tuple)):
                return self.array_literal(node.args[0], env, node)
            v = self.atom(node.args[0], env)
            if node.keywords and is_array(v.type) and v.type.dtype != "float64":
                return self.lower_text("v.astype(float)", node, {"v": v})
            if node.keywords and not is_array(v.type):
                return self.lower_text("float(v)", node, {"v": v})
            return v                      # the very array (or number), as NumPy returns it
        if node.keywords:
            raise self.error(node, f"keyword arguments to np.{name} are not supported")
        if name.startswith("atleast_"):
            rank = int(name[len("atleast_")])
            forms = {1: {0: "np.array([v])"},
                     2: {0: "np.array([[v]])", 1: "v[None, :]"},
                     3: {0: "np.array([[[v]]])", 1: "v[None, :, None]", 2: "v[:, :, None]"}}[rank]
            results = []
            for arg in node.args:
                v = self.atom(arg, env)
                ndim = v.type.ndim if is_array(v.type) else 0
                results.append(v if ndim >= rank else self.lower_text(forms[ndim], node, {"v": v}))
            return results[0] if len(results) == 1 else tuple(results)
        if len(node.args) != 1 or not isinstance(node.args[0], (gast.List, gast.Tuple)):
            raise self.error(node, f"np.{name} needs a tuple or list of arrays written out here",
                             f"np.{name}((a, b, ...))")
        parts = [self.atom(e, env) for e in node.args[0].elts]
        ranks = {p.type.ndim if is_array(p.type) else 0 for p in parts}
        if not ranks <= {1, 2}:
            raise self.error(node, f"np.{name} of arrays of other ranks than 1 and 2 is not supported")
        names = {f"p{k}": p for k, p in enumerate(parts)}
        if obj is np.column_stack:     # 1-d arrays become columns
            rows = [f"{n}[None, :]" if p.type.ndim == 1 else f"{n}.T" for n, p in names.items()]
            text = f"np.concatenate(({', '.join(rows)},)).T.copy()"
        elif obj is np.vstack:
            rows = [f"{n}[None, :]" if p.type.ndim == 1 else n for n, p in names.items()]
            text = f"np.concatenate(({', '.join(rows)},))"
        elif ranks == {1}:             # np.hstack of vectors
            text = f"np.concatenate(({', '.join(names)},))"
        elif ranks == {2}:
            text = f"np.concatenate(({', '.join(n + '.T' for n in names)},)).T.copy()"
        else:
            raise self.error(node, "np.hstack of vectors and matrices together is not supported")
        return self.lower_text(text, node, names)

    def call_argument(self, node, env):
        """An argument of a call to the user's code: a value, or a compile-time object."""
        v = self.expr(node, env)
        if isinstance(v, PyObject):       # a function to call, None, a flag, a module
            return v
        return self.as_value(v, node)

    def user_call(self, obj, args, kwargs, node, env):
        """A call of the user's helper ``obj`` (inlined), with its declared result checked."""
        result = self.inline(obj, args, kwargs, node, env)
        declared = declared_result(obj)
        if declared is not None and (isinstance(result, tuple) or result.type != declared):
            got = "a tuple" if isinstance(result, tuple) else result.type
            raise self.error(node, f"'{obj.__name__}' is declared to return {declared} "
                                   f"(ad.non_differentiable(..., returns=)) but returns {got} here",
                             "declare the type its source returns, or leave out returns=")
        if is_user_non_differentiable(obj):       # registered as data: cut the derivative
            stop = lambda v: self.emit("stop_gradient", [v], node=node) if isinstance(v, Var) else v
            result = tuple(stop(v) for v in result) if isinstance(result, tuple) else stop(result)
        return result

    def opaque_call(self, obj, full, args, node):
        """A call compiled as it is: its result type must be known for sure (rules/opaque.py)."""
        for a, arg_node in zip(args, node.args):
            if isinstance(a, tuple):
                raise self.error(arg_node, "a tuple cannot be used as a number here",
                                 "unpack the tuple into names first")
        rtype = opaque_result_type(obj, [a.type for a in args])
        if rtype is None:
            spelled = ast.unparse(gast.gast_to_ast(node.func))
            if is_user_non_differentiable(obj):
                raise self.error(node, f"'{spelled}' is registered with ad.non_differentiable but has "
                                       f"no Python source, so the type it returns cannot be known",
                                 f"declare it: ad.non_differentiable({spelled}, returns=float) (or "
                                 f"returns=int, bool, or (np.float64, 2) for a 2-d array)")
            raise self.error(node, f"call to '{full}', which has no rule and no Python source, returns "
                                   f"a value adcompiler cannot know the type of",
                             f"compute it outside the function and pass it in as an argument; if it "
                             f"is data, declare what it returns with ad.non_differentiable({spelled}, "
                             f"returns=float) (or (np.float64, 2) for a 2-d array); if it is math, "
                             f"add a rule for it (docs/adding_a_rule.md)")
        result = self.b.op("opaque_call", args, "t", rtype, callee=obj, callee_name=full,
                           data=is_user_non_differentiable(obj))
        if is_array(rtype) and returns_new_array(obj):
            self.family[result] = result
        elif is_array(rtype):
            # it may be (a view of) an argument or of memory the function keeps: never
            # written into, and no argument written while it is live
            self.views.add(result)
            self.shares[result] = frozenset().union(*[self.storage_of(a) for a in args
                                                      if isinstance(a, Var) and is_array(a.type)])
        return result

    def sequence_call(self, obj, node, env):
        """``range``/``enumerate``/``zip`` as :class:`_Sequence`s and ``len`` of one; None for
        ``len`` of anything else."""
        if obj is builtins.len:
            if len(node.args) != 1 or node.keywords:
                raise self.error(node, "len() takes exactly one argument")
            value = self.expr(node.args[0], env)
            if isinstance(value, _Sequence):
                return value.length(self)
            return self.primitive_call("len", [self.as_value(value, node.args[0])], node)
        if obj is builtins.range:
            return _RangeSequence(*self.range_bounds(node, env, node))
        if obj is builtins.enumerate:
            keywords = {kw.arg: kw.value for kw in node.keywords}
            if not 1 <= len(node.args) + len(keywords) <= 2 or set(keywords) - {"start"} \
                    or (len(node.args) == 2 and keywords):
                raise self.error(node, "enumerate() takes an iterable and an optional start")
            start = self.atom(node.args[1] if len(node.args) == 2 else keywords["start"], env) \
                if len(node.args) + len(keywords) == 2 else Const(0)
            if start.type != INT:
                raise self.error(node, "enumerate()'s start must be an integer")
            return _EnumerateSequence(self.sequence(self.expr(node.args[0], env), node), start)
        if node.keywords or not node.args:
            raise self.error(node, "zip() takes one or more iterables and no keywords")
        return _ZipSequence([self.sequence(self.expr(a, env), node) for a in node.args])

    def check_float64(self, dtype, node):
        if not (isinstance(dtype, PyObject) and dtype.obj in (float, np.float64)):
            raise self.error(node, "only float64 arrays can be created here",
                             "leave out dtype= (float64 is the default)")

    def matrix_constructor(self, prim, node, env):
        """``np.eye(N, M, k)``, ``np.tri(N, k=-1)``, ``np.identity(n)``: bound to NumPy's
        parameters, then emitted with the leading ones (M is N where only k is given)."""
        names = MATRIX_CONSTRUCTORS[prim]
        if len(node.args) > len(names):
            raise self.error(node, f"{prim}() takes at most {len(names)} positional arguments "
                                   f"({', '.join(names)}), got {len(node.args)}")
        given = list(zip(names, node.args)) + [(kw.arg, kw.value) for kw in node.keywords]
        unknown = sorted(name for name, _ in given if name not in names)
        if unknown:
            raise self.error(node, f"keyword arguments {unknown} to {prim} are not supported")
        bound = {}
        for name, value in given:
            if name in bound:
                raise self.error(node, f"{prim}() got {name} twice")
            bound[name] = self.expr(value, env) if name == "dtype" else self.value(value, env)
        if "dtype" in bound:
            self.check_float64(bound.pop("dtype"), node)
        sizes = [bound[n] for n in names[:1]]
        if "k" in bound:
            sizes += [bound.get("M", sizes[0]), bound["k"]]
        elif "M" in bound:
            sizes.append(bound["M"])
        return self.primitive_call(prim, sizes, node)

    def array_literal(self, elements, env, node):
        """``np.array([[a, b], [c, d]])``: nested lists of numbers (or arrays) stack row by row."""
        if not elements.elts:
            raise self.error(node, "np.array of an empty list is not supported", "use np.zeros(0)")
        nested = [isinstance(e, (gast.List, gast.Tuple)) for e in elements.elts]
        if any(nested) and not all(nested):
            raise self.error(node, "np.array of a ragged list (lists mixed with numbers) is not supported")
        items = [self.array_literal(e, env, node) if inner else self.atom(e, env)
                 for e, inner in zip(elements.elts, nested)]
        if any(isinstance(i, tuple) for i in items):
            raise self.error(node, "np.array of tuples of arrays is not supported",
                             "stack the arrays: np.stack((a, b))")
        shapes = {i.type.ndim if is_array(i.type) else 0 for i in items}
        if len(shapes) != 1:
            raise self.error(node, "np.array of a ragged list (rows of different ranks) is not supported")
        return self.emit("stack", items, node=node)

    def primitive_call(self, prim, args, node, callee=None):
        for a in args:
            if isinstance(a, tuple):
                raise self.error(node, "a tuple cannot be passed to a math function")
        if prim in ("max", "min") and len(args) > 2:
            acc = args[0]
            for a in args[1:]:
                acc = self.emit(prim, [acc, a])
            return acc
        if prim == "log" and len(args) == 2:
            return self.emit("div", [self.emit("log", [args[0]]), self.emit("log", [args[1]])])
        if prim == "round" and len(args) == 2:
            raise self.error(node, "round(x, ndigits) is not supported", "use round(x)")
        if prim == "float" and args and isinstance(args[0], Const):
            return Const(float(args[0].value))
        emit = PRIMITIVES[prim].emit
        if isinstance(emit, str):
            expected = len(set(__import__("re").findall(r"\{(\d+)\}", emit)))
            if len(args) != expected:
                raise self.error(node, f"{prim}() takes {expected} argument(s), got {len(args)}")
        if getattr(callee, "__module__", None) == "math" and hasattr(math, callee.__name__):
            # math.exp and np.exp may differ in the last bit: the primal is the user's own call
            return self.emit(prim, args, node=node, math_name=callee.__name__)
        if callee is np.copy:
            # np.copy keeps the memory order (a transposed array stays F-ordered, which
            # changes the summation order of a later np.sum); x.copy() makes C order
            return self.emit(prim, args, node=node, numpy_name="copy")
        if callee is np.matmul:
            return self.emit(prim, args, node=node, matmul=True)
        if callee is np.power:
            # NumPy computes power(x, 0.5) as sqrt(x), which Python's x ** 0.5 may not match
            return self.emit(prim, args, node=node, numpy_name="power")
        return self.emit(prim, args, node=node)

    def inline_local(self, fn, args, kwargs, node, env):
        """Lower a call to a nested function (or lambda) ``fn`` by inlining its body; the
        names it does not bind are the enclosing function's (see free_variable)."""
        if fn in self.call_stack:
            raise self.error(node, f"recursive call to '{fn.__name__}' is not supported",
                             "rewrite the recursion as a loop")
        sites = (self.parsed.loc(node),) + self.call_sites
        outer = fn.definer.parsed
        parsed = ParsedFunction(fn, fn.node, outer.filename, outer.line_offset, outer.lines)
        body = desugar(parsed, helper=True)
        try:
            bound = fn.signature().bind(*args, **kwargs)
        except TypeError as exc:
            raise self.error(node, f"bad call to '{fn.__name__}': {exc}")
        bound.apply_defaults()
        inner = Lowerer(parsed, self.b, self.call_stack, self.track_loc, sites,
                        enclosing=fn.definer)
        return self.call_with_outputs(inner, body, dict(bound.arguments), node, env)

    def call_with_outputs(self, inner, body, callee_env, node, env):
        """Lower an inlined body; a helper writing into an array argument (``out[i] = ...``,
        C style) writes into the caller's array, as in Python: its returns also pass the
        written arrays back, and the caller's names of each are rebound to the new value."""
        outputs = [name for name in output_parameters(body, inner.globals, inner.closure)
                   if isinstance(callee_env.get(name), Var) and is_array(callee_env[name].type)]
        if not outputs:
            return inner.lower_function(body, callee_env)
        if env is not self.current_env:
            raise self.error(node, f"'{inner.parsed.fn.__name__}' writes into its argument "
                                   f"'{outputs[0]}', and is called where it may not run (in a "
                                   f"conditional expression or after 'and'/'or')",
                             "call it in a statement of its own")
        for stmt in body:
            for ret in scope_walk(stmt):
                if isinstance(ret, gast.Return):
                    names = [gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
                             for n in outputs]
                    ret.value = gast.copy_location(
                        gast.Tuple(elts=[ret.value] + names, ctx=gast.Load()), ret.value)
        before = {n: callee_env[n] for n in outputs}
        result = inner.lower_function(body, callee_env)
        for name, new in zip(outputs, result[1:]):
            if new is not before[name]:
                self.rebind_written(before[name], new, env, node)
        return result[0]

    def rebind_written(self, old, new, env, node):
        """The caller's names of array ``old`` now name ``new`` (a helper wrote into it);
        another name that may see that memory (a view) is refused, as for a direct write."""
        root = self.family.get(old)
        same = [n for n, v in env.items() if any(p is old for p in _leaves(v))]
        aliases = [n for n, v in env.items() if n not in same and not _is_flag(n)
                   and any(root in self.storage_of(part) for part in _array_parts(v))]
        if aliases:
            raise self.error(node, f"this call writes into an array that '{aliases[0]}' may share "
                                   f"memory with (the same array, or a view of it)",
                             f"if '{aliases[0]}' must keep the old values, pass a copy")
        for n in same:
            env[n] = _unleaves(env[n], iter([new if p is old else p for p in _leaves(env[n])]))

    def inline(self, fn, args, kwargs, node, env=None):
        """Lower a call to the user's helper ``fn`` by inlining its body."""
        if _is_method(fn):                 # self is an object whose attributes are constants
            args = [PyObject(fn.__self__)] + list(args)
            fn = fn.__func__
        if fn in self.call_stack:
            raise self.error(node, f"recursive call to '{fn.__name__}' is not supported",
                             "rewrite the recursion as a loop")
        sites = (self.parsed.loc(node),) + self.call_sites
        parsed = parse_function(fn)
        try:
            check_syntax(parsed)
            body = desugar(parsed, helper=True)
        except CompileError as exc:      # located in the helper: say where it was called
            raise CompileError(exc.reason, dataclasses.replace(exc.loc, called_from=sites),
                               exc.hint) from None
        try:
            bound = inspect.signature(fn).bind(*args, **kwargs)
        except TypeError as exc:
            raise self.error(node, f"bad call to '{fn.__name__}': {exc}")
        bound.apply_defaults()
        callee_env = {}
        for name, value in bound.arguments.items():
            if not isinstance(value, (Var, Const, tuple)):
                value = self.classify(value, node) if not isinstance(value, PyObject) else value
            callee_env[name] = value
        inner = Lowerer(parsed, self.b, self.call_stack, self.track_loc, sites)
        return self.call_with_outputs(inner, body, callee_env, node, env)


def _library_dirs():
    import sysconfig
    paths = sysconfig.get_paths()
    return tuple({os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib")
                  if k in paths})


_LIBRARY_DIRS = _library_dirs()


def _is_user_code(fn):
    """Helpers are inlined from source only when they are the user's code, not a library's
    (``random.gauss`` has Python source but is not differentiable code)."""
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    if code is None:
        return False
    path = os.path.realpath(code.co_filename)
    return not any(path.startswith(d + os.sep) for d in _LIBRARY_DIRS)


def _is_whole_axis(node):
    """``:`` alone (a slice with no bounds and no step)."""
    return isinstance(node, gast.Slice) and node.lower is None and node.upper is None and \
        node.step is None


def _is_index_array(value):
    return isinstance(value, Var) and is_array(value.type) and value.type.dtype == "int64" \
        and value.type.ndim == 1


def _is_method(obj):
    return inspect.ismethod(obj) and isinstance(obj.__func__, types.FunctionType)


def build_ssa(fn, param_types):
    """Build the structured SSA IR of ``fn`` with parameters of the given scalar types."""
    bound_self = None
    if _is_method(fn):
        bound_self, fn = fn.__self__, fn.__func__
    parsed = parse_function(fn)
    check_syntax(parsed)
    body_ast = desugar(parsed)
    arg_names = [a.id for a in parsed.node.args.args]
    kwonly = [a.id for a in parsed.node.args.kwonlyargs]
    if bound_self is not None:
        self_name, arg_names = arg_names[0], arg_names[1:]
    names = arg_names + kwonly
    # a ("constant", value) kind (None, a string) is that value here, known when compiling
    params = [Var(n, None if isinstance(t, tuple) else t) for n, t in zip(names, param_types)]
    env = {n: PyObject(t[1]) if isinstance(t, tuple) else p
           for n, t, p in zip(names, param_types, params)}
    if bound_self is not None:
        env[self_name] = PyObject(bound_self)
    builder = Builder()
    lowerer = Lowerer(parsed, builder)
    try:
        cells = inspect.getclosurevars(fn).nonlocals if getattr(fn, "__closure__", None) else {}
    except (TypeError, ValueError):
        cells = {}
    written = output_parameters(body_ast, getattr(fn, "__globals__", {}), cells)
    for name, param in zip(names, params):
        if is_array(param.type) and written & plain_aliases(body_ast, name):
            with builder.at(loc=parsed.loc(parsed.node)):
                env[name] = lowerer.emit("copy", [param], name)   # never modify the caller's array
    try:
        result = lowerer.lower_function(body_ast, env)
    except _Unreachable:
        # every call raises UnboundLocalError, as Python's would: the result is never made
        with builder.at(loc=parsed.loc(parsed.node)):
            result = builder.op("placeholder", [], "out", FLOAT)
    outputs = list(result) if isinstance(result, tuple) else [result]
    for out in outputs:
        if isinstance(out, Var) and out.hint in ("t", "ret"):
            out.hint = "out"
    builder.block.yields = outputs
    hidden = getattr(builder, "hidden", {})
    name = fn.__name__ if fn.__name__.isidentifier() else "lambda_"
    func = Function(name, params + list(hidden.values()), builder.block,
                    names + [v.hint for v in hidden.values()], parsed.filename,
                    parsed.line_offset + 1)
    # (owner, scope, name) of each captured array, passed after the parameters
    func.annotations["hidden"] = tuple(hidden)
    func.annotations["buffers"] = {v: r for v, r in builder.families.items()
                                   if r in builder.written}
    func.annotations["returns_tuple"] = isinstance(result, tuple)
    func.annotations["captured"] = tuple(builder.captured)
    return func
