"""A failure of Numba while compiling generated code is a BackendError (whatever Numba
raises); an exception raised by the running code passes through unchanged."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.backends import NumbaFunction

pytest.importorskip("numba")


def integer_ratio(n, m):
    return n // m


class CrashingDispatcher:
    """Stands for a numba dispatcher whose compiler fails with an internal assertion."""
    overloads = {}

    def __call__(self, *args):
        raise AssertionError("'x_1' not unique")

    def typeof_pyval(self, value):
        import numba
        return numba.typeof(value)


def test_internal_error_while_compiling_is_a_backend_error():
    fn = NumbaFunction(integer_ratio, "generated.py")
    fn.jitted = CrashingDispatcher()
    with pytest.raises(ad.BackendError, match="AssertionError: 'x_1' not unique"):
        fn(1, 2)


def test_error_of_the_running_code_passes_through():
    fn = NumbaFunction(integer_ratio, "generated.py")
    assert fn(7, 2) == 3
    with pytest.raises(ZeroDivisionError):
        fn(1, 0)


def test_reassigned_names_and_their_versions_do_not_collide():
    # a branch assigns ba twice over (Numba versions it ba.1, ba.2) next to array expressions
    def f(x, a):
        return np.prod(np.tanh(a)) + (np.max(a) if x > 0.0 else x)
    ad.testing.check_grads(f, (0.3, np.array([0.3, -0.2, 0.7])), backend="numba")
