"""Structured SSA intermediate representation.

Straight-line code is three-address SSA (:class:`Op`). ``if``, ``for`` and ``while``
stay structured regions whose branch results and loop-carried values are explicit, like
MLIR's ``scf`` dialect: a region's blocks *yield* values, a loop body receives its carried
values as block arguments. This is what lets the reverse transform know exactly which
values one iteration must save.
"""
from .nodes import (Var, Const, Loc, Op, Block, If, For, While, Function, Tape,
                    is_var, walk_stmts, stmt_uses, stmt_defs, child_blocks)
from .builder import Builder
from .printer import format_function
from .verifier import verify, VerifierError
