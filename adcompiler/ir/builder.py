"""Emitting IR: a stack of open blocks and helpers that create regions."""
from contextlib import contextmanager

from .nodes import Var, Op, Block


class Builder:
    def __init__(self, block=None, role="primal"):
        self.blocks = [block if block is not None else Block()]
        self.role = role
        self.loc = None

    @property
    def block(self):
        return self.blocks[-1]

    def append(self, stmt):
        self.block.stmts.append(stmt)
        return stmt

    def op(self, prim, args, hint="t", type=None, result=True, **attrs):
        """Append ``prim(*args)`` and return its result Var (or None for effects)."""
        out = Var(hint, type) if result else None
        self.append(Op(prim, list(args), out, self.loc, self.role, attrs))
        return out

    @contextmanager
    def into(self, block):
        self.blocks.append(block)
        try:
            yield block
        finally:
            self.blocks.pop()

    @contextmanager
    def at(self, loc=None, role=None):
        saved = self.loc, self.role
        if loc is not None:
            self.loc = loc
        if role is not None:
            self.role = role
        try:
            yield
        finally:
            self.loc, self.role = saved
