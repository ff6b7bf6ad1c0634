"""ad.jacobian in forward, reverse and auto mode against finite differences, with the
course's helix example."""
import numpy as np
import pytest

import adcompiler as ad


def helix(t, s):
    return np.array([np.sin(t) + s, np.cos(t), 6.0 * t / np.pi])


def layer(W, x):
    return np.tanh(W @ x)


def scalar_out(x, y):
    return np.sum(x * x) * y


def numerical_jacobian(fn, args, p, h=1e-6):
    x = np.asarray(args[p], dtype=float)
    cols = []
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = h
        up, down = list(args), list(args)
        up[p] = x + e.reshape(x.shape) if x.ndim else float(x + h)
        down[p] = x - e.reshape(x.shape) if x.ndim else float(x - h)
        cols.append((np.asarray(fn(*up)) - np.asarray(fn(*down))) / (2 * h))
    return np.stack(cols, axis=-1).reshape(np.shape(fn(*args)) + x.shape)


CASES = [(helix, (0.3, 1.0)), (layer, (np.arange(6.0).reshape(2, 3) / 10, np.array([0.5, -1.0, 2.0]))),
         (scalar_out, (np.array([0.3, -0.4]), 1.5))]


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
@pytest.mark.parametrize("fn,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_jacobian(fn, args, mode, backend):
    J = ad.jacobian(fn, wrt=(0, 1), mode=mode, backend=backend)(*args)
    for p in (0, 1):
        np.testing.assert_allclose(J[p], numerical_jacobian(fn, args, p), rtol=1e-6, atol=1e-8)


def test_auto_picks_forward_for_tall_and_reverse_for_wide():
    tall = ad.jacobian(helix, wrt=0, backend="python")
    tall(0.3, 1.0)
    assert tall.chosen == "forward"
    wide = ad.jacobian(scalar_out, wrt=0, backend="python")
    wide(np.ones(4), 2.0)
    assert wide.chosen == "reverse"


def test_helix_jacobian_values():
    J = ad.jacobian(helix, wrt=(0, 1), backend="python")(0.3, 1.0)
    np.testing.assert_allclose(J[0], [np.cos(0.3), -np.sin(0.3), 6.0 / np.pi])
    np.testing.assert_allclose(J[1], [1.0, 0.0, 0.0])


# -- rows and columns looped over in compiled code (adcompiler/drivers.py) --------------------------
def matrix_out(A, s):
    n = A.shape[0]
    out = np.empty((n, 2))
    for i in range(n):
        out[i, 0] = A[i, 0] * s
        out[i, 1] = np.sin(A[i, 1]) + A[i, 0] * A[i, 1]
    return out


def overwrites_its_output(x):
    y = x * 2.0
    y[0] = y[1] * 3.0
    y[2] = y[2] * y[0]
    return y


WEIGHTS = np.array([0.5, -2.0, 1.5])


def reads_a_global(x):
    return WEIGHTS * np.sin(x)


ROWS_CASES = [
    (matrix_out, (np.arange(6.0).reshape(3, 2) / 7, 1.3), (0, 1)),
    (overwrites_its_output, (np.array([0.5, -1.0, 2.0, 1.5]),), (0,)),
    (layer, (np.arange(6.0, dtype=np.float32).reshape(2, 3) / 10,
             np.array([0.5, -1.0, 2.0], np.float32)), (0, 1)),
]


@pytest.mark.parametrize("fn,args,wrt", ROWS_CASES, ids=[c[0].__name__ for c in ROWS_CASES])
def test_rows_in_compiled_code_are_the_python_loops_rows(fn, args, wrt):
    jac = ad.jacobian(fn, wrt=wrt, mode="reverse")
    J = jac(*args)
    J = J if isinstance(J, tuple) else (J,)
    compiled, = jac._reverse_for.values()
    assert compiled.drivers["rows"] is not None
    out_shape, blocks = jac._rows(compiled, args)
    for p, Jp, block in zip(wrt, J, blocks):
        assert Jp.dtype == block.dtype
        np.testing.assert_array_equal(Jp, block.reshape(out_shape + np.shape(args[p])))
        if Jp.dtype == np.float64:
            np.testing.assert_allclose(Jp, numerical_jacobian(fn, args, p), rtol=1e-6, atol=1e-8)


def jvp_columns(fn, args, p):
    """Column by column from ad.jvp: the same compiled derivative, called from Python."""
    zero = [np.zeros_like(a) if isinstance(a, np.ndarray) else 0.0 for a in args]
    columns = []
    for k in range(np.size(args[p])):
        tangents = list(zero)
        e = np.zeros(np.size(args[p]), np.float64)
        e[k] = 1.0
        tangents[p] = e.reshape(np.shape(args[p])) if np.ndim(args[p]) else 1.0
        columns.append(np.asarray(ad.jvp(fn, args, tangents)[1]))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("fn,args,wrt", ROWS_CASES + [(helix, (0.3, 1.0), (0, 1))],
                         ids=[c[0].__name__ for c in ROWS_CASES] + ["helix"])
def test_columns_in_compiled_code_are_jvps(fn, args, wrt):
    jac = ad.jacobian(fn, wrt=wrt, mode="forward")
    J = jac(*args)
    J = J if isinstance(J, tuple) else (J,)
    compiled, = jac._forward_for.values()
    assert compiled.drivers[("columns", wrt)] is not None
    for p, Jp in zip(wrt, J):
        reference = jvp_columns(fn, args, p)
        assert np.asarray(Jp).dtype == reference.dtype
        np.testing.assert_array_equal(Jp, reference.reshape(np.shape(Jp)))
        if reference.dtype == np.float64:
            np.testing.assert_allclose(Jp, numerical_jacobian(fn, args, p), rtol=1e-6, atol=1e-8)


def test_rows_of_a_function_reading_a_global_array_loop_in_python():
    jac = ad.jacobian(reads_a_global, mode="reverse")
    x = np.array([0.2, 0.4, -0.1])
    np.testing.assert_allclose(jac(x), np.diag(WEIGHTS * np.cos(x)), rtol=1e-12)
    compiled, = jac._reverse_for.values()
    assert compiled.drivers["rows"] is None         # its arrays are added per call (api.py)


def test_scalar_output_takes_one_reverse_pass():
    jac = ad.jacobian(scalar_out, wrt=(0, 1), mode="reverse")
    x = np.array([0.3, -0.4])
    Jx, Jy = jac(x, 1.5)
    np.testing.assert_allclose(Jx, 2 * x * 1.5)
    assert Jy == pytest.approx(np.sum(x * x))
    compiled, = jac._reverse_for.values()
    assert "rows" not in compiled.drivers


def identity(x):
    return x


def plus_constant(x, c):
    return x + c


@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("backend", ["python", "numba"])
def test_a_derivative_returning_its_seed_gives_the_identity(mode, backend):
    # the compiled loops store each row or column before the seed is reset (a gradient may be
    # the seed itself)
    x, c = np.array([0.3, -0.2, 0.5]), np.ones(3)
    np.testing.assert_array_equal(ad.jacobian(identity, mode=mode, backend=backend)(x), np.eye(3))
    np.testing.assert_array_equal(ad.jacobian(plus_constant, mode=mode, backend=backend)(x, c),
                                  np.eye(3))
