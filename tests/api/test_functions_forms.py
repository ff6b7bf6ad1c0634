"""Closures, keyword arguments and defaults, wrt by name, tuple outputs, methods of the user's
classes (attributes read as constants), and recompilation when such a constant changes."""
import numba
import numpy as np
import pytest

import adcompiler as ad
import adcompiler.testing

GAIN = 2.0


def make_loss(scale):
    def helper(z):
        return z * scale

    def loss(x, y=2.0, *, steps=3):
        s = 0.0
        for i in range(steps):
            s = s + helper(x) * y + GAIN * x
        return s
    return loss


class Model:
    def __init__(self, a):
        self.a = a

    def predict(self, x):
        return self.a * x * x + self.bias(x)

    def bias(self, x):
        return self.a * x


def pair(x, y):
    return x * y, x + np.sin(y)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_closure_with_keywords_and_defaults(backend):
    loss = make_loss(1.5)
    gx, gy = ad.grad(loss, wrt=("x", "y"), backend=backend)(0.5)
    assert (gx, gy) == pytest.approx((3 * (1.5 * 2.0 + GAIN), 3 * 0.75))
    assert ad.grad(loss, backend=backend)(0.5, y=3.0, steps=2) == pytest.approx(2 * (4.5 + GAIN))
    out, t = ad.jvp(loss, (0.5, 2.0), (1.0, 0.0), backend=backend)
    assert t == pytest.approx(gx)


def test_closures_over_different_values_are_different_functions():
    assert ad.grad(make_loss(1.0))(0.5) != ad.grad(make_loss(5.0))(0.5)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_method_with_attribute_constants(backend):
    m = Model(3.0)
    assert ad.grad(m.predict, backend=backend)(2.0) == pytest.approx(15.0)
    m.a = 4.0           # the attribute was compiled in as a constant: it must recompile
    assert ad.grad(m.predict, backend=backend)(2.0) == pytest.approx(20.0)


def test_changed_module_constant_recompiles():
    global GAIN
    loss = make_loss(1.0)
    before = ad.grad(loss, backend="python")(0.5)
    GAIN = 3.0
    try:
        assert ad.grad(loss, backend="python")(0.5) == pytest.approx(before + 3.0)
    finally:
        GAIN = 2.0


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_tuple_outputs_in_jvp_and_vjp(backend):
    out, t = ad.jvp(pair, (0.5, 0.3), (1.0, 0.0), backend=backend)
    assert out == pytest.approx(pair(0.5, 0.3)) and t == pytest.approx((0.3, 1.0))
    out, back = ad.vjp(pair, 0.5, 0.3, backend=backend)
    assert back((1.0, 0.0)) == pytest.approx((0.3, 0.5))
    assert back((0.0, 1.0)) == pytest.approx((1.0, np.cos(0.3)))
    assert "def pair_vjp(" in back.source


@numba.njit
def damped(x, a):
    return np.sin(x) * np.exp(-a * x)


def energy(x, a):
    """Calls a helper compiled with @numba.njit: differentiated from its Python source."""
    return np.sum(damped(x, a) ** 2)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_a_numba_compiled_helper_is_inlined(backend):
    args = (np.linspace(0.1, 1.0, 6), 0.3)
    ad.testing.check_grads(energy, args, backend=backend)


def test_a_numba_compiled_function_is_differentiated():
    x = np.linspace(0.1, 1.0, 6)
    compiled = numba.njit(energy)
    want = ad.grad(energy, wrt=(0, 1))(x, 0.3)
    got = ad.grad(compiled, wrt=(0, 1))(x, 0.3)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))
    assert ad.jacobian(damped)(x, 0.3).shape == (6, 6)
    assert ad.jvp(compiled, (x, 0.3), (np.ones(6), 0.0))[0] == energy(x, 0.3)
    assert "def energy_vjp" in ad.source(compiled, args=(x, 0.3))
