"""SSA round trip: source -> structured SSA -> Python source -> run gives the same results."""
import pytest

from adcompiler.codegen import generate_source
from adcompiler.frontend import build_ssa
from adcompiler.transforms.types import infer_types
from adcompiler.transforms.cleanup import fold_constants, eliminate_dead_code

from . import sample_functions as sf
from .test_verifier import SAMPLES

INPUTS = {"straight": [(0.3, 1.2), (-2.0, 0.5)], "branchy": [(2.0, 1.0), (-3.0, 4.0), (0.5, 0.7)],
          "loops": [(0.7, 5), (2.5, 8), (0.1, 0)], "early": [(0.5,), (3.0,), (0.01,)]}


def _roundtrip(fn, types, optimise):
    ir = infer_types(build_ssa(fn, types))
    if optimise:
        ir = eliminate_dead_code(fold_constants(ir))
    source, _ = generate_source(ir)
    namespace = {}
    exec("import math\nimport numpy as np\nfrom adcompiler.runtime import python_rt as _rt\n"
         + source, namespace)
    return namespace[ir.name]


@pytest.mark.parametrize("optimise", [False, True])
@pytest.mark.parametrize("fn,types", SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_roundtrip_runs_like_the_original(fn, types, optimise):
    rebuilt = _roundtrip(fn, types, optimise)
    for args in INPUTS[fn.__name__]:
        assert rebuilt(*args) == pytest.approx(fn(*args), rel=1e-15)
