"""The benchmark suite (issue 11): adcompiler against numba.njit of the same source, hand-written
Numba adjoints, jax.jit(jax.grad) of idiomatic JAX, and autograd. Writes docs/performance.md.

    python benchmarks/suite.py                  # the issue's sizes (make bench)
    python benchmarks/suite.py --quick          # small sizes, a few minutes
    python benchmarks/suite.py --only gmm,rd --sections timing
    python benchmarks/suite.py --from-json docs/performance.json    # rewrite the report

Sections: ``timing`` (ratios and absolute medians; every gradient checked against finite
differences first), ``scaling`` (gradient time when a size doubles), ``first-call`` (fresh
processes: cold and warm on-disk cache, against Numba's compile of the primal), ``fixed-cost``
(one call of a tiny function), ``memory`` (peak memory of one gradient of the time loops).

Every measurement runs in a child process of its own (one per workload for the timings, the
systems interleaved round by round in it), single-threaded, with a time budget per call and a
time limit per child. JAX and autograd come from the optional ``bench`` extra
(``pip install -e '.[bench]'``) and are skipped with a message when missing.
"""
import os

# single thread everywhere, before NumPy, Numba or JAX is imported (also in the children,
# which inherit the environment)
for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"
_XLA = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
if _XLA not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + _XLA).strip()
os.environ["JAX_PLATFORMS"] = "cpu"
os.environ["JAX_ENABLE_X64"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SECTIONS = ("timing", "scaling", "first-call", "fixed-cost", "memory")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# -- children ------------------------------------------------------------------------------------

def run_child(job, timeout, env=None):
    """Run ``job`` in a fresh process; its result, or {"error": ...} if it failed or ran out of
    time (it is then killed)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", json.dumps(job)]
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=timeout,
                             env=env or os.environ.copy(), cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out (> {timeout:g} s)"}
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"error": f"child failed (exit status {out.returncode}); see the log above"}


def worker(job):
    kind = job["kind"]
    if kind == "measure":
        import harness
        fams = harness.families()
        jobs = [(fams[f], size) for f, size in job["jobs"]]
        return harness.measure(jobs, rounds=job["rounds"], budget=job["budget"],
                               backend=job.get("backend", "numba"),
                               systems=job.get("systems", harness.SYSTEMS),
                               log=lambda m: log(m))
    if kind == "first-call":
        return first_call_child(job)
    if kind == "numba-init":
        t0 = time.perf_counter()
        import numba
        t1 = time.perf_counter()
        numba.njit(lambda x: x + 1.0)(1.0)
        return {"import_s": t1 - t0, "first_s": time.perf_counter() - t1}
    if kind == "fixed-cost":
        return fixed_cost_child(job)
    if kind == "memory":
        return memory_child(job)
    if kind == "tracemalloc":
        return tracemalloc_child(job)
    raise ValueError(kind)


def first_call_child(job):
    """Time from nothing to the first gradient in this fresh process (after the imports)."""
    t0 = time.perf_counter()
    import harness
    import numba  # noqa: F401
    if job["system"] == "jax":
        import jax  # noqa: F401
    fam = harness.families()[job["family"]]
    t1 = time.perf_counter()
    args = fam.make(**job["size"])
    result = {"import_s": t1 - t0}
    key = job["system"]
    thunk = harness.build(fam, key, args)
    try:
        thunk()
        result["variant"] = "natural"
    except harness.Refused:
        # refused before anything is compiled: time the variant from here on
        result["refused_s"] = time.perf_counter() - t1
        result["variant"] = fam.variant_label
        thunk = harness.build(fam, key + "-variant", args)
        t1 = time.perf_counter()
        thunk()
    t2 = time.perf_counter()
    thunk()
    result.update(first_s=t2 - t1, second_s=time.perf_counter() - t2)
    return result


def _per_calls(thunks):
    import harness
    out = {}
    for key, thunk in thunks.items():
        try:
            out[key] = harness.per_call(thunk)
        except Exception as e:               # reported in the table, never hidden
            out[key] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    return out


def fixed_cost_child(job):
    """The cost of one call when there is (almost) nothing to compute."""
    import numpy as np
    import harness
    import workloads as w
    ad = harness.ad
    x_array = np.array([0.3, 0.4, 0.5])
    cases = {"x * x (a float)": (w.tiny_scalar, 0.3),
             "np.sum(x * x), 3 elements": (w.tiny_array, x_array)}
    rows = {}
    for label, (fn, x) in cases.items():
        thunks = {"numba.njit primal": (lambda f: lambda: f(x))(harness.njit_deep(fn)),
                  "ad.grad": (lambda g: lambda: g(x))(ad.grad(fn)),
                  "ad.value_and_grad": (lambda g: lambda: g(x))(ad.value_and_grad(fn)),
                  "ad.grad, python backend": (lambda g: lambda: g(x))(ad.grad(fn,
                                                                              backend="python"))}
        try:
            import jax
            import jax.numpy as jnp
            jfn = (lambda z: z * z) if fn is w.tiny_scalar else (lambda z: jnp.sum(z * z))
            jg = jax.jit(jax.grad(jfn))
            jx = jnp.asarray(x)
            thunks["jax.jit(jax.grad)"] = lambda: jax.block_until_ready(jg(jx))
        except ImportError:
            pass
        try:
            import autograd
            import autograd.numpy as anp
            afn = (lambda z: z * z) if fn is w.tiny_scalar else (lambda z: anp.sum(z * z))
            ag = autograd.grad(afn)
            thunks["autograd"] = lambda: ag(x)
        except ImportError:
            pass
        rows[label] = _per_calls(thunks)
    # one bundle-adjustment observation: the 2 x 15 Jacobian block
    fam = harness.families()["ba"]
    cams, X, weights, features, ci, pi = fam.make(n_cams=2, n_points=2, p=1)
    obs = (cams[ci[0]], X[pi[0]], float(weights[0]), features[0])
    jac = ad.jacobian(w.reprojection_error, wrt=(0, 1, 2))
    prim = harness.njit_deep(w.reprojection_error)
    thunks = {"numba.njit primal": lambda: prim(*obs), "ad.jacobian": lambda: jac(*obs)}
    try:
        import functools
        import jax
        import vectorised
        jj = jax.jit(jax.jacrev(functools.partial(vectorised.reprojection_error, jax.numpy),
                                argnums=(0, 1, 2)))
        jobs = [jax.numpy.asarray(a) for a in obs]
        thunks["jax.jit(jax.jacrev)"] = lambda: jax.block_until_ready(jj(*jobs))
    except ImportError:
        pass
    try:
        import autograd
        import autograd.numpy as anp
        import vectorised
        aj = autograd.jacobian(lambda z: vectorised.reprojection_error(
            anp, z[:11], z[11:14], z[14], obs[3]))
        thunks["autograd"] = lambda: aj(np.concatenate([obs[0], obs[1], [obs[2]]]))
    except ImportError:
        pass
    rows["bundle adjustment, one observation's Jacobian block"] = _per_calls(thunks)
    return rows


def _vm(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return None


def _reset_peak():
    """Resets the process's peak RSS (VmHWM) to its current RSS; False where Linux does not
    let us."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory_child(job):
    """Peak memory of one call of one system, above the memory in use before the call: the
    peak RSS (VmHWM, reset just before the call), which counts Numba's and XLA's allocations
    that tracemalloc cannot see. A fresh process for each measurement: memory an earlier call
    freed would be reused without a new page being touched. Compiled systems are called once
    first (compiling; their big arrays go back to the kernel when freed, see run_memory);
    autograd, which compiles nothing, is measured on its first call."""
    import gc
    import harness
    fam = harness.families()[job["family"]]
    args = fam.make(**job["size"])
    try:
        thunk = harness.build(fam, job["system"], args)
        if job["system"] != "autograd":
            thunk()
    except KeyError:
        return {"status": "none"}
    except harness.Missing as e:
        return {"status": "missing", "message": str(e)}
    except harness.Refused as e:
        return {"status": "refused", "message": str(e)}
    gc.collect()
    before = _vm("VmRSS")
    if not _reset_peak():
        return {"status": "error", "message": "cannot reset the peak RSS (/proc/self/clear_refs)"}
    result = thunk()
    peak = _vm("VmHWM")
    del result
    return {"status": "ok", "peak_rss_bytes": peak - before}


def tracemalloc_child(job):
    """tracemalloc's peak during one adcompiler gradient on the python backend: the same
    generated code, whose tapes are NumPy arrays, which tracemalloc sees."""
    import gc
    import tracemalloc
    import harness
    fam = harness.families()[job["family"]]
    out = []
    for size in job["sizes"]:
        for key in ("adcompiler", "adcompiler-variant"):
            try:
                thunk = harness.build(fam, key, fam.make(**size), backend="python")
                thunk()
            except (KeyError, harness.Refused):
                continue
            gc.collect()
            tracemalloc.start()
            thunk()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            out.append({"system": key, "size": size, "peak_bytes": peak})
    return out


# -- the parent ----------------------------------------------------------------------------------

def machine():
    import numpy
    import numba
    info = {"python": platform.python_version(), "numpy": numpy.__version__,
            "numba": numba.__version__, "cores": os.cpu_count(),
            "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    for mod in ("jax", "jaxlib", "autograd", "matplotlib"):
        try:
            from importlib.metadata import version
            info[mod] = version(mod)
        except Exception:
            info[mod] = None
    try:
        sys.path.insert(0, ROOT)
        import adcompiler
        info["adcompiler"] = adcompiler.__version__
    except Exception:
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                        capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return info


def plan(opts):
    sys.path.insert(0, HERE)
    import harness
    mode = "quick" if opts.quick else "full"
    only = set(opts.only.split(",")) if opts.only else None
    keep = (lambda f: only is None or f in only)
    return harness, mode, keep


def run_timing(opts, harness, mode, keep):
    results = []
    for fam, sizes in harness.SIZES[mode].items():
        if not keep(fam):
            continue
        for size in sizes:
            log(f"timing {fam} {size}")
            job = {"kind": "measure", "jobs": [[fam, size]], "rounds": opts.rounds,
                   "budget": opts.budget}
            res = run_child(job, opts.timeout)
            if isinstance(res, dict) and "error" in res:
                res = [{"name": f"{fam} {size}", "family": fam, "size": size,
                        "error": res["error"], "systems": {}}]
            results.extend(res)
    return results


def run_scaling(opts, harness, mode, keep):
    results = []
    for fam, base, param in harness.SCALING[mode]:
        if not keep(fam):
            continue
        factors = (1, 2, 4, 8) if mode == "full" else (1, 2, 4)
        sizes = [dict(base, **{param: base[param] * k}) for k in factors]
        log(f"scaling {fam} {param}: {[s[param] for s in sizes]}")
        # autograd is left out: it is the slowest by far, and the question is adcompiler's
        systems = ["primal", "adcompiler", "adcompiler-variant", "hand", "jax"]
        job = {"kind": "measure", "jobs": [[fam, s] for s in sizes], "rounds": opts.rounds,
               "budget": opts.budget, "systems": systems}
        res = run_child(job, opts.timeout)
        results.append({"family": fam, "param": param, "sizes": sizes,
                        "results": res if isinstance(res, list) else None,
                        "error": res.get("error") if isinstance(res, dict) else None})
    return results


def run_first_call(opts, harness, mode, keep):
    """Fresh processes at the quick sizes, so that compiling is (nearly) all of the time."""
    out = {"numba_init": run_child({"kind": "numba-init"}, opts.timeout), "workloads": []}
    for fam, sizes in harness.SIZES["quick"].items():
        if not keep(fam):
            continue
        size = sizes[0]
        cache = tempfile.mkdtemp(prefix="adc-bench-cache-")
        env = dict(os.environ, ADCOMPILER_CACHE_DIR=cache,
                   NUMBA_CACHE_DIR=os.path.join(cache, "numba"))
        row = {"family": fam, "size": size}
        try:
            for label, system in (("primal", "primal"), ("cold", "adcompiler"),
                                  ("warm", "adcompiler"), ("hand", "hand"), ("jax", "jax")):
                if system == "hand" and harness.families()[fam].hand is None:
                    continue
                log(f"first call {fam}: {label}")
                job = {"kind": "first-call", "family": fam, "size": size, "system": system}
                row[label] = run_child(job, opts.timeout, env)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        out["workloads"].append(row)
    return out


def run_memory(opts, harness, mode, keep):
    systems = ["primal", "primal-variant", "adcompiler", "adcompiler-variant", "hand", "jax",
               "autograd"]
    series = {"full": [("rd", [dict(n=1000, steps=1000), dict(n=1000, steps=2000)],
                        [dict(n=1000, steps=50), dict(n=1000, steps=100)]),
                       ("ode", [dict(n=1000, s=1000), dict(n=1000, s=2000)], None)],
              "quick": [("rd", [dict(n=100, steps=100), dict(n=100, steps=200)],
                         [dict(n=100, steps=20), dict(n=100, steps=40)])]}[mode]
    # every allocation of 64 KiB or more gets pages of its own from the kernel and gives them
    # back when freed, so a call's arrays show in its own VmHWM even after a warm-up call (by
    # default glibc keeps and reuses large freed blocks)
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536", MALLOC_TRIM_THRESHOLD_="0")
    out = []
    for fam, sizes, small in series:
        if not keep(fam):
            continue
        rows = []
        for size in sizes:
            log(f"memory {fam} {size}")
            row = {"size": size, "systems": {}}
            for key in systems:
                job = {"kind": "memory", "family": fam, "size": size, "system": key}
                res = run_child(job, opts.timeout, env)
                if "error" in res:
                    res = {"status": "error", "message": res["error"]}
                if res["status"] != "none":
                    row["systems"][key] = res
            rows.append(row)
        entry = {"family": fam, "rows": rows}
        if small:
            entry["tracemalloc"] = run_child({"kind": "tracemalloc", "family": fam,
                                              "sizes": small}, opts.timeout)
        out.append(entry)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    parser.add_argument("--only", help="comma-separated families: " +
                        "gmm,rd,lstm,ba,ode,mlp,heat,poly")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help="comma-separated: " + ",".join(SECTIONS))
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (median; >= 7)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds one timed call may take (default 15, quick 2)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one child process may take (default 900, quick 300)")
    parser.add_argument("--out", help="the report (default docs/performance.md; with --quick "
                                      "build/bench-quick/performance.md)")
    parser.add_argument("--from-json", help="rewrite the report from a saved results file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.worker:
        print("RESULT " + json.dumps(worker(json.loads(opts.worker))), flush=True)
        return
    sys.path.insert(0, HERE)
    import report
    out = opts.out or os.path.join(ROOT, "build/bench-quick/performance.md" if opts.quick
                                   else "docs/performance.md")
    if opts.from_json:
        with open(opts.from_json) as f:
            results = json.load(f)
        report.write(results, out)
        return
    if opts.budget is None:
        opts.budget = 2.0 if opts.quick else 15.0
    if opts.timeout is None:
        opts.timeout = 300.0 if opts.quick else 900.0
    sections = opts.sections.split(",")
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}")
    harness, mode, keep = plan(opts)
    for mod in ("jax", "autograd"):
        try:
            __import__(mod)
        except ImportError:
            log(f"{mod} is not installed: its columns are skipped "
                f"(pip install -e '.[bench]' installs it)")
    started = time.time()
    results = {"mode": mode, "machine": machine(), "rounds": opts.rounds,
               "budget": opts.budget, "date": time.strftime("%Y-%m-%d %H:%M"),
               "command": "python benchmarks/suite.py " + " ".join(argv or sys.argv[1:])}
    runners = {"timing": run_timing, "scaling": run_scaling, "first-call": run_first_call,
               "fixed-cost": lambda *a: run_child({"kind": "fixed-cost"}, opts.timeout),
               "memory": run_memory}
    for section in SECTIONS:
        if section in sections:
            results[section] = runners[section](opts, harness, mode, keep)
    results["elapsed_s"] = time.time() - started
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump(results, f, indent=1)
    report.write(results, out)
    log(f"wrote {out} in {results['elapsed_s'] / 60:.1f} min")


if __name__ == "__main__":
    main()
