"""Objects the generated code calls (externals): each object has its own name in the module,
and derivatives calling different objects never share a module, even where the objects have
one name (closures made by one factory)."""
import numba
import pytest

import adcompiler as ad

BACKENDS = ["python", "numba"]


def make_shift(c):
    @numba.njit
    def shift(v):
        return v + c
    return ad.non_differentiable(shift, returns=float)


SHIFT_1, SHIFT_100 = make_shift(1.0), make_shift(100.0)     # both 'make_shift.<locals>.shift'


def two_shifts(x):
    return x * SHIFT_1(0.0) + SHIFT_100(0.0)


def make_scaled(c):
    shift = make_shift(c)

    def scaled(x):
        return x * shift(0.0)
    return scaled


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_objects_of_one_name_in_one_function(backend):
    assert ad.value_and_grad(two_shifts, backend=backend)(2.0) == (two_shifts(2.0), 1.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_derivatives_of_one_source_calling_different_objects(backend):
    f1, f2 = make_scaled(1.0), make_scaled(100.0)
    d1, d2 = ad.value_and_grad(f1, backend=backend), ad.value_and_grad(f2, backend=backend)
    assert d1(2.0) == (2.0, 1.0)
    assert d2(2.0) == (200.0, 100.0)
    assert d1(2.0) == (2.0, 1.0)


def test_the_module_names_its_externals():
    import math

    def gamma_of_three(x):
        return x * math.gamma(3.0)
    compiled = ad.api._compiled(gamma_of_three, "reverse", ["float"], (0,), "python")
    compiled(1.0, 1.0)
    module = __import__("sys").modules[compiled._callable.__module__]
    assert "# _ext0 = math.gamma\n" in open(module.__file__).read()
