"""Checks the IR invariants: single assignment, definition before use, region arity."""
from .nodes import Var, Op, If, For, While


class VerifierError(AssertionError):
    pass


def verify(fn):
    """Raise :class:`VerifierError` if ``fn`` breaks an SSA or region invariant."""
    defined = set()

    def define(var, where):
        if not isinstance(var, Var):
            raise VerifierError(f"{where}: defines non-Var {var!r}")
        if var in defined:
            raise VerifierError(f"{where}: {var!r} assigned twice")
        defined.add(var)

    def use(atom, scope, where):
        if isinstance(atom, Var) and atom not in scope:
            raise VerifierError(f"{where}: {atom!r} used before definition or out of scope")

    def check_block(block, scope, arity, where):
        scope = set(scope)
        for stmt in block.stmts:
            if isinstance(stmt, Op):
                for a in stmt.args:
                    use(a, scope, f"{where}/{stmt.prim}")
                if stmt.result is not None:
                    define(stmt.result, f"{where}/{stmt.prim}")
                    scope.add(stmt.result)
            elif isinstance(stmt, If):
                use(stmt.cond, scope, f"{where}/if")
                n = len(stmt.results)
                check_block(stmt.then_body, scope, n, f"{where}/if.then")
                check_block(stmt.else_body, scope, n, f"{where}/if.else")
            elif isinstance(stmt, For):
                for a in (stmt.start, stmt.stop, stmt.step, *stmt.inits):
                    use(a, scope, f"{where}/for")
                if not len(stmt.args) == len(stmt.inits) == len(stmt.results):
                    raise VerifierError(f"{where}/for: carried arity mismatch")
                define(stmt.index, f"{where}/for")
                for a in stmt.args:
                    define(a, f"{where}/for")
                check_block(stmt.body, scope | {stmt.index, *stmt.args}, len(stmt.args), f"{where}/for.body")
            elif isinstance(stmt, While):
                for a in stmt.inits:
                    use(a, scope, f"{where}/while")
                if not len(stmt.args) == len(stmt.inits) == len(stmt.results):
                    raise VerifierError(f"{where}/while: carried arity mismatch")
                for a in stmt.args:
                    define(a, f"{where}/while")
                inner = scope | set(stmt.args)
                check_block(stmt.cond_body, inner, 1, f"{where}/while.cond")
                check_block(stmt.body, inner, len(stmt.args), f"{where}/while.body")
            else:
                raise VerifierError(f"{where}: unknown statement {stmt!r}")
            for r in () if isinstance(stmt, Op) else stmt.results:
                define(r, where)
                scope.add(r)
        for y in block.yields:
            use(y, scope, f"{where}/yield")
        if arity is not None and len(block.yields) != arity:
            raise VerifierError(f"{where}: yields {len(block.yields)} values, region expects {arity}")

    for p in fn.params:
        define(p, "params")
    check_block(fn.body, set(fn.params), None, fn.name)
    return fn
