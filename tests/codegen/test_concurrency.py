"""First calls of a derivative from several threads at once, and several processes sharing one
cache directory: every caller gets the single-threaded result and nothing crashes."""
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import adcompiler as ad

# The title of a generated module names the kernel's file, so a kernel written under tmp_path
# gets module keys no earlier test (or run) has seen: the threads below really race to write
# and import it.
KERNEL = textwrap.dedent("""
    import math

    def f(x, y):
        s = x * y
        for i in range(3):
            s = s * 0.5 + math.sin(x + i * y)
        return s * x
""")

THREADS = 8


def load_kernel(path):
    path.write_text(KERNEL)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def calls(f, backend):
    """Every derivative form worth racing on one backend: each entry computes one result.
    On numba only forms sharing one compiled function, so the test compiles once."""
    g = ad.grad(f, wrt=(0, 1), backend=backend)
    vg = ad.value_and_grad(f, wrt=(0, 1), backend=backend)
    forms = {"grad": lambda: g(0.7, 0.3), "value_and_grad": lambda: vg(0.7, 0.3)}
    if backend == "python":
        h = ad.hessian(f, wrt=(0, 1), backend=backend)
        forms["hessian"] = lambda: h(0.7, 0.3)
        forms["jvp"] = lambda: ad.jvp(f, (0.7, 0.3), (1.0, -2.0), backend=backend)
    return forms


def sources(f, backend):
    """The generated source of each derivative in ``calls`` (compiled already: cache hits)."""
    out = {"reverse": ad.grad(f, wrt=(0, 1), backend=backend).source}
    if backend == "python":
        out["forward"] = ad.source(f, "forward", backend=backend)
        h = ad.hessian(f, wrt=(0, 1), backend=backend)
        h(0.7, 0.3)
        out["forward-over-reverse"] = h.source
    return out


def race(forms):
    """Call every form from THREADS threads released together; each thread's results.

    Thread i starts at form i: different derivatives then compile at the same time, so their
    IR (numbered by one global counter) and their generated modules interleave."""
    barrier = threading.Barrier(THREADS)
    names = list(forms)

    def worker(i):
        barrier.wait(timeout=60)
        order = names[i % len(names):] + names[:i % len(names)]
        return {name: forms[name]() for name in order}

    # switch threads every 10 us instead of 5 ms: otherwise a tiny function's IR is built
    # before the next thread runs, and the compilations overlap without interleaving
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(worker, range(THREADS)))
    finally:
        sys.setswitchinterval(interval)


@pytest.fixture
def fresh_cache(tmp_path):
    ad.set_cache_dir(tmp_path / "cache")
    try:
        yield tmp_path / "cache"
    finally:
        ad.set_cache_dir(None)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_first_calls_from_many_threads_agree(tmp_path, fresh_cache, backend):
    # the reference comes from a separate copy of the kernel, so the raced one starts cold
    alone = load_kernel(tmp_path / "kernel_alone.py")
    expected = {name: form() for name, form in calls(alone, backend).items()}
    raced = load_kernel(tmp_path / "kernel_raced.py")
    results = race(calls(raced, backend))
    for got in results:
        assert got == expected
    assert sources(raced, backend) == sources(alone, backend)      # same names, same order
    # one module per generated function, no temporary files left behind
    assert not [p for p in fresh_cache.iterdir() if p.name.startswith(".")]
    per_kernel = 3 if backend == "python" else 1      # reverse (also hessian's base), forward
    assert len(list(fresh_cache.glob("adc_*.py"))) == 2 * per_kernel


def test_a_module_is_executed_once_and_never_seen_half_built(tmp_path, fresh_cache):
    from adcompiler.codegen import load_generated_module
    log = tmp_path / "executions.log"
    # slow to execute, so the other threads arrive while the first is still importing it
    source = textwrap.dedent(f"""
        import time
        with open({str(log)!r}, "a") as _log:
            _log.write("executed\\n")
        time.sleep(0.2)

        def g():
            return 42.0
    """)
    modules = race({"load": lambda: load_generated_module(source, "python", f"test {tmp_path}")})
    assert {id(m["load"]) for m in modules} == {id(modules[0]["load"])}
    assert modules[0]["load"].g() == 42.0
    assert log.read_text() == "executed\n"


def test_concurrent_first_calls_compile_once(tmp_path, fresh_cache, monkeypatch):
    import adcompiler.api as api
    counts = {"ir": 0, "build": 0}

    def counting(name, original):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(api, "derivative_ir", counting("ir", api.derivative_ir))
    monkeypatch.setattr(api, "second_derivative_ir", counting("ir", api.second_derivative_ir))
    monkeypatch.setattr(api, "build_callable", counting("build", api.build_callable))
    race(calls(load_kernel(tmp_path / "kernel.py"), "python"))
    # reverse (grad and value_and_grad), forward (jvp), forward-over-reverse (hessian)
    assert counts == {"ir": 3, "build": 3}


CHILD = textwrap.dedent("""
    import json, os, sys, time
    sys.path.insert(0, {kernel_dir!r})
    import numba
    import adcompiler as ad
    from kernel_shared import f
    # wait until every process is ready, so that their first calls overlap
    open(os.path.join({ready!r}, str(os.getpid())), "w").close()
    deadline = time.monotonic() + 120
    while len(os.listdir({ready!r})) < {n} and time.monotonic() < deadline:
        time.sleep(0.005)
    print(json.dumps(ad.grad(f, wrt=(0, 1))(0.7, 0.3)))
""")


def test_processes_sharing_one_empty_cache_directory_agree(tmp_path):
    n = 3
    load_kernel(tmp_path / "kernel_shared.py")
    cache, ready = tmp_path / "cache", tmp_path / "ready"
    ready.mkdir()
    env = dict(os.environ, ADCOMPILER_CACHE_DIR=str(cache))
    env.pop("NUMBA_CACHE_DIR", None)      # Numba's cache beside the module, as users have it
    script = CHILD.format(kernel_dir=str(tmp_path), ready=str(ready), n=n)
    children = [subprocess.Popen([sys.executable, "-c", script], env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(n)]
    outputs = [child.communicate(timeout=300) for child in children]
    for child, (_, err) in zip(children, outputs):
        assert child.returncode == 0, err
    grads = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(g == grads[0] for g in grads)
    expected = ad.grad(load_kernel(tmp_path / "kernel_check.py"), wrt=(0, 1),
                       backend="python")(0.7, 0.3)
    assert tuple(grads[0]) == pytest.approx(expected, rel=1e-12)
    assert len(list(cache.glob("adc_*.py"))) == 1
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]
