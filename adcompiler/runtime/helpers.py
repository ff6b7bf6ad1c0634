"""Runtime helpers called by generated code. Plain functions; ``numba_rt`` compiles them."""
import math

import numpy as np


def trip_count(start, stop, step):
    """Number of iterations of ``range(start, stop, step)``."""
    if step > 0:
        n = (stop - start + step - 1) // step
    else:
        n = (start - stop - step - 1) // (-step)
    return n if n > 0 else 0


def reserve(tape, needed):
    """Return ``tape`` or a copy at least ``needed`` long (doubling), keeping its contents."""
    size = tape.shape[0]
    if needed <= size:
        return tape
    grown = np.empty(max(needed, 2 * size), tape.dtype)
    grown[:size] = tape
    return grown


def log_or_zero(a):
    """log(a) for a > 0, else 0: the partial of a**b in b, continuous from a > 0 at 0."""
    return math.log(a) if a > 0 else 0.0
