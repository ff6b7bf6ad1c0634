"""Every scalar rule: tangent and adjoint against central differences, every argument
position, and the dot-product identity <ybar, J xdot> = <J^T ybar, xdot>."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.rules import PRIMITIVES, NON_DIFFERENTIABLE

from . import primitive_functions as pf


def central(fn, args, i, h=1e-6):
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


def sample(domains, rng):
    return tuple(float(rng.uniform(lo, hi)) for lo, hi in domains)


@pytest.mark.parametrize("fn,prim,domains", pf.CASES, ids=[c[0].__name__ for c in pf.CASES])
def test_rule_matches_finite_differences(fn, prim, domains):
    rng = np.random.default_rng(abs(hash(fn.__name__)) % 2**32)
    for _ in range(3):
        args = sample(domains, rng)
        n = len(args)
        grads = ad.grad(fn, wrt=tuple(range(n)), backend="python")(*args)
        for i in range(n):
            expected = central(fn, args, i)
            basis = [0.0] * n
            basis[i] = 1.0
            out, tangent = ad.jvp(fn, args, basis, backend="python")
            assert out == pytest.approx(fn(*args), rel=1e-12, abs=1e-12)
            assert tangent == pytest.approx(expected, rel=1e-6, abs=1e-8), f"forward, arg {i}"
            assert grads[i] == pytest.approx(expected, rel=1e-6, abs=1e-8), f"reverse, arg {i}"


@pytest.mark.parametrize("fn,prim,domains", pf.CASES, ids=[c[0].__name__ for c in pf.CASES])
def test_rule_dot_product_identity(fn, prim, domains):
    rng = np.random.default_rng(7)
    args = sample(domains, rng)
    xdot = rng.normal(size=len(args))
    ybar = float(rng.normal())
    _, jx = ad.jvp(fn, args, tuple(xdot), backend="python")
    _, back = ad.vjp(fn, *args, backend="python")
    jty = back(ybar)
    assert ybar * jx == pytest.approx(float(np.dot(jty, xdot)), rel=1e-12, abs=1e-12)


def test_non_differentiable_functions_are_data():
    for name in ("lt", "int", "round", "len", "floordiv", "sign"):
        assert name in NON_DIFFERENTIABLE
        assert PRIMITIVES[name].partials is None


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_all_primitives_together(backend):
    args = (0.37, -0.81)
    grads = ad.grad(pf.all_primitives, wrt=(0, 1), backend=backend)(*args)
    for i in range(2):
        expected = central(pf.all_primitives, args, i)
        basis = [0.0, 0.0]
        basis[i] = 1.0
        _, tangent = ad.jvp(pf.all_primitives, args, basis, backend=backend)
        assert tangent == pytest.approx(expected, rel=1e-6)
        assert grads[i] == pytest.approx(expected, rel=1e-6)
