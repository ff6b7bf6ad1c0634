"""Checking one generated program with ad.testing.check_grads, away from kinks.

``check_program(program, backends)`` loads the program from a module file (so that
``inspect`` can read its source), makes sure the primal runs and is well-conditioned at the
arguments, and that finite differences can be trusted there, then runs
``ad.testing.check_grads`` once per mode ("forward", "reverse") and backend.

Kinks and branch boundaries: along the very directions check_grads will use, central
differences with two step sizes (1e-6, the one check_grads uses, and 1e-4) and the two
one-sided differences must agree. If they don't, the program is not smooth at these
inputs (a branch boundary, a kink of abs/max/min, a while loop whose trip count changes);
the float inputs are redrawn, and after a few tries the program is counted as skipped.

Python's own behaviour is the reference, run for run:

* the primal values the derivatives return (the forward-mode output of ``ad.jvp`` and the
  outputs of the compiled reverse-mode function, which ``ad.vjp`` returns) must be
  Python's bit for bit (NaN equal to NaN; the sign of a zero counts) on the backends in
  ``EXACT_BACKENDS``, and equal to rounding (check_grads' 1e-10) on the others;
* when ``f`` itself raises UnboundLocalError at the arguments (a variable bound on some
  paths only, or only by a loop that ran zero times), every derivative call (forward and
  reverse, on every backend checked) must raise UnboundLocalError too; that is a pass, and
  the program counts as "unbound" in the summary;
* no derivative call may modify an input array (check_grads checks that after all its
  calls; the calls made here are checked one by one);
* a valid program rejected with a located CompileError is a failure (category
  "CompileError"): the generator only writes constructs the compiler must support. The
  exceptions are the documented refusals of DOCUMENTED_REFUSALS (each quoted in
  docs/limitations.md, which a test checks): writes where another name may see part of the
  array, or may be another array, reverse mode's arrays created inside loops, and a name
  read in a loop before its first binding whose type cannot be found. Those
  count as "rejected" and are reported, never as passes.
"""
import contextlib
import importlib.util
import itertools
import os
import re
import signal
import sys
import tempfile
import threading
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

import adcompiler as ad
from adcompiler.testing import GradientCheckError, directional_difference, _random_like

from .generator import draw_float_args

MODES = ("forward", "reverse")
BACKENDS = ("python", "numba")
RTOL, ATOL = 1e-5, 1e-7           # check_grads' defaults
MAX_VALUE = 1e4                   # larger outputs make finite differences untrustworthy
# backends whose primal outputs must equal Python's bit for bit (Numba sums arrays in
# another order than NumPy's pairwise summation and has its own math library, so its
# values are compared to rounding, as check_grads does)
EXACT_BACKENDS = ("python",)
# categories of wrong results (not exceptions): one signature each
WRONG_RESULTS = ("forward mode", "reverse mode (dot-product test)",
                 "reverse mode vs finite differences", "value from vjp", "value from jvp",
                 "input argument was modified", "primal not bit-for-bit",
                 "primal zero of the other sign", "no UnboundLocalError")

_counter = itertools.count()


@dataclass
class Result:
    """The outcome of one (backend, mode) check of one program."""
    backend: str
    mode: str
    status: str            # "ok" | "fail" | "rejected" (a documented refusal: see classify)
    category: str = ""     # short kind of failure, e.g. "forward mode" or "KeyError"
    message: str = ""
    where: str = ""        # innermost adcompiler frame of an exception ("file.py:function")

    @property
    def signature(self):
        """What identifies "the same failure" when shrinking and deduplicating."""
        if self.category in WRONG_RESULTS:
            return ("wrong result", self.category)
        if self.category == "BackendError":
            numba_said = self.message.split("Numba said:")[-1]
            first = next((line for line in numba_said.splitlines()
                          if line.strip() and not line.startswith("Failed in")), "")
            return (self.category, normalize(first))
        first = self.message.splitlines()[0] if self.message else ""
        return (self.category, self.where, normalize(first))


def normalize(text):
    """A message with names, numbers and IR paths blanked, to compare failures."""
    text = re.sub(r"^\w+: ", "", text)                      # the exception type
    text = re.sub(r"^\S+?:\d+: ", "", text)                 # a path:line: prefix
    text = re.sub(r"^[\w.]+(/[\w.]+)+: ", "", text)          # an IR path such as f_jvp/if.else
    text = re.sub(r"%[\w.]+|'[^']*'|\"[^\"]*\"", "_", text)
    text = re.sub(r"\d+", "N", text)
    return text[:100]


@dataclass
class Report:
    """The outcome of one program: ``status`` is "checked", "skip" (not smooth at any tried
    inputs) or "invalid" (the primal itself fails or is ill-conditioned: a generator issue).
    ``unbound``: Python raised UnboundLocalError at ``args`` (the derivatives were checked
    to raise it too)."""
    status: str
    args: tuple
    results: list = field(default_factory=list)
    reason: str = ""
    redraws: int = 0       # how many times the float inputs were redrawn
    unbound: bool = False

    @property
    def failures(self):
        return [r for r in self.results if r.status == "fail"]


# -- loading ------------------------------------------------------------------------------
def program_dir():
    path = os.path.join(tempfile.gettempdir(), f"adcompiler-fuzz-{os.getpid()}")
    os.makedirs(path, exist_ok=True)
    return path


def load_source(source, path=None, entry="f"):
    """Write ``source`` to ``path`` (a fresh file by default), import it, return the module."""
    if path is None:
        path = os.path.join(program_dir(), f"prog_{next(_counter)}.py")
    with open(path, "w") as fh:
        fh.write(source)
    name = f"_adfuzz_{os.path.splitext(os.path.basename(path))[0]}_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def unload(module, delete=True):
    """Forget a loaded program: sys.modules, the compiler's per-function caches, its file."""
    sys.modules.pop(module.__name__, None)
    try:
        from adcompiler import api
        from adcompiler.frontend import source as ad_source
        for cache in (getattr(api, "_COMPILED", {}), getattr(ad_source, "_CACHE", {})):
            for key in list(cache):
                fn = key[0] if isinstance(key, tuple) else key
                if getattr(fn, "__module__", None) == module.__name__:
                    del cache[key]
    except Exception:  # noqa: BLE001 - only a memory optimisation
        pass
    path = getattr(module, "__file__", "")
    if delete and path and os.path.dirname(path) == program_dir():
        try:
            os.remove(path)
        except OSError:
            pass


# -- time limits --------------------------------------------------------------------------
class TimeLimit(Exception):
    """A program ran too long (e.g. a shrunk while loop lost its counter)."""


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeLimit in the main thread after ``seconds`` (no-op where SIGALRM is missing)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise TimeLimit(f"ran longer than {seconds}s")
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# -- numerics -----------------------------------------------------------------------------
def _copies(args):
    return [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]


def _outputs(value):
    return tuple(value) if isinstance(value, tuple) else (value,)


def float_positions(args):
    return [i for i, a in enumerate(args)
            if (isinstance(a, np.ndarray) and a.dtype.kind == "f") or isinstance(a, float)]


def output_kind(value):
    if isinstance(value, tuple):
        return ("tuple", tuple(output_kind(v) for v in value))
    return ("array", np.ndim(value)) if isinstance(value, np.ndarray) else "scalar"


def primal_problem(fn, args):
    """None if ``fn(*args)`` runs and is finite and moderate, else a reason string;
    ``UNBOUND`` if it raises UnboundLocalError (then the derivatives must raise it too)."""
    try:
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"), \
                time_limit(5.0):
            warnings.simplefilter("error")
            value = fn(*_copies(args))
    except UnboundLocalError:
        return UNBOUND
    except Exception as exc:  # noqa: BLE001 - any failure of the primal
        return f"primal raised {type(exc).__name__}: {exc}"
    for v in _outputs(value):
        a = np.asarray(v, dtype=np.float64)
        if not np.all(np.isfinite(a)):
            return "primal is not finite"
        if np.any(np.abs(a) > MAX_VALUE):
            return "primal is too large"
    return None


UNBOUND = "unbound"


def python_outcome(fn, args):
    """("value", fn(*args)) or ("unbound", the UnboundLocalError) (other exceptions raise)."""
    try:
        with warnings.catch_warnings(), time_limit(5.0):
            warnings.simplefilter("ignore")
            return "value", fn(*_copies(args))
    except UnboundLocalError as exc:
        return UNBOUND, exc


def check_directions(fn, args, seed=0):
    """The directions ``ad.testing.check_grads(fn, args, seed=seed)`` will draw, by position
    (it draws one cotangent per output first, then one direction per float argument)."""
    rng = np.random.default_rng(seed)
    value = fn(*_copies(args))
    for v in _outputs(value):
        _random_like(v if isinstance(v, np.ndarray) else float(v), rng)
    return {p: _random_like(args[p], rng) for p in float_positions(args)}


def _shift(fn, args, p, direction, h):
    moved = _copies(args)
    moved[p] = moved[p] + h * direction
    return tuple(np.asarray(v, dtype=np.float64) for v in _outputs(fn(*moved)))


def smoothness_problem(fn, args, seed=0):
    """None if finite differences are trustworthy at ``args`` along check_grads' directions,
    else a reason (a kink or branch boundary nearby, or too much rounding noise)."""
    try:
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            warnings.simplefilter("error")
            for p, d in check_directions(fn, args, seed).items():
                small = directional_difference(fn, args, p, d, 1e-6)
                large = directional_difference(fn, args, p, d, 1e-4)
                for a, b in zip(small, large):
                    if not np.allclose(a, b, rtol=RTOL, atol=ATOL):
                        return f"argument {p}: central differences with steps 1e-6 and 1e-4 disagree"
                h = 1e-6
                here = _shift(fn, args, p, d, 0.0)
                up = _shift(fn, args, p, d, h)
                down = _shift(fn, args, p, d, -h)
                for y0, yp, ym in zip(here, up, down):
                    right, left = (yp - y0) / h, (y0 - ym) / h
                    if not np.allclose(right, left, rtol=1e-3, atol=1e-5):
                        return f"argument {p}: one-sided differences disagree (a kink)"
    except Exception as exc:  # noqa: BLE001 - e.g. overflow in a shifted evaluation
        return f"finite differences failed: {type(exc).__name__}: {exc}"
    return None


# -- checking -----------------------------------------------------------------------------
#: Located CompileErrors that docs/limitations.md documents: combinations of aliases with
#: branches and loops that the compiler cannot prove safe, and arrays created inside loops
#: and written after their iteration, in reverse mode; overlapping writes whose NumPy result
#: depends on NumPy's overlap heuristics. A message containing one is a refusal ("rejected"),
#: not a failure.
DOCUMENTED_REFUSALS = (
    "may share memory (the same array, or a view of it)",
    "is a view of another array; writing into it would modify that array too",
    "is read in this loop before the loop assigns it, and it has no value before the loop",
    "may refer to one of several arrays here",
    "becomes a view of (or the same array as) an array the program writes into",
    "and also replaces it with another array",
    "is created inside a loop and written into after that iteration ends",
    "are one array before this loop but may be different arrays after an iteration",
    "is a view of it along other axes, where NumPy's result depends on how it detects the overlap",
)


def classify(exc, program_path=None):
    """(status, category) of an exception raised by a derivative check.

    Every generated program is valid and supported, so a CompileError is a failure too:
    "CompileError" if it names a line of the program (a rejected construct),
    "CompileError(internal)" if it names a file of the compiler or says "internal"."""
    if isinstance(exc, GradientCheckError):
        first = str(exc).splitlines()[0]
        for key in ("forward mode", "reverse mode (dot-product", "reverse mode vs finite",
                    "value from vjp", "value from jvp", "input argument was modified"):
            if key in first:
                return "fail", key.replace(" (dot-product", " (dot-product test)")
        return "fail", "GradientCheckError"
    if isinstance(exc, ad.CompileError):
        located = program_path is None or str(exc).startswith(f"{program_path}:")
        if "internal" in str(exc).lower() or not located:
            return "fail", "CompileError(internal)"
        if any(refusal in str(exc) for refusal in DOCUMENTED_REFUSALS):
            return "rejected", "CompileError"
        return "fail", "CompileError"
    if isinstance(exc, ad.BackendError):
        return "fail", "BackendError"
    return "fail", type(exc).__name__


def _innermost_compiler_frame(exc):
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if f"{os.sep}adcompiler{os.sep}" in frame.filename:
            base = os.path.basename(frame.filename)
            if re.fullmatch(r"adc_[0-9a-f]+\.py", base):
                base = "<generated>"         # a content-hashed generated module
            where = f"{base}:{frame.name}"
    return where


def check_one(fn, args, backend, mode):
    """Check one backend and mode; returns a :class:`Result`. If Python raises
    UnboundLocalError at ``args``, the derivative must raise it too; otherwise
    check_grads runs and the derivative's primal outputs must be Python's."""
    try:
        kind, expected = python_outcome(fn, args)
    except Exception:  # noqa: BLE001 - check_grads reports it
        kind, expected = "value", None
    try:
        with warnings.catch_warnings(), time_limit(300.0):
            warnings.simplefilter("ignore")
            if kind == UNBOUND:
                return check_unbound(fn, args, backend, mode, expected)
            ad.testing.check_grads(fn, args, modes=(mode,), backend=backend)
            if expected is not None:
                problem = primal_mismatch(fn, args, backend, mode, expected)
                if problem is not None:
                    return Result(backend, mode, "fail", problem[0], problem[1])
    except Exception as exc:  # noqa: BLE001 - every exception is an outcome
        return _failed(exc, fn, backend, mode)
    return Result(backend, mode, "ok")


def _failed(exc, fn, backend, mode):
    status, category = classify(exc, fn.__code__.co_filename)
    message = f"{type(exc).__name__}: {exc}"
    if status == "fail" and not isinstance(exc, (GradientCheckError, ad.BackendError, ad.CompileError)):
        message += "\n" + "".join(traceback.format_exception(exc)[-6:])
    return Result(backend, mode, status, category, message, _innermost_compiler_frame(exc))


def derivative_primal(fn, args, backend, mode):
    """The primal outputs (a tuple) computed by the compiled derivative of ``mode``: the
    value of ``ad.jvp``, or that of ``ad.vjp``, which is the first outputs of the compiled
    reverse-mode function (what ``ad.grad``/``ad.value_and_grad`` run), array outputs
    included. The inputs are checked to be unchanged after the call."""
    originals = _copies(args)
    if mode == "forward":
        tangents = [np.ones_like(a, dtype=np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
                    else 1.0 if isinstance(a, float) else (np.zeros(a.shape) if isinstance(a, np.ndarray) else 0)
                    for a in args]
        value, _ = ad.jvp(fn, args, tangents, backend=backend)
        values = value if isinstance(value, tuple) else (value,)
    else:
        value, _ = ad.vjp(fn, *args, backend=backend)
        values = value if isinstance(value, tuple) else (value,)
    for a, o in zip(args, originals):
        if isinstance(o, np.ndarray) and not np.array_equal(a, o, equal_nan=True):
            raise GradientCheckError(f"{fn.__name__}: an input argument was modified by the "
                                     f"{mode}-mode derivative")
    return values


def _same_bits(got, want):
    """Equal bit for bit (NaNs equal; a zero's sign counts), or (message) why not."""
    if isinstance(want, np.ndarray):
        if not isinstance(got, np.ndarray) or got.dtype != want.dtype or got.shape != want.shape:
            return f"{getattr(got, 'dtype', type(got).__name__)}{np.shape(got)} instead of " \
                   f"{want.dtype}{want.shape}"
        g, w = got, want
    else:
        g, w = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
        if np.ndim(got):
            return f"an array {np.shape(got)} instead of a scalar"
    same = (g == w) & (np.signbit(g) == np.signbit(w)) | (np.isnan(g) & np.isnan(w))
    if not np.all(same):
        if np.all((g == w) | (np.isnan(g) & np.isnan(w))):
            return f"zero of the other sign: {got!r} instead of {want!r}"
        return f"{got!r} instead of {want!r}"
    return None


def primal_mismatch(fn, args, backend, mode, expected):
    """None, or (category, message) if the derivative's primal outputs differ from
    Python's ``expected`` (bit for bit on EXACT_BACKENDS, else to rounding)."""
    values = derivative_primal(fn, args, backend, mode)
    wants = expected if isinstance(expected, tuple) else (expected,)
    if len(values) != len(wants):
        return "primal not bit-for-bit", f"{len(values)} outputs instead of {len(wants)}"
    for k, (got, want) in enumerate(zip(values, wants)):
        if backend in EXACT_BACKENDS:
            why = _same_bits(got, want)
        else:
            close = np.allclose(np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64),
                                rtol=1e-10, atol=1e-12, equal_nan=True)
            why = None if close and np.shape(got) == np.shape(want) else f"{got!r} instead of {want!r}"
        if why is not None:
            return ("primal zero of the other sign" if why.startswith("zero of the other sign")
                    else "primal not bit-for-bit",
                    f"{fn.__name__}: the {mode}-mode derivative's primal output {k} differs from "
                    f"Python's: {why}")
    return None


def check_unbound(fn, args, backend, mode, python_error):
    """Python raised ``python_error`` (UnboundLocalError) at ``args``: the ``mode``
    derivative on ``backend`` must raise UnboundLocalError too (never return a number)."""
    try:
        values = derivative_primal(fn, args, backend, mode)
    except UnboundLocalError:
        return Result(backend, mode, "ok")
    except Exception as exc:  # noqa: BLE001 - every exception is an outcome
        result = _failed(exc, fn, backend, mode)
        if result.category not in ("CompileError", "CompileError(internal)", "BackendError",
                                   "input argument was modified", "GradientCheckError"):
            result.category = f"{result.category} instead of UnboundLocalError"
        return result
    return Result(backend, mode, "fail", "no UnboundLocalError",
                  f"{fn.__name__}: Python raises UnboundLocalError ({python_error}) but the "
                  f"{mode}-mode derivative returned {values!r}")


def prepare_args(fn, args, rng=None, tries=3, counter=None):
    """(args, None) with args where fn is well-conditioned and smooth (redrawing float
    inputs up to ``tries`` times when ``rng`` is given), or (args, ("invalid"|"skip", why)).
    ``counter`` (a list) gets one entry per redraw."""
    for attempt in range(tries if rng is not None else 1):
        if attempt:
            args = draw_float_args(args, rng)
            if counter is not None:
                counter.append(attempt)
        problem = primal_problem(fn, args)
        if problem == UNBOUND:
            return args, None           # the derivatives must raise UnboundLocalError too
        if problem is not None:
            if attempt + 1 < tries and rng is not None:
                continue
            return args, ("invalid", problem)
        problem = smoothness_problem(fn, args)
        if problem is None:
            return args, None
    return args, ("skip", problem)


def check_program(program, backends=BACKENDS, modes=MODES, redraw=True, module=None):
    """Check ``program`` (a generator.Program) on ``backends`` and ``modes``."""
    own = module is None
    if own:
        module = load_source(program.source)
    try:
        fn = getattr(module, program.entry)
        rng = np.random.default_rng(program.seed + 7919) if redraw else None
        redraws = []
        args, problem = prepare_args(fn, program.args, rng, counter=redraws)
        if problem is not None:
            return Report(problem[0], args, reason=problem[1], redraws=len(redraws))
        report = Report("checked", args, redraws=len(redraws),
                        unbound=primal_problem(fn, args) == UNBOUND)
        for backend in backends:
            for mode in modes:
                result = check_one(fn, args, backend, mode)
                report.results.append(result)
                if result.category == "CompileError":
                    break       # the other mode is rejected the same way
        return report
    finally:
        if own:
            unload(module)


def failure_predicate(target, backend, mode, entry="f"):
    """A ``still_fails(source, args)`` for shrink.py: true while the program still fails
    on ``backend``/``mode`` with signature ``target`` at exactly these (smooth) inputs."""
    reference = {}

    def still_fails(source, args):
        try:
            module = load_source(source)
        except Exception:  # noqa: BLE001 - the edit broke the module
            return False
        try:
            fn = getattr(module, entry, None)
            if fn is None:
                return False
            _, problem = prepare_args(fn, args)
            if problem is not None:
                return False
            # keep the kind of output (a float, an array, a tuple of n): shrinking must not
            # turn the program into a different, type-unstable one
            outcome, value = python_outcome(fn, args)
            kind = outcome if outcome == UNBOUND else output_kind(value)
            if reference.setdefault("kind", kind) != kind:
                return False
            result = check_one(fn, args, backend, mode)
            return result.status == "fail" and result.signature == target
        finally:
            unload(module)
    return still_fails
