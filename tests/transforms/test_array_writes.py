"""Arrays carried by loops (saved whole on a tape) and in-place writes inside loops, in both modes and on both backends, and the located errors
for writes whose meaning depends on aliasing."""
import numpy as np
import pytest

import adcompiler as ad

from ..rules.test_array_rules import numerical_gradient
from . import array_programs as ap

rng = np.random.default_rng(42)
CASES = [
    (ap.heat, (rng.normal(size=6), 0.2, 5)),
    (ap.overwrite_many_times, (rng.normal(size=4), 0.7)),
    (ap.write_into_parameter, (rng.normal(size=3),)),
    (ap.write_in_branch, (rng.normal(size=3), 0.5)),
    (ap.write_in_branch, (rng.normal(size=3), -0.5)),
    (ap.running_max, (rng.normal(size=7),)),
    (ap.horner, (rng.normal(size=4), rng.normal(size=5))),
    (ap.carried_matrix, (0.3 * rng.normal(size=(3, 3)), rng.normal(size=3))),
    (ap.carried_matrix, (-np.abs(rng.normal(size=(3, 3))), rng.normal(size=3))),
    (ap.while_array, (rng.normal(size=4),)),
]


def float_positions(args):
    return tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))


def pure(fn):
    """fn on copies of its arguments (the finite differences must not see writes)."""
    return lambda *args: fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_writes_in_both_modes(fn, args, backend):
    originals = [np.copy(a) for a in args]
    wrt = float_positions(args)
    grads = ad.grad(fn, wrt=wrt, backend=backend)(*args)
    for k, i in enumerate(wrt):
        expected = numerical_gradient(pure(fn), args, i)
        np.testing.assert_allclose(grads[k], expected, rtol=1e-6, atol=1e-8)
        direction = [np.zeros_like(a) if isinstance(a, np.ndarray) else (0.0 if isinstance(a, float) else 0)
                     for a in args]
        direction[i] = rng.normal(size=np.shape(args[i])) if np.ndim(args[i]) else 1.0
        out, tangent = ad.jvp(fn, args, direction, backend=backend)
        assert out == pytest.approx(pure(fn)(*args), rel=1e-12)
        assert tangent == pytest.approx(float(np.sum(expected * direction[i])), rel=1e-6, abs=1e-8)
    for a, o in zip(args, originals):
        np.testing.assert_array_equal(a, o)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_array_output_of_written_array(backend):
    x = rng.normal(size=5)
    out, back = ad.vjp(ap.returns_written_array, x, backend=backend)
    np.testing.assert_allclose(out, pure(ap.returns_written_array)(x))
    ybar = rng.normal(size=5)
    (bx,) = back(ybar)
    jac = np.stack([numerical_gradient(lambda v: pure(ap.returns_written_array)(v)[j], (x,), 0)
                    for j in range(5)])
    np.testing.assert_allclose(bx, jac.T @ ybar, rtol=1e-6, atol=1e-8)
    xdot = rng.normal(size=5)
    _, jx = ad.jvp(ap.returns_written_array, (x,), (xdot,), backend=backend)
    np.testing.assert_allclose(jx, jac @ xdot, rtol=1e-6, atol=1e-8)
    with pytest.raises(ad.CompileError, match="vjp"):
        ad.grad(ap.returns_written_array, backend=backend)(x)


def _line_of(fn, text):
    import inspect
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, l in enumerate(lines) if text in l)


@pytest.mark.parametrize("fn,args,line_text,message", [
    (ap.alias_then_write, (np.ones(3),), "z[0] = 1.0", "same array"),
    (ap.write_into_view, (np.ones((2, 2)),), "r[0, 0] = 1.0", "view"),
    (ap.write_into_chosen_array, (np.ones(3), 1.0), "y[0] = 3.0", "several arrays"),
    (ap.calls_writing_helper, (np.ones(3),), "v[0] = 0.0", "writes into its argument"),
])
def test_ambiguous_writes_are_located_errors(fn, args, line_text, message):
    with pytest.raises(ad.CompileError) as info:
        ad.grad(fn, backend="python")(*args)
    text = str(info.value)
    assert message in text
    assert f"array_programs.py:{_line_of(ap.helper_writes if fn is ap.calls_writing_helper else fn, line_text)}" in text
