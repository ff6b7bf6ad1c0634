"""Getting a function's source and parsing it with gast, keeping file line numbers."""
import inspect
import textwrap
import types
from dataclasses import dataclass

import gast

from ..errors import CompileError
from ..ir.nodes import Loc

# Filled without a lock: threads parsing one function at once get equal trees (desugar copies
# before changing one), and a dict's get and set are atomic.
_CACHE = {}


def python_function(obj):
    """A function compiled by Numba (``@njit``, ``@jit``) is differentiated from its Python
    source, like any other function of the user's; other objects are returned as they are."""
    py_func = getattr(obj, "py_func", None)
    if isinstance(py_func, types.FunctionType) and type(obj).__module__.startswith("numba."):
        return py_func
    return obj


@dataclass
class ParsedFunction:
    fn: object            # the Python function object
    node: gast.FunctionDef
    filename: str
    line_offset: int      # add to a node's lineno to get the line in ``filename``
    lines: list           # source lines of the snippet

    def loc(self, node):
        lineno = getattr(node, "lineno", None) or 1
        text = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        return Loc(self.filename, lineno + self.line_offset, text.strip())

    def error(self, node, message, hint=None):
        return CompileError(message, self.loc(node), hint)


def _function_location(fn):
    code = getattr(fn, "__code__", None)
    if code is None:
        return "<unknown>", 1
    return code.co_filename, code.co_firstlineno


def parse_function(fn):
    """Parse ``fn``'s source into a gast ``FunctionDef`` (cached per function object)."""
    cached = _CACHE.get(fn)
    if cached is not None:
        return cached
    filename, firstlineno = _function_location(fn)
    if getattr(fn, "__name__", "") == "<lambda>":
        parsed = _parse_lambda(fn, filename, firstlineno)
        _CACHE[fn] = parsed
        return parsed
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError) as exc:
        raise CompileError(f"cannot read the source of {getattr(fn, '__qualname__', fn)!r} ({exc})",
                           Loc(filename, firstlineno, ""),
                           "define the function in a .py file (not in the interactive prompt or exec)")
    source = textwrap.dedent(source)
    module = gast.parse(source)
    node = module.body[0]
    if isinstance(node, gast.AsyncFunctionDef):
        raise CompileError("async functions are not supported", Loc(filename, firstlineno, source.splitlines()[0]),
                           "write an ordinary 'def' function")
    if not isinstance(node, gast.FunctionDef):
        raise CompileError(f"expected a function definition, got {type(node).__name__}",
                           Loc(filename, firstlineno, source.splitlines()[0]))
    parsed = ParsedFunction(fn, node, filename, firstlineno - 1, source.splitlines())
    _CACHE[fn] = parsed
    return parsed


def _parse_lambda(fn, filename, firstlineno):
    """A lambda's source is part of a line: parse the whole file and pick the ``lambda``
    starting on that line (among several, by the columns its code covers), as a ``def``."""
    from .lower import lambda_as_def
    try:
        lines, _ = inspect.findsource(fn)
    except (OSError, TypeError) as exc:
        raise CompileError(f"cannot read the source of the lambda ({exc})",
                           Loc(filename, firstlineno, ""),
                           "define the function in a .py file (not in the interactive prompt "
                           "or exec)")
    text = "".join(lines)
    lambdas = [node for node in gast.walk(gast.parse(text))
               if isinstance(node, gast.Lambda) and node.lineno == firstlineno]
    params = list(fn.__code__.co_varnames[:fn.__code__.co_argcount])
    lambdas = [node for node in lambdas if [a.id for a in node.args.args] == params]
    columns = {col for line, _, col, end in fn.__code__.co_positions()
               if line == firstlineno and col is not None and end is not None and end > col}
    if len(lambdas) > 1 and columns:
        start = min(columns)
        lambdas = [node for node in lambdas
                   if node.body.col_offset <= start and (node.body.end_lineno > firstlineno or
                                                         start < node.body.end_col_offset)]
    if len(lambdas) != 1:
        raise CompileError("cannot tell which lambda on this line is differentiated",
                           Loc(filename, firstlineno, lines[firstlineno - 1].strip()),
                           "give it a name with 'def', or put one lambda on the line")
    node = lambda_as_def(lambdas[0])
    return ParsedFunction(fn, node, filename, 0, [line.rstrip("\n") for line in lines])
