"""A 2-D reaction-diffusion inverse problem with parallel loops: find the diffusion and
reaction rates that turn a known initial state into an observed final one.

Each time step updates the grid's rows in a ``prange`` loop. adcompiler differentiates the
whole time loop; with ``backend="auto"`` each parallel loop of the simulation, of its
tangent and of its adjoint runs as a CUDA kernel when a GPU is present
(``ad.devices()`` says what was found), and on all CPU cores otherwise.

    python examples/gpu_heat.py
"""
import time

import numpy as np

import adcompiler as ad
from adcompiler import prange


def simulate(u0, kappa, rate, steps, dt):
    """Explicit Euler steps of u_t = kappa * laplacian(u) + rate * u * (1 - u), u fixed on
    the boundary."""
    u = u0.copy()
    n, m = u.shape
    for t in range(steps):
        new = u.copy()                   # the boundary stays; the interior is recomputed
        for i in prange(1, n - 1):
            for j in range(1, m - 1):
                lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
                new[i, j] = u[i, j] + dt * (kappa * lap + rate * u[i, j] * (1.0 - u[i, j]))
        u = new
    return u


def misfit(kappa, rate, u0, observed, steps, dt):
    final = simulate(u0, kappa, rate, steps, dt)
    return 0.5 * np.sum((final - observed) ** 2)


def main(n=48, steps=40, dt=0.05):
    found = ad.devices()
    print(f"backend 'auto' runs on: {found['auto']} ({found['reason']})")
    rng = np.random.default_rng(0)
    u0 = np.clip(0.5 + 0.2 * rng.standard_normal((n, n)), 0.0, 1.0)
    true_kappa, true_rate = 0.8, 2.0
    observed = simulate(u0, true_kappa, true_rate, steps, dt)

    value_and_grad = ad.value_and_grad(misfit, wrt=(0, 1), backend="auto")
    params = np.array([0.3, 1.0])
    start = time.perf_counter()
    value, grads = value_and_grad(params[0], params[1], u0, observed, steps, dt)
    print(f"first gradient (compiling included): {time.perf_counter() - start:.1f} s")

    # the gradient agrees with central differences of the misfit
    h = 1e-6
    fd = (misfit(params[0] + h, params[1], u0, observed, steps, dt)
          - misfit(params[0] - h, params[1], u0, observed, steps, dt)) / (2 * h)
    print(f"d misfit / d kappa: adcompiler {grads[0]:.8f}, central differences {fd:.8f}")

    # Gauss-Newton would be faster; plain gradient descent with a backtracking step is enough
    step = 1e-3
    start = time.perf_counter()
    for it in range(200):
        value, grads = value_and_grad(params[0], params[1], u0, observed, steps, dt)
        g = np.array(grads)
        while True:
            trial = params - step * g
            trial_value = value_and_grad(trial[0], trial[1], u0, observed, steps, dt)[0]
            if trial_value < value or step < 1e-12:
                break
            step *= 0.5
        params, step = trial, step * 1.5
        if value < 1e-16:
            break
    elapsed = time.perf_counter() - start
    print(f"{it + 1} gradient steps in {elapsed:.2f} s: misfit {value:.3e}")
    print(f"recovered kappa = {params[0]:.4f} (true {true_kappa}), "
          f"rate = {params[1]:.4f} (true {true_rate})")


if __name__ == "__main__":
    main()
