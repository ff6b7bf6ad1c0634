"""Elementwise array results used once are printed inside the expression using them (one loop
and one new array under Numba), never moved past a write, and the values stay bit for bit."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads


def gate(x, w, b):
    return np.sum(1.0 / (1.0 + np.exp(-(x * w + b))))


def read_after_a_write(x):
    y = x * 2.0
    t = y + 1.0
    y[0] = 5.0
    return np.sum(t * x) + np.sum(y)


def used_twice(x):
    t = x * 3.0
    return np.sum(t * t + t)


ARGS = {gate: (np.array([0.3, -1.2, 0.8]), np.array([1.5, 0.2, -0.7]), np.array([0.1, 0.0, 0.4])),
        read_after_a_write: (np.array([0.3, -1.2, 0.8]),),
        used_twice: (np.array([0.3, -1.2, 0.8]),)}


def test_a_chain_of_elementwise_ops_is_one_expression():
    src = ad.source(gate, args=ARGS[gate], wrt=(0, 1, 2))
    assert "t1_ = np.exp((-(t + b)))" in src, src      # t = x * w is read twice


def test_nothing_is_moved_past_a_write():
    src = ad.source(read_after_a_write, args=ARGS[read_after_a_write])
    lines = src.splitlines()
    written = next(k for k, line in enumerate(lines) if "y[0] = 5.0" in line)
    assert any("y + 1.0" in line for line in lines[:written]), src


def test_a_value_used_twice_keeps_its_name():
    src = ad.source(used_twice, args=ARGS[used_twice])
    assert "t = x * 3.0" in src, src


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn", [gate, read_after_a_write, used_twice],
                         ids=["gate", "read_after_a_write", "used_twice"])
def test_values_and_gradients(fn, backend):
    args = ARGS[fn]
    value = ad.value_and_grad(fn, backend=backend)(*[np.copy(a) for a in args])[0]
    assert value == fn(*[np.copy(a) for a in args])
    check_grads(fn, args, order=2 if backend == "python" else 1, backend=backend)
