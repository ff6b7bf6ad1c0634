"""The scalar corpus on both backends: forward mode against finite differences, reverse mode
against forward mode (``ad.testing.check_grads``), the plain ``ad.grad`` entry point against
finite differences for every float argument, and a check that the corpus covers the language."""
import inspect
import re

import pytest

import adcompiler as ad

from . import scalar_functions as sf

BACKENDS = ["python", "numba"]

# Known compiler bugs: function name -> one-line reason. Their cases stay in the corpus and are
# expected to fail (strict xfail), so a fix shows up as an XPASS failure. For bugs of reverse mode
# only, test_forward_mode_of_known_reverse_bugs keeps their forward mode tested.
BUG_CARRIED_COPY = ("reverse mode drops the adjoint of a loop-carried variable initialised to a "
                    "value the loop also reads (s = x; for ...: s = s + x)")
BUG_LOOP_IN_BRANCH = ("reverse mode of a loop inside an if/else branch (or after an early return) "
                      "raises VerifierError '%n used before definition or out of scope'")
KNOWN_BUGS = {
    # Both were reproduced and then fixed in the compiler while this corpus was written; kept here
    # as the template for the next one:
    # "carried_copy_of_invariant": BUG_CARRIED_COPY,
    # "early_return_before_loop": BUG_LOOP_IN_BRANCH,
}


def case_id(index, fn):
    return f"{fn.__name__}-{index}"


def float_positions(args):
    return tuple(i for i, a in enumerate(args) if isinstance(a, float))


def params(cases, backends=BACKENDS, known_bugs=KNOWN_BUGS):
    out = []
    for backend in backends:
        for index, (fn, args) in enumerate(cases):
            reason = known_bugs.get(fn.__name__)
            marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")] if reason else []
            out.append(pytest.param(fn, args, backend, id=f"{case_id(index, fn)}-{backend}",
                                    marks=marks))
    return out


ALL = params(sf.CASES)


def central(fn, args, i, h=1e-6):
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


@pytest.mark.numba_sample
@pytest.mark.parametrize("fn,args,backend", ALL)
def test_check_grads(fn, args, backend):
    ad.testing.check_grads(fn, args, backend=backend)


@pytest.mark.numba_sample
@pytest.mark.parametrize("fn,args,backend", ALL)
def test_grad_matches_finite_differences(fn, args, backend):
    wrt = float_positions(args)
    value, grads = ad.value_and_grad(fn, wrt=wrt, backend=backend)(*args)
    assert value == pytest.approx(fn(*args), rel=1e-12, abs=1e-12)
    assert isinstance(grads, tuple) and len(grads) == len(wrt)
    grads2 = ad.grad(fn, wrt=wrt, backend=backend)(*args)
    for k, i in enumerate(wrt):
        expected = central(fn, args, i)
        assert grads[k] == pytest.approx(expected, rel=1e-5, abs=1e-6), f"argument {i}"
        assert grads2[k] == grads[k]


@pytest.mark.parametrize("fn,args,backend", params(
    [(fn, args) for fn, args in sf.CASES if fn.__name__ in KNOWN_BUGS], known_bugs={}))
def test_forward_mode_of_known_reverse_bugs(fn, args, backend):
    ad.testing.check_grads(fn, args, modes=("forward",), backend=backend)


def test_known_bugs_are_in_the_corpus():
    names = {fn.__name__ for fn, _ in sf.CASES}
    assert set(KNOWN_BUGS) <= names


# ---------------------------------------------------------------------------------------------
# coverage of the language by the corpus

# feature -> regular expression that must match the source of at least one listed function
# (None: a semantic feature, checked by the list being non-empty and the names existing)
REQUIRED_FEATURES = {
    "op +": r"\w \+ \w",
    "op -": r"\w - \w",
    "op *": r"\w \* \w",
    "op /": r"\w / \w",
    "op **": r"\*\*",
    "op //": r"//",
    "op %": r" % ",
    "unary -": r"(^|[(\s*=])-[a-z(]",
    "unary +": r"[(\s*=]\+[a-z(]",
    "abs": r"\babs\(",
    "min": r"\bmin\(",
    "max": r"\bmax\(",
    "comparisons": r"<=|>=|==|!=",
    "and/or/not": r"\b(and|or|not)\b",
    "conditional expression": r" if .* else ",
    "augmented assignment": r"[-+*/]=",
    "tuple assignment": r"\w, \w+ = ",
    "swap": r"(\w+), (\w+) = \2, \1",
    "reassignment of one name": None,
    "sin": r"(math|np)\.sin\(",
    "cos": r"(math|np)\.cos\(",
    "tan": r"(math|np)\.tan\(",
    "asin/arcsin": r"math\.asin\(|np\.arcsin\(",
    "acos/arccos": r"math\.acos\(|np\.arccos\(",
    "atan/arctan": r"math\.atan\(|np\.arctan\(",
    "atan2/arctan2": r"math\.atan2\(|np\.arctan2\(",
    "sinh": r"(math|np)\.sinh\(",
    "cosh": r"(math|np)\.cosh\(",
    "tanh": r"(math|np)\.tanh\(",
    "exp": r"(math|np)\.exp\(",
    "expm1": r"(math|np)\.expm1\(",
    "log": r"(math|np)\.log\(",
    "log1p": r"(math|np)\.log1p\(",
    "log2": r"(math|np)\.log2\(",
    "log10": r"(math|np)\.log10\(",
    "sqrt": r"(math|np)\.sqrt\(",
    "pow": r"math\.pow\(|np\.power\(",
    "hypot": r"(math|np)\.hypot\(",
    "erf": r"math\.erf\(",
    "math.pi": r"math\.pi\b",
    "math.e": r"math\.e\b",
    "module-level constants": r"\b[A-Z][A-Z_]+\b",
    "if/elif/else": r"elif ",
    "for-range runtime stop": r"range\(\w+\)",
    "for-range runtime start/stop": r"range\(\w+, \w+\)",
    "for-range runtime step": r"range\([^,]+, [^,]+, [^)]+\)",
    "for-range negative step": r"range\([^,]+, [^,]+, -\d+\)",
    "while data-dependent": r"while ",
    "break": r"\bbreak\b",
    "continue": r"\bcontinue\b",
    "early return": None,
    "multiple returns": None,
    "return inside loop": None,
    "nested loops": None,
    "loop inside branch": None,
    "branch inside loop": None,
    "helper call": r"\b_\w+\(",
    "helper calling helper": r"\b_\w+\(",
    "helper with loop": r"\b_\w+\(",
    "int() as data": r"\bint\(",
    "round() as data": r"\bround\(",
}


def test_corpus_size_and_docstrings():
    functions = {fn for fn, _ in sf.CASES}
    assert len(functions) >= 70
    for fn in functions:
        doc = fn.__doc__
        assert doc and "\n" not in doc.strip(), f"{fn.__name__} needs a one-line docstring"
    for fn, args in sf.CASES:
        assert all(type(a) in (float, int, bool) for a in args), f"{fn.__name__}: scalar args only"
        assert float_positions(args), f"{fn.__name__}: needs a float argument"


def test_every_feature_is_covered():
    by_name = {fn.__name__: fn for fn, _ in sf.CASES}
    missing = sorted(set(REQUIRED_FEATURES) - set(sf.COVERAGE))
    assert not missing, f"features without functions: {missing}"
    for feature, names in sf.COVERAGE.items():
        assert names, f"{feature}: empty"
        unknown = [n for n in names if n not in by_name]
        assert not unknown, f"{feature}: {unknown} are not in CASES"
        pattern = REQUIRED_FEATURES.get(feature)
        if pattern is not None:
            sources = [inspect.getsource(by_name[n]).split('"""')[-1] for n in names]
            assert any(re.search(pattern, s, re.M) for s in sources), \
                f"{feature}: none of {names} matches {pattern!r}"


def test_helpers_are_really_nested():
    """The helper features use helpers that call helpers and contain loops."""
    assert "_sq_plus_sin(" in inspect.getsource(sf._chain)
    assert "_square(" in inspect.getsource(sf._sq_plus_sin)
    assert "for " in inspect.getsource(sf._geometric)
