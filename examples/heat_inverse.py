"""Recover the diffusivity of an explicit 1-D heat equation from its final state.

The solver writes every time step into one 2-d array with in-place updates inside two
nested loops; the gradient of the misfit with respect to the diffusivity flows back
through all of them (the reverse sweep restores each overwritten element).
"""
import numpy as np

import adcompiler as ad


def simulate(u0, kappa, steps):
    n = len(u0)
    U = np.zeros((steps + 1, n))
    for i in range(n):
        U[0, i] = u0[i]
    for t in range(steps):
        for i in range(1, n - 1):
            U[t + 1, i] = U[t, i] + kappa * (U[t, i + 1] - 2.0 * U[t, i] + U[t, i - 1])
    return U


def misfit(kappa, u0, observed, steps):
    U = simulate(u0, kappa, steps)
    final = U[steps]
    return np.sum((final - observed) ** 2)


def main(true_kappa=0.23, steps=200, n=41):
    x = np.linspace(0.0, 1.0, n)
    u0 = np.exp(-80.0 * (x - 0.4) ** 2)
    observed = simulate(u0, true_kappa, steps)[steps]
    value_and_grad = ad.value_and_grad(misfit)
    kappa = 0.1
    for it in range(30):
        value, g = value_and_grad(kappa, u0, observed, steps)
        print(f"iteration {it:2d}   kappa {kappa:.8f}   misfit {value:.3e}   d misfit/d kappa {g:.3e}")
        if value < 1e-22:
            break
        # the misfit is close to a(kappa - k*)^2 near the answer, so 2 f / f' is the
        # distance to k*: a Newton step on the misfit's square root, capped for safety
        kappa = kappa - float(np.clip(2.0 * value / g, -0.05, 0.05))
    print(f"recovered kappa = {kappa:.6f} (true {true_kappa})")
    return kappa


if __name__ == "__main__":
    kappa = main()
    assert abs(kappa - 0.23) < 1e-4, kappa
