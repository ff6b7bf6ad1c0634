"""The compiler pipeline: an explicit list of named passes, each ``Function -> Function``.

Set ``ADCOMPILER_DUMP=ssa,reverse`` (pass names, or ``all``) to print the IR after those
passes to stderr. The IR verifier runs after every pass.
"""
import os
import sys

from ..ir import verify, format_function
from ..ir.nodes import BOOL, INT, FLOAT, ArrayType
from ..frontend import build_ssa
from .types import infer_types
from .activity import analyse_activity
from .parallel import check_parallel_loops
from .forward import forward_transform
from .reverse import reverse_transform
from .accumulate import accumulate_in_registers
from .shapes import drop_needless_unbroadcasts, scalars_for_filled_arrays
from .cleanup import (fold_constants, eliminate_dead_code, eliminate_common_subexpressions,
                      cancel_reset_and_readd, shapes_from_values)

_KIND_TYPES = {"float": FLOAT, "int": INT, "bool": BOOL}


def _dump_requested(name):
    wanted = os.environ.get("ADCOMPILER_DUMP", "")
    return bool(wanted) and (wanted == "all" or name in wanted.split(","))


def run_pipeline(passes, ir=None):
    for name, pass_ in passes:
        ir = pass_(ir)
        verify(ir)
        if _dump_requested(name):
            print(f"--- after {name} ---\n{format_function(ir)}", file=sys.stderr)
    return ir


def passes_for(fn, mode, kinds, active_positions):
    """The pass list turning ``fn`` into its ``mode`` ("forward"/"reverse") derivative IR."""
    types = [k if isinstance(k, tuple) else _KIND_TYPES[k] if k in _KIND_TYPES
             else ArrayType(k.split(":")[1], int(k.split(":")[2])) for k in kinds]

    def active_params(ir):
        return [ir.params[i] for i in active_positions]

    transform = forward_transform if mode == "forward" else reverse_transform
    reverse_only = [("shapes-from-values", shapes_from_values),
                    ("accumulate-in-registers", accumulate_in_registers)] if mode == "reverse" \
        else []
    return [
        ("ssa", lambda _: build_ssa(fn, types)),
        ("types", infer_types),
        ("cse", eliminate_common_subexpressions),
        ("parallel-check", check_parallel_loops),     # after cse: one Var per index value
        ("activity", lambda ir: analyse_activity(ir, active_params(ir))),
        (mode, lambda ir: transform(ir, active_params(ir))),
        ("derivative-types", infer_types),
        ("fold", fold_constants),
        ("derivative-cse", eliminate_common_subexpressions),
        ("cancel-readd", cancel_reset_and_readd),
        ("same-shape", drop_needless_unbroadcasts),
        ("same-shape-fill", scalars_for_filled_arrays),
        *reverse_only,
        ("dce", eliminate_dead_code),
        ("fold-again", fold_constants),
        ("dce-again", eliminate_dead_code),
    ]


def derivative_ir(fn, mode, kinds, active_positions):
    return run_pipeline(passes_for(fn, mode, kinds, active_positions))


def forward_over_reverse_passes(fn, kinds, reverse_positions, forward_positions):
    """Second derivatives: the forward transform applied to the reverse-mode IR.

    The reverse IR's parameters are ``(*params, *seeds)``; its tape pushes and pops, in-place
    scatters and runtime helpers all have tangent rules, so it is differentiated like any
    other function. The result takes ``(*params, *seeds, *d_params)`` and returns
    ``(*outputs, *gradients, *d_outputs, *d_gradients)``.
    """
    def active_params(ir):
        return [ir.params[i] for i in forward_positions]

    return passes_for(fn, "reverse", kinds, reverse_positions) + [
        ("activity-2", lambda ir: analyse_activity(ir, active_params(ir))),
        ("forward-over-reverse", lambda ir: forward_transform(ir, active_params(ir))),
        ("derivative-types-2", infer_types),
        ("fold-2", fold_constants),
        ("derivative-cse-2", eliminate_common_subexpressions),
        ("cancel-readd-2", cancel_reset_and_readd),
        ("dce-2", eliminate_dead_code),
        ("fold-again-2", fold_constants),
        ("dce-again-2", eliminate_dead_code),
    ]


def second_derivative_ir(fn, kinds, reverse_positions, forward_positions):
    return run_pipeline(forward_over_reverse_passes(fn, kinds, reverse_positions,
                                                    forward_positions))
