"""Writes docs/performance.md (and its two plots) from the suite's results."""
import os

COLUMNS = ("adcompiler", "adcompiler-variant", "hand", "jax", "autograd")
HEADERS = {"primal": "numba.njit primal", "adcompiler": "adcompiler",
           "adcompiler-variant": "adcompiler, variant", "hand": "hand-written Numba adjoint",
           "jax": "jax.jit(jax.grad)", "autograd": "autograd",
           "primal-variant": "numba.njit of the variant"}
TITLES = {"gmm": "GMM objective", "rd": "reaction-diffusion time loop", "lstm": "LSTM objective",
          "ba": "bundle adjustment (Jacobian blocks)", "ode": "RK4 ODE (GradBench `ode`)",
          "mlp": "MLP example", "heat": "heat-inverse example",
          "poly": "polynomial-regression example"}
VARIANTS = {"gmm": "hoisted variant", "rd": "hoisted variant", "ode": "hoisted variant",
            "ba": "ad.vmap(ad.jacobian)"}
COLORS = {"primal": "0.45", "primal-variant": "0.7", "adcompiler": "tab:blue",
          "adcompiler-variant": "tab:cyan", "hand": "tab:green", "jax": "tab:red",
          "autograd": "tab:purple"}


def fmt_time(s):
    if s is None:
        return "–"
    if isinstance(s, str):                     # an error message
        return s.replace("|", "\\|")
    for scale, unit in ((1e-6, "µs"), (1e-3, "ms"), (1.0, "s")):
        if s < 1000 * scale or unit == "s":
            v = s / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"


def fmt_ratio(r):
    if r < 1:
        return f"{r:.2g}×"
    if r < 10:
        return f"{r:.2f}×"
    if r < 100:
        return f"{r:.1f}×"
    return f"{r:.0f}×"


def fmt_size(size):
    return " ".join(f"{k}={v}" for k, v in size.items())


def _cell(rec, primal, family, key, absolute=False):
    if rec is None:
        return "–"
    status = rec["status"]
    suffix = f" ({VARIANTS[family]})" if key == "adcompiler-variant" and family in VARIANTS \
        else ""
    if status == "ok":
        if absolute or not primal:
            return fmt_time(rec["median_s"]) + suffix
        return fmt_ratio(rec["median_s"] / primal) + suffix
    if status == "missing":
        return "not installed"
    return rec.get("message", status).replace("|", "\\|") + suffix


def _primal(entry):
    p = entry["systems"].get("primal", {})
    return p.get("median_s") if p.get("status") == "ok" else None


def timing_tables(timing):
    lines = ["| workload | size | numba.njit primal | " +
             " | ".join(HEADERS[k] for k in COLUMNS) + " |",
             "|---|---|---|" + "---|" * len(COLUMNS)]
    for e in timing:
        primal = _primal(e)
        if "error" in e:
            lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | {e['error']} |" +
                         " |" * len(COLUMNS))
            continue
        cells = [_cell(e["systems"].get(k), primal, e["family"], k) for k in COLUMNS]
        lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | {fmt_time(primal)} | "
                     + " | ".join(cells) + " |")
    ratio = "\n".join(lines)
    keys = ("primal", "primal-variant") + COLUMNS
    lines = ["| workload | size | " + " | ".join(HEADERS[k] for k in keys) + " |",
             "|---|---|" + "---|" * len(keys)]
    for e in timing:
        if "error" in e:
            continue
        cells = [_cell(e["systems"].get(k), None, e["family"], k, absolute=True)
                 if k in e["systems"] else "–" for k in keys]
        lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | " + " | ".join(cells)
                     + " |")
    return ratio, "\n".join(lines)


def _best_adcompiler(entry):
    """adcompiler's natural form if it was timed, else its variant: (record, label)."""
    for key in ("adcompiler", "adcompiler-variant"):
        rec = entry["systems"].get(key)
        if rec and rec["status"] == "ok":
            label = "natural" if key == "adcompiler" else VARIANTS.get(entry["family"],
                                                                       "variant")
            return rec, label
    return None, None


def summary_table(timing):
    """adcompiler (its natural form where accepted, else the variant) against each system."""
    others = ("primal", "hand", "jax", "autograd")
    lines = ["| workload | size | adcompiler form timed | " +
             " | ".join(f"÷ {HEADERS[k]}" for k in others) + " |",
             "|---|---|---|" + "---|" * len(others)]
    for e in timing:
        if "error" in e:
            continue
        rec, label = _best_adcompiler(e)
        if rec is None:
            status = e["systems"].get("adcompiler", {}).get("status", "not measured")
            lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | {status} |" +
                         " |" * len(others))
            continue
        cells = []
        for k in others:
            o = e["systems"].get(k)
            cells.append(fmt_ratio(rec["median_s"] / o["median_s"])
                         if o and o.get("status") == "ok" else "–")
        lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | {label} | " +
                     " | ".join(cells) + " |")
    return "\n".join(lines)


def refusals(timing):
    seen, lines = set(), []
    for e in timing:
        for key, rec in e.get("systems", {}).items():
            if key.startswith("adcompiler") and rec.get("status") in ("refused", "error",
                                                                        "wrong", "too slow"):
                item = (e["family"], key, rec["message"])
                if item in seen:
                    continue
                seen.add(item)
                what = "natural form" if key == "adcompiler" else VARIANTS.get(e["family"],
                                                                                "variant")
                lines.append(f"- {TITLES[e['family']]} ({what}, {fmt_size(e['size'])}): "
                             f"`{rec['message']}`")
    return "\n".join(lines) or "None."


def checks_table(timing):
    keys = COLUMNS
    lines = ["| workload | size | " + " | ".join(HEADERS[k] for k in keys) + " |",
             "|---|---|" + "---|" * len(keys)]
    for e in timing:
        cells = []
        for k in keys:
            rec = e.get("systems", {}).get(k)
            if rec is None or "fd_rel_err" not in rec:
                cells.append("–")
                continue
            mark = "" if rec["status"] != "wrong" else " **failed**"
            agree = f" / {rec['agreement']:.0e}" if "agreement" in rec else ""
            cells.append(f"{rec['fd_rel_err']:.0e}{agree}{mark}")
        lines.append(f"| {TITLES[e['family']]} | {fmt_size(e['size'])} | " + " | ".join(cells)
                     + " |")
    return "\n".join(lines)


SUPERLINEAR = 2.5     # a doubling factor above this is marked in the scaling table

SCALE_KEYS = ("primal", "adcompiler", "adcompiler-variant", "hand", "jax")


def scaling_table(scaling):
    lines = ["| workload | doubled | sizes | " + " | ".join(HEADERS[k] for k in SCALE_KEYS) +
             " |", "|---|---|---|" + "---|" * len(SCALE_KEYS)]
    for s in scaling:
        values = [str(size[s["param"]]) for size in s["sizes"]]
        if not s.get("results"):
            lines.append(f"| {TITLES[s['family']]} | {s['param']} | {', '.join(values)} | "
                         f"{s.get('error')} |" + " |" * (len(SCALE_KEYS) - 1))
            continue
        cells = []
        for k in SCALE_KEYS:
            times = [r["systems"].get(k, {}).get("median_s") for r in s["results"]]
            if any(t is None for t in times):
                rec = s["results"][0]["systems"].get(k)
                cells.append("–" if rec is None or rec["status"] in ("ok", "missing")
                             else rec["status"])
                continue
            cells.append(", ".join(f"**{b / a:.2f}**" if b / a > SUPERLINEAR else f"{b / a:.2f}"
                                   for a, b in zip(times, times[1:])))
        lines.append(f"| {TITLES[s['family']]} | {s['param']} | {', '.join(values)} | " +
                     " | ".join(cells) + " |")
    return "\n".join(lines)


def first_call_table(first):
    lines = ["| workload (quick size) | numba.njit primal | adcompiler, cold cache | "
             "adcompiler, warm cache | hand-written adjoint, cold | jax.jit(jax.grad) | "
             "adcompiler, next call |", "|---|---|---|---|---|---|---|"]
    for row in first["workloads"]:
        def c(label):
            r = row.get(label)
            if r is None:
                return "–"
            if "error" in r:
                return r["error"]
            return fmt_time(r["first_s"])
        variant = row.get("cold", {}).get("variant")
        note = f" ({variant})" if variant and variant != "natural" else ""
        nxt = row.get("warm", {}).get("second_s")
        lines.append(f"| {TITLES[row['family']]} {fmt_size(row['size'])}{note} | {c('primal')} "
                     f"| {c('cold')} | {c('warm')} | {c('hand')} | {c('jax')} | "
                     f"{fmt_time(nxt)} |")
    return "\n".join(lines)


def fixed_cost_table(fixed):
    if "error" in fixed:
        return fixed["error"]
    keys = []
    for row in fixed.values():
        keys += [k for k in row if k not in keys]
    lines = ["| function | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for label, row in fixed.items():
        lines.append(f"| {label} | " + " | ".join(fmt_time(row.get(k)) for k in keys) + " |")
    return "\n".join(lines)


def _mb(b):
    return f"{b / 2 ** 20:.2f} MB" if b is not None else "–"


def memory_table(memory):
    keys = ("primal", "primal-variant", "adcompiler", "adcompiler-variant", "hand", "jax",
            "autograd")
    lines = ["| workload | size | every state, (steps + 1) · n · 8 bytes | " +
             " | ".join(HEADERS[k] for k in keys) + " |",
             "|---|---|---|" + "---|" * len(keys)]
    notes = []
    for m in memory:
        for row in m["rows"]:
            cells = []
            for k in keys:
                rec = row["systems"].get(k)
                if rec is None:
                    cells.append("–")
                elif rec["status"] == "ok":
                    cells.append(_mb(rec["peak_rss_bytes"]))
                else:
                    cells.append({"missing": "not installed"}.get(rec["status"], rec["status"]))
            size = row["size"]
            states = (size.get("steps", size.get("s", 0)) + 1) * size["n"] * 8
            lines.append(f"| {TITLES[m['family']]} | {fmt_size(size)} | {_mb(states)} | " +
                         " | ".join(cells) + " |")
        traced = m.get("tracemalloc", [])
        if isinstance(traced, dict):
            notes.append(f"- {TITLES[m['family']]}: {traced.get('error')}")
            traced = []
        for t in traced:
            size = t["size"]
            steps = size.get("steps") or size.get("s")
            per = f", {t['peak_bytes'] / steps / 1024:.1f} KiB per step" if steps else ""
            notes.append(f"- {TITLES[m['family']]} {fmt_size(size)}, {HEADERS[t['system']]} "
                         f"on the python backend: tracemalloc peak {_mb(t['peak_bytes'])}{per}")
    return "\n".join(lines), "\n".join(notes)


# -- plots -----------------------------------------------------------------------------------------

def plot_ratios(timing, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    keys = ("adcompiler", "adcompiler-variant", "hand", "jax", "autograd")
    rows = [e for e in timing if _primal(e)]
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(rows) + 1.5))
    height = 0.8 / len(keys)
    smallest = min([e["systems"][k]["median_s"] / _primal(e) for e in rows for k in keys
                    if e["systems"].get(k, {}).get("status") == "ok"] or [1.0])
    for j, k in enumerate(keys):
        ys, xs = [], []
        for i, e in enumerate(rows):
            y = i + (j - len(keys) / 2 + 0.5) * height
            rec = e["systems"].get(k)
            if rec and rec["status"] == "ok":
                ys.append(y)
                xs.append(rec["median_s"] / _primal(e))
            elif rec and rec["status"] != "missing":
                ax.text(smallest / 1.9, y, rec["status"], fontsize=6, va="center",
                        color=COLORS[k])
        ax.barh(ys, xs, height=height, label=HEADERS[k], color=COLORS[k])
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{TITLES[e['family']]}\n{fmt_size(e['size'])}" for e in rows],
                       fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(left=smallest / 2)
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_xlabel("gradient time / numba.njit primal time (log scale)")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_scaling(scaling, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series = [s for s in scaling if s.get("results")]
    if not series:
        return False
    cols = 3
    rows = (len(series) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(11, 3.2 * rows), squeeze=False)
    for ax, s in zip(axes.flat, series):
        xs = [size[s["param"]] for size in s["sizes"]]
        for k in SCALE_KEYS:
            ts = [r["systems"].get(k, {}).get("median_s") for r in s["results"]]
            if all(t is not None for t in ts):
                ax.plot(xs, ts, marker="o", label=HEADERS[k], color=COLORS[k])
                if k.startswith("adcompiler"):
                    ax.plot(xs, [ts[0] * x / xs[0] for x in xs], ls=":", color=COLORS[k],
                            label=f"{HEADERS[k]}: linear from the first point")
        ax.set_xscale("log", base=2)
        ax.set_xticks(xs)
        ax.set_xticklabels([str(x) for x in xs])
        ax.minorticks_off()
        ax.set_yscale("log")
        ax.set_title(f"{TITLES[s['family']]}: {s['param']}", fontsize=9)
        ax.set_xlabel(s["param"], fontsize=8)
        ax.set_ylabel("seconds", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(series):]:
        ax.axis("off")
    handles = {}
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=4, fontsize=7)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# -- the page -------------------------------------------------------------------------------------

def write(results, out):
    base = os.path.splitext(os.path.basename(out))[0]
    outdir = os.path.dirname(os.path.abspath(out))
    m = results["machine"]
    sizes = "**quick sizes**" if results["mode"] == "quick" else "full sizes"
    parts = ["# Performance\n",
             f"Generated by `{results['command'].strip()}`, "
             f"{results['date']}, {sizes}, in {results.get('elapsed_s', 0) / 60:.0f} min. "
             f"Machine: {m.get('cpu', '?')}, {m.get('cores')} cores, Python {m['python']}, NumPy {m['numpy']}, "
             f"Numba {m['numba']}, JAX {m.get('jax') or 'not installed'}, autograd "
             f"{m.get('autograd') or 'not installed'}; adcompiler {m.get('adcompiler', '?')} "
             f"at commit {m.get('commit', '?')}.\n",
             "How it is measured (`benchmarks/suite.py`; the workloads are in "
             "`benchmarks/workloads.py`, written with loops as a user writes them):\n\n"
             "- one process per workload; all systems interleaved round by round in it; "
             f"each figure is the median of {results['rounds']} rounds (a round of a call "
             "shorter than 50 ms repeats it and takes the mean);\n"
             "- single thread: `NUMBA_NUM_THREADS=1`, `OMP/MKL/OPENBLAS_NUM_THREADS=1`, "
             "`XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`; "
             "float64 everywhere (`jax_enable_x64`);\n"
             "- the denominator of every ratio is `numba.njit` of the workload's natural source "
             "(the primal, no gradient); adcompiler is `ad.grad(f, wrt=...)` on the Numba "
             "backend, timed after its first (compiling) call;\n"
             "- every gradient is checked against finite differences (4th-order central "
             "differences of the Numba primal along a random direction per argument; for "
             "bundle adjustment, along random directions at 8 observations) before it is "
             "timed; a failed check is reported and not timed;\n"
             f"- a system whose call takes more than {results['budget']:g} s is reported as "
             "too slow and not timed further;\n"
             "- *variant*: where adcompiler refuses the natural form, the same function with "
             "the arrays its loops write into created before the loop (`*_hoisted` in "
             "`workloads.py`, as the refusal's hint says), timed and labelled separately; for "
             "bundle adjustment the variant is a second way to the same blocks "
             "(`ad.vmap(ad.jacobian(...))` over all observations at once, as JAX's "
             "`jax.vmap(jax.jacrev)`).\n"]
    if "timing" in results:
        ratio, absolute = timing_tables(results["timing"])
        parts += ["## Summary\n",
                  "adcompiler's gradient time divided by each other system's time (below 1: "
                  "adcompiler is faster). Where adcompiler refuses the natural form, its "
                  "variant is the one compared (see the refusals below).\n",
                  summary_table(results["timing"]), "",
                  "## Gradient time / numba.njit primal time\n",
                  "The primal column is the denominator (its absolute median). "
                  "For bundle adjustment the primal is `reprojection_errors` (all observations, "
                  "one loop); adcompiler's column is `ad.jacobian(reprojection_error)` called "
                  "once per observation from Python, as the issue asks; JAX is "
                  "`jax.jit(jax.vmap(jax.jacrev))`, autograd two reverse passes over all "
                  "observations.\n", ratio, "",
                  f"![gradient time / primal time]({base}-ratios.png)\n",
                  "## What adcompiler refuses today\n",
                  "The first line of each `CompileError` (the natural form is reported, never "
                  "replaced silently; the variant is timed in its own column):\n",
                  refusals(results["timing"]), "",
                  "## Absolute medians\n", absolute, "",
                  "## Gradient checks\n",
                  "Relative error of each system's directional derivative against finite "
                  "differences (largest over the differentiated arguments) / largest "
                  "difference from the reference gradient (the hand-written adjoint where "
                  "there is one, else adcompiler) relative to its largest element. A check "
                  "passes below 1e-5, or within the round-off of the differences.\n",
                  checks_table(results["timing"]), ""]
    if "scaling" in results:
        parts += ["## Scaling\n",
                  "Gradient time when one size doubles: t(2s) / t(s) for each doubling "
                  "(2.00 is linear; above 2.5 in bold). Measured in one process per series, "
                  "interleaved. A single large factor between factors near 2 is a step; "
                  "factors that keep growing are cost that is "
                  "not linear.\n",
                  scaling_table(results["scaling"]), ""]
        if _plots_ok():
            parts.append(f"![gradient time against problem size]({base}-scaling.png)\n")
    if "first-call" in results:
        fc = results["first-call"]
        init = fc.get("numba_init", {})
        parts += ["## First call\n",
                  "Time of the first call in a fresh process (after the imports), at the quick "
                  "sizes so that compiling is nearly all of it: `numba.njit` of the primal; "
                  "adcompiler with an empty cache directory (cold: the compiler, then Numba) "
                  "and again in a new process with the cache it left (warm: the generated "
                  "module and Numba's compiled code from disk); the hand-written adjoint "
                  "compiled by Numba with an empty cache; JAX tracing and compiling. The last "
                  "column is adcompiler's second call in the warm process.\n",
                  first_call_table(fc), ""]
        if "first_s" in init:
            parts.append(f"For scale: `import numba` takes {fmt_time(init['import_s'])} and "
                         f"numba's first `njit` of `lambda x: x + 1.0` in a fresh process "
                         f"{fmt_time(init['first_s'])} (Numba compiles its own helpers "
                         "once per process); that is part of every Numba column above.\n")
    if "fixed-cost" in results:
        parts += ["## Fixed cost per call\n",
                  "One call when there is almost nothing to compute (median per call).\n",
                  fixed_cost_table(results["fixed-cost"]), ""]
    if "memory" in results:
        table, notes = memory_table(results["memory"])
        parts += ["## Peak memory of one gradient (the time loops)\n",
                  "Peak resident memory during one call above the memory in use before it "
                  "(Linux `VmHWM` after resetting it through `/proc/self/clear_refs`), so "
                  "Numba's and XLA's allocations count; each figure from a fresh process "
                  "(compiled systems called once before), with glibc told to give every block "
                  "of 64 KiB or more back to the kernel when it is freed. The third column is "
                  "what storing every state of the loop takes, which is what the hand-written "
                  "adjoints keep.\n",
                  table, ""]
        if notes:
            parts += ["tracemalloc (Python's allocator and NumPy's arrays; the tapes of the "
                      "generated code are NumPy arrays):\n", notes, ""]
    os.makedirs(outdir, exist_ok=True)
    text = "\n".join(parts).rstrip() + "\n"
    if _plots_ok():
        if "timing" in results:
            plot_ratios(results["timing"], os.path.join(outdir, f"{base}-ratios.png"))
        if "scaling" in results:
            plot_scaling(results["scaling"], os.path.join(outdir, f"{base}-scaling.png"))
    else:
        text += "\n(matplotlib is not installed: no plots; pip install -e '.[bench]')\n"
    with open(out, "w") as f:
        f.write(text)


def _plots_ok():
    try:
        import matplotlib  # noqa: F401
        return True
    except ImportError:
        return False
