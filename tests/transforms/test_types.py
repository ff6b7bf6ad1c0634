"""Type inference: a value that is an array on one path and a scalar on another is the
user's mistake, reported as a located CompileError naming the value."""
import numpy as np
import pytest

import adcompiler as ad


def scalar_or_array_expression(a, c):
    y = a if c > 0.0 else 0.0
    return np.sum(y)


def scalar_then_array_in_branch(a, c):
    y = 0.0
    if c > 0.0:
        y = a
    return np.sum(y)


def scalar_then_array_in_loop(a, n):
    y = 0.0
    for i in range(n):
        y = a * 2.0
    return np.sum(y)


@pytest.mark.parametrize("fn,args,line", [
    (scalar_or_array_expression, (np.ones(2), 1.0), "y = a if c > 0.0 else 0.0"),
    (scalar_then_array_in_branch, (np.ones(2), 1.0), "if c > 0.0:"),
    (scalar_then_array_in_loop, (np.ones(2), 2), "for i in range(n):"),
])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_array_on_one_path_scalar_on_another(fn, args, line, mode):
    with pytest.raises(ad.CompileError, match="'y' is .* on one path and .* on another") as info:
        ad.source(fn, mode=mode, wrt=0, args=args)
    assert line in str(info.value)
