"""Numerical checks of derivatives, for our tests and for users' own functions.

``check_grads(f, args)`` compares forward mode against central finite differences and
reverse mode against forward mode by the dot-product identity <ybar, J xdot> = <J^T ybar, xdot>,
one argument position at a time (a bug in argument 1 cannot hide behind argument 0).
"""
import numpy as np

from . import api


def _copy(value):
    return np.copy(value) if isinstance(value, np.ndarray) else value


def _is_float(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f"
    return isinstance(value, float) or isinstance(value, np.floating)


def _zero_tangent(value):
    if isinstance(value, np.ndarray):
        return np.zeros(value.shape, dtype=value.dtype if value.dtype.kind == "f" else np.float64)
    return 0.0 if _is_float(value) else 0


def _as_tuple(value, is_tuple):
    return tuple(value) if is_tuple else (value,)


def _inner(xs, ys):
    return float(sum(np.sum(np.asarray(x, dtype=np.float64) * np.asarray(y, dtype=np.float64))
                     for x, y in zip(xs, ys)))


def _random_like(value, rng):
    if isinstance(value, np.ndarray):
        return rng.normal(size=value.shape).astype(value.dtype if value.dtype.kind == "f" else np.float64)
    return float(rng.normal())


def _call_pure(fn, args):
    return fn(*[_copy(a) for a in args])


def directional_difference(fn, args, position, direction, eps):
    """Central finite difference of ``fn`` at ``args`` along ``direction`` in one argument."""
    def shifted(sign):
        moved = [_copy(a) for a in args]
        if isinstance(moved[position], np.ndarray):
            moved[position] = (moved[position].astype(np.float64) + sign * eps * direction)
            moved[position] = moved[position].astype(args[position].dtype)
        else:
            moved[position] = moved[position] + sign * eps * direction
        return fn(*moved)
    plus, minus = shifted(1.0), shifted(-1.0)
    is_tuple = isinstance(plus, tuple)
    return tuple((np.asarray(p, dtype=np.float64) - np.asarray(m, dtype=np.float64)) / (2 * eps)
                 for p, m in zip(_as_tuple(plus, is_tuple), _as_tuple(minus, is_tuple)))


class GradientCheckError(AssertionError):
    """A derivative disagrees with finite differences or with the other mode."""


def _assert_close(actual, expected, rtol, atol, what):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape or not np.allclose(actual, expected, rtol=rtol, atol=atol):
        raise GradientCheckError(f"{what}:\n  derivative:          {actual}\n"
                                 f"  finite differences:  {expected}")


def _assert_same_value(got, want, what):
    """The value a derivative returns is ``f``'s: an array of the same dtype, equal to
    rounding. float32 is compared at float32 precision: another backend's float32 math
    (Numba's fused loops, its summation order) differs from NumPy's in the last bits."""
    if isinstance(want, np.ndarray) and (not isinstance(got, np.ndarray) or got.dtype != want.dtype):
        raise GradientCheckError(f"{what}: {getattr(got, 'dtype', type(got).__name__)} "
                                 f"instead of {want.dtype}")
    if np.result_type(want) == np.float32:
        tol = 64 * float(np.finfo(np.float32).eps)
        _assert_close(got, want, tol, tol, what)
    else:
        _assert_close(got, want, 1e-10, 1e-12, what)


def check_grads(f, args, modes=("forward", "reverse"), order=1, *, backend="numba",
                eps=1e-6, rtol=1e-5, atol=1e-7, seed=0, positions=None):
    """Check ``f``'s derivatives at ``args``; raise :class:`GradientCheckError` on a mismatch.

    For each float argument position (or ``positions``): the forward-mode tangent along a
    random direction is compared with a central finite difference, and the reverse-mode
    cotangent is checked against the tangent by the dot-product identity. ``order=2`` also
    checks the second derivatives (forward over reverse) against differences of gradients.
    Inputs are checked to be unmodified by every derivative call.
    """
    rng = np.random.default_rng(seed)
    args = tuple(args)
    originals = [_copy(a) for a in args]
    if positions is None:
        positions = [i for i, a in enumerate(args) if _is_float(a)]
    name = getattr(f, "__name__", repr(f))
    value = _call_pure(f, args)
    is_tuple = isinstance(value, tuple)
    values = _as_tuple(value, is_tuple)
    ybar = tuple(_random_like(v if isinstance(v, np.ndarray) else float(v), rng) for v in values)
    back = None
    if "reverse" in modes:
        rvalue, back = api.vjp(f, *args, backend=backend)
        for got, want in zip(_as_tuple(rvalue, is_tuple), values):
            _assert_same_value(got, want, f"{name}: value from vjp")
        cotangents = back(ybar if is_tuple else ybar[0])
    for p in positions:
        direction = _random_like(args[p], rng)
        expected = directional_difference(f, args, p, direction, eps)
        tangents = [_zero_tangent(a) for a in args]
        tangents[p] = direction
        if "forward" in modes or "reverse" in modes:
            out, tout = api.jvp(f, args, tangents, backend=backend)
            for got, want in zip(_as_tuple(out, is_tuple), values):
                _assert_same_value(got, want, f"{name}: value from jvp")
            touts = _as_tuple(tout, is_tuple)
            if "forward" in modes:
                for k, (got, want) in enumerate(zip(touts, expected)):
                    _assert_close(got, want, rtol, atol,
                                  f"{name}: forward mode, argument {p}, output {k}")
        if back is not None:
            forward_side = _inner(ybar, touts)
            reverse_side = _inner([cotangents[p]], [direction])
            _assert_close(reverse_side, forward_side, rtol, atol,
                          f"{name}: reverse mode (dot-product test with forward), argument {p}")
            # against finite differences too, so a bug shared by both modes is caught
            _assert_close(reverse_side, _inner(ybar, expected), rtol * 10, atol * 10,
                          f"{name}: reverse mode vs finite differences, argument {p}")
    if order >= 2:
        _check_second_order(f, args, positions, backend, eps, rtol, atol, rng, name)
    for a, o in zip(args, originals):
        if not np.array_equal(np.asarray(a), np.asarray(o)):
            raise GradientCheckError(f"{name}: an input argument was modified")


def _check_second_order(f, args, positions, backend, eps, rtol, atol, rng, name):
    """hvp (forward over reverse) against central differences of the gradient."""
    for p in positions:
        for q in positions:
            direction = _random_like(args[q], rng)
            tangents = [_zero_tangent(a) for a in args]
            tangents[q] = direction
            got = api.hvp(f, wrt=p, backend=backend)(args, tangents)
            gradient = api.grad(f, wrt=p, backend=backend)

            def g(*xs):
                return gradient(*xs)
            expected = directional_difference(g, args, q, direction, 1e-4)[0]
            _assert_close(got, expected, max(rtol, 1e-4) * 10, max(atol, 1e-6) * 10,
                          f"{name}: second derivative d/d(arg {q}) of gradient wrt argument {p}")
