"""adcompiler: source-to-source automatic differentiation of numeric Python, compiled by Numba.

>>> import adcompiler as ad
>>> df = ad.grad(f, wrt=(0, 1))
>>> print(df.source)
"""
__version__ = "0.1.0"

from .errors import CompileError, BackendError  # noqa: E402
from .api import grad, value_and_grad, jvp, vjp, jacobian, hessian, hvp, source  # noqa: E402
from .rules.custom import rule, non_differentiable, stop_gradient  # noqa: E402
from .api import clear_cache  # noqa: E402
from .vmap import vmap  # noqa: E402
from .codegen import cache_dir, set_cache_dir  # noqa: E402
from .backends import devices  # noqa: E402
from . import testing  # noqa: E402

try:        # a loop whose iterations are independent (transforms/parallel.py checks it)
    from numba import prange  # noqa: E402
except ImportError:           # pragma: no cover - numba is a dependency
    prange = range

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "jacobian", "hessian", "hvp", "source", "vmap", "rule", "non_differentiable", "stop_gradient", "testing", "clear_cache", "cache_dir", "set_cache_dir", "CompileError", "BackendError", "prange", "devices"]
