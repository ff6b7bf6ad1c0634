"""Parallel loops: gradient and tangent of prange workloads against their Numba primal,
serial and parallel, on the CPU cores (and on the GPU with backend="cuda" where one is
found, beside jax.jit(jax.grad) on JAX's default device when JAX is installed).

    python benchmarks/parallel.py [--n N] [--steps T] [--rounds R]

Prints a table of medians (milliseconds) and ratios to the serial Numba primal of the same
source. Not part of make test.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import numba

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import adcompiler as ad  # noqa: E402
from adcompiler import prange  # noqa: E402


def rd_parallel(u0, kappa, y, steps, dt):
    """benchmarks/workloads.py's reaction_diffusion with the cell loop a prange loop."""
    n = len(u0)
    u = u0.copy()
    for t in range(steps):
        new = np.empty(n)
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in prange(1, n - 1):
            lap = u[i - 1] - 2.0 * u[i] + u[i + 1]
            new[i] = u[i] + dt * (kappa * lap + u[i] * (1.0 - u[i]))
        u = new
    return np.sum((u - y) ** 2)


def map_reduce(x, w):
    """A map with a transcendental per element and a reduction (its adjoint saves t)."""
    y = np.empty(x.shape[0])
    s = 0.0
    for i in prange(x.shape[0]):
        t = math.tanh(w * x[i])
        y[i] = t * t
        s += t * x[i]
    return np.sum(y) + s


def scatter(x, idx, w):
    """Accumulation into elements with many collisions (private accumulators)."""
    acc = np.zeros(64)
    for i in prange(x.shape[0]):
        acc[idx[i]] += math.sin(w * x[i])
    return np.sum(acc * acc)


def median_ms(thunk, rounds):
    thunk()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        thunk()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def jax_rd(n):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def loss(u0, kappa, y, steps, dt):
        def step(_, u):
            lap = u[:-2] - 2.0 * u[1:-1] + u[2:]
            inner = u[1:-1] + dt * (kappa * lap + u[1:-1] * (1.0 - u[1:-1]))
            return jnp.concatenate([u[:1], inner, u[-1:]])
        u = jax.lax.fori_loop(0, steps, step, u0)
        return jnp.sum((u - y) ** 2)
    return jax.jit(jax.grad(loss, argnums=(0, 1)), static_argnums=(3,))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    opts = parser.parse_args(argv)
    found = ad.devices()
    print(f"# parallel loops: {numba.get_num_threads()} CPU threads; GPU: {found['reason']}\n")
    rng = np.random.default_rng(0)
    n = opts.n
    grid = np.linspace(0.0, 1.0, n)
    rd_args = (0.5 + 0.4 * np.sin(6.0 * grid), 1.0, 0.5 + 0.3 * np.cos(4.0 * grid),
               opts.steps, 0.002)
    x = rng.normal(size=n)
    workloads = [("reaction-diffusion 1-d", rd_parallel, rd_args, (0, 1)),
                 ("map + reduction", map_reduce, (x, 0.7), (0, 1)),
                 ("scatter into 64 elements", scatter, (x, rng.integers(0, 64, n), 0.7), (0, 2))]
    print("| workload | numba primal | parallel primal | grad | grad / primal | jvp | jvp / primal |"
          + (" cuda grad |" if found["cuda"] else ""))
    print("|---|---|---|---|---|---|---|" + ("---|" if found["cuda"] else ""))
    for title, fn, args, wrt in workloads:
        serial = numba.njit(fn)
        parallel = numba.njit(parallel=True)(fn)
        t_serial = median_ms(lambda: serial(*args), opts.rounds)
        t_parallel = median_ms(lambda: parallel(*args), opts.rounds)
        grad = ad.grad(fn, wrt=wrt, backend="numba")
        t_grad = median_ms(lambda: grad(*args), opts.rounds)
        tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) and a.dtype == float
                         else np.zeros_like(a) if isinstance(a, np.ndarray)
                         else (1.0 if isinstance(a, float) else 0) for a in args)
        t_jvp = median_ms(lambda: ad.jvp(fn, args, tangents, backend="numba"), opts.rounds)
        row = (f"| {title} (n={n}) | {t_serial:.1f} | {t_parallel:.1f} | {t_grad:.1f} | "
               f"{t_grad / t_serial:.2f} | {t_jvp:.1f} | {t_jvp / t_serial:.2f} |")
        if found["cuda"]:
            cgrad = ad.grad(fn, wrt=wrt, backend="cuda")
            row += f" {median_ms(lambda: cgrad(*args), opts.rounds):.1f} |"
        print(row)
    jgrad = jax_rd(n)
    if jgrad is not None:
        import jax
        jargs = tuple(jax.numpy.asarray(a) if isinstance(a, np.ndarray) else a for a in rd_args)
        t = median_ms(lambda: jax.block_until_ready(jgrad(*jargs)), opts.rounds)
        print(f"\njax.jit(jax.grad) of reaction-diffusion on {jax.devices()[0].platform}: {t:.1f} ms")


if __name__ == "__main__":
    main()
