"""Replaying the saved fuzz regressions in tests/fuzz/regressions/.

Each regression file is a module holding a shrunk program and, after it::

    KIND = "valid" | "reject"
    ENTRY = "f"
    ARGS = (...)
    BACKENDS = ("python", "numba")      # optional: where to replay it (default both)
    MODES = ("forward", "reverse")      # optional: which modes to check (default both)
    XFAIL = {"python": "BUG: ...", "numba": "BUG: ..."}

A "valid" program must pass ad.testing.check_grads in both modes on every backend; a
"reject" program must raise a CompileError naming its ``# REJECT`` line. Backends listed
in XFAIL fail today because of a compiler bug: test_fuzz.py marks them
xfail(strict=True), so fixing the bug turns the test red until the entry is removed.

    python -m tests.fuzz.regressions          # replay all, print one line per file/backend
"""
import importlib.util
import os
import sys

from . import check as C
from .shrink import REGRESSION_DIR

BACKENDS = ("python", "numba")


def regression_files(directory=REGRESSION_DIR):
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory)
                  if n.startswith("bug_") and n.endswith(".py"))


def load_regression(path):
    name = f"_adfuzz_regression_{os.path.splitext(os.path.basename(path))[0]}"
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def backends_of(module):
    """The backends a regression is replayed on: its BACKENDS, else both (a reject
    program: python only, since the error comes before any backend)."""
    if getattr(module, "KIND", "valid") == "reject":
        return ("python",)
    return tuple(getattr(module, "BACKENDS", BACKENDS))


def problems(path, backend):
    """A list of failure messages of replaying ``path`` on ``backend`` (empty: it passes)."""
    module = load_regression(path)
    kind = getattr(module, "KIND", "valid")
    args = tuple(module.ARGS)
    if kind == "reject":
        from .reject import check_reject_source
        with open(path) as fh:
            source = fh.read()
        return [f"[{r.api}] {r.category}: {r.message}"
                for r in check_reject_source(source, args, getattr(module, "ENTRY", "f"))
                if r.status != "ok"]
    fn = getattr(module, getattr(module, "ENTRY", "f"))
    out = []
    for mode in getattr(module, "MODES", C.MODES):
        result = C.check_one(fn, args, backend, mode)
        if result.status != "ok":
            out.append(f"[{backend} {mode}] {result.category}: {result.message}")
    return out


def main():
    status = 0
    for path in regression_files():
        module = load_regression(path)
        for backend in backends_of(module):
            found = problems(path, backend)
            expected = backend in (getattr(module, "XFAIL", None) or {})
            word = {(True, True): "xfail", (False, False): "pass",
                    (True, False): "FAIL", (False, True): "XPASS (fixed? remove from XFAIL)"}[
                (bool(found), expected)]
            if word not in ("xfail", "pass"):
                status = 1
            print(f"{word:8} {backend:7} {os.path.relpath(path)}")
            if found and not expected:
                print("         " + found[0].splitlines()[0][:200])
    return status


if __name__ == "__main__":
    sys.exit(main())
