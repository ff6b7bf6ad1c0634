"""The IR verifier: it accepts what the frontend builds and rejects broken invariants."""
import pytest

from adcompiler.frontend import build_ssa
from adcompiler.ir import verify, VerifierError, format_function, Var, Const, Op, Block, If, Function
from adcompiler.ir.nodes import For

from . import sample_functions as sf

SAMPLES = [(sf.straight, ["float", "float"]), (sf.branchy, ["float", "float"]),
           (sf.loops, ["float", "int"]), (sf.early, ["float"])]


@pytest.mark.parametrize("fn,types", SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_frontend_output_verifies(fn, types):
    ir = build_ssa(fn, types)
    verify(ir)
    assert format_function(ir).startswith(f"func {fn.__name__}(")


def _fn(stmts, yields, params):
    return Function("f", params, Block(stmts, yields), [p.hint for p in params])


def test_double_assignment_is_rejected():
    x = Var("x")
    y = Var("y")
    fn = _fn([Op("neg", [x], y), Op("neg", [x], y)], [y], [x])
    with pytest.raises(VerifierError, match="assigned twice"):
        verify(fn)


def test_use_before_definition_is_rejected():
    x, y, z = Var("x"), Var("y"), Var("z")
    fn = _fn([Op("neg", [z], y), Op("neg", [x], z)], [y], [x])
    with pytest.raises(VerifierError, match="before definition"):
        verify(fn)


def test_branch_local_value_is_not_visible_after_the_branch():
    x, c, t, r = Var("x"), Var("c"), Var("t"), Var("r")
    branch = If(c, Block([Op("neg", [x], t)], [t]), Block([], [x]), [r])
    fn = _fn([Op("lt", [x, Const(0.0)], c), branch, Op("neg", [t], Var("u"))], [r], [x])
    with pytest.raises(VerifierError, match="out of scope"):
        verify(fn)


def test_region_arity_is_checked():
    x, c, r = Var("x"), Var("c"), Var("r")
    branch = If(c, Block([], [x, x]), Block([], [x]), [r])
    fn = _fn([Op("lt", [x, Const(0.0)], c), branch], [r], [x])
    with pytest.raises(VerifierError, match="yields 2 values"):
        verify(fn)


def test_loop_carried_arity_is_checked():
    x, i, a, r = Var("x"), Var("i"), Var("a"), Var("r")
    loop = For(i, Const(0), Const(3), Const(1), [a], [x, x], Block([], [a]), [r])
    with pytest.raises(VerifierError, match="arity"):
        verify(_fn([loop], [r], [x]))
