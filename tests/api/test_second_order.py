"""hessian, hvp and grad(grad(f)) (forward over reverse) against central differences of
gradients, on both backends, through loops, branches, tapes and in-place writes."""
import numpy as np
import pytest

import adcompiler as ad

from .second_order_functions import CASES

BACKENDS = ["python", "numba"]
IDS = [f"{fn.__name__}{i}" for i, (fn, _) in enumerate(CASES)]


def float_positions(args):
    return tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))


def numerical_hessian_block(fn, args, p, q, h=1e-5):
    """d/d(arg q) of the gradient wrt arg p, by central differences of gradients."""
    gradient = ad.grad(fn, wrt=p, backend="python")
    x = args[q]
    columns = []
    for k in range(int(np.size(x))):
        up, down = list(args), list(args)
        if np.ndim(x):
            e = np.zeros(x.size)
            e[k] = h
            up[q], down[q] = x + e.reshape(x.shape), x - e.reshape(x.shape)
        else:
            up[q], down[q] = x + h, x - h
        columns.append((np.asarray(gradient(*up)) - np.asarray(gradient(*down))) / (2 * h))
    return np.stack(columns, axis=-1).reshape(np.shape(args[p]) + np.shape(x))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_hessian_against_differences_of_gradients(fn, args, backend):
    originals = [np.copy(a) for a in args]
    wrt = float_positions(args)
    H = ad.hessian(fn, wrt=wrt, backend=backend)(*args)
    for a, p in enumerate(wrt):
        for b, q in enumerate(wrt):
            expected = numerical_hessian_block(fn, args, p, q)
            np.testing.assert_allclose(H[a][b], expected, rtol=1e-5, atol=1e-6)
    for a, o in zip(args, originals):
        np.testing.assert_array_equal(a, o)


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_hvp_matches_hessian(fn, args):
    wrt = float_positions(args)
    rng = np.random.default_rng(0)
    tangents = [rng.normal(size=np.shape(a)) if i in wrt else 0 for i, a in enumerate(args)]
    tangents = [float(t) if np.ndim(t) == 0 and i in wrt else t for i, t in enumerate(tangents)]
    H = ad.hessian(fn, wrt=wrt, backend="python")(*args)
    Hv = ad.hvp(fn, wrt=wrt, backend="python")(args, tangents)
    for a, p in enumerate(wrt):
        expected = sum(np.tensordot(H[a][b], tangents[q], axes=np.ndim(args[q]))
                       for b, q in enumerate(wrt))
        np.testing.assert_allclose(Hv[a], expected, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_of_grad(backend):
    from .second_order_functions import loop_branch
    d2 = ad.grad(ad.grad(loop_branch, wrt=1, backend=backend), wrt=(0, 1), backend=backend)
    got = d2(0.3, 1.2, 5)
    H = ad.hessian(loop_branch, wrt=(0, 1), backend="python")(0.3, 1.2, 5)
    assert got == pytest.approx((H[1][0], H[1][1]), rel=1e-12)
    assert "def loop_branch_vjp_jvp(" in d2.source


def test_grad_of_grad_as_decorators():
    @ad.grad
    @ad.grad
    def f(x):
        return x ** 3 + 2.0 * x
    assert f(2.0) == pytest.approx(12.0)


def test_second_order_source_is_inspectable():
    from .second_order_functions import stencil
    h = ad.hessian(stencil, wrt=1)
    h(np.array([0.3, -0.2, 0.5, 0.1]), 0.2)
    assert "tape_d" in h.source and "def stencil_vjp_jvp(" in h.source


def test_third_order_is_a_located_error():
    from .second_order_functions import while_loop
    d3 = ad.grad(ad.grad(ad.grad(while_loop)))
    with pytest.raises(ad.CompileError, match="order three"):
        d3(0.7, 0.4)


def test_hessian_of_array_output_is_an_error():
    def f(x):
        return x * 2.0
    with pytest.raises(ad.CompileError, match="one scalar"):
        ad.hessian(f)(np.ones(3))


def test_check_grads_second_order():
    from .second_order_functions import early_return
    ad.testing.check_grads(early_return, (0.4, 0.3, 6), order=2, backend="python")


def rosenbrock(x, a):
    s = 0.0
    for i in range(len(x) - 1):
        s += a * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return s


def test_hessian_columns_in_compiled_code_are_the_python_loops():
    # on Numba the loop over the columns runs compiled (drivers.py); with the driver turned
    # off the Python loop gives the same numbers, bit for bit
    args = (np.array([0.3, -0.5, 1.2, 0.8]), 10.0)
    hessian = ad.hessian(rosenbrock, wrt=(0, 1))
    H = hessian(*args)
    compiled = hessian._last
    key = ("hessian columns", (0, 1))
    assert compiled.drivers[key] is not None
    compiled.drivers[key] = None
    H_python = hessian(*args)
    for row, row_python in zip(H, H_python):
        for block, block_python in zip(row, row_python):
            np.testing.assert_array_equal(block, block_python)
    for a in (0, 1):
        for b in (0, 1):
            np.testing.assert_allclose(H[a][b], numerical_hessian_block(rosenbrock, args, a, b),
                                       rtol=1e-5, atol=1e-6)
