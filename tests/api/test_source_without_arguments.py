"""``ad.source`` and ``python -m adcompiler show`` of any function without calling it: the
parameter kinds are read off how the code uses them, or given (``kinds=``, ``--args``)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.frontend.infer import parameter_kinds, parse_kinds
from adcompiler.frontend.source import parse_function

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mixture(alphas, means, x, n):
    s = 0.0
    for i in range(n):
        for k in range(means.shape[0]):
            d = x[i, :] - means[k]
            s = s + alphas[k] * np.sum(d * d)
    return s


def matrix_vector(A, v, scale):
    return np.sum(A @ v) * scale + A[0, 1] + len(v)


def centred_norms(x, c):
    n, d = x.shape
    s = 0.0
    for i in range(n):
        s += np.sum((x[i] - c) ** 2) / d
    return s


def test_kinds_are_read_off_the_code():
    assert parameter_kinds(parse_function(mixture), ["alphas", "means", "x", "n"]) == \
        ["array:float64:1", "array:float64:1", "array:float64:2", "int"]
    assert parameter_kinds(parse_function(matrix_vector), ["A", "v", "scale"]) == \
        ["array:float64:2", "array:float64:1", "float"]
    # unpacking ``.shape`` into two names: a matrix
    assert parameter_kinds(parse_function(centred_norms), ["x", "c"]) == \
        ["array:float64:2", "float"]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_source_of_array_functions_without_arguments(mode):
    text = ad.source(mixture, mode)
    assert "def mixture_" in text and ("balphas" in text or "dalphas" in text)
    assert "def matrix_vector_" in ad.source(matrix_vector, mode)
    assert "n, d = x.shape" in ad.grad(centred_norms).source


def test_given_kinds_override_the_inferred_ones():
    text = ad.source(matrix_vector, kinds=[None, None, "float"])
    assert "bA" in text
    assert parse_kinds("v=f64[:], A=f32[:,:], scale=float", ["A", "v", "scale"]) == \
        ["array:float32:2", "array:float64:1", "float"]
    with pytest.raises(ValueError, match="no parameter 'q'"):
        parse_kinds("q=int", ["A"])


def test_cli_takes_example_types():
    path = os.path.join("tests", "api", "test_source_without_arguments.py")
    result = subprocess.run([sys.executable, "-m", "adcompiler", "show", f"{path}:matrix_vector",
                             "--args", "A=f64[:,:], v=f64[:]"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "def matrix_vector_vjp(A, v, scale, bout):" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "adcompiler", "show", f"{path}:matrix_vector",
                          "--args", "A=f64[:"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and bad.stderr.startswith("error: --args")


def test_inferred_source_is_the_compiled_one():
    A, v = np.ones((2, 3)), np.arange(3.0)
    g = ad.grad(matrix_vector, backend="python")
    g(A, v, 2.0)
    assert g.source == ad.source(matrix_vector, args=(A, v, 2.0), backend="python")


def test_source_attribute_before_any_call_reads_the_kinds_too():
    assert "bmeans" in ad.grad(mixture, wrt=1).source
    assert "def matrix_vector_" in ad.hessian(matrix_vector, wrt=1).source
