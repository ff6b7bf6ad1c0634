"""The workloads' families, the systems compared on them, the gradient checks and the timing.

``suite.py`` drives this module from fresh processes; ``tests/test_benchmarks.py`` calls it
directly on tiny sizes.

A *family* is one objective (GMM, the reaction-diffusion loop, ...) with its data generator,
the positions it is differentiated with respect to, and the implementations of every system.
A *system* turns the arguments into a thunk computing the gradient (or, for bundle adjustment,
every observation's Jacobian block); the thunks are what is timed.
"""
import gc
import math
import os
import statistics
import sys
import time
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for path in (HERE, os.path.join(ROOT, "examples")):
    if path not in sys.path:
        sys.path.insert(0, path)

import adcompiler as ad  # noqa: E402
import vectorised  # noqa: E402
import workloads as w  # noqa: E402


class Refused(Exception):
    """adcompiler refused the function (the first line of its CompileError)."""


class Missing(Exception):
    """An optional system (JAX, autograd) is not installed."""


# -- the primal: numba.njit of the same source -------------------------------------------------

_JITTED = {}


def njit_deep(fn):
    """``numba.njit(fn)``, with the functions of fn's own module that it calls jitted too."""
    import numba
    if fn in _JITTED:
        return _JITTED[fn]
    namespace = dict(fn.__globals__)
    for name in fn.__code__.co_names:
        helper = fn.__globals__.get(name)
        if isinstance(helper, types.FunctionType) and helper.__module__ == fn.__module__:
            namespace[name] = njit_deep(helper)
    jitted = numba.njit(types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__))
    _JITTED[fn] = jitted
    return jitted


# -- families ----------------------------------------------------------------------------------

class Family:
    """One objective and the implementations of each system.

    ``make(**size)`` returns the arguments; ``natural`` is the function as a user writes it
    (its ``numba.njit`` is the primal every ratio divides by); ``variant`` is a second
    adcompiler formulation, timed under ``variant_label`` (the hoisted form of a refused
    natural one, or another way to get the same derivative); ``hand`` a Numba function
    returning ``(value, gradients)``; ``jax``/``autograd`` builders from ``vectorised``.
    ``kind`` is ``"grad"`` (a scalar objective) or ``"blocks"`` (bundle adjustment: the
    Jacobian block of every observation).
    """

    def __init__(self, key, title, make, wrt, natural, *, variant=None, variant_label=None,
                 hand=None, jax=None, autograd=None, kind="grad", primal=None, scale=None,
                 size_label=None):
        self.key, self.title, self.make, self.wrt = key, title, make, wrt
        self.natural, self.variant, self.variant_label = natural, variant, variant_label
        self.hand, self.jax, self.autograd, self.kind = hand, jax, autograd, kind
        self.primal = primal or natural
        self.scale = scale                    # the size parameter the scaling plot doubles
        self.size_label = size_label or (lambda size: " ".join(f"{k}={v}"
                                                                for k, v in size.items()))


def _mlp_data(points, hidden):
    rng = np.random.default_rng(0)
    x = np.linspace(-3.0, 3.0, points)
    # biases away from zero: at zero the symmetric data makes their derivatives vanish
    return (rng.normal(size=hidden), 0.1 * rng.normal(size=hidden),
            0.1 * rng.normal(size=hidden), 0.1, x, np.sin(x))


def _heat_data(n, steps):
    import heat_inverse
    grid = np.linspace(0.0, 1.0, n)
    u0 = np.exp(-80.0 * (grid - 0.4) ** 2)
    observed = heat_inverse.simulate(u0, 0.23, steps)[steps]
    return 0.1, u0, observed, steps


def _poly_data(points, degree):
    rng = np.random.default_rng(0)
    xs = np.linspace(-1.0, 1.0, points)
    return rng.normal(size=degree + 1), xs, np.cos(xs)


def _families():
    import adjoints
    import heat_inverse
    import mlp_training
    import polynomial_regression
    return [
        Family("gmm", "GMM objective", w.gmm_data, (0, 1, 2), w.gmm_objective,
               variant=w.gmm_objective_hoisted, variant_label="hoisted variant",
               hand=adjoints.gmm_value_and_grad, jax=vectorised.jax_gmm,
               autograd=vectorised.autograd_gmm, scale="n"),
        Family("rd", "reaction-diffusion time loop", w.reaction_diffusion_data, (0, 1),
               w.reaction_diffusion, variant=w.reaction_diffusion_hoisted,
               variant_label="hoisted variant", hand=adjoints.reaction_diffusion_value_and_grad,
               jax=vectorised.jax_reaction_diffusion,
               autograd=vectorised.autograd_reaction_diffusion, scale="steps"),
        Family("lstm", "LSTM objective", w.lstm_data, (0, 1), w.lstm_objective,
               jax=vectorised.jax_lstm, autograd=vectorised.autograd_lstm, scale="c"),
        Family("ba", "bundle adjustment, Jacobian blocks", w.ba_data, (0, 1, 2),
               w.reprojection_error, primal=w.reprojection_errors,
               variant=w.reprojection_error,
               variant_label="ad.vmap(ad.jacobian) over all observations",
               jax=vectorised.jax_ba, autograd=vectorised.autograd_ba, kind="blocks", scale="p"),
        Family("ode", "RK4 ODE integration", w.ode_data, (0,), w.ode_solve,
               variant=w.ode_solve_hoisted, variant_label="hoisted variant",
               hand=adjoints.ode_value_and_grad, jax=vectorised.jax_ode,
               autograd=vectorised.autograd_ode, scale="s"),
        Family("mlp", "MLP example", _mlp_data, (0, 1, 2, 3), mlp_training.loss,
               jax=vectorised.jax_mlp, autograd=vectorised.autograd_mlp, scale="points"),
        Family("heat", "heat-inverse example", _heat_data, (0,), heat_inverse.misfit,
               jax=vectorised.jax_heat, autograd=vectorised.autograd_heat, scale="steps"),
        Family("poly", "polynomial-regression example", _poly_data, (0,),
               polynomial_regression.loss, jax=vectorised.jax_poly,
               autograd=vectorised.autograd_poly, scale="points"),
    ]


_FAMILIES = None


def families():
    global _FAMILIES
    if _FAMILIES is None:
        _FAMILIES = {f.key: f for f in _families()}
    return _FAMILIES


# The sizes: the sizes in full runs, small ones for --quick. The scaling runs double
# one size parameter three times (twice with --quick) from a base that ends at about the
# timing size.
SIZES = {
    "full": {
        "gmm": [dict(d=2, K=5, n=1000), dict(d=10, K=25, n=10000), dict(d=64, K=50, n=1000)],
        "rd": [dict(n=1000, steps=1000)],
        "lstm": [dict(layers=2, b=14, c=1024)],
        "ba": [dict(n_cams=21, n_points=2000, p=4000)],
        "ode": [dict(n=1000, s=1000)],
        "mlp": [dict(points=64, hidden=16)],
        "heat": [dict(n=41, steps=200)],
        "poly": [dict(points=200, degree=3)],
    },
    "quick": {
        "gmm": [dict(d=2, K=5, n=100), dict(d=4, K=5, n=200), dict(d=8, K=5, n=50)],
        "rd": [dict(n=100, steps=100)],
        "lstm": [dict(layers=2, b=4, c=64)],
        "ba": [dict(n_cams=5, n_points=50, p=100)],
        "ode": [dict(n=50, s=100)],
        "mlp": [dict(points=64, hidden=16)],
        "heat": [dict(n=41, steps=200)],
        "poly": [dict(points=200, degree=3)],
    },
}

SCALING = {      # family: (base size, the parameter doubled three times)
    "full": [
        ("gmm", dict(d=10, K=25, n=500), "n"),
        ("rd", dict(n=1000, steps=125), "steps"),
        ("rd", dict(n=125, steps=1000), "n"),
        ("lstm", dict(layers=2, b=14, c=128), "c"),
        ("ba", dict(n_cams=21, n_points=2000, p=500), "p"),
        ("ode", dict(n=1000, s=125), "s"),
        ("mlp", dict(points=128, hidden=16), "points"),
        ("heat", dict(n=41, steps=250), "steps"),
        ("poly", dict(points=500, degree=3), "points"),
    ],
    "quick": [
        ("gmm", dict(d=4, K=5, n=100), "n"),
        ("rd", dict(n=100, steps=100), "steps"),
        ("ode", dict(n=50, s=100), "s"),
    ],
}


def size_name(family, size):
    return f"{family.key} {family.size_label(size)}"


# -- systems -----------------------------------------------------------------------------------

SYSTEMS = ("primal", "primal-variant", "adcompiler", "adcompiler-variant", "hand", "jax",
           "autograd")

LABELS = {
    "primal": "numba.njit primal",
    "primal-variant": "numba.njit primal of the variant",
    "adcompiler": "adcompiler",
    "adcompiler-variant": "adcompiler, variant",
    "hand": "hand-written Numba adjoint",
    "jax": "jax.jit(jax.grad)",
    "autograd": "autograd",
}


def refusal_line(error):
    """The first line of a CompileError, with the path made relative to the repository."""
    line = str(error).splitlines()[0]
    return line.replace(ROOT + os.sep, "")


def _adcompiler_grad(fn, wrt, args, backend):
    g = ad.grad(fn, wrt=wrt, backend=backend)

    def run():
        try:
            return g(*args)
        except ad.CompileError as e:
            raise Refused(refusal_line(e)) from None
    return run


def _adcompiler_blocks(args, backend):
    """Bundle adjustment as the issue asks: ad.jacobian of one observation, looped over all."""
    cams, X, weights, features, cam_index, point_index = args
    jac = ad.jacobian(w.reprojection_error, wrt=(0, 1, 2), backend=backend)
    p = len(weights)

    def run():
        jc, jx, jw = np.empty((p, 2, 11)), np.empty((p, 2, 3)), np.empty((p, 2))
        for j in range(p):
            try:
                jc[j], jx[j], jw[j] = jac(cams[cam_index[j]], X[point_index[j]], weights[j],
                                          features[j])
            except ad.CompileError as e:
                raise Refused(refusal_line(e)) from None
        return jc, jx, jw
    return run


def _adcompiler_blocks_vmap(args, backend):
    """The same blocks from ad.vmap(ad.jacobian(...)): the loop over the observations in
    compiled code (JAX's column is jax.jit(jax.vmap(jax.jacrev)))."""
    cams, X, weights, features, cam_index, point_index = args
    mapped = ad.vmap(ad.jacobian(w.reprojection_error, wrt=(0, 1, 2), backend=backend))

    def run():
        try:
            return mapped(cams[cam_index], X[point_index], weights, features)
        except ad.CompileError as e:
            raise Refused(refusal_line(e)) from None
    return run


def build(family, key, args, backend="numba"):
    """The thunk of system ``key`` on ``args``; raises Missing or KeyError (no such system)."""
    jit = (lambda fn: njit_deep(fn)) if backend == "numba" else (lambda fn: fn)
    if key == "primal":
        f = jit(family.primal)
        primal_args = args
        return lambda: f(*primal_args)
    if key == "primal-variant" and family.variant is not None and family.kind == "grad":
        f = jit(family.variant)
        return lambda: f(*args)
    if key == "adcompiler":
        if family.kind == "blocks":
            return _adcompiler_blocks(args, backend)
        return _adcompiler_grad(family.natural, family.wrt, args, backend)
    if key == "adcompiler-variant" and family.variant is not None:
        if family.kind == "blocks":
            return _adcompiler_blocks_vmap(args, backend)
        return _adcompiler_grad(family.variant, family.wrt, args, backend)
    if key == "hand" and family.hand is not None:
        if backend != "numba":
            raise Missing("the hand-written adjoints are Numba code (numba backend only)")
        h = family.hand
        return lambda: h(*args)[1]
    if key in ("jax", "autograd") and getattr(family, key) is not None:
        try:
            return getattr(family, key)(args)
        except ImportError as e:
            raise Missing(f"{key} is not installed ({e.name}); pip install -e '.[bench]'") \
                from None
    raise KeyError(key)


def as_arrays(result):
    if not isinstance(result, tuple):
        result = (result,)
    return tuple(np.asarray(r, dtype=np.float64) for r in result)


# -- checks against finite differences ---------------------------------------------------------

FD_TOLERANCE = 1e-5


def _directional_fd(f, args, pos, v, h):
    """Fourth-order central difference of f along v in argument ``pos``."""
    def at(step):
        moved = list(args)
        moved[pos] = args[pos] + step * v
        return float(f(*moved))
    return (8.0 * (at(h) - at(-h)) - (at(2.0 * h) - at(-2.0 * h))) / (12.0 * h), at(0.0)


def _rel(a, b, noise=0.0):
    """(relative difference of a and b, whether it passes). It passes below FD_TOLERANCE
    relative, or within ``noise`` (the round-off of the finite differences); the difference is
    relative to the larger of a and b, or to the round-off level when both are smaller (a
    derivative that is zero at the point)."""
    err = abs(a - b)
    size = max(abs(a), abs(b))
    return err / max(size, noise / FD_TOLERANCE, 1e-300), err <= FD_TOLERANCE * size + noise


def fd_check(family, args, grads, primal):
    """Largest relative error of <gradient, v> against finite differences, over the
    differentiated arguments (one random direction each) or, for Jacobian blocks, over eight
    observations, and whether every comparison passed. ``primal`` evaluates the objective
    (for blocks: one observation)."""
    rng = np.random.default_rng(12345)
    worst, passed = 0.0, True
    if family.kind == "grad":
        for pos, g in zip(family.wrt, grads):
            x = np.asarray(args[pos], dtype=np.float64)
            # each element moves by about 1e-4 of its own size (or of the typical size)
            scale = np.abs(x) + 0.1 * math.sqrt(float(np.mean(x * x))) + 1e-2
            v = rng.normal(size=x.shape) * scale if x.shape else float(scale)
            h = 1e-4
            fd, value = _directional_fd(primal, args, pos, v, h)
            noise = 1e-13 * abs(value) / h         # the round-off of the differences
            err, ok = _rel(float(np.sum(g * v)), fd, noise)
            worst, passed = max(worst, err), passed and ok
        return worst, passed
    cams, X, weights, features, cam_index, point_index = args
    jc, jx, jw = grads
    for j in rng.choice(len(weights), size=min(8, len(weights)), replace=False):
        point = (cams[cam_index[j]], X[point_index[j]], float(weights[j]), features[j])
        v = rng.normal(size=15)
        for r in range(2):
            def component(cam, Xp, weight, feature, r=r):
                return primal(cam, Xp, weight, feature)[r]
            h = 1e-4
            fd = 0.0
            for pos, vv in ((0, v[:11]), (1, v[11:14]), (2, v[14])):
                d, value = _directional_fd(component, point, pos, vv, h)
                fd += d
            jv = jc[j, r] @ v[:11] + jx[j, r] @ v[11:14] + jw[j, r] * v[14]
            err, ok = _rel(jv, fd, 1e-13 * abs(value) / h)
            worst, passed = max(worst, err), passed and ok
    return worst, passed


def agreement(grads, reference):
    """max |a - b| / max |b| over all gradient arrays."""
    num = max(float(np.max(np.abs(a - b))) if a.size else 0.0 for a, b in zip(grads, reference))
    den = max(float(np.max(np.abs(b))) if b.size else 0.0 for b in reference)
    return num / den if den > 0 else num


# -- timing ------------------------------------------------------------------------------------

def _timed(thunk, number=1):
    t0 = time.perf_counter()
    for _ in range(number):
        out = thunk()
    return (time.perf_counter() - t0) / number, out


def per_call(thunk, rounds=7, target=0.05):
    """Median over rounds of the time of one call, each round long enough to time."""
    thunk()
    t0 = time.perf_counter()
    thunk()
    one = time.perf_counter() - t0
    number = max(1, int(target / max(one, 1e-9)))
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(number):
            thunk()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def measure(jobs, *, rounds=7, budget=10.0, round_target=0.05, backend="numba",
            systems=SYSTEMS, log=lambda msg: None):
    """Build, check and time every system on every (family, size) in ``jobs``, interleaved.

    Returns a list (one per job) of dicts: name, family, size and, per system, its status
    (ok, refused, missing, error, wrong, too slow), message, first-call time, the median
    and other statistics of the rounds, the finite-difference error and the agreement with
    the reference gradient (the hand adjoint, else adcompiler).
    """
    results, timed = [], []
    for family, size in jobs:
        args = family.make(**size)
        entry = {"name": size_name(family, size), "family": family.key, "size": size,
                 "systems": {}}
        results.append(entry)
        primal_for_fd = None
        if family.kind == "grad":
            primal_for_fd = njit_deep(family.natural) if backend == "numba" else family.natural
        else:
            primal_for_fd = njit_deep(w.reprojection_error) if backend == "numba" \
                else w.reprojection_error
        outputs = {}
        for key in systems:
            try:
                thunk = build(family, key, args, backend)
            except KeyError:
                continue
            except Missing as e:
                entry["systems"][key] = {"status": "missing", "message": str(e)}
                continue
            rec = entry["systems"][key] = {"status": "ok"}
            log(f"  {entry['name']}: {key} first call")
            try:
                rec["first_call_s"], out = _timed(thunk)
            except Refused as e:
                rec.update(status="refused", message=f"refused: {e}")
                continue
            except Exception as e:             # reported, never hidden
                rec.update(status="error", message=f"{type(e).__name__}: "
                                                   f"{str(e).splitlines()[0][:300]}")
                continue
            if key.startswith("primal"):
                rec["value"] = float(out) if family.kind == "grad" else None
            else:
                outputs[key] = as_arrays(out)
                rec["fd_rel_err"], passed = fd_check(family, args, outputs[key],
                                                     primal_for_fd)
                if not passed:
                    rec.update(status="wrong", message=f"gradient check failed: relative "
                                                       f"error {rec['fd_rel_err']:.1e} against "
                                                       f"finite differences")
                    continue
            rec["warm_s"], _ = _timed(thunk)
            if rec["warm_s"] > budget:
                rec.update(status="too slow", message=f"too slow (>{budget:g} s per call: one "
                                                      f"call took {rec['warm_s']:.1f} s)")
                continue
            rec["number"] = max(1, min(10000, int(round_target / max(rec["warm_s"], 1e-9))))
            rec["times"] = []
            timed.append((rec, thunk))
        reference = next((outputs[k] for k in ("hand", "adcompiler", "adcompiler-variant",
                                                "jax") if k in outputs), None)
        for key, out in outputs.items():
            entry["systems"][key]["agreement"] = agreement(out, reference)
    for r in range(rounds):                      # interleaved: one call of each per round
        log(f"  round {r + 1}/{rounds}")
        order = timed[r % len(timed):] + timed[:r % len(timed)] if timed else []
        for rec, thunk in order:
            gc.collect()
            t, _ = _timed(thunk, rec["number"])
            rec["times"].append(t)
    for rec, _ in timed:
        times = rec.pop("times")
        rec.update(median_s=statistics.median(times), min_s=min(times), max_s=max(times),
                   rounds=len(times))
    return results
