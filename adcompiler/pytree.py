"""Arguments that are tuples, lists and dicts of floats and arrays (JAX's pytrees).

A function taking such arguments is differentiated through a flat wrapper, generated once
per structure: it takes the leaves one by one and calls the function with the structures
rebuilt (``def loss_flat(w__a, w__b, x): return _user_fn({'a': w__a, 'b': w__b}, x)``), so
the compiler sees dict and tuple literals, which it lowers to their values. Derivatives with
respect to a structured argument come back in its structure."""
import threading

import numpy as np

from .codegen.module import load_generated_module

LEAF = "leaf"
_FLAT = {}                       # (fn, structures) -> the flat wrapper
_LOCK = threading.Lock()


def is_structured(value):
    return isinstance(value, (tuple, list, dict))


def flatten(value):
    """``(leaves, structure)`` of a nested tuple/list/dict (anything else is a leaf)."""
    if isinstance(value, dict):
        leaves, parts = [], []
        for key, item in value.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"dict keys of arguments must be strings or integers, not {key!r}")
            sub, structure = flatten(item)
            leaves += sub
            parts.append((key, structure))
        return leaves, ("dict", tuple(parts))
    if isinstance(value, (tuple, list)):
        leaves, parts = [], []
        for item in value:
            sub, structure = flatten(item)
            leaves += sub
            parts.append(structure)
        return leaves, (type(value).__name__, tuple(parts))
    return [value], LEAF


def unflatten(structure, leaves):
    """The inverse of :func:`flatten`; ``leaves`` is an iterator."""
    if structure == LEAF:
        return next(leaves)
    kind, parts = structure
    if kind == "dict":
        return {key: unflatten(sub, leaves) for key, sub in parts}
    items = [unflatten(sub, leaves) for sub in parts]
    return tuple(items) if kind == "tuple" else items


def count(structure):
    return 1 if structure == LEAF else sum(count(s) for s in (
        [p for _, p in structure[1]] if structure[0] == "dict" else structure[1]))


def _literal(structure, names):
    """Python source building ``structure`` from the leaf names (an iterator)."""
    if structure == LEAF:
        return next(names)
    kind, parts = structure
    if kind == "dict":
        return "{" + ", ".join(f"{key!r}: {_literal(sub, names)}" for key, sub in parts) + "}"
    items = [_literal(sub, names) for sub in parts]
    if kind == "tuple":
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return "[" + ", ".join(items) + "]"


def flat_function(fn, param_names, structures):
    """The wrapper of ``fn`` taking the leaves of its arguments of these structures."""
    key = (fn, structures)
    wrapper = _FLAT.get(key)
    if wrapper is not None:
        return wrapper
    with _LOCK:
        wrapper = _FLAT.get(key)
        if wrapper is None:
            leaf_names, call_args = [], []
            for name, structure in zip(param_names, structures):
                n = count(structure)
                names = [name] if structure == LEAF else [f"{name}__{k}" for k in range(n)]
                leaf_names += names
                call_args.append(_literal(structure, iter(names)))
            base = getattr(fn, "__name__", "f")
            base = base if base.isidentifier() else "lambda_"
            source = (f"def {base}_flat({', '.join(leaf_names)}):\n"
                      f"    return _user_fn({', '.join(call_args)})\n")
            module = load_generated_module(source, "python", f"pytree wrapper of {base}",
                                           {"_user_fn": fn})
            wrapper = _FLAT[key] = getattr(module, f"{base}_flat")
    return wrapper


class Flattened:
    """A call of ``fn`` on structured ``args``, made flat: ``fn`` (the wrapper), ``args``
    (the leaves), and which leaves belong to each argument."""

    def __init__(self, fn, param_names, args):
        flat = [flatten(a) if is_structured(a) else ([a], LEAF) for a in args]
        self.structures = tuple(s for _, s in flat)
        self.fn = flat_function(fn, param_names, self.structures)
        self.args = [leaf for leaves, _ in flat for leaf in leaves]
        self.ranges, start = [], 0
        for leaves, _ in flat:
            self.ranges.append(range(start, start + len(leaves)))
            start += len(leaves)

    def leaf_positions(self, positions, is_float):
        """The leaves of the arguments at ``positions`` that are floats (differentiated)."""
        return tuple(k for p in positions for k in self.ranges[p] if is_float(self.args[k]))

    def regroup(self, positions, leaf_positions, leaf_values, zero=lambda leaf: 0.0):
        """Per argument at ``positions``: the values of its leaves in its structure (a leaf
        that was not differentiated gets ``zero(leaf)``)."""
        by_leaf = dict(zip(leaf_positions, leaf_values))
        return tuple(unflatten(self.structures[p], iter(
            by_leaf[k] if k in by_leaf else zero(self.args[k]) for k in self.ranges[p]))
            for p in positions)

    def flatten_like(self, position, value):
        """The leaves of ``value``, which must have argument ``position``'s structure."""
        if self.structures[position] != LEAF and not is_structured(value) and (
                value is None or (np.ndim(value) == 0 and value == 0)):
            return [0 for _ in self.ranges[position]]    # "no tangent" for the whole argument
        leaves, structure = flatten(value) if is_structured(value) else ([value], LEAF)
        if structure != self.structures[position] and not (
                self.structures[position] == LEAF and structure == LEAF):
            raise ValueError(f"argument {position}: a tangent or cotangent of another structure "
                             f"than its primal")
        return leaves


def zero_like(leaf):
    return np.zeros_like(leaf, dtype=float) if isinstance(leaf, np.ndarray) else 0.0
