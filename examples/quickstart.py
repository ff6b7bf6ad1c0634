"""Quickstart: a loop with a branch, its gradient, its tangent and its generated adjoint."""
import math

import adcompiler as ad


def f(x, y):
    s = 0.0
    for i in range(10):
        if s < 1.0:
            s = s + x * math.sin(y * i)
        else:
            s = s * 0.5
    return s * y


def central_difference(fn, args, i, h=1e-6):
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


if __name__ == "__main__":
    df = ad.grad(f, wrt=(0, 1))              # reverse mode, compiled with Numba
    gx, gy = df(0.3, 1.2)
    print(f"f(0.3, 1.2)      = {f(0.3, 1.2):.12f}")
    print(f"grad (reverse)   = ({gx:.12f}, {gy:.12f})")
    print(f"finite diff.     = ({central_difference(f, (0.3, 1.2), 0):.12f}, "
          f"{central_difference(f, (0.3, 1.2), 1):.12f})")
    out, tout = ad.jvp(f, (0.3, 1.2), (1.0, 0.0))   # forward mode
    print(f"jvp (forward)    = {tout:.12f}  (d/dx)")
    print("\nGenerated adjoint source:\n")
    print(df.source)
