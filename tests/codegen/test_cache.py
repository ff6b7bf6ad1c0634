"""The on-disk cache: a second process reuses the generated module and Numba's compiled
code; set_cache_dir and clear_cache."""
import json
import os
import subprocess
import sys
import textwrap

import adcompiler as ad

CHILD = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {tests!r})
    import adcompiler as ad
    from benchmarks_kernel import loop
    g = ad.grad(loop, wrt=(0, 1))(0.7, 0.3, 20)
    print(json.dumps({{"grad": g}}))
""")

KERNEL = textwrap.dedent("""
    import math

    def loop(x, y, n):
        s = 0.0
        for i in range(n):
            s = s * 0.9 + math.sin(x * i + y)
        return s * x
""")


def run_child(tmp_path, cache):
    env = dict(os.environ, ADCOMPILER_CACHE_DIR=str(cache))
    env.pop("NUMBA_CACHE_DIR", None)      # Numba's cache beside the module, as users have it
    out = subprocess.run([sys.executable, "-c", CHILD.format(tests=str(tmp_path))], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_second_process_reuses_the_disk_cache(tmp_path):
    (tmp_path / "benchmarks_kernel.py").write_text(KERNEL)
    cache = tmp_path / "cache"
    first = run_child(tmp_path, cache)
    modules = sorted(p.name for p in cache.glob("adc_*.py"))
    assert len(modules) == 1
    numba_index = list(cache.rglob("*.nbi"))
    assert numba_index, "Numba's cache index should be written beside the generated module"
    compiled = {p: p.stat().st_mtime_ns for p in cache.rglob("*.nbc")}
    assert compiled
    second = run_child(tmp_path, cache)
    assert second["grad"] == first["grad"]
    assert sorted(p.name for p in cache.glob("adc_*.py")) == modules   # nothing regenerated
    # nothing recompiled (Numba would rewrite its cache files)
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.nbc")} == compiled


def test_set_cache_dir_and_clear_cache(tmp_path):
    def f(x):
        return x * x * 3.0
    ad.set_cache_dir(tmp_path / "mine")
    try:
        assert ad.grad(f, backend="python")(2.0) == 12.0
        assert list((tmp_path / "mine").glob("adc_*.py"))
        ad.clear_cache()
        assert not (tmp_path / "mine").exists()
        assert ad.grad(f, backend="python")(2.0) == 12.0      # regenerated
    finally:
        ad.set_cache_dir(None)
