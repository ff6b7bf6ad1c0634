"""Text form of the IR, for ``ADCOMPILER_DUMP`` and golden tests."""
from .nodes import Op, If, For, While


def _atoms(atoms):
    return ", ".join(map(repr, atoms))


def _block_lines(block, indent):
    pad = "  " * indent
    lines = []
    for stmt in block.stmts:
        if isinstance(stmt, Op):
            lhs = f"{stmt.result!r} = " if stmt.result is not None else ""
            extra = "".join(f" {k}={v!r}" for k, v in stmt.attrs.items() if k != "callee")
            lines.append(f"{pad}{lhs}{stmt.prim}({_atoms(stmt.args)}){extra}")
        elif isinstance(stmt, If):
            lines.append(f"{pad}{_atoms(stmt.results)} = if {stmt.cond!r} {{")
            lines += _block_lines(stmt.then_body, indent + 1)
            lines.append(f"{pad}}} else {{")
            lines += _block_lines(stmt.else_body, indent + 1)
            lines.append(f"{pad}}}")
        elif isinstance(stmt, For):
            kind = "parallel_for" if stmt.parallel else "for"
            carried = ", ".join(f"{a!r} = {i!r}" for a, i in zip(stmt.args, stmt.inits))
            lines.append(f"{pad}{_atoms(stmt.results)} = {kind} {stmt.index!r} in range("
                         f"{stmt.start!r}, {stmt.stop!r}, {stmt.step!r}) carried ({carried}) {{")
            lines += _block_lines(stmt.body, indent + 1)
            lines.append(f"{pad}}}")
        elif isinstance(stmt, While):
            carried = ", ".join(f"{a!r} = {i!r}" for a, i in zip(stmt.args, stmt.inits))
            lines.append(f"{pad}{_atoms(stmt.results)} = while carried ({carried}) cond {{")
            lines += _block_lines(stmt.cond_body, indent + 1)
            lines.append(f"{pad}}} do {{")
            lines += _block_lines(stmt.body, indent + 1)
            lines.append(f"{pad}}}")
    lines.append(f"{pad}yield {_atoms(block.yields)}")
    return lines


def format_function(fn):
    head = f"func {fn.name}({_atoms(fn.params)}) {{"
    return "\n".join([head] + _block_lines(fn.body, 1) + ["}"])
