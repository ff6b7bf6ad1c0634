"""np.einsum with explicit and implicit subscripts: products, traces and diagonals, sums over an
operand's own axis, three operands, batches; every operand position in both modes (forward
against finite differences, reverse by the dot-product test), second order, both backends;
and what is refused, with a located error."""
import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads

rng = np.random.default_rng(7)
M = rng.normal(size=(3, 4))
N = rng.normal(size=(4, 2))
S = rng.normal(size=(3, 3))
P = rng.normal(size=(2, 5))
v = rng.normal(size=3)
w = rng.normal(size=4)
T = rng.normal(size=(2, 3, 4))
U = rng.normal(size=(2, 4, 3))


def matmul(a, b):
    return np.einsum("ij,jk->ik", a, b)


def matmul_implicit(a, b):
    return np.sin(np.einsum("ij,jk", a, b))


def trace(s):
    return np.einsum("ii->", s) ** 2


def diagonal(s, x):
    return np.einsum("ii,i->i", s, x) * x


def row_sums(a):
    return np.einsum("ij->i", a) ** 2


def outer(x, y):
    return np.einsum("i,j->ij", x, y)


def chain(a, b, c):
    return np.einsum("ij,jk,kl->il", a, b, c)


def batched(t, u):
    return np.einsum("bij,bjk->bik", t, u)


def transposed(a):
    return np.einsum("ij->ji", a) * np.einsum("ij->ji", a)


def quadratic_form(s, x):
    return np.einsum("i,ij,j", x, s, x)


def weighted_sum(a, x, y):
    return np.einsum("ij,i,j->", a, x, y) + np.einsum("ij,ij", a, a)


def in_a_loop(t, x):
    # a GMM-style term: one small product per component, summed
    total = 0.0
    for k in range(t.shape[0]):
        r = np.einsum("ij,j->i", t[k], x) - 1.0
        total = total + np.einsum("i,i", r, r)
    return total


CASES = [(matmul, (M, N)), (matmul_implicit, (M, N)), (trace, (S,)), (diagonal, (S, v)),
         (row_sums, (M,)), (outer, (v, w)), (chain, (M, N, P)), (batched, (T, U)),
         (transposed, (M,)), (quadratic_form, (S, v)), (weighted_sum, (M, v, w)),
         (in_a_loop, (T, w))]
IDS = [fn.__name__ for fn, _ in CASES]
NUMBA = {"matmul", "trace", "row_sums", "weighted_sum", "in_a_loop"}


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_einsum_rules(fn, args):
    check_grads(fn, args, backend="python")


@pytest.mark.parametrize("fn,args", [c for c in CASES if c[0].__name__ in NUMBA],
                         ids=sorted(NUMBA, key=IDS.index))
def test_einsum_rules_on_numba(fn, args):
    check_grads(fn, args, backend="numba")


def scalar_of(fn):
    """``np.sum(np.tanh(fn(...)))``, a scalar loss of each case (a lambda: no star-arguments)."""
    return {1: lambda a: np.sum(np.tanh(fn(a))),
            2: lambda a, b: np.sum(np.tanh(fn(a, b))),
            3: lambda a, b, c: np.sum(np.tanh(fn(a, b, c)))}[fn.__code__.co_argcount]


@pytest.mark.parametrize("fn,args", CASES, ids=IDS)
def test_second_order(fn, args):
    # einsum_like (diagonals, broadcasts) appears in the first derivative and is differentiated
    check_grads(scalar_of(fn), args, order=2, backend="python")


def test_second_order_on_numba():
    check_grads(scalar_of(diagonal), (S, v), order=2, backend="numba")


def test_adjoint_is_an_einsum():
    text = ad.source(matmul_loss, args=(M, N), wrt=(0, 1))
    assert "_rt.einsum('ik,jk->ij'" in text and "_rt.einsum('ik,ij->jk'" in text


def matmul_loss(a, b):
    return np.sum(np.einsum("ij,jk->ik", a, b))


def test_values_are_numpys():
    for fn, args in CASES:
        value = ad.value_and_grad(scalar_of(fn), backend="python")(*args)[0]
        assert value == scalar_of(fn)(*args), fn.__name__


def with_ellipsis(a):
    return np.sum(np.einsum("...j->...", a))


def with_keyword(a):
    return np.sum(np.einsum("ij->i", a, optimize=True))


def with_wrong_rank(a):
    return np.sum(np.einsum("ijk->i", a))


def with_unknown_output(a):
    return np.sum(np.einsum("ij->k", a))


def with_number(a):
    return np.sum(np.einsum("ij,->ij", a, 2.0))


@pytest.mark.parametrize("fn,message", [
    (with_ellipsis, "ellipsis"), (with_keyword, "optimize="), (with_wrong_rank, "'ijk' names 3 axes"),
    (with_unknown_output, "output letter 'k'"), (with_number, "anything but arrays")])
def test_refused_with_a_located_error(fn, message):
    with pytest.raises(ad.CompileError) as info:
        ad.grad(fn, backend="python")(M)
    text = str(info.value)
    assert message in text and "test_einsum.py" in text


def mismatched(a, b):
    return np.sum(np.einsum("ij,jk->ik", a, b))


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_mismatched_sizes_raise(backend):
    with pytest.raises(ValueError, match="axis 'j'"):
        ad.grad(mismatched, backend=backend)(M, P)


def subscripts_argument(a, spec):
    return np.sum(np.einsum(spec, a) ** 2)


def test_subscripts_may_be_a_string_argument():
    # a string argument is a constant of the specialisation, like a flag
    g = ad.grad(subscripts_argument, backend="python")(M, "ij->j")
    np.testing.assert_allclose(g, 2.0 * np.broadcast_to(M.sum(axis=0), M.shape))


def test_source_without_arguments_reads_ranks_from_the_subscripts():
    text = ad.source(matmul_loss)
    assert "_rt.einsum('ik,jk->ij'" in text
