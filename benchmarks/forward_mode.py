"""Forward mode on the suite's workloads (issue 11, item 5: ``ad.jvp`` within 1.5x of the
primal): one JVP along a random direction in every differentiated argument, checked against
finite differences of the Numba primal, then timed against ``numba.njit`` of the same source,
interleaved, median of 7 rounds, single thread.

    python benchmarks/forward_mode.py [--quick] [--only gmm,rd,...]
"""
import argparse
import os
import sys

if __name__ == "__main__":     # single thread, set before Numba is imported (not on import:
    for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",   # a test imports
                 "OPENBLAS_NUM_THREADS"):                                     # this module)
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import workloads as w  # noqa: E402

import adcompiler as ad  # noqa: E402


def jvp_target(family, args):
    """(function, its arguments): a JVP has a tangent for every float argument, so the GMM's
    Wishart parameters (through math.lgamma, which has no rule) are closed over, as one
    would with functools.partial before jax.jvp."""
    if family.key == "gmm":
        x, gamma, m = args[3:]
        return (lambda alphas, means, icf: w.gmm_objective(alphas, means, icf, x, gamma, m)), \
            args[:3]
    return family.natural, args


def tangents_for(family, args, rng):
    """A random direction in each differentiated argument, zero (or 0) in the others."""
    out = []
    for i, a in enumerate(args):
        if i in family.wrt:
            out.append(rng.normal(size=np.shape(a)) if np.ndim(a) else float(rng.normal()))
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f":
            out.append(np.zeros_like(a))
        else:
            out.append(0.0 if isinstance(a, float) else 0)
    return out


def check(family, args, tangents, jvp_value, primal):
    """Relative error of the JVP against a 4th-order central difference along ``tangents``."""
    def at(step):
        moved = [a + step * t if i in family.wrt else a
                 for i, (a, t) in enumerate(zip(args, tangents))]
        return float(primal(*moved))
    h = 1e-4
    fd = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h)
    noise = 1e-13 * abs(at(0.0)) / h
    return abs(jvp_value - fd) / max(abs(fd), noise / 1e-5, 1e-300)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the suite's small sizes")
    parser.add_argument("--only", help="comma-separated families (not ba: it has no scalar "
                                       "objective)")
    parser.add_argument("--rounds", type=int, default=7)
    opts = parser.parse_args(argv)
    sizes = harness.SIZES["quick" if opts.quick else "full"]
    only = set(opts.only.split(",")) if opts.only else None
    rng = np.random.default_rng(7)
    print("| workload | size | numba.njit primal | ad.jvp | jvp / primal | error against "
          "differences |")
    print("|---|---|---|---|---|---|")
    for key, family in harness.families().items():
        if family.kind != "grad" or (only is not None and key not in only):
            continue
        primal = harness.njit_deep(family.primal)
        for size in sizes[key]:
            args = family.make(**size)
            fn, fn_args = jvp_target(family, args)
            tangents = tangents_for(family, fn_args, rng)
            _, tangent = ad.jvp(fn, fn_args, tangents)
            err = check(family, args, tangents + [0] * (len(args) - len(fn_args)),
                        float(tangent), primal)
            t_primal, t_jvp = None, None
            for _ in range(2):          # interleaved: primal, jvp, primal, jvp
                t_primal = harness.per_call(lambda: primal(*args), opts.rounds)
                t_jvp = harness.per_call(lambda: ad.jvp(fn, fn_args, tangents), opts.rounds)
            print(f"| {family.title} | {family.size_label(size)} | {t_primal * 1e6:.1f} us | "
                  f"{t_jvp * 1e6:.1f} us | {t_jvp / t_primal:.2f}x | {err:.0e} |", flush=True)


if __name__ == "__main__":
    main()
