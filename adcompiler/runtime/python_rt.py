"""Runtime helpers for the plain-Python backend."""
from .helpers import (trip_count, reserve, log_or_zero, inv_or_zero, fill_like, expand_axis,  # noqa: F401
                      diagonal_like, c_layout, scatter_add, take_pairs, scatter_add_pairs,
                      tril_mask, diag_adjoint,
                      onehot_argmax, onehot_argmin, at_argmax, at_argmin, unbroadcast,
                      reshape_like, cast_like, seed_like, broadcast_like, shaped_like, push_array, pop_array1, pop_array2, pop_array3,
                      amax_axis, amin_axis, prod_axis, at_argmax_axis, at_argmin_axis,
                      onehot_argmax_axis, onehot_argmin_axis, prod_others, prod_others_axis,
                      prod_others_jvp, prod_others_axis_jvp, reshape,
                      checked_add, checked_sub, checked_mul, checked_pow, checked_neg, checked_abs,
                      checked_floordiv, checked_mod, checked_int, checked_round, checked_floor,
                      checked_ceil, checked_trunc, einsum, einsum_like)
