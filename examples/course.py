"""The two textbook examples of an automatic-differentiation course, done with adcompiler.

    l(x, y)   = 3 * (x*y + y)           dl/dx = 3y,   dl/dy = 3(x + 1)
    f(x1, x2) = x1*x2 + sin(x2)         df/dx1 = x2,  df/dx2 = x1 + cos(x2)

For each: the value, the gradient by reverse mode (ad.grad), the partial derivatives by
forward mode (ad.jvp, one seed direction per input), a central finite-difference check, and
finally the adjoint code adcompiler generated for f.

    .venv/bin/python examples/course.py
"""
import inspect
import math

import adcompiler as ad


def l(x, y):
    return 3 * (x * y + y)


def f(x1, x2):
    return x1 * x2 + math.sin(x2)


def central_difference(fn, args, i, h=1e-6):
    """(fn(.., a_i + h, ..) - fn(.., a_i - h, ..)) / 2h: the check, not the method."""
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


def study(fn, args, exact):
    params = list(inspect.signature(fn).parameters)
    shown = ", ".join(f"{p}={a}" for p, a in zip(params, args))
    print(f"{fn.__name__}({shown}) = {fn(*args):.10f}")

    grads = ad.grad(fn, wrt=(0, 1))(*args)                      # reverse mode: one sweep
    tangents = []
    for i in range(len(args)):                                  # forward mode: one run per input
        seed = [0.0] * len(args)
        seed[i] = 1.0
        _, tangent = ad.jvp(fn, args, seed)
        tangents.append(tangent)
    differences = [central_difference(fn, args, i) for i in range(len(args))]

    print(f"  {'':8}{'reverse (grad)':>18}{'forward (jvp)':>18}{'finite diff.':>18}{'by hand':>18}")
    for i in range(len(args)):
        print(f"  {'d/d' + params[i]:<8}{grads[i]:>18.10f}{tangents[i]:>18.10f}{differences[i]:>18.10f}"
              f"{exact[i]:>18.10f}")
        assert abs(grads[i] - exact[i]) < 1e-12 and abs(tangents[i] - exact[i]) < 1e-12
        assert abs(differences[i] - exact[i]) < 1e-6
    print()


if __name__ == "__main__":
    x, y = 2.0, 3.0
    study(l, (x, y), exact=(3 * y, 3 * (x + 1)))

    x1, x2 = 2.0, 5.0
    study(f, (x1, x2), exact=(x2, x1 + math.cos(x2)))

    print("Generated adjoint of f (ad.grad(f, wrt=(0, 1)).source):\n")
    print(ad.grad(f, wrt=(0, 1)).source)
