"""A fuzzer of unsupported programs: constructs the compiler must reject, placed at random
lines inside otherwise valid generated code.

``generate_reject(seed)`` takes a valid program from generator.py and inserts one (or a
few) rejected constructs, each marked on its offending line with ``# REJECT``.
``check_reject`` then asks for the gradient (``ad.grad`` with respect to every float
argument) and the forward derivative (``ad.jvp``); both must raise ``ad.CompileError``
whose message starts with ``path:line:`` of a marked line and shows that line. Any other
exception, or no exception, is a failure.
"""
import ast
import random
import re
from dataclasses import dataclass, field

import adcompiler as ad

from .check import float_positions, load_source, unload
from .generator import Generator

MARKER = "# REJECT"

# name -> (lines, index of the offending line, stage, needs)
#   stage "fence": rejected by the syntax fence wherever it is (even in unreachable code)
#   stage "lower": rejected while lowering, so it must be on a reachable path
#   needs "active": {v} must be a differentiated input (only in the entry function)
#   needs "entry": only in the entry function
SNIPPETS = {
    "yield": (["yield {v}"], 0, "fence", ""),
    "yield_value": (["{new} = yield {v}"], 0, "fence", ""),
    "yield_from": (["yield from ({v}, {v})"], 0, "fence", ""),
    "try": (["try:", "    {new} = {v} * 2.0", "except ZeroDivisionError:", "    {new} = 0.0"], 0,
            "fence", ""),
    "try_finally": (["try:", "    {new} = {v} * 2.0", "finally:", "    pass"], 0, "fence", ""),
    "with": (["with contextlib.nullcontext():", "    {new} = {v} * 2.0"], 0, "fence", ""),
    "global": (["global {new}", "{new} = {v} * 2.0"], 0, "fence", ""),
    "lambda_as_value": (["{new} = (lambda t: t * 2.0) * {v}"], 0, "lower", ""),
    "class": (["class K{n}:", "    scale = 2.0"], 0, "fence", ""),
    "nested_def_as_value": (["def q{n}(t):", "    return t * 2.0", "{new} = q{n} + {v}"], 2,
                            "lower", ""),
    "nested_async_def": (["async def q{n}(t):", "    return t"], 0, "fence", ""),
    "raise": (["if {v} > 1e9:", "    raise ValueError"], 1, "fence", ""),
    "raise_direct": (["raise ValueError"], 0, "fence", ""),
    "assert": (["assert {v} > -1e9"], 0, "fence", ""),
    "list_comp_filtered": (["{new} = np.sum(np.array([{v} * k for k in range(3) if k > 0]))"], 0,
                           "lower", ""),
    "set_comp": (["{new} = len({{k for k in range(3)}})"], 0, "fence", ""),
    "dict_comp": (["{new} = len({{k: {v} for k in range(3)}})"], 0, "fence", ""),
    "generator_exp_as_value": (["{new} = np.sum({v} * k for k in range(3))"], 0, "lower", ""),
    "string": (["{new} = 'abc'"], 0, "fence", ""),
    "string_op": (["{new} = len('ab' + 'c') * {v}"], 0, "fence", ""),
    "fstring": (["{new} = f'{{{v}}}'"], 0, "fence", ""),
    "walrus": (["{new} = ({new}_w := {v} * 2.0)"], 0, "fence", ""),
    "del": (["{new} = {v} * 2.0", "del {new}"], 1, "fence", ""),
    "import": (["import math as m{n}"], 0, "fence", ""),
    "import_from": (["from math import sin as sin{n}"], 0, "fence", ""),
    # (for ... else and while ... else are supported: the valid generator writes them)
    "dict_write": (["{new} = {{1: {v}}}", "{new}[2] = {v}"], 1, "lower", ""),
    # NumPy calls made for what they write into an array, and augmented writes NumPy refuses
    # or that go into another array's memory through a slice
    "ufunc_out": (["{new} = np.zeros(3)", "np.add({new}, {v}, out={new})"], 1, "lower", ""),
    "copyto": (["{new} = np.zeros(3)", "np.copyto({new}, np.ones(3) * {v})"], 1, "lower", ""),
    "fill": (["{new} = np.ones(3) * {v}", "{new}.fill(2.0)"], 1, "lower", ""),
    "aug_float_into_int_array": (["{new} = np.arange(3)", "{new} += np.ones(3) * {v}"], 1,
                                 "lower", ""),
    "aug_through_slice_view": (["{new}b = np.ones(4) * {v}", "{new}v = {new}b[1:3]",
                                "{new}v += 1.0"], 2, "lower", ""),
    "set_literal": (["{new} = {{{v}, 1.0}}"], 0, "fence", ""),
    "star_call": (["{new} = math.hypot(*({v}, 1.0))"], 0, "fence", ""),
    "kwargs_call": (["{new} = max({v}, 1.0, **{{}})"], 0, "fence", ""),
    "opaque_call": (["{new} = random.gauss({v}, 1.0)"], 0, "lower", "active"),
    "opaque_call_math": (["{new} = math.gamma(2.0 + {v} * {v})"], 0, "lower", "active"),
    # functions with no rule and no Python source (C functions, NumPy's dispatchers): a
    # located CompileError on the call, never a guessed result type (the next line uses the
    # result, so a guessed float fails there, on the wrong line), also when no argument is
    # differentiated
    "opaque_kron": (["{new} = np.kron(np.eye(2), np.ones(2))", "{new}s = np.sum({new}) * 0.5"], 0,
                    "lower", ""),
    "opaque_eigvalsh_active": (["{new} = np.linalg.eigvalsh(np.eye(2) * {v})"], 0, "lower",
                               "active"),
    "opaque_pinv": (["{new} = np.linalg.pinv(np.eye(2) * 2.0)", "{new}s = np.sum({new}[0])"], 0,
                    "lower", ""),
    "opaque_cumsum": (["{new} = np.cumsum(np.ones(3))", "{new}s = {new}[1] * 2.0"], 0, "lower", ""),
    "opaque_matrix_power": (["{new} = np.linalg.matrix_power(np.eye(2) * 2.0, 2)",
                             "{new}s = np.sum({new})"], 0, "lower", ""),
    "list_append": (["{new} = [{v}, 1.0]", "{new}.append({v})"], 1, "lower", ""),
    "for_over_tuple": (["for t{n} in ({v}, 1.0):", "    {new} = t{n} * 2.0"], 0, "lower", ""),
    "print": (["print({v})"], 0, "lower", ""),
    "complex": (["{new} = {v} * 1j"], 0, "lower", ""),
    "number_method": (["{new} = {v}.conjugate()"], 0, "lower", ""),
    "recursion": (["{new} = {entry_call}"], 0, "lower", "entry"),
    # writes into an array while a view of it is bound to a name
    "write_while_slice_view_live": (["{new}b = np.ones(4)", "{new}v = {new}b[1:3]",
                                     "{new}b[0] = 2.0"], 2, "lower", ""),
    "slice_write_while_view_live": (["{new}b = np.ones(5) * 0.5", "{new}v = {new}b[::2]",
                                     "{new}b[1:4] = 2.0", "{new}s = np.sum({new}v)"], 2, "lower", ""),
    "row_write_while_transpose_live": (["{new}b = np.zeros((2, 3))", "{new}v = {new}b.T",
                                        "{new}b[1, :] = 1.5"], 2, "lower", ""),
    "aug_write_while_reshape_live": (["{new}b = np.ones(6)", "{new}v = {new}b.reshape(2, 3)",
                                      "{new}b[2:5] += 1.5"], 2, "lower", ""),
    # (a row by an integer index, b[1], sees the write: it is taken again after it)
    "column_write_while_rows_live": (["{new}b = np.ones((3, 2))", "{new}v = {new}b[1:]",
                                      "{new}b[:, 0] = np.ones(3)"], 2, "lower", ""),
    # prange loops whose iterations depend on each other (transforms/parallel.py)
    "prange_neighbour_write": (["{new}b = np.zeros(4)", "for rji{n} in prange(3):",
                                "    {new}b[rji{n} + 1] = np.sum({v}) * rji{n}"], 2, "lower", ""),
    "prange_shared_product": (["{new} = 1.0", "for rji{n} in prange(3):",
                               "    {new} = {new} * np.sum({v})"], 2, "lower", ""),
    "prange_read_reduction": (["{new} = 0.0", "for rji{n} in prange(3):",
                               "    {new} += np.sum({v}) * {new}"], 2, "lower", ""),
}
# the text the CompileError of a construct must contain (besides the offending line); it is
# written after the marker, so that shrunk and saved programs keep checking it
MESSAGES = {name: "may share memory" for name in SNIPPETS if name.endswith("_live")}
MESSAGES.update({name: "prange loop" for name in SNIPPETS if name.startswith("prange_")})
SIGNATURE_SNIPPETS = {"star_args": "*rj", "star_kwargs": "**rj"}


@dataclass
class RejectProgram:
    source: str
    args: tuple
    constructs: list
    seed: int = 0
    entry: str = "f"
    stages: dict = field(default_factory=dict)     # marked line text -> stage
    base_source: str = ""                          # the valid program before insertion


@dataclass
class RejectResult:
    status: str            # "ok" | "fail" | "base" (the program fails the same way without
                           # the inserted constructs: a bug or limitation the valid fuzzer sees)
    category: str = ""     # "no error", "wrong line", "missing text", or an exception type
    message: str = ""
    api: str = ""

    @property
    def signature(self):
        return (self.category, self.api, _reason(self.message))


def _reason(message):
    """The first line of an error message without its path:line: prefix, names blanked."""
    from .check import normalize
    lines = [line for line in message.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if first.startswith("expected line") and len(lines) > 1:
        first = lines[1]
    return normalize(first)


def _always_exits(stmt):
    if isinstance(stmt, (ast.Return, ast.Break, ast.Continue, ast.Raise)):
        return True
    if isinstance(stmt, ast.If):
        return bool(stmt.orelse) and any(_always_exits(s) for s in stmt.body) \
            and any(_always_exits(s) for s in stmt.orelse)
    return False


def _used_functions(tree, entry):
    """Names of the entry function and the helpers it calls, directly or not."""
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    used, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name in used or name not in defs:
            continue
        used.add(name)
        todo += [c.func.id for c in ast.walk(defs[name])
                 if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)]
    return used


def _insertion_points(tree, entry, lines):
    """[(function name, lineno, col, reachable)] before which a statement may be inserted
    (in the entry function and the helpers it calls)."""
    points = []
    used = _used_functions(tree, entry)
    for fdef in tree.body:
        if not isinstance(fdef, ast.FunctionDef) or fdef.name not in used:
            continue

        def visit(block, reachable):
            for k, stmt in enumerate(block):
                if k and _always_exits(block[k - 1]):
                    reachable = False
                if not lines[stmt.lineno - 1].lstrip().startswith("elif"):
                    points.append((fdef.name, stmt.lineno, stmt.col_offset, reachable))
                for name in ("body", "orelse"):
                    sub = getattr(stmt, name, None)
                    if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                        visit(sub, reachable)
        visit(fdef.body, True)
    return points


def _float_params(tree, fname, args=None):
    fdef = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fname)
    names = [a.arg for a in fdef.args.args]
    if args is not None:
        return [n for n, a in zip(names, args) if isinstance(a, float)], names
    return names, names


def generate_reject(seed, n_constructs=None):
    """A program with rejected constructs inserted at random places (deterministic)."""
    rng = random.Random(seed * 7 + 3)
    program = Generator(seed, assign_params=False).generate()
    tree = ast.parse(program.source)
    lines = program.source.splitlines()
    entry_floats, entry_params = _float_params(tree, program.entry, program.args)
    if n_constructs is None:
        n_constructs = 1 if rng.random() < 0.7 else rng.randint(2, 3)
    points = _insertion_points(tree, program.entry, lines)
    helper_params = {}
    for fdef in tree.body:
        if isinstance(fdef, ast.FunctionDef):
            helper_params[fdef.name] = [a.arg for a in fdef.args.args]
    inserts = []           # (lineno, [lines])
    constructs, stages = [], {}
    counter = [0]

    def fresh():
        counter[0] += 1
        return counter[0]

    names = list(SNIPPETS) + list(SIGNATURE_SNIPPETS)
    def_line_edit = None
    for _ in range(n_constructs):
        name = rng.choice(names)
        if name in SIGNATURE_SNIPPETS:
            if def_line_edit is not None:
                continue
            def_line_edit = name
            constructs.append(name)
            continue
        template, offending, stage, needs = SNIPPETS[name]
        options = [p for p in points if (stage == "fence" or p[3])
                   and (not needs or p[0] == program.entry)]
        if not options:
            continue
        fname, lineno, col, _ = rng.choice(options)
        n = fresh()
        if needs == "active":
            if not entry_floats:
                continue
            v = rng.choice(entry_floats)
        else:
            params = entry_params if fname == program.entry else helper_params.get(fname, [])
            v = rng.choice(params) if params and rng.random() < 0.8 else "1.5"
        new = f"rj{n}"
        entry_call = f"{program.entry}({', '.join(entry_params)})"
        body = [t.format(v=v, new=new, n=n, entry_call=entry_call) for t in template]
        body[offending] += f"  {MARKER}" + (f" {MESSAGES[name]}" if name in MESSAGES else "")
        stages[body[offending].split(MARKER)[0].strip()] = stage
        inserts.append((lineno, [" " * col + line for line in body]))
        constructs.append(name)
    for lineno, block in sorted(inserts, key=lambda x: -x[0]):
        lines[lineno - 1:lineno - 1] = block
    if def_line_edit is not None:
        k = next(i for i, line in enumerate(lines) if line.startswith(f"def {program.entry}("))
        lines[k] = lines[k].replace("):", f", {SIGNATURE_SNIPPETS[def_line_edit]}):  {MARKER}", 1)
        stages[lines[k].split(MARKER)[0].strip()] = "signature"
    header = "import contextlib\nimport random\n"
    source = header + "\n".join(lines) + "\n"
    return RejectProgram(source, program.args, constructs, seed, program.entry, stages,
                         header + program.source)


def marked_lines(source):
    """{line number: line text without the marker} of the lines marked ``# REJECT``."""
    return {k + 1: line.split(MARKER)[0].strip()
            for k, line in enumerate(source.splitlines()) if MARKER in line}


def required_messages(source):
    """{line number: text the error message must contain} (written after the marker)."""
    return {k + 1: line.split(MARKER, 1)[1].strip()
            for k, line in enumerate(source.splitlines())
            if MARKER in line and line.split(MARKER, 1)[1].strip()}


def expected_lines(source):
    """The marked lines the error may name: the signature if it is marked (it is checked
    first), else any marked line (exactly the one line when one construct was inserted)."""
    marked = marked_lines(source)
    signature = {k: t for k, t in marked.items() if t.startswith("def ") and "*rj" in t}
    return signature or marked


def _calls(fn, args):
    positions = float_positions(args)
    yield "grad", lambda: ad.grad(fn, wrt=tuple(positions) or 0, backend="python")(*args)
    tangents = [1.0 if isinstance(a, float) else (a * 0.0 + 1.0 if i in positions else 0)
                for i, a in enumerate(args)]
    yield "jvp", lambda: ad.jvp(fn, args, tangents, backend="python")


def check_reject_source(source, args, entry="f"):
    """Check one program with marked constructs; returns a list of RejectResult."""
    try:
        module = load_source(source)
    except Exception as exc:  # noqa: BLE001 - a generator problem, not a compiler one
        return [RejectResult("invalid", type(exc).__name__, str(exc))]
    results = []
    try:
        fn = getattr(module, entry)
        path = fn.__code__.co_filename
        expected = expected_lines(source)
        for api, call in _calls(fn, args):
            try:
                call()
            except ad.CompileError as exc:
                message = str(exc)
                head = message.splitlines()[0]
                m = re.match(r"(.*):(\d+): ", head)
                if not m or m.group(1) != path:
                    results.append(RejectResult("fail", "wrong file", message, api))
                elif int(m.group(2)) not in expected:
                    results.append(RejectResult(
                        "fail", "wrong line",
                        f"expected line {sorted(expected)}, got {m.group(2)}:\n{message}", api))
                elif expected[int(m.group(2))] not in message:
                    results.append(RejectResult("fail", "missing text", message, api))
                elif required_messages(source).get(int(m.group(2)), "") not in head:
                    # (the rest of the message shows the line, marker comment included)
                    results.append(RejectResult(
                        "fail", "wrong message",
                        f"expected '{required_messages(source)[int(m.group(2))]}' in:\n{message}",
                        api))
                else:
                    results.append(RejectResult("ok", api=api))
            except Exception as exc:  # noqa: BLE001 - anything but CompileError is a failure
                import traceback
                tb = "".join(traceback.format_exception(exc)[-4:])
                results.append(RejectResult("fail", type(exc).__name__, f"{exc}\n{tb}", api))
            else:
                results.append(RejectResult("fail", "no error",
                                            "no CompileError was raised", api))
    finally:
        unload(module)
    return results


def _outcomes(source, args, entry="f"):
    """api -> (exception type, reason) of running grad/jvp on ``source`` (None: no error)."""
    module = load_source(source)
    out = {}
    try:
        fn = getattr(module, entry)
        for api, call in _calls(fn, args):
            try:
                call()
                out[api] = None
            except Exception as exc:  # noqa: BLE001
                out[api] = (type(exc).__name__, _reason(str(exc)))
    finally:
        unload(module)
    return out


def check_reject(program):
    """check_reject_source, and failures that the program without the inserted constructs
    shows too (it hits a compiler bug or limitation first) are marked "base"."""
    results = check_reject_source(program.source, program.args, program.entry)
    if program.base_source and any(r.status == "fail" for r in results):
        try:
            base = _outcomes(program.base_source, program.args, program.entry)
        except Exception:  # noqa: BLE001
            base = {}
        for r in results:
            if r.status != "fail" or base.get(r.api) is None:
                continue
            got = (r.category if r.category not in ("wrong line", "missing text", "wrong file", "wrong message")
                   else "CompileError", _reason(r.message))
            if base[r.api] == got:
                r.status = "base"
    return results


def reject_predicate(target):
    """``still_fails(source, args)`` for line-based shrinking of reject programs."""
    def still_fails(source, args):
        if MARKER not in source:
            return False
        try:
            compile(source, "<reject>", "exec")
        except SyntaxError:
            return False
        return any(r.status == "fail" and r.signature == target
                   for r in check_reject_source(source, args))
    return still_fails


def shrink_lines(source, args, still_fails, max_trials=300):
    """Line-based shrinking that keeps the ``# REJECT`` lines (comments survive)."""
    lines = source.splitlines()
    trials = 0
    progress = True
    while progress and trials < max_trials:
        progress = False
        for size in (8, 4, 2, 1):
            k = len(lines) - size
            while k >= 0 and trials < max_trials:
                chunk = lines[k:k + size]
                if any(MARKER in line for line in chunk) or any(
                        line.startswith(("import", "def f(")) for line in chunk):
                    k -= 1
                    continue
                candidate = lines[:k] + lines[k + size:]
                text = "\n".join(candidate) + "\n"
                try:
                    compile(text, "<shrink>", "exec")
                except SyntaxError:
                    k -= 1
                    continue
                trials += 1
                if still_fails(text, args):
                    lines = candidate
                    progress = True
                k -= 1
    return "\n".join(lines) + "\n", args, trials
