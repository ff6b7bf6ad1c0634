"""Every construct the compiler rejects gives ad.CompileError, from grad and from jvp,
naming the file, the exact line of the offending construct and its source text.

The functions live in rejected_functions.py; each offending line is marked ``# REJECT``.
"""
import inspect
import os

import pytest

import adcompiler as ad

from . import rejected_functions as rf

# (function, a fragment of the expected message)
CASES = [
    (rf.uses_yield, "generators ('yield')"),
    (rf.uses_yield_from, "generators ('yield from')"),
    (rf.uses_try, "'try' statements"),
    (rf.uses_with, "'with' statements"),
    (rf.uses_global, "'global' declarations"),
    (rf.uses_nonlocal, "'nonlocal' declarations"),
    (rf.uses_lambda_as_value, "nested function '<lambda>' is used as a value"),
    (rf.uses_class, "class definitions"),
    (rf.is_async, "async functions"),
    (rf.uses_nested_async, "async functions"),
    (rf.star_args, "star-arguments ('*args'/'**kwargs') in the signature"),
    (rf.star_kwargs, "star-arguments ('*args'/'**kwargs') in the signature"),
    (rf.returns_nested_def, "nested function 'h' is used as a value"),
    (rf.uses_raise, "'raise' statements"),
    (rf.uses_assert, "'assert' statements"),
    (rf.uses_filtered_list_comp, "only a list comprehension with one 'for' and no 'if'"),
    (rf.uses_set_comp, "set comprehensions"),
    (rf.uses_dict_comp, "dict comprehensions"),
    (rf.uses_generator_expression_as_value, "a list made by a comprehension can only be"),
    (rf.uses_string, "strings are not supported"),
    (rf.uses_string_concat, "strings are not supported"),
    (rf.uses_string_method, "strings are not supported"),
    (rf.uses_fstring, "f-strings"),
    (rf.uses_opaque_call, "which has no rule and no Python source"),
    (rf.uses_opaque_call_direct, "which has no rule and no Python source"),
    (rf.uses_call_of_unknown_result, "'numpy.kron', which has no rule and no Python source, "
                                     "returns a value adcompiler cannot know the type of"),
    (rf.uses_non_differentiable_without_result_type, "returns=float"),
    (rf.uses_walrus, "assignment expressions"),
    (rf.uses_del, "'del' statements"),
    (rf.uses_import, "imports inside the function"),
    (rf.writes_into_dict, "is a dict, which cannot be changed"),
    (rf.uses_star_call, "star-arguments ('*args')"),
    (rf.uses_list_append, "changes a list or dict"),
    (rf.writes_through_out_argument, "writes its result into 'y' (out=)"),
    (rf.writes_through_positional_out, "writes its result into 'y' (out=)"),
    (rf.writes_with_copyto, "'np.copyto(y, 2.0 * x)' writes into 'y'"),
    (rf.fills_in_place, "'.fill()' changes the array 'y' in place"),
    (rf.uses_for_over_tuple, "only loops over range(...), arrays, enumerate(...) and zip(...)"),
    (rf.uses_recursion, "recursive call"),
    (rf.uses_complex, "is not a number"),
    (rf.uses_print, "expression statement has no effect"),
    (rf.writes_while_view_is_live, "'b' and 'a' may share memory"),
    (rf.writes_while_branch_choice_is_live, "'b1' and 'z' may share memory"),
    (rf.loop_makes_view_of_written_array, "in this loop 'a' becomes a view of"),
    (rf.reads_through_2d_index, "indexing with an array of indices is not supported"),
    (rf.reads_through_mask, "indexing with a boolean mask is not supported"),
]

MARKER = "# REJECT"


def marked_line(fn):
    """(absolute line number, source text without the marker) of fn's ``# REJECT`` line."""
    lines, start = inspect.getsourcelines(fn)
    hits = [k for k, line in enumerate(lines) if MARKER in line]
    assert len(hits) == 1, f"{fn.__name__} must have exactly one {MARKER} line"
    text = lines[hits[0]].split(MARKER)[0].strip()
    return start + hits[0], text


def expect_compile_error(call):
    """Run ``call``; it must raise ad.CompileError and nothing else. Returns the message."""
    try:
        call()
    except ad.CompileError as exc:
        return str(exc)
    except BaseException as exc:  # noqa: BLE001 - any other exception is a failure
        pytest.fail(f"expected ad.CompileError, got {type(exc).__name__}: {exc}")
    pytest.fail("expected ad.CompileError, but no exception was raised")


def check_message(message, fn, fragment):
    line, text = marked_line(fn)
    path = os.path.abspath(rf.__file__)
    head = message.splitlines()[0]
    assert head.startswith(f"{path}:{line}:"), \
        f"message should start with {path}:{line}:, got:\n{message}"
    assert text in message, f"message should show the line {text!r}:\n{message}"
    assert fragment in message, f"message should say {fragment!r}:\n{message}"


IDS = [c[0].__name__ for c in CASES]


@pytest.mark.parametrize("fn,fragment", CASES, ids=IDS)
def test_grad_rejects(fn, fragment):
    message = expect_compile_error(lambda: ad.grad(fn, backend="python")(1.5))
    check_message(message, fn, fragment)


@pytest.mark.parametrize("fn,fragment", CASES, ids=IDS)
def test_jvp_rejects(fn, fragment):
    message = expect_compile_error(lambda: ad.jvp(fn, (1.5,), (1.0,), backend="python"))
    check_message(message, fn, fragment)


@pytest.mark.parametrize("fn,fragment", CASES, ids=IDS)
def test_vjp_rejects(fn, fragment):
    message = expect_compile_error(lambda: ad.vjp(fn, 1.5, backend="python")[1](1.0))
    check_message(message, fn, fragment)


@pytest.mark.parametrize("fn,fragment", CASES[:6], ids=IDS[:6])
def test_numba_backend_rejects_the_same_way(fn, fragment):
    """The fence runs before any backend: numba reports the same located error."""
    message = expect_compile_error(lambda: ad.grad(fn, backend="numba")(1.5))
    check_message(message, fn, fragment)


def test_every_marked_function_is_covered():
    marked = {name for name, fn in vars(rf).items()
              if inspect.isfunction(fn) and fn.__module__ == rf.__name__
              and not name.startswith("make_") and MARKER in inspect.getsource(fn)}
    assert marked == {fn.__name__ for fn, _ in CASES}
