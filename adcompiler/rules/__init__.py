"""The rule table: one entry per primitive, its tangent and adjoint side by side."""
from .table import (PRIMITIVES, Primitive, primitive_for_object, NON_DIFFERENTIABLE,
                    defprim, scalar_rule, linear_rule, vector_rule)
from . import scalar, array, custom  # noqa: F401  (fill the table)
