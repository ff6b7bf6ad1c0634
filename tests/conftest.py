"""Test selection: ``make test`` checks the whole corpus on the python backend and a
representative sample of it on Numba; ``make test-all`` (``--all-numba``) checks everything
on Numba too.

Compiling with Numba costs about a second per function, which is most of the suite's time.
The python backend runs the same generated source, so breadth is cheap there; Numba needs
typing and compiling checked on a spread of the corpus. Tests decorated with
``@pytest.mark.numba_sample`` run on Numba for every ``NUMBA_STRIDE``-th case of their
parametrisation (by collection order, which follows the corpus: consecutive functions
exercise one feature, so a stride crosses every feature). Tests decorated with
``@pytest.mark.numba_slow`` (a Numba compile of tens of seconds: second order of large
functions) run on Numba only under ``--all-numba``; their python-backend cases always run.
"""
import os

# Tests check values, not speed: Numba's LLVM optimisation is most of a compile (55 of the 60 s
# of one large gradient here, 3 s at NUMBA_OPT=0) and does not change results (no fast-math).
# The test run's code is cached apart from the user's (~/.cache/adcompiler): Numba's cache does
# not record the optimisation level, so a benchmark must never load it. NUMBA_OPT=3 make test
# tests optimised code.
if "NUMBA_OPT" not in os.environ:
    os.environ["NUMBA_OPT"] = "0"
    _root = os.path.join(os.environ.get("ADCOMPILER_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "adcompiler"), "tests-opt0")
    os.environ["ADCOMPILER_CACHE_DIR"] = _root
    os.environ["NUMBA_CACHE_DIR"] = os.path.join(_root, "numba")

# backend="cuda" runs its kernels in Numba's CUDA simulator unless told otherwise (set
# NUMBA_ENABLE_CUDASIM=0 on a machine with a GPU); read when numba is first imported
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

NUMBA_STRIDE = 4


def pytest_addoption(parser):
    parser.addoption("--all-numba", action="store_true", default=False,
                     help="run every numba_sample test on Numba, not a sample (make test-all)")


def pytest_configure(config):
    config.addinivalue_line("markers", "numba_sample: on Numba, run every "
                                       f"{NUMBA_STRIDE}th case unless --all-numba")
    config.addinivalue_line("markers", "numba_slow: on Numba only with --all-numba")


def _on_numba(item):
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("backend") == "numba" or "numba" in item.originalname


def pytest_collection_modifyitems(config, items):
    if config.getoption("--all-numba") or os.environ.get("ADCOMPILER_TEST_ALL"):
        return
    seen, kept, dropped = {}, [], []
    for item in items:
        if not _on_numba(item) or (item.get_closest_marker("numba_sample") is None
                                   and item.get_closest_marker("numba_slow") is None):
            kept.append(item)
            continue
        if item.get_closest_marker("numba_slow") is not None:
            dropped.append(item)
            continue
        k = seen[item.originalname, item.module.__name__] = \
            seen.get((item.originalname, item.module.__name__), -1) + 1
        (kept if k % NUMBA_STRIDE == 0 else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
