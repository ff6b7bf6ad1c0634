"""Compile every kernel backend="cuda" generates for tests/backends/cuda_programs.py to PTX
with ``numba.cuda.compile_ptx``, without a GPU: the simulator accepts kernels a GPU rejects.

Run as ``NUMBA_ENABLE_CUDASIM=0 python -m tests.backends.ptx_kernels``. Needs the NVVM library
(the ``cuda`` extra: numba-cuda with its CUDA 12 toolkit wheels); exits with status 3 and
the reason where it is missing. The launches record each kernel's argument types instead of
running it (no driver), so the host code runs on with values that are never checked.
"""
import sys

import numpy as np

SKIP = 3


def main():
    try:
        from numba import cuda, float64

        def probe(x):
            x[0] = 1.0
        cuda.compile_ptx(probe, (float64[:],), cc=(8, 0))
    except Exception as exc:        # noqa: BLE001 - no NVVM, no numba-cuda
        print(f"cannot compile PTX here: {type(exc).__name__}: {exc}")
        return SKIP
    import numba
    import adcompiler as ad
    from adcompiler.runtime import cuda_rt, python_rt
    from tests.backends.cuda_programs import PROGRAMS

    launched = []

    def record(residency, kernel, count, args, written, reductions):
        types = [numba.typeof(a) for a in args] + [numba.typeof(np.zeros(1, d)) for d in reductions]
        launched.append((kernel, tuple(types)))
        return tuple(np.zeros(1, d)[0] for d in reductions)

    class HostOnly:             # the arrays stay on the host: nothing to move
        def host_wrote(self, array):
            pass

        def on_host(self, array):
            pass

        def finish(self):
            pass

    cuda_rt.launch = record
    cuda_rt.Residency = HostOnly
    cuda_rt.new_tape = lambda dtype: np.empty(0, dtype)
    cuda_rt.reserve = python_rt.reserve
    for fn, args in PROGRAMS:
        ad.grad(fn, wrt=(0, 1), backend="cuda")(*args)
        ad.jvp(fn, args, tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0
                               for a in args), backend="cuda")
        ad.hvp(fn, wrt=(0, 1), backend="cuda")(args, args)
    compiled = 0
    for kernel, types in dict.fromkeys(launched):
        try:
            cuda.compile_ptx(kernel.py_func, types, cc=(8, 0))
        except Exception as exc:     # noqa: BLE001 - report which kernel
            print(f"{kernel.py_func.__name__}{types}: {type(exc).__name__}: {exc}")
            return 1
        compiled += 1
    print(f"compiled {compiled} kernels to PTX")
    return 0


if __name__ == "__main__":
    sys.exit(main())
