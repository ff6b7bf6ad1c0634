"""What code generated for ``backend="cuda"`` calls: device functions for kernels, and the
host side of a launch (arrays moved to the GPU and back, reductions summed).

Imported only by generated CUDA modules: importing it imports ``numba.cuda``. Under
``NUMBA_ENABLE_CUDASIM=1`` (set before ``numba.cuda`` is first imported) the kernels run in
Numba's CUDA simulator, on the CPU, one Python thread per GPU thread.
"""
import math

import numpy as np
from numba import cuda

from ..errors import BackendError

SIMULATED = bool(getattr(cuda, "simulator_enabled", False)) or \
    type(cuda).__module__.startswith("numba.cuda.simulator") or \
    "simulator" in getattr(cuda, "__file__", "")
#: threads per block (a power of two: the kernels sum their reductions over a block by
#: halving), and at most this many blocks: the kernels loop with a grid stride (the
#: simulator runs each thread as a Python thread: a few of them)
THREADS, MAX_BLOCKS = (4, 2) if SIMULATED else (128, 1024)


# -- device functions the kernels call (the host code calls python_rt's) ---------------------
@cuda.jit(device=True)
def trip_count(start, stop, step):
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


@cuda.jit(device=True)
def log_or_zero(x):
    return math.log(x) if x != 0.0 else 0.0


@cuda.jit(device=True)
def inv_or_zero(x):
    return 1.0 / x if x != 0.0 else 0.0


# -- the host side ---------------------------------------------------------------------------
class Residency:
    """Where the current contents of each array are during one call of a generated function.

    An array a kernel reads is copied to the GPU once, for every kernel of the call, until the
    host writes into it (or into an array sharing its memory). An array a kernel writes stays
    on the GPU: it is copied back only when host code reads it, and at the end of the call,
    so a time loop whose steps are all kernels moves its state once per call, not once per
    step. Tapes of parallel loops live on the GPU only (``reserve``)."""

    def __init__(self):
        self.copies = {}            # id(host array) -> (host array, device array)
        self.newer = {}             # the copies a kernel wrote into: the host's are stale
        self.moves = 0              # arrays copied either way (tests count them)

    def device(self, value):
        if not isinstance(value, np.ndarray):
            return value            # a number, or already a device array (a tape)
        hit = self.copies.get(id(value))
        if hit is None or hit[0] is not value:
            self.on_host(value)     # a view of an array a kernel wrote: its contents first
            hit = self.copies[id(value)] = (value, cuda.to_device(np.ascontiguousarray(value)))
            self.moves += 1
        return hit[1]

    def kernel_wrote(self, array):
        """A kernel wrote into ``array``'s GPU copy: other GPU copies of its memory are stale."""
        self.newer[id(array)] = self.copies[id(array)]
        for key, (other, _) in list(self.copies.items()):
            if other is not array and np.may_share_memory(other, array):
                del self.copies[key]
                self.newer.pop(key, None)

    def on_host(self, array):
        """Host code is about to read or write ``array``: bring back what kernels wrote into
        its memory."""
        if self.newer:
            for key, (host, dev) in list(self.newer.items()):
                if np.may_share_memory(host, array):
                    host[...] = dev.copy_to_host()
                    self.moves += 1
                    del self.newer[key]

    def host_wrote(self, array):
        """Host code wrote into ``array``: forget GPU copies that may hold its old contents."""
        if self.copies:
            for key, (host, _) in list(self.copies.items()):
                if np.may_share_memory(host, array):
                    del self.copies[key]

    def finish(self):
        """The call returns: every array holds what the kernels wrote."""
        for host, dev in self.newer.values():
            host[...] = dev.copy_to_host()
            self.moves += 1
        self.newer.clear()
        last_residency.moves = self.moves


#: the number of arrays moved by the last call that finished (for tests)
last_residency = type("LastResidency", (), {"moves": 0})()


def launch(residency, kernel, count, args, written, reductions):
    """Run ``kernel`` over ``count`` iterations with ``args`` (host arrays are moved to the
    GPU); the arrays at positions ``written`` stay there, newer than the host's; return the totals of the
    reductions, one per dtype in ``reductions`` (each thread adds its partial sum into one
    element)."""
    totals = [cuda.to_device(np.zeros(1, dtype)) for dtype in reductions]
    if count > 0:
        blocks = max(1, min(MAX_BLOCKS, (count + THREADS - 1) // THREADS))
        try:
            kernel[blocks, THREADS](*[residency.device(a) for a in args], *totals)
        except Exception as exc:        # noqa: BLE001 - typing or compiling the kernel
            if _is_numba_error(exc):
                raise BackendError(f"Numba could not compile a CUDA kernel generated by "
                                   f"adcompiler ({kernel.__name__}); this is an adcompiler bug "
                                   f"(backend='numba' runs the same loops). Numba said:\n{exc}") \
                    from None
            raise
        for k in written:
            residency.kernel_wrote(args[k])
    return tuple(t.copy_to_host()[0] for t in totals)


def _is_numba_error(exc):
    from numba.core.errors import NumbaError
    return isinstance(exc, NumbaError)


def new_tape(dtype):
    """An empty tape on the GPU."""
    return cuda.device_array(0, dtype)


def reserve(tape, needed):
    """``tape`` (on the GPU) with room for ``needed`` values, its contents kept: doubling."""
    if tape.shape[0] >= needed:
        return tape
    bigger = cuda.device_array(max(needed, 2 * tape.shape[0]), tape.dtype)
    if tape.shape[0]:
        bigger[:tape.shape[0]].copy_to_device(tape)
    return bigger
