"""Shrinking a failing program and saving it as a regression file.

``shrink(source, args, still_fails)`` greedily deletes statements, helpers, branches and
loops, replaces expressions by their operands or by constants, drops unused parameters and
simplifies the integer and float arguments, keeping each change only while
``still_fails(source, args)`` is true. ``save_regression`` writes the result to
tests/fuzz/regressions/ as a module holding the program, its arguments and the
expected-failure marks that regressions.py replays.
"""
import ast
import copy
import hashlib
import os
import re
import time

import numpy as np

REGRESSION_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions")


# -- AST candidates -----------------------------------------------------------------------
def _stmt_lists(tree):
    """Every list of statements in the module (function bodies, branches, loop bodies),
    innermost last."""
    out = []
    for node in ast.walk(tree):
        for name in ("body", "orelse"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                out.append(block)
    return out


def _fix_empty(tree):
    for node in ast.walk(tree):
        for name in ("body", "orelse"):
            block = getattr(node, name, None)
            if isinstance(block, list) and not block and name == "body":
                block.append(ast.Pass())
    return tree


def _candidates(tree):
    """Simpler variants of ``tree`` (generators of new trees, cheapest/most useful first)."""
    # 1. drop whole top-level definitions other than the entry function
    for k, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.Assign)) and getattr(node, "name", "") != "f":
            yield ("drop top-level", lambda t, k=k: t.body.pop(k))
    # 2. drop statements (later ones first: earlier ones tend to be needed)
    lists = _stmt_lists(tree)
    for li in range(len(lists)):
        n = len(lists[li])
        # halves and quarters first, then single statements
        for size in sorted({n // 2, n // 4, 1} - {0}, reverse=True):
            for start in range(n - size, -1, -size):
                def drop(t, li=li, start=start, size=size):
                    block = _stmt_lists(t)[li]
                    del block[start:start + size]
                yield ("drop statements", drop)
    # 3. replace compound statements by one of their bodies
    for li in range(len(lists)):
        for k, stmt in enumerate(lists[li]):
            if isinstance(stmt, ast.If):
                for part in ("body", "orelse"):
                    def inline(t, li=li, k=k, part=part):
                        block = _stmt_lists(t)[li]
                        block[k:k + 1] = getattr(block[k], part) or [ast.Pass()]
                    yield ("inline branch", inline)
                if stmt.orelse:
                    def no_else(t, li=li, k=k):
                        _stmt_lists(t)[li][k].orelse = []
                    yield ("drop else", no_else)
            if isinstance(stmt, (ast.For, ast.While)):
                def unloop(t, li=li, k=k):
                    block = _stmt_lists(t)[li]
                    loop = block[k]
                    body = [s for s in loop.body if not isinstance(s, (ast.Break, ast.Continue))]
                    if isinstance(loop, ast.For):
                        # every name the target binds (for i, (a, b) in enumerate(zip(...)))
                        names = [n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)]
                        body = [ast.Assign(targets=[ast.Name(name, ast.Store())],
                                           value=ast.Constant(1), lineno=0) for name in names] + body
                    block[k:k + 1] = (body + loop.orelse) or [ast.Pass()]
                yield ("unroll loop once", unloop)
                if stmt.orelse:
                    def no_loop_else(t, li=li, k=k):
                        _stmt_lists(t)[li][k].orelse = []
                    yield ("drop loop else", no_loop_else)
    # 4. simplify expressions: replace by an operand or by a constant
    exprs = [n for n in ast.walk(tree) if isinstance(n, (ast.BinOp, ast.Call, ast.UnaryOp,
                                                           ast.IfExp, ast.BoolOp, ast.Compare))]
    for ei in range(len(exprs)):
        node = exprs[ei]
        children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)
                    and not (isinstance(node, ast.Call) and c is node.func)]
        for ci in range(len(children)):
            def to_child(t, ei=ei, ci=ci):
                target = _exprs(t)[ei]
                kids = [c for c in ast.iter_child_nodes(target) if isinstance(c, ast.expr)
                        and not (isinstance(target, ast.Call) and c is target.func)]
                _replace(t, target, kids[ci])
            yield ("expression to operand", to_child)
        if not isinstance(node, (ast.BoolOp, ast.Compare)):
            for const in (1.0, 0.5):
                def to_const(t, ei=ei, const=const):
                    _replace(t, _exprs(t)[ei], ast.Constant(const))
                yield ("expression to constant", to_const)
    # 5. drop keyword arguments that have defaults
    for ei, node in enumerate(exprs):
        if isinstance(node, ast.Call) and node.keywords:
            for ki in range(len(node.keywords)):
                def drop_kw(t, ei=ei, ki=ki):
                    del _exprs(t)[ei].keywords[ki]
                yield ("drop keyword", drop_kw)


def _exprs(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.BinOp, ast.Call, ast.UnaryOp,
                                                         ast.IfExp, ast.BoolOp, ast.Compare))]


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise ValueError("node not found")


def _unparse(tree):
    _fix_empty(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def _drop_unused_params(source, args, entry="f"):
    """(source, args) variants without one parameter the entry function never reads."""
    tree = ast.parse(source)
    fdef = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == entry)
    used = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name)}
    for k, a in enumerate(fdef.args.args):
        if a.arg not in used:
            new = copy.deepcopy(tree)
            nf = next(n for n in new.body if isinstance(n, ast.FunctionDef) and n.name == entry)
            del nf.args.args[k]
            yield _unparse(new), tuple(x for i, x in enumerate(args) if i != k)


def _simpler_args(args):
    """Variants of ``args`` with one int made smaller or one float rounded."""
    for k, a in enumerate(args):
        if isinstance(a, bool):
            continue
        if isinstance(a, int):
            for smaller in sorted({0, 1, 2, a // 2, a - 1}):
                if 0 <= smaller < a:
                    yield args[:k] + (smaller,) + args[k + 1:]
        elif isinstance(a, float):
            for digits in (1, 2):
                r = round(a, digits)
                if r != a:
                    yield args[:k] + (r,) + args[k + 1:]
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f":
            for digits in (1, 2):
                r = np.round(a, digits)
                if not np.array_equal(r, a):
                    yield args[:k] + (r,) + args[k + 1:]


def shrink(source, args, still_fails, max_trials=400, max_seconds=300, log=None):
    """Greedy shrinking; returns (source, args, trials used)."""
    source = _unparse(ast.parse(source))
    if not still_fails(source, args):
        return source, args, 0        # the canonical form no longer fails: keep as is
    trials = 0
    start = time.monotonic()

    def budget_left():
        return trials < max_trials and time.monotonic() - start < max_seconds

    progress = True
    resume = 0              # after a success, go on from about the same candidate
    while progress and budget_left():
        progress = False
        tree = ast.parse(source)
        for index, (what, edit) in enumerate(_candidates(tree)):
            if not budget_left():
                break
            if index < resume:
                continue
            new = copy.deepcopy(tree)
            try:
                edit(new)
                text = _unparse(new)
                compile(text, "<shrink>", "exec")
            except (SyntaxError, ValueError, IndexError, TypeError):
                continue
            if text == source or len(text) > len(source):
                continue
            trials += 1
            if still_fails(text, args):
                source = text
                progress = True
                resume = max(0, index - 1)
                if log:
                    log(f"    shrink: {what} -> {len(source.splitlines())} lines")
                break
        if progress:
            continue
        if resume:
            resume, progress = 0, True      # one more full pass from the start
            continue
        for text, new_args in _drop_unused_params(source, args):
            if not budget_left():
                break
            trials += 1
            if still_fails(text, new_args):
                source, args, progress = text, new_args, True
                break
        if progress:
            continue
        for new_args in _simpler_args(args):
            if not budget_left():
                break
            trials += 1
            if still_fails(source, new_args):
                args, progress = new_args, True
                break
    return source, args, trials


# -- regression files ---------------------------------------------------------------------
def format_value(a):
    if isinstance(a, np.ndarray):
        return f"np.array({a.tolist()!r})"
    return repr(a)


def format_args(args):
    inner = ", ".join(format_value(a) for a in args)
    return f"({inner},)" if len(args) == 1 else f"({inner})"


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def save_regression(source, args, *, title, observed, xfail, kind="valid", found_by="",
                    directory=REGRESSION_DIR, entry="f", backends=None, name=None, modes=None):
    """Write a regression module; returns its path.

    ``xfail``: backend -> "BUG: ..." reason for the backends where the program fails today
    (the replay test marks those xfail(strict=True)). ``kind`` is "valid" (a program whose
    derivatives must pass check_grads) or "reject" (a program that must raise a CompileError
    naming the line marked ``# REJECT``).
    """
    os.makedirs(directory, exist_ok=True)
    digest = hashlib.sha1(source.encode()).hexdigest()[:8]
    name = f"bug_{slug(name or title)}_{digest}.py"
    observed = "\n".join("    " + line for line in observed.strip().splitlines()[:12])
    doc = (f'"""Fuzz regression: {title}\n\n'
           f"Found by {found_by or 'the fuzzer'}.\n"
           f"Observed:\n{observed}\n\"\"\"\n").replace("\\", "\\\\")
    body = source.rstrip() + "\n"
    if "np.array(" in format_args(args) and "import numpy as np" not in body:
        body = "import numpy as np\n" + body
    meta = (f"\n\n# -- replayed by tests/fuzz/regressions.py --------------------------------------\n"
            f"KIND = {kind!r}\n"
            f"ENTRY = {entry!r}\n"
            f"ARGS = {format_args(args)}\n"
            + (f"BACKENDS = {tuple(backends)!r}\n" if backends else "")
            + (f"MODES = {tuple(modes)!r}\n" if modes else "") +
            f"# backend -> reason: the replay marks these xfail(strict=True); remove an entry once\n"
            f"# the bug is fixed\n"
            f"XFAIL = {xfail!r}\n")
    path = os.path.join(directory, name)
    with open(path, "w") as fh:
        fh.write(doc + body + meta)
    return path
