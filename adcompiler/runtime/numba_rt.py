"""Runtime helpers compiled with Numba for the ``numba`` backend."""
import numba

from . import helpers

trip_count = numba.njit(cache=True)(helpers.trip_count)
reserve = numba.njit(cache=True)(helpers.reserve)
log_or_zero = numba.njit(cache=True)(helpers.log_or_zero)
