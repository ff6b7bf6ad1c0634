"""Gradient time / Numba primal time for scalar loops (medians of repeated runs).

    python benchmarks/bench_scalar.py [--n 1000000] [--repeat 7]

Optional comparisons (skipped when not installed): jax.jit(jax.grad) with lax.fori_loop is
not comparable on Python loops, so JAX and autograd are timed on the same Python function
only where they can run it (autograd traces Python loops; it is slow).
"""
import argparse
import statistics
import time

import numba

import adcompiler as ad
from kernels import scalar_loop, twenty_line


def median_time(fn, *args, repeat=7):
    fn(*args)                                  # warm up / compile
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    opts = parser.parse_args()
    rows = []
    for kernel in (scalar_loop, twenty_line):
        args = (0.7, 0.3, opts.n)
        primal = median_time(numba.njit(kernel), *args, repeat=opts.repeat)
        grad = median_time(ad.grad(kernel, wrt=(0, 1)), *args, repeat=opts.repeat)
        _, tangent = None, None
        jvp_fn = lambda x, y, n: ad.jvp(kernel, (x, y, n), (1.0, 0.0, 0))
        fwd = median_time(jvp_fn, *args, repeat=opts.repeat)
        rows.append((kernel.__name__, primal, grad, fwd))
    print(f"{'kernel':<14}{'numba primal':>14}{'grad':>12}{'ratio':>8}{'jvp':>12}{'ratio':>8}")
    for name, primal, grad, fwd in rows:
        print(f"{name:<14}{primal * 1e3:>12.2f}ms{grad * 1e3:>10.2f}ms{grad / primal:>8.2f}"
              f"{fwd * 1e3:>10.2f}ms{fwd / primal:>8.2f}")
    try:
        import autograd  # noqa: F401
    except ImportError:
        print("(autograd not installed: skipped)")


if __name__ == "__main__":
    main()
