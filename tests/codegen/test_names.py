"""Generated names never end in a digit: Numba derives names by appending digits (the load
of ``x`` at bytecode offset 770 is ``$x770.N``, like the load of ``x7`` at offset 70; the
SSA version ``x.1`` of ``x`` becomes ``x_1`` in array expressions), and a clash breaks its
compiler ("Undecided type", "'x_1' not unique")."""
import math
import re

import numpy as np

import adcompiler as ad


def many_temporaries(x1, x12, a0):
    s = x1
    for i in range(3):
        if s > 0.0:
            s = s * np.sum(np.tanh(a0 * x12)) + x1
        else:
            s = s - x12 * x1
    return s + np.sum(a0 * a0) * x12


def assigned_names(text):
    names = set(re.findall(r"^\s*def \w+\((.*)\):", text, re.M)[0].replace(" ", "").split(","))
    for targets in re.findall(r"^\s*([\w, ]+?)\s*(?:[-+*/]?=)(?!=)", text, re.M):
        names.update(t.strip() for t in targets.split(","))
    names.update(re.findall(r"^\s*for (\w+) in", text, re.M))
    return names


def test_no_generated_name_ends_in_a_digit():
    args = (0.3, 0.7, np.array([0.2, -0.4]))
    for mode in ("reverse", "forward"):
        text = ad.source(many_temporaries, mode=mode, wrt=(0, 1, 2), args=args)
        names = assigned_names(text)
        assert {"x1_", "x12_", "a0_"} <= names
        assert len(names) > 20
        assert not [n for n in names if n[-1].isdigit()], text


def test_numbered_names_are_readable():
    text = ad.source(many_temporaries, wrt=0, args=(0.3, 0.7, np.array([0.2, -0.4])))
    assert "t1_ = " in text and "bs" in text


def math_calls(x):
    return math.exp(x) + math.tan(x + 3.53) + math.tanh(x + 3.88) + math.atan(x + 2.05)


def test_math_functions_are_spelled_as_the_user_wrote_them():
    # np.exp and math.exp differ in the last bit for some inputs (x = -1.946066276384646):
    # the primal a derivative returns is the user's own value, bit for bit
    x = -1.946066276384646
    for backend in ("python",):
        value, _ = ad.value_and_grad(math_calls, backend=backend)(x)
        assert value == math_calls(x)
        out, _ = ad.jvp(math_calls, (x,), (1.0,), backend=backend)
        assert out == math_calls(x)
    assert "math.exp(x)" in ad.source(math_calls)
