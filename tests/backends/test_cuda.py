"""backend="cuda": each parallel loop a numba.cuda kernel, checked under Numba's CUDA
simulator (tests/conftest.py sets NUMBA_ENABLE_CUDASIM=1 unless it is set already; with
NUMBA_ENABLE_CUDASIM=0 on a machine with a GPU the same tests run there), against the python
backend and finite differences, and compiled to PTX (ptx_kernels.py) where NVVM is installed."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import adcompiler as ad
from adcompiler.testing import check_grads
from tests.backends.cuda_programs import PROGRAMS, X, IDX, map_and_reduction, scatter_add

numba_config = pytest.importorskip("numba").config
if not numba_config.ENABLE_CUDASIM and not ad.devices()["cuda"]:
    pytest.skip("no GPU and NUMBA_ENABLE_CUDASIM is not 1", allow_module_level=True)

IDS = [fn.__name__ for fn, _ in PROGRAMS]


def _tangents(args):
    return tuple(np.cos(a) if isinstance(a, np.ndarray) else 0.5 for a in args)


@pytest.mark.parametrize("fn,args", PROGRAMS, ids=IDS)
def test_same_derivatives_as_the_python_backend(fn, args):
    got = ad.value_and_grad(fn, wrt=(0, 1), backend="cuda")(*args)
    want = ad.value_and_grad(fn, wrt=(0, 1), backend="python")(*args)
    assert got[0] == pytest.approx(want[0], rel=1e-13)
    for g, w in zip(got[1], want[1]):
        assert np.allclose(g, w, rtol=1e-12, atol=1e-14)
    value, tangent = ad.jvp(fn, args, _tangents(args), backend="cuda")
    want_value, want_tangent = ad.jvp(fn, args, _tangents(args), backend="python")
    assert value == pytest.approx(want_value, rel=1e-13)
    assert tangent == pytest.approx(want_tangent, rel=1e-12)


@pytest.mark.parametrize("fn,args", PROGRAMS[:2] + PROGRAMS[3:4], ids=IDS[:2] + IDS[3:4])
def test_against_finite_differences(fn, args):
    check_grads(fn, args, backend="cuda")


def test_second_order():
    fn, args = PROGRAMS[0]
    got = ad.hvp(fn, wrt=(0, 1), backend="cuda")(args, _tangents(args))
    want = ad.hvp(fn, wrt=(0, 1), backend="python")(args, _tangents(args))
    for g, w in zip(got, want):
        assert np.allclose(g, w, rtol=1e-12, atol=1e-14)


def _shared_weights(x, w):
    y = np.empty(len(x))
    for i in ad.prange(len(x)):
        y[i] = np.sin(x[i] * w[0]) + w[1] * x[i]
    return np.sum(y * y)


def test_a_shared_weight_on_the_gpu():
    args = (X, np.array([0.5, 2.0]))
    got = ad.grad(_shared_weights, wrt=(0, 1), backend="cuda")(*args)
    want = ad.grad(_shared_weights, wrt=(0, 1), backend="python")(*args)
    assert all(np.allclose(g, h, rtol=1e-12, atol=1e-14) for g, h in zip(got, want))


def test_kernels_in_the_source():
    src = ad.source(map_and_reduction, args=PROGRAMS[0][1], wrt=(0, 1), backend="cuda")
    assert src.count("@cuda.jit") == 2            # the forward sweep and the adjoint
    # the reduction: one sum per block in shared memory, one atomic addition per block
    assert "_dev.launch(_gpu, " in src and "cuda.shared.array(_THREADS, np.float64)" in src
    assert src.count("cuda.atomic.add(s_sum, 0, ") == 1 and "cuda.syncthreads()" in src
    # a weight every iteration reads: its cotangent is a block reduction too, not an atomic
    # addition per iteration
    src = ad.source(_shared_weights, args=(X, np.array([0.5, 2.0])), wrt=(0, 1), backend="cuda")
    assert "cuda.atomic.add(bw" not in src and src.count("cuda.shared.array(") >= 2, src
    # the adjoint of a gather adds into repeated elements: atomically
    src = ad.source(PROGRAMS[1][0], args=PROGRAMS[1][1], wrt=(0, 1), backend="cuda")
    assert "cuda.atomic.add(bx" in src


def test_repeated_indices_add_up():
    # 8 iterations into 3 elements, every run, both modes
    args = (X, 1.3)
    want = ad.grad(scatter_add, wrt=(0, 1), backend="python")(*args)
    for _ in range(3):
        got = ad.grad(scatter_add, wrt=(0, 1), backend="cuda")(*args)
        assert np.allclose(got[0], want[0], rtol=1e-13) and got[1] == pytest.approx(want[1])
    assert len(set(IDX.tolist())) < IDX.shape[0]


def makes_an_array_per_iteration(x):
    s = 0.0
    for i in ad.prange(x.shape[0]):
        row = x * x[i]
        s += np.sum(row)
    return s


def test_array_operations_in_a_kernel_are_located_errors():
    with pytest.raises(ad.CompileError) as info:
        ad.grad(makes_an_array_per_iteration, backend="cuda")(X)
    text = str(info.value)
    assert "backend='cuda'" in text and "row = x * x[i]" in text and "test_cuda.py" in text


def test_devices_and_auto():
    found = ad.devices()
    assert set(found) >= {"cuda", "simulator", "gpus", "auto", "reason"}
    if found["simulator"]:
        assert found["auto"] == "numba" and "simulator" in found["reason"]
    ad.grad(map_and_reduction, wrt=(0, 1), backend="auto")(*PROGRAMS[0][1])
    assert any(key[0] is map_and_reduction and key[-1] == found["auto"]
               for key in ad.api._COMPILED)


def test_kernels_compile_to_ptx():
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="0")
    run = subprocess.run([sys.executable, "-m", "tests.backends.ptx_kernels"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    if run.returncode == 3:
        pytest.skip(f"no NVVM (install the 'cuda' extra): {run.stdout.strip()[:200]}")
    assert run.returncode == 0, run.stdout + run.stderr


def kernel_steps(u0, kappa, steps):
    """Every step is two kernels (the update, then its copy into the state): the arrays stay
    on the GPU between steps."""
    u = u0.copy()
    new = np.empty_like(u)
    n = u.shape[0]
    for t in range(steps):
        for i in ad.prange(n):
            left = u[i - 1] if i > 0 else u[i]
            right = u[i + 1] if i < n - 1 else u[i]
            new[i] = u[i] + kappa * (left - 2.0 * u[i] + right) + 0.1 * np.tanh(u[i])
        for i in ad.prange(n):
            u[i] = new[i]
    return np.sum(u * u)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_arrays_move_once_per_call_not_once_per_step(mode):
    from adcompiler.runtime import cuda_rt
    moves = []
    for steps in (2, 5):
        args = (X, 0.2, steps)
        if mode == "forward":
            got = ad.jvp(kernel_steps, args, (np.cos(X), 0.5, None), backend="cuda")
            want = ad.jvp(kernel_steps, args, (np.cos(X), 0.5, None), backend="python")
        else:
            got = ad.value_and_grad(kernel_steps, wrt=(0, 1), backend="cuda")(*args)
            want = ad.value_and_grad(kernel_steps, wrt=(0, 1), backend="python")(*args)
        moves.append(cuda_rt.last_residency.moves)
        assert got[0] == pytest.approx(want[0], rel=1e-13)
        for g, w in zip(np.atleast_1d(got[1]) if mode == "forward" else got[1],
                        np.atleast_1d(want[1]) if mode == "forward" else want[1]):
            assert np.allclose(g, w, rtol=1e-12, atol=1e-14)
    assert moves[0] == moves[1]
