"""Gradient time / Numba primal time for the three array examples (medians).

    python benchmarks/bench_examples.py [--repeat 21]

The primal is the same Python function compiled with ``numba.njit`` (helpers it calls are
njit-compiled too); the gradient is ``ad.value_and_grad`` on the default Numba backend, so
both include one evaluation of the function.
"""
import argparse
import os
import sys
import types

import numba
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))

import adcompiler as ad  # noqa: E402
from bench_scalar import median_time  # noqa: E402
import heat_inverse  # noqa: E402
import mlp_training  # noqa: E402
import polynomial_regression  # noqa: E402


def jit_with_helpers(fn, helpers):
    """``numba.njit(fn)`` where the helpers it calls are njit-compiled as well."""
    namespace = dict(fn.__globals__)
    namespace.update({h.__name__: numba.njit(h) for h in helpers})
    return numba.njit(types.FunctionType(fn.__code__, namespace, fn.__name__))


def cases():
    rng = np.random.default_rng(0)
    x = np.linspace(-3.0, 3.0, 64)
    y = np.sin(x)
    h = 16
    mlp_args = (rng.normal(size=h), np.zeros(h), 0.1 * rng.normal(size=h), 0.0, x, y)
    yield "mlp_training", mlp_training.loss, (), mlp_args, (0, 1, 2, 3)
    xs = np.linspace(-1.0, 1.0, 200)
    yield ("polynomial_regression", polynomial_regression.loss, (polynomial_regression.predict,),
           (rng.normal(size=4), xs, np.cos(xs)), (0,))
    n, steps = 41, 200
    grid = np.linspace(0.0, 1.0, n)
    u0 = np.exp(-80.0 * (grid - 0.4) ** 2)
    observed = heat_inverse.simulate(u0, 0.23, steps)[steps]
    yield ("heat_inverse", heat_inverse.misfit, (heat_inverse.simulate,),
           (0.1, u0, observed, steps), (0,))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21)
    opts = parser.parse_args()
    print(f"{'example':<24}{'numba primal':>14}{'gradient':>12}{'ratio':>8}")
    for name, fn, helpers, args, wrt in cases():
        primal = median_time(jit_with_helpers(fn, helpers), *args, repeat=opts.repeat)
        gradient = median_time(ad.value_and_grad(fn, wrt=wrt), *args, repeat=opts.repeat)
        print(f"{name:<24}{primal * 1e6:>12.1f}us{gradient * 1e6:>10.1f}us{gradient / primal:>8.2f}")


if __name__ == "__main__":
    main()
