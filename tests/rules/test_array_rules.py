"""Array rules: every argument against central differences in both modes, the dot-product
identity between jvp and vjp, on both backends."""
import itertools

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.ir.nodes import ArrayType
from adcompiler.rules import PRIMITIVES

from . import array_functions as af

IDS = [c[0].__name__ for c in af.CASES]


def make_args(shapes, seed):
    rng = np.random.default_rng(seed)
    return tuple(float(rng.uniform(0.2, 0.9)) if s == () else rng.uniform(-1.0, 1.0, size=s)
                 for s in shapes)


def numerical_gradient(fn, args, i, h=1e-6):
    x = args[i]
    if np.ndim(x) == 0:
        up, down = list(args), list(args)
        up[i], down[i] = x + h, x - h
        return (fn(*up) - fn(*down)) / (2 * h)
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[k] += h
        down[k] -= h
        grad[k] = (fn(*args[:i], up, *args[i + 1:]) - fn(*args[:i], down, *args[i + 1:])) / (2 * h)
    return grad


@pytest.mark.numba_sample
@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,prim,shapes", af.CASES, ids=IDS)
def test_array_rule(fn, prim, shapes, backend):
    args = make_args(shapes, 3)
    originals = [np.copy(a) for a in args]
    n = len(args)
    grads = ad.grad(fn, wrt=tuple(range(n)), backend=backend)(*args)
    rng = np.random.default_rng(5)
    for i in range(n):
        expected = numerical_gradient(fn, args, i)
        np.testing.assert_allclose(grads[i], expected, rtol=1e-6, atol=1e-8, err_msg=f"reverse, arg {i}")
        assert np.shape(grads[i]) == np.shape(args[i])
        direction = [np.zeros_like(a) if np.ndim(a) else 0.0 for a in args]
        direction[i] = rng.normal(size=np.shape(args[i])) if np.ndim(args[i]) else 1.0
        out, tangent = ad.jvp(fn, args, direction, backend=backend)
        assert out == pytest.approx(fn(*args), rel=1e-12)
        assert tangent == pytest.approx(float(np.sum(expected * direction[i])), rel=1e-6, abs=1e-8)
    for a, o in zip(args, originals):
        np.testing.assert_array_equal(a, o)        # inputs are never modified


@pytest.mark.parametrize("fn,prim,shapes", af.CASES, ids=IDS)
def test_array_rule_dot_product_identity(fn, prim, shapes):
    args = make_args(shapes, 11)
    rng = np.random.default_rng(2)
    xdot = [rng.normal(size=np.shape(a)) if np.ndim(a) else float(rng.normal()) for a in args]
    ybar = float(rng.normal())
    _, jx = ad.jvp(fn, args, xdot, backend="python")
    _, back = ad.vjp(fn, *args, backend="python")
    jty = back(ybar)
    lhs = ybar * jx
    rhs = sum(float(np.sum(g * d)) for g, d in zip(jty, xdot))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("fn,prim,shapes", af.HELPER_CASES, ids=[c[1] for c in af.HELPER_CASES])
def test_helper_tangent_rule(fn, prim, shapes):
    """Helpers of generated code have tangent rules only (for forward over reverse)."""
    args = make_args(shapes, 5)
    rng = np.random.default_rng(4)
    for i, a in enumerate(args):
        xdot = [np.zeros_like(b) if np.ndim(b) else 0.0 for b in args]
        xdot[i] = rng.normal(size=np.shape(a)) if np.ndim(a) else 1.0
        _, jx = ad.jvp(fn, args, xdot, backend="python")
        expected = np.sum(numerical_gradient(fn, args, i) * xdot[i])
        assert jx == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_every_array_primitive_is_tested():
    from . import primitive_functions as pf
    tested = {prim for _, prim, _ in af.CASES + af.HELPER_CASES} | {prim for _, prim, _ in pf.CASES}
    differentiable = {name for name, p in PRIMITIVES.items() if p.differentiable
                      and not name.startswith("user:")}     # users' rules, registered by tests
    # einsum_like is no user's function (its subscripts come from an einsum's adjoint): the
    # second derivatives of test_einsum.py differentiate it
    assert differentiable - tested - {"log_or_zero", "trip_count", "einsum_like"} == set()


def prod_whole(x): return np.prod(x)
def prod_rows(x): return np.sum(np.prod(x, axis=1) * np.arange(1.0, 4.0))
def prod_cols(x): return np.sum(np.sin(np.prod(x, axis=0)))


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", [prod_whole, prod_rows, prod_cols])
@pytest.mark.parametrize("zeros", [[(0, 1)], [(0, 1), (2, 1)], [(0, 0), (0, 2)]], ids=["one", "two", "row"])
def test_prod_at_zeros(fn, zeros, backend):
    """The derivative of a product at elements that are exactly 0 (no division by them)."""
    x = make_args([af.M], 7)[0]
    for k in zeros:
        x[k] = 0.0
    grad = ad.grad(fn, backend=backend)(x)
    np.testing.assert_allclose(grad, numerical_gradient(fn, (x,), 0), rtol=1e-6, atol=1e-8)
    direction = np.random.default_rng(1).normal(size=af.M)
    _, tangent = ad.jvp(fn, (x,), (direction,), backend=backend)
    assert tangent == pytest.approx(float(np.sum(grad * direction)), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_max_axis_ties_go_to_the_first(axis, backend):
    """On ties the whole derivative of a slice's max goes to its first arg-max, as np.argmax."""
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.5]])
    grad = ad.grad(lambda_free_max, backend=backend)(x, axis)
    expected = np.zeros_like(x)
    index = np.expand_dims(np.argmax(x, axis=axis), axis)
    np.put_along_axis(expected, index, 1.0, axis=axis)
    np.testing.assert_array_equal(grad, expected)
    _, tangent = ad.jvp(lambda_free_max, (x, axis), (np.arange(6.0).reshape(2, 3), 0), backend=backend)
    assert tangent == float(np.sum(expected * np.arange(6.0).reshape(2, 3)))


def lambda_free_max(x, axis):
    if axis == 0:
        return np.sum(np.max(x, axis=0))
    if axis == 1:
        return np.sum(np.max(x, axis=1))
    return np.sum(np.max(x, axis=-1))


def test_float32_keeps_its_dtype():
    x = np.linspace(-1, 1, 5).astype(np.float32)
    g = ad.grad(af.sum_, backend="python")(x)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, 2 * x, rtol=1e-6)


@pytest.mark.parametrize("shape,axis", [((3, 4), 0), ((3, 4), 1), ((2, 3, 4), 0), ((2, 3, 4), 1),
                                        ((2, 3, 4), 2)])
def test_numba_axis_helpers_agree_with_numpy(shape, axis):
    """The loops Numba runs for max/min/prod along an axis pick the same elements as NumPy's
    argmax/argmin on ties and NaNs, and give the same products through zeros."""
    from adcompiler.runtime import helpers as np_rt, numba_rt as nb_rt
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3, shape).astype(float)          # many ties and zeros
    x.reshape(-1)[[1, 7]] = np.nan
    d = rng.normal(size=shape)
    g = rng.normal(size=shape[:axis] + shape[axis + 1:])
    for name in ("amax_axis", "amin_axis", "prod_axis", "prod_others_axis"):
        np.testing.assert_array_equal(getattr(nb_rt, name)(x, axis), getattr(np_rt, name)(x, axis))
    for name in ("at_argmax_axis", "at_argmin_axis"):
        np.testing.assert_array_equal(getattr(nb_rt, name)(d, x, axis), getattr(np_rt, name)(d, x, axis))
    for name in ("onehot_argmax_axis", "onehot_argmin_axis"):
        np.testing.assert_array_equal(getattr(nb_rt, name)(x, g, axis), getattr(np_rt, name)(x, g, axis))
    finite = np.nan_to_num(x)
    np.testing.assert_allclose(nb_rt.prod_others_axis_jvp(finite, d, axis),
                               np_rt.prod_others_axis_jvp(finite, d, axis), rtol=1e-12)


# -- constructors: data of exactly NumPy's type and values, in both modes, to second order --
def identity_times(x):
    return np.identity(3) * x            # (3, 3) * (3,): a matrix, not the scalar a guess gives


def eye_and_tri(a, k):
    n, m = a.shape
    return (np.eye(n) @ a + np.eye(n, m) * a + np.eye(n, k=k) @ a + np.eye(n, m, -k) * a
            + np.tri(n) @ a + np.tri(n, m) * a + np.tri(n, m, k) * a + np.tri(n, k=-k) @ a
            + np.identity(n, dtype=float) @ a + np.eye(n, M=m, k=k, dtype=np.float64) * a)


def constructors_loss(a, s):
    n, m = a.shape
    t = np.tri(n, m, 1) * a
    return np.sum((np.eye(n, k=1) @ t + np.identity(n) @ a * s) ** 2) + np.sum(np.eye(n, m) * a) * s


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_identity_times_a_vector(backend):
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_array_equal(ad.grad(identity_sum, backend=backend)(x), [1.0, 1.0, 1.0])
    ad.testing.check_grads(identity_times, (x,), backend=backend)


def identity_sum(x):
    return np.sum(np.identity(3) * x)


@pytest.mark.numba_sample
@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("k", [1, 0, 2])
def test_eye_and_tri_values_and_derivatives(k, backend):
    a = np.random.default_rng(4).normal(size=(3, 4))
    value, back = ad.vjp(eye_and_tri, a, k, backend=backend)
    np.testing.assert_array_equal(value, eye_and_tri(a, k))
    assert value.dtype == np.float64
    ad.testing.check_grads(eye_and_tri, (a, k), backend=backend)


@pytest.mark.numba_slow
@pytest.mark.parametrize("backend", ["python", "numba"])
def test_constructors_to_second_order(backend):
    a = np.random.default_rng(6).normal(size=(3, 4))
    ad.testing.check_grads(constructors_loss, (a, 0.7), order=2, backend=backend)


@pytest.mark.parametrize("call,message", [
    ("np.eye(2.0)", "eye is not supported"), ("np.tri(3, 2.5)", "tri is not supported"),
    ("np.identity(3, dtype=int)", "only float64 arrays"), ("np.tri(3, 3, 0, float, 1)", "tri() takes"),
    ("np.eye(3, like=x)", "keyword arguments ['like'] to eye"), ("np.eye(3, 3, M=2)", "got M twice"),
])
def test_constructor_misuse_is_a_located_error(call, message, tmp_path):
    import importlib.util
    path = tmp_path / "ctor_misuse.py"
    path.write_text(f"import numpy as np\n\n\ndef f(x):\n    return np.sum({call} * x)\n")
    spec = importlib.util.spec_from_file_location("ctor_misuse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(ad.CompileError) as info:
        ad.grad(module.f, backend="python")(np.ones((3, 3)))
    assert message in str(info.value) and f"{path}:5" in str(info.value), str(info.value)


def test_outer_has_numpys_dtype():
    outer = PRIMITIVES["outer"].result_type
    f32, f64 = ArrayType("float32", 1), ArrayType("float64", 1)
    for a, b in itertools.product([f32, f64, ArrayType("int64", 1), ArrayType("bool", 1)], repeat=2):
        want = np.outer(np.ones(2, a.dtype), np.ones(2, b.dtype)).dtype.name
        assert outer(a, b) == ArrayType(want, 2), (a, b)


def outer_of_matrix(a, b):
    return np.sum(np.outer(a, b))


def test_outer_of_a_matrix_is_refused():
    # NumPy flattens the matrix: a gradient shaped like a vector would be silently wrong
    with pytest.raises(ad.CompileError, match="np.outer of anything but two 1-d arrays"):
        ad.grad(outer_of_matrix, backend="python")(np.ones((2, 2)), np.ones(3))
