"""The benchmark-suite objectives of objectives.py, as their authors write NumPy, differentiate
as written: reverse mode against central differences of every float leaf of each
differentiated argument (dicts, tuples and lists too), forward mode by the dot-product
identity with it, on both backends; values bit for bit on the python backend."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.pytree import flatten, unflatten

from ..api.test_pytrees import assert_tree_close, numerical
from . import objectives as ob

CASES = ob.cases()
IDS = [f"{fn.__name__}{k}" for k, (fn, _, _) in enumerate(CASES)]
# the slowest Numba compiles of make test (about a minute each on a fresh 2-core machine):
# on Numba under make test-all only; the other GMM variant and the rest still run there (the
# einsum GMM's einsums on Numba are covered by tests/rules/test_einsum.py)
NUMBA_SLOW = ("gmm_objective1", "lstm_objective3", "gmm_einsum_objective8",
              "gmm_indexed_objective9")
PARAMS = [pytest.param(*case, id=name, marks=[pytest.mark.numba_slow] if name in NUMBA_SLOW
                       else []) for case, name in zip(CASES, IDS)]


def _random_like(value, rng):
    leaves, structure = flatten(value)
    return unflatten(structure, iter(
        rng.normal(size=np.shape(leaf)) if isinstance(leaf, np.ndarray) and leaf.dtype.kind == "f"
        else float(rng.normal()) if isinstance(leaf, float) else
        (np.zeros_like(leaf) if isinstance(leaf, np.ndarray) else 0) for leaf in leaves))


def _dot(a, b):
    return sum(float(np.sum(np.asarray(x, dtype=float) * np.asarray(y, dtype=float)))
               for x, y in zip(flatten(a)[0], flatten(b)[0]))


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("fn,args,positions", PARAMS)
def test_objective(fn, args, positions, backend):
    value, grads = ad.value_and_grad(fn, wrt=positions, backend=backend)(*args)
    if backend == "python":
        assert value == fn(*args)
    else:
        assert value == pytest.approx(fn(*args), rel=1e-12)
    for p, g in zip(positions, grads):
        assert_tree_close(g, numerical(fn, args, p))
    rng = np.random.default_rng(3)
    tangents = [_random_like(a, rng) if k in positions else _random_like(a, rng) * 0
                if isinstance(a, np.ndarray) else (0.0 if isinstance(a, float) else
                                                   _random_like(a, rng) if k in positions
                                                   else None)
                for k, a in enumerate(args)]
    tangents = [t if k in positions else None for k, t in enumerate(tangents)]
    _, tangent = ad.jvp(fn, args, tangents, backend=backend)
    assert tangent == pytest.approx(sum(_dot(g, tangents[p]) for p, g in zip(positions, grads)),
                                    rel=1e-7, abs=1e-9)
