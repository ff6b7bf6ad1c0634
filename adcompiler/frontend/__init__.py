"""Source -> gast -> checks and desugaring -> structured SSA IR."""
from .source import parse_function, ParsedFunction
from .lower import build_ssa
