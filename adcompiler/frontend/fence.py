"""The syntax fence: reject what the compiler does not support, early and located."""
import gast

# statement or expression type -> (what it is, what to do instead)
_REJECTED = {
    gast.Try: ("'try' statements", "remove the exception handling from the differentiated function"),
    gast.With: ("'with' statements", "move the context manager outside the differentiated function"),
    gast.AsyncWith: ("'async with' statements", "write synchronous code"),
    gast.AsyncFor: ("'async for' loops", "write synchronous code"),
    gast.AsyncFunctionDef: ("async functions", "write an ordinary 'def' function"),
    gast.Await: ("'await'", "write synchronous code"),
    gast.Global: ("'global' declarations", "pass the value as an argument and return the new value"),
    gast.Nonlocal: ("'nonlocal' declarations", "pass the value as an argument and return the new value"),
    gast.ClassDef: ("class definitions", "define classes outside the differentiated function"),
    gast.Yield: ("generators ('yield')", "return the values instead of yielding them"),
    gast.YieldFrom: ("generators ('yield from')", "return the values instead of yielding them"),
    gast.Raise: ("'raise' statements", "check inputs before calling the derivative"),
    gast.Assert: ("'assert' statements", "check inputs before calling the derivative"),
    gast.Delete: ("'del' statements", "use a new name instead of deleting"),
    gast.Import: ("imports inside the function", "import at module level"),
    gast.ImportFrom: ("imports inside the function", "import at module level"),
    gast.SetComp: ("set comprehensions", "write a for loop"),
    gast.DictComp: ("dict comprehensions", "write a for loop"),
    gast.Set: ("set literals", "use scalar variables or NumPy arrays"),
    gast.Starred: ("star-arguments ('*args')", "pass the arguments one by one"),
    gast.JoinedStr: ("f-strings", "remove string formatting from the differentiated function"),
    gast.NamedExpr: ("assignment expressions (':=')", "assign on a line of its own"),
}


def check_syntax(parsed):
    """Raise CompileError at the first unsupported construct in ``parsed``'s function body."""
    fdef = parsed.node
    args = fdef.args
    if args.vararg is not None or args.kwarg is not None:
        raise parsed.error(fdef, "star-arguments ('*args'/'**kwargs') in the signature are not supported",
                           "list the parameters explicitly")
    # strings allowed: dict keys, flags passed to calls and compared at compile time
    keys = {id(k) for stmt in fdef.body for n in gast.walk(stmt) for k in (
        n.keys if isinstance(n, gast.Dict) else [n.slice] if isinstance(n, gast.Subscript)
        else [n.left, *n.comparators] if isinstance(n, gast.Compare)
        else [*n.args, *(k.value for k in n.keywords)] if isinstance(n, gast.Call) else [])}
    for stmt in fdef.body:
        for node in gast.walk(stmt):
            rejected = _REJECTED.get(type(node))
            if rejected is not None:
                what, fix = rejected
                raise parsed.error(node, f"{what} are not supported by adcompiler", fix)
            if isinstance(node, (gast.FunctionDef, gast.Lambda)) and (
                    node.args.vararg is not None or node.args.kwarg is not None):
                raise parsed.error(node, "star-arguments ('*args'/'**kwargs') in the signature "
                                         "are not supported", "list the parameters explicitly")
            if isinstance(node, gast.Call):
                for kw in node.keywords:
                    if kw.arg is None:
                        raise parsed.error(node, "'**kwargs' in calls is not supported",
                                           "pass keyword arguments one by one")
            if isinstance(node, gast.Constant) and isinstance(node.value, (str, bytes)) \
                    and not _is_docstring(fdef, node) and id(node) not in keys:
                raise parsed.error(node, "strings are not supported in differentiated code",
                                   "remove the string (print/format outside the function)")
    return parsed


def _is_docstring(fdef, node):
    first = fdef.body[0] if fdef.body else None
    return isinstance(first, gast.Expr) and first.value is node
