"""Behaviour of the public API: grad/value_and_grad/jvp/vjp/source, their argument handling,
the decorator forms, located CompileErrors, and the command line."""
import inspect
import math
import os
import random
import subprocess
import sys

import numpy as np
import pytest

import adcompiler as ad

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKENDS = ["python", "numba"]


# ---------------------------------------------------------------------------------------------
# functions under test (module level: adcompiler reads their source)

def f(x, y):
    return x * x * y + math.sin(y)


def df_dx(x, y):
    return 2.0 * x * y


def df_dy(x, y):
    return x * x + math.cos(y)


def with_count(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
    return s


def with_default(x, y=2.0):
    return x * y * y


def two_outputs(x, y):
    return x * y, x + y


def uses_random(x):
    return random.gauss(x, 1.0) * x


def uses_list(x):
    a = [x, 2.0 * x]; a[0] = x
    return a[0]


def uses_gamma(x):
    return math.gamma(x)


@ad.grad
def decorated_grad(x, y):
    return x * x * y + math.sin(y)


@ad.grad(wrt=(0, 1), backend="python")
def decorated_grad_tuple(x, y):
    return x * x * y + math.sin(y)


def line_of(fn, text):
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if text in line)


X, Y = 0.7, 1.3


# ---------------------------------------------------------------------------------------------
# grad and value_and_grad

@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_int_wrt(backend):
    assert ad.grad(f, backend=backend)(X, Y) == pytest.approx(df_dx(X, Y), rel=1e-12)
    assert ad.grad(f, wrt=1, backend=backend)(X, Y) == pytest.approx(df_dy(X, Y), rel=1e-12)
    assert ad.grad(f, wrt=-1, backend=backend)(X, Y) == pytest.approx(df_dy(X, Y), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_tuple_wrt(backend):
    g = ad.grad(f, wrt=(0, 1), backend=backend)(X, Y)
    assert isinstance(g, tuple) and len(g) == 2
    assert g == pytest.approx((df_dx(X, Y), df_dy(X, Y)), rel=1e-12)
    gy, gx = ad.grad(f, wrt=(1, 0), backend=backend)(X, Y)
    assert (gx, gy) == pytest.approx((df_dx(X, Y), df_dy(X, Y)), rel=1e-12)
    (single,) = ad.grad(f, wrt=(1,), backend=backend)(X, Y)
    assert single == pytest.approx(df_dy(X, Y), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_name_wrt(backend):
    assert ad.grad(f, wrt="y", backend=backend)(X, Y) == pytest.approx(df_dy(X, Y), rel=1e-12)
    g = ad.grad(f, wrt=("y", "x"), backend=backend)(X, Y)
    assert g == pytest.approx((df_dy(X, Y), df_dx(X, Y)), rel=1e-12)


def test_grad_returns_python_floats():
    g = ad.grad(f, wrt=(0, 1))(X, Y)
    assert all(type(v) is float for v in g)


def test_grad_decorator_forms():
    assert decorated_grad(X, Y) == pytest.approx(df_dx(X, Y), rel=1e-12)
    assert decorated_grad_tuple(X, Y) == pytest.approx((df_dx(X, Y), df_dy(X, Y)), rel=1e-12)


def test_grad_decorator_keeps_name():
    assert decorated_grad.__name__ == "decorated_grad"
    assert decorated_grad_tuple.__name__ == "decorated_grad_tuple"


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_with_int_argument_outside_wrt(backend):
    assert ad.grad(with_count, backend=backend)(X, 5) == pytest.approx(10.0, rel=1e-12)
    assert ad.grad(with_count, backend=backend)(X, 0) == 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_keywords_and_defaults(backend):
    g = ad.grad(with_default, wrt=(0, 1), backend=backend)
    assert g(X) == pytest.approx((4.0, 4.0 * X), rel=1e-12)
    assert g(X, y=3.0) == pytest.approx((9.0, 6.0 * X), rel=1e-12)
    assert g(y=3.0, x=X) == pytest.approx((9.0, 6.0 * X), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_value_and_grad(backend):
    value, g = ad.value_and_grad(f, backend=backend)(X, Y)
    assert value == pytest.approx(f(X, Y), rel=1e-14)
    assert g == pytest.approx(df_dx(X, Y), rel=1e-12)
    value, (gx, gy) = ad.value_and_grad(f, wrt=(0, 1), backend=backend)(X, Y)
    assert value == pytest.approx(f(X, Y), rel=1e-14)
    assert (gx, gy) == pytest.approx((df_dx(X, Y), df_dy(X, Y)), rel=1e-12)


def test_value_and_grad_decorator():
    vg = ad.value_and_grad(wrt="y", backend="python")(f)
    value, g = vg(X, Y)
    assert value == pytest.approx(f(X, Y)) and g == pytest.approx(df_dy(X, Y))


# ---------------------------------------------------------------------------------------------
# jvp and vjp

@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp(backend):
    out, tangent = ad.jvp(f, (X, Y), (1.0, 0.0), backend=backend)
    assert out == pytest.approx(f(X, Y), rel=1e-14)
    assert tangent == pytest.approx(df_dx(X, Y), rel=1e-12)
    _, tangent = ad.jvp(f, (X, Y), (0.5, -2.0), backend=backend)
    assert tangent == pytest.approx(0.5 * df_dx(X, Y) - 2.0 * df_dy(X, Y), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp_int_primal_with_zero_tangent(backend):
    out, tangent = ad.jvp(with_count, (X, 4), (1.0, 0), backend=backend)
    assert out == pytest.approx(with_count(X, 4))
    assert tangent == pytest.approx(6.0, rel=1e-12)
    _, tangent = ad.jvp(with_count, (X, 4), (2.0, 0.0), backend=backend)
    assert tangent == pytest.approx(12.0, rel=1e-12)


def test_jvp_int_primal_with_nonzero_tangent_is_a_value_error():
    with pytest.raises(ValueError, match=r"'n' is int \(4\).*tangent must be 0"):
        ad.jvp(with_count, (X, 4), (1.0, 1.0), backend="python")


def test_jvp_int_primal_with_nonzero_tangent_is_a_value_error_after_a_good_call():
    ad.jvp(with_count, (X, 4), (1.0, 0), backend="python")         # kinds now known
    with pytest.raises(ValueError, match=r"'n' is int \(4\).*tangent must be 0"):
        ad.jvp(with_count, (X, 4), (1.0, 1.0), backend="python")


def scaled_norm(v, s):
    return s * np.sum(v * v)


@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp_of_known_kinds_takes_tangents_as_given(backend):
    v = np.array([0.5, -1.0, 2.0])
    first = ad.jvp(scaled_norm, (v, 1.5), (np.ones(3), 0.0), backend=backend)
    # lists, integer tangents, None for no tangent: converted as on the first call
    for primals, tangents in [([v, 1.5], [np.ones(3), 0.0]), ((v, 1.5), (np.ones(3, int), 0)),
                              ((v, 1.5), (np.ones(3), None))]:
        out, tangent = ad.jvp(scaled_norm, primals, tangents, backend=backend)
        assert out == first[0] and tangent == first[1]
    _, tangent = ad.jvp(scaled_norm, (v, 1.5), (np.zeros(3), 1.0), backend=backend)
    assert tangent == pytest.approx(np.sum(v * v), rel=1e-14)
    np.testing.assert_array_equal(v, [0.5, -1.0, 2.0])


def test_jvp_wrong_number_of_tangents():
    with pytest.raises(ValueError):
        ad.jvp(f, (X, Y), (1.0,), backend="python")


@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp_tuple_output(backend):
    out, tangent = ad.jvp(two_outputs, (X, Y), (1.0, 0.0), backend=backend)
    assert out == pytest.approx((X * Y, X + Y))
    assert tangent == pytest.approx((Y, 1.0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_one_cotangent_per_primal(backend):
    out, back = ad.vjp(f, X, Y, backend=backend)
    assert out == pytest.approx(f(X, Y), rel=1e-14)
    cts = back(2.0)
    assert isinstance(cts, tuple) and len(cts) == 2
    assert cts == pytest.approx((2.0 * df_dx(X, Y), 2.0 * df_dy(X, Y)), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_int_primal_gets_zero(backend):
    out, back = ad.vjp(with_count, X, 4, backend=backend)
    assert out == pytest.approx(with_count(X, 4))
    bx, bn = back(1.0)
    assert bx == pytest.approx(6.0, rel=1e-12)
    assert bn == 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_tuple_output(backend):
    out, back = ad.vjp(two_outputs, X, Y, backend=backend)
    assert out == pytest.approx((X * Y, X + Y))
    bx, by = back((1.0, 10.0))
    assert (bx, by) == pytest.approx((Y + 10.0, X + 10.0), rel=1e-12)
    with pytest.raises(ValueError):
        back((1.0,))


# ---------------------------------------------------------------------------------------------
# generated source

def test_source_attribute_before_and_after_call():
    g = ad.grad(f, wrt=(0, 1), backend="python")
    before = g.source
    assert "def " in before and "bx" in before and "by" in before
    g(X, Y)
    assert "def " in g.source and "bx" in g.source


def test_source_attribute_follows_argument_types():
    g = ad.grad(with_count, backend="python")
    g(X, 3)
    assert "def " in g.source and "bx" in g.source and "range(n)" in g.source


def test_value_and_grad_has_source():
    assert "def " in ad.value_and_grad(f).source


def array_loss(x, w):
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        s = s + w * x[i] ** 2
    return s


def test_source_of_a_derivative_object():
    """ad.source(ad.grad(f)) is the source of f's gradient (as ad.source(f)), and every
    derivative object has .source; a derivative of a derivative is shown by its own .source."""
    x = np.array([0.5, -1.0])
    g = ad.grad(array_loss, wrt=(0, 1), backend="python")
    assert ad.source(g) == ad.source(array_loss, wrt=(0, 1), backend="python")
    assert ad.source(g, args=(x, 2.0)) == ad.source(array_loss, wrt=(0, 1), args=(x, 2.0),
                                                     backend="python")
    assert "bw" in ad.source(ad.value_and_grad(array_loss, wrt=1))
    h = ad.grad(ad.grad(lambda w: w ** 3))
    assert ad.source(h) == h.source
    with pytest.raises(TypeError, match="pass the function itself"):
        ad.source(h, args=(1.0,))
    jac = ad.jacobian(array_loss)
    assert "def array_loss_vjp" in jac.source
    fwd = ad.jacobian(array_loss, mode="forward")
    assert "def array_loss_jvp" in fwd.source
    fwd(x, 2.0)
    assert "dx" in ad.source(fwd)


def test_source_function_forward_and_reverse():
    fwd = ad.source(f, mode="forward")
    assert "def " in fwd and "dx" in fwd and "dy" in fwd
    rev = ad.source(f, mode="reverse", wrt=1)
    assert "def " in rev and "by" in rev
    assert ad.source(f) == ad.source(f, mode="reverse", wrt=0)


def test_source_with_example_args():
    text = ad.source(with_count, mode="forward", args=(0.3, 10))
    assert "def " in text and "dx" in text and "dn" not in text


def test_source_is_runnable_python():
    compile(ad.source(f, mode="reverse", wrt=(0, 1)), "<generated>", "exec")
    compile(ad.source(f, mode="forward"), "<generated>", "exec")


# ---------------------------------------------------------------------------------------------
# errors

def test_int_argument_in_wrt_is_a_compile_error():
    with pytest.raises(ad.CompileError) as info:
        ad.grad(with_count, wrt=1, backend="python")(X, 3)
    text = str(info.value)
    assert "'n'" in text and "float" in text
    with pytest.raises(ad.CompileError, match="'n'"):
        ad.grad(with_count, wrt="n", backend="python")(X, 3)
    with pytest.raises(ad.CompileError, match="'x'"):
        ad.grad(with_count, wrt=0, backend="python")(1, 3)


def test_unknown_wrt_name_is_a_compile_error():
    with pytest.raises(ad.CompileError, match="'z'"):
        ad.grad(f, wrt="z")
    with pytest.raises(ad.CompileError):
        ad.grad(f, wrt=5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_of_tuple_output_points_to_vjp(backend):
    with pytest.raises(ad.CompileError, match="vjp"):
        ad.grad(two_outputs, backend=backend)(X, Y)
    with pytest.raises(ad.CompileError, match="one scalar"):
        ad.value_and_grad(two_outputs, backend=backend)(X, Y)


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_gauss_with_active_argument_is_a_compile_error(backend):
    with pytest.raises(ad.CompileError) as info:
        ad.grad(uses_random, backend=backend)(X)
    assert "gauss" in str(info.value)


def test_compile_errors_are_located():
    path = os.path.abspath(__file__)
    cases = [
        (uses_list, "a = [x, 2.0 * x]; a[0] = x", "list"),
        (uses_gamma, "math.gamma(x)", "gamma"),
        (uses_random, "random.gauss(x, 1.0)", "gauss"),
    ]
    for fn, text, word in cases:
        with pytest.raises(ad.CompileError) as info:
            ad.grad(fn, backend="python")(X)
        message = str(info.value)
        assert f"{path}:{line_of(fn, text)}" in message, message
        assert text in message and word in message


def test_compile_error_from_source_is_located():
    with pytest.raises(ad.CompileError) as info:
        ad.source(uses_list)
    assert f"test_api.py:{line_of(uses_list, 'a = [x')}" in str(info.value)


def test_lambda_is_differentiated():
    assert ad.grad(lambda x: x * x, backend="python")(3.0) == 6.0


def test_non_number_argument_is_a_type_error():
    with pytest.raises(TypeError):
        ad.grad(f)(object(), Y)


# ---------------------------------------------------------------------------------------------
# command line

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "adcompiler", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_show_reverse():
    result = run_cli("show", os.path.join("examples", "quickstart.py") + ":f",
                     "--mode", "reverse", "--wrt", "0,1")
    assert result.returncode == 0, result.stderr
    assert "def f_vjp(" in result.stdout
    assert "bx" in result.stdout and "by" in result.stdout


def test_cli_show_forward():
    result = run_cli("show", os.path.join("examples", "quickstart.py") + ":f", "--mode", "forward")
    assert result.returncode == 0, result.stderr
    assert "def " in result.stdout and "dx" in result.stdout


def test_cli_error_is_located(tmp_path):
    source = tmp_path / "bad.py"
    source.write_text("def g(x):\n    a = [x, x]\n    a.append(x)\n    return a[0]\n")
    result = run_cli("show", f"{source}:g")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert f"{source}:3" in result.stderr
    assert "list" in result.stderr


def identity(x):
    return x


@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp_results_are_not_the_callers_arrays(backend):
    x, v = np.array([1.0, 2.0]), np.ones(2)
    for _ in range(2):              # the first call, then the fast path
        out, tangent = ad.jvp(identity, (x,), (v,), backend=backend)
        assert not np.shares_memory(out, x) and not np.shares_memory(tangent, v)
        np.testing.assert_array_equal(out, x)
        np.testing.assert_array_equal(tangent, v)
