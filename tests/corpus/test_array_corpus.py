"""The array corpus: every program checked in both modes against finite differences on both
backends, float32 dtype preservation, and the located errors of grad on what it refuses."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

from . import array_functions as af

BACKENDS = ["python", "numba"]

# Compiler bugs found by this corpus (each one is reduced to a minimal reproducer in the report).
# function name -> reason, on every backend
KNOWN_BUGS = {}
# function name -> reason, numba backend only
NUMBA_BUGS = {}
# (Fixed in the compiler while this corpus was written, so no longer marked: np.full with a
# differentiated fill value, .astype(float), if/else assigning arrays outside loops in reverse mode,
# np.sum(t, axis=2/-1) on 3-D arrays, and under Numba 3-D unbroadcast, 3-D expand_axis and
# argmax/argmin of strided views.)
# (Also fixed: under Numba a float32 array times a Python float was computed in float64, and
# np.dot of a float32 array with a float64 cotangent did not compile in the vjp.)
NUMBA_F32_BUGS = {}
NUMBA_F32_DTYPE_BUGS = {}


def _params(cases, numba_bugs):
    params = []
    for i, (fn, args) in enumerate(cases):
        for backend in BACKENDS:
            reason = KNOWN_BUGS.get(fn.__name__) or (
                numba_bugs.get(fn.__name__) if backend == "numba" else None)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(fn, args, backend, marks=marks,
                                       id=f"{fn.__name__}-{i}-{backend}"))
    return params


def _float_positions(args):
    return tuple(i for i, a in enumerate(args)
                 if isinstance(a, float) or (isinstance(a, np.ndarray) and a.dtype.kind == "f"))


@pytest.mark.numba_sample
@pytest.mark.parametrize("fn,args,backend", _params(af.CASES, NUMBA_BUGS))
def test_corpus(fn, args, backend):
    check_grads(fn, args, backend=backend)


@pytest.mark.numba_sample
@pytest.mark.parametrize("fn,args,backend", _params(af.F32_CASES, NUMBA_F32_BUGS))
def test_corpus_float32(fn, args, backend):
    check_grads(fn, args, backend=backend, eps=1e-2, rtol=1e-2, atol=1e-3)


@pytest.mark.numba_sample
@pytest.mark.parametrize("fn,args,backend", _params(af.F32_CASES, NUMBA_F32_DTYPE_BUGS))
def test_float32_gradient_keeps_dtype(fn, args, backend):
    wrt = tuple(i for i in _float_positions(args) if isinstance(args[i], np.ndarray))
    value = fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
    if not isinstance(value, tuple) and np.ndim(value) == 0:
        grads = ad.grad(fn, wrt=wrt, backend=backend)(*args)
    else:           # array or tuple output: the gradients of a vjp
        _, back = ad.vjp(fn, *args, backend=backend)
        ones = tuple(np.ones_like(v) for v in value) if isinstance(value, tuple) else np.ones_like(value)
        cotangents = back(ones)
        grads = [cotangents[i] for i in wrt]
    for i, g in zip(wrt, grads):
        assert isinstance(g, np.ndarray) and g.dtype == args[i].dtype == np.float32, (i, g)
        assert g.shape == args[i].shape
    tangents = [np.ones_like(a) if i in wrt else 0.0 * a for i, a in enumerate(args)]
    out, tangent = ad.jvp(fn, args, tangents, backend=backend)
    for v, t, want in zip(*(x if isinstance(x, tuple) else (x,) for x in (out, tangent, value))):
        if isinstance(want, np.ndarray):       # array outputs and their tangents stay float32
            assert v.dtype == t.dtype == want.dtype == np.float32, (v.dtype, t.dtype)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args", [(af.grad_of_array, (np.ones(3),)),
                                     (af.out_matrix, (np.ones((3, 3)), np.ones(3))),
                                     (af.out_tuple_scalar_array, (np.ones(3),))])
def test_grad_of_array_output_is_refused(fn, args, backend):
    with pytest.raises(ad.CompileError, match="vjp|jacobian"):
        ad.grad(fn, backend=backend)(*args)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args,wrt", [
    (af.int_weights, (np.ones(4), np.array([1, 2, 3, 4])), 1),
    (af.int_gather, (np.ones(4), np.array([0, 1])), (0, 1)),
    (af.bool_mask_where, (np.ones(3), np.array([True, False, True])), 1),
    (af.bool_branch_on_elem, (np.ones(3), np.array([True, False, True])), "mask"),
])
def test_int_or_bool_array_in_wrt_is_refused(fn, args, wrt, backend):
    with pytest.raises(ad.CompileError, match="float"):
        ad.grad(fn, wrt=wrt, backend=backend)(*args)


def _line_of(fn, text):
    import inspect
    lines, start = inspect.getsourcelines(fn)
    return start + [i for i, line in enumerate(lines) if text in line][-1]   # after the docstring


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn,args,line_text,message", af.REJECTED,
                         ids=[c[0].__name__ for c in af.REJECTED])
def test_unsupported_is_a_located_error(fn, args, line_text, message, backend):
    fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])   # valid NumPy code
    with pytest.raises(ad.CompileError) as info:
        ad.grad(fn, wrt=_float_positions(args), backend=backend)(*args)
    text = str(info.value)
    assert message in text
    assert f"array_functions.py:{_line_of(fn, line_text)}" in text


def test_coverage_every_feature_has_a_function():
    checked = {fn.__name__ for fn, _ in af.CASES + af.F32_CASES}
    assert len(checked) >= 70
    checked |= {c[0].__name__ for c in af.REJECTED}
    for feature, names in af.COVERAGE.items():
        assert names, feature
        for name in names:
            assert callable(getattr(af, name, None)), (feature, name)
            assert name in checked, (feature, name)


def test_every_corpus_function_has_a_one_line_docstring():
    import inspect
    for fn, _ in af.CASES + af.F32_CASES:
        doc = inspect.getdoc(fn)
        assert doc and "\n" not in doc, fn.__name__
