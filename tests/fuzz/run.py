"""Command line of the fuzzer.

    python -m tests.fuzz.run --n N --seed S [--backends python,numba] [--kind valid|reject|both]

``valid``: N generated programs, each checked with ad.testing.check_grads in forward and
reverse mode on every backend (and against Python's own values and exceptions: see check.py) (numba only on every ``--numba-every``-th program, since each
numba compile costs about a second; ``--numba-every 1`` checks all). ``reject``: N programs
with unsupported constructs inserted, each of which must give a CompileError naming the
right line. ``both`` (the default) runs N of each.

Every distinct failure is shrunk and saved under tests/fuzz/regressions/ (unless
``--no-save``), where tests/fuzz/test_fuzz.py replays it. The exit status is 1 if anything
failed. ``--show SEED`` prints the program generated for one program seed and checks it.
``--constructs a,b`` generates only these of generator.NEW_CONSTRUCTS (``none``: the
programs of the generator before them; default all); ``-v`` also prints, per feature, how
many programs had it and how many of those failed.
"""
import argparse
import ast
import collections
import os
import sys
import time

import numpy as np

from . import check as C
from . import reject as R
from .generator import NEW_CONSTRUCTS, generate
from .shrink import REGRESSION_DIR, save_regression, shrink

BACKENDS = ("python", "numba")


def program_seed(seed, k):
    """The generator seed of the k-th program of a run with ``--seed seed``."""
    return seed * 1_000_003 + k


def backends_for(k, backends, numba_every):
    return [b for b in backends if b != "numba" or numba_every <= 1 or k % numba_every == 0]


def _structure_key(source):
    """A rough key of a shrunk program's structure, to tell distinct wrong-result bugs apart."""
    tree = ast.parse(source)
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            parts.add(ast.unparse(node.func))
        elif isinstance(node, (ast.stmt, ast.BinOp, ast.Subscript, ast.IfExp, ast.Compare)):
            parts.add(type(node).__name__)
    return tuple(sorted(parts))


def existing_signatures(directory=REGRESSION_DIR):
    """Signatures recorded in the saved regression files (to avoid saving duplicates)."""
    out = set()
    if not os.path.isdir(directory):
        return out
    for name in os.listdir(directory):
        if name.endswith(".py") and name.startswith("bug_"):
            text = open(os.path.join(directory, name)).read()
            for line in text.splitlines():
                if line.startswith("# signature: "):
                    out.add(line[len("# signature: "):].strip())
    return out


class Stats:
    def __init__(self):
        self.programs = collections.Counter()               # checked / skip / invalid
        self.by_mode = collections.defaultdict(collections.Counter)   # (backend, mode) -> status
        self.rejected = collections.Counter()               # CompileError on valid programs
        self.invalid = collections.Counter()
        self.failures = collections.Counter()               # signature text -> count
        self.first = {}                                     # signature text -> description
        self.saved = {}                                     # signature text -> path
        self.reject = collections.Counter()
        self.features = collections.Counter()
        self.failing_features = collections.Counter()       # features of failing programs


def _title(result):
    if result.signature[0] == "wrong result":
        return f"wrong derivative: {result.category} ({result.backend})"
    return f"{result.category} in {result.where or 'adcompiler'} ({result.backend} {result.mode})"


def _sig_text(sig, backend):
    return f"{backend} " + " | ".join(str(s) for s in sig)


def handle_failure(stats, program, report, result, args_ns, log):
    sig = result.signature
    text = _sig_text(sig, result.backend)
    stats.failures[text] += 1
    # distinct bugs can share a signature (a wrong result, a VerifierError): shrink a few
    # failures per signature and keep those whose shrunk programs differ in structure
    if stats.failures[text] > args_ns.max_shrinks_per_signature:
        return
    stats.first.setdefault(text, f"program seed {program.seed}: {result.message.splitlines()[0][:160]}")
    log(f"  FAIL program seed {program.seed} [{result.backend} {result.mode}] {result.category}: "
        f"{result.message.splitlines()[0][:200]}")
    if args_ns.no_shrink:
        return
    backend = result.backend
    predicate = C.failure_predicate(sig, backend, result.mode)
    if backend != "python":
        # shrinking on numba costs a compile per trial: use python if it fails there too
        on_python = C.failure_predicate(sig, "python", result.mode)
        if on_python(program.source, report.args):
            backend, predicate = "python", on_python
            log("    (fails the same way on the python backend: shrinking there)")
    limit = args_ns.shrink_trials if backend == "python" else max(40, args_ns.shrink_trials // 5)
    t0 = time.monotonic()
    source, args, trials = shrink(program.source, report.args, predicate, max_trials=limit,
                                  max_seconds=args_ns.shrink_seconds)
    log(f"    shrunk to {len(source.splitlines())} lines in {trials} trials "
        f"({time.monotonic() - t0:.1f}s)")
    key = (text, _structure_key(source))
    if key in stats.saved:
        log(f"    same as {stats.saved[key]}")
        return
    xfail = {}
    observed = result.message
    for b in BACKENDS:
        module = C.load_source(source)
        try:
            for mode in C.MODES:
                r = C.check_one(getattr(module, "f"), args, b, mode)
                if r.status != "ok":
                    xfail[b] = f"BUG: {_title(r)}"
                    break
        finally:
            C.unload(module)
    stats.saved[key] = "(not saved)"
    if args_ns.no_save:
        log("    " + "\n    ".join(source.splitlines()))
        log(f"    args = {args!r}")
        return
    if text + " | " + " ".join(key[1]) in args_ns.known_signatures:
        log("    already saved in a regression file with the same signature and structure")
        return
    path = save_regression(source + f"\n# signature: {text} | {' '.join(key[1])}\n", args,
                           title=_title(result),
                           observed=observed, xfail=xfail, directory=args_ns.save_dir,
                           found_by=f"python -m tests.fuzz.run --seed {args_ns.seed} "
                                    f"(program seed {program.seed})")
    stats.saved[key] = path
    log(f"    saved {os.path.relpath(path)} (xfail on {sorted(xfail) or 'none'})")


def run_valid(args_ns, stats, log):
    backends = [b for b in args_ns.backends.split(",") if b]
    for k in range(args_ns.n):
        program = generate(program_seed(args_ns.seed, k), constructs=args_ns.constructs)
        stats.features.update(program.features)
        report = C.check_program(program, backends_for(k, backends, args_ns.numba_every))
        stats.programs[report.status] += 1
        stats.programs["redraws"] += report.redraws
        stats.programs["unbound"] += report.unbound
        if report.failures:
            stats.failing_features.update(program.features)
        if report.status == "invalid":
            stats.invalid[report.reason.split(":")[0][:80]] += 1
            if args_ns.verbose:
                log(f"  invalid program seed {program.seed}: {report.reason}")
            continue
        for result in report.results:
            stats.by_mode[(result.backend, result.mode)][result.status] += 1
            if result.status == "rejected":
                reason = result.message.splitlines()[0].split(": ", 2)[-1]
                stats.rejected[reason[:120]] += 1
                stats.first.setdefault(("rejected", reason[:120]), program.seed)
                if args_ns.verbose:
                    log(f"  rejected program seed {program.seed}: {reason}")
            elif result.status == "fail":
                handle_failure(stats, program, report, result, args_ns, log)
        if args_ns.progress and (k + 1) % args_ns.progress == 0:
            log(f"  ... {k + 1} valid programs, {sum(stats.failures.values())} failures")


def run_reject(args_ns, stats, log):
    seen = set()
    for k in range(args_ns.n):
        rp = R.generate_reject(program_seed(args_ns.seed, k))
        results = R.check_reject(rp)
        for r in results:
            stats.reject[r.status] += 1
            if r.status != "fail":
                continue
            text = f"reject | {r.category} | {r.api}"
            stats.failures[text] += 1
            if r.signature in seen:
                continue
            seen.add(r.signature)
            stats.first.setdefault(text, f"program seed {rp.seed} ({', '.join(rp.constructs)}): "
                                         f"{r.message.splitlines()[0][:160]}")
            log(f"  REJECT FAIL program seed {rp.seed} [{r.api}] {r.category} "
                f"({', '.join(rp.constructs)}): {r.message.splitlines()[0][:200]}")
            if args_ns.no_shrink:
                continue
            source, new_args, trials = R.shrink_lines(rp.source, rp.args,
                                                      R.reject_predicate(r.signature),
                                                      max_trials=args_ns.shrink_trials)
            log(f"    shrunk to {len(source.splitlines())} lines in {trials} trials")
            if args_ns.no_save or text in args_ns.known_signatures:
                log("    " + "\n    ".join(source.splitlines()))
                continue
            path = save_regression(source + f"\n# signature: {text}\n", new_args,
                                   title=f"reject: {r.category} from {r.api}",
                                   observed=r.message, kind="reject", directory=args_ns.save_dir,
                                   xfail={"python": f"BUG: {r.category} instead of a located "
                                                    f"CompileError"},
                                   found_by=f"python -m tests.fuzz.run --kind reject --seed "
                                            f"{args_ns.seed} (program seed {rp.seed})")
            log(f"    saved {os.path.relpath(path)}")
        if args_ns.progress and (k + 1) % args_ns.progress == 0:
            log(f"  ... {k + 1} reject programs")


def print_summary(stats, args_ns, elapsed, log):
    log("")
    if args_ns.kind in ("valid", "both"):
        p = stats.programs
        log(f"valid programs: {args_ns.n} generated, {p['checked']} checked "
            f"({p['unbound']} of them raise UnboundLocalError in Python, and must in every "
            f"derivative), {p['skip']} skipped (not smooth at any tried inputs), "
            f"{p['invalid']} invalid (generator problem); inputs redrawn {p['redraws']} times "
            f"to stay away from kinks")
        log(f"  {'backend':8} {'mode':8} {'ok':>6} {'fail':>6} {'rejected':>9}")
        for (backend, mode), c in sorted(stats.by_mode.items()):
            log(f"  {backend:8} {mode:8} {c['ok']:6} {c['fail']:6} {c['rejected']:9}")
        if stats.rejected:
            log("  valid programs rejected with a CompileError (limitations):")
            for reason, n in stats.rejected.most_common():
                log(f"    {n:5}  {reason} (first: program seed "
                    f"{stats.first.get(('rejected', reason))})")
        if stats.invalid:
            log("  invalid programs:")
            for reason, n in stats.invalid.most_common():
                log(f"    {n:5}  {reason}")
        if args_ns.verbose:
            log("  features (programs with it / failing ones):")
            for k, v in sorted(stats.features.items()):
                log(f"    {k:30} {v:6} {stats.failing_features[k]:6}")
    if args_ns.kind in ("reject", "both"):
        r = stats.reject
        log(f"reject programs: {args_ns.n} generated; checks ok {r['ok']}, fail {r['fail']}, "
            f"invalid {r['invalid']}, base {r['base']} (the program fails the same way without "
            f"the inserted constructs)")
    if stats.failures:
        log("failures by signature:")
        for text, n in stats.failures.most_common():
            log(f"  {n:5}  {text}")
            log(f"         first: {stats.first.get(text, '')}")
        saved = sorted({p for p in stats.saved.values() if p != "(not saved)"})
        if saved:
            log("saved regressions:")
            for path in saved:
                log(f"  {os.path.relpath(path)}")
    total = sum(stats.failures.values())
    log(f"summary: {'FAIL' if total else 'OK'}: {total} failing checks, "
        f"{len(stats.failures)} distinct signatures, {elapsed:.0f}s")


def show(program_seed_value, backends, log, constructs=None):
    program = generate(program_seed_value, constructs=constructs)
    log(program.source)
    log(f"args = {program.args!r}")
    report = C.check_program(program, backends)
    log(f"status: {report.status} {report.reason}")
    if report.status == "checked":
        log(f"checked at args = {report.args!r}")
    for r in report.results:
        log(f"  [{r.backend} {r.mode}] {r.status} {r.category}\n{r.message}" if r.status != "ok"
            else f"  [{r.backend} {r.mode}] ok")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="programs per kind (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backends", default="python,numba",
                        help="comma-separated: python,numba (default both)")
    parser.add_argument("--numba-every", type=int, default=10,
                        help="check numba on every k-th program only (default 10; 1 = all)")
    parser.add_argument("--kind", choices=("valid", "reject", "both"), default="both")
    parser.add_argument("--no-shrink", action="store_true", help="report failures unshrunk")
    parser.add_argument("--no-save", action="store_true",
                        help="print shrunk programs instead of saving regression files")
    parser.add_argument("--save-dir", default=REGRESSION_DIR,
                        help="where regression files are written (default tests/fuzz/regressions)")
    parser.add_argument("--shrink-trials", type=int, default=400)
    parser.add_argument("--shrink-seconds", type=float, default=240)
    parser.add_argument("--max-shrinks-per-signature", type=int, default=3,
                        help="failures shrunk per signature (default 3); shrunk programs of "
                             "different structure are saved separately")
    parser.add_argument("--progress", type=int, default=0, help="print progress every k programs")
    parser.add_argument("--show", type=int, default=None, metavar="PROGRAM_SEED",
                        help="print and check the program of one program seed")
    parser.add_argument("--constructs", default=None,
                        help="comma-separated names from generator.NEW_CONSTRUCTS to generate "
                             "(default all; 'none' for none)")
    parser.add_argument("--verbose", "-v", action="store_true")
    args_ns = parser.parse_args(argv)
    if args_ns.constructs is not None:
        args_ns.constructs = [c for c in args_ns.constructs.split(",") if c and c != "none"]
        unknown = set(args_ns.constructs) - set(NEW_CONSTRUCTS)
        if unknown:
            parser.error(f"unknown construct(s) {sorted(unknown)}; choose from {NEW_CONSTRUCTS}")

    def log(msg):
        print(msg, flush=True)

    backends = [b for b in args_ns.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backend(s) {sorted(unknown)}; choose from {BACKENDS}")
    if args_ns.show is not None:
        show(args_ns.show, backends, log, args_ns.constructs)
        return 0
    args_ns.known_signatures = existing_signatures(args_ns.save_dir)
    np.seterr(all="ignore")
    stats = Stats()
    start = time.monotonic()
    log(f"fuzzing: --n {args_ns.n} --seed {args_ns.seed} --backends {args_ns.backends} "
        f"--kind {args_ns.kind} (numba on every {args_ns.numba_every} program(s))"
        + (f" --constructs {','.join(args_ns.constructs) or 'none'}"
           if args_ns.constructs is not None else ""))
    if args_ns.kind in ("valid", "both"):
        run_valid(args_ns, stats, log)
    if args_ns.kind in ("reject", "both"):
        run_reject(args_ns, stats, log)
    print_summary(stats, args_ns, time.monotonic() - start, log)
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
