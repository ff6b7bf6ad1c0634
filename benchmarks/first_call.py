"""Time from call to first result in a fresh process, cold (empty cache directory) and warm
(generated modules and Numba's compiled code on disk), for grad and hessian of the 20-line
loop function; and the AST -> source time of the compiler itself.

    python benchmarks/first_call.py
"""
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import sys, time, json
t0 = time.perf_counter()
import adcompiler as ad
sys.path.insert(0, {here!r})
from kernels import twenty_line
t1 = time.perf_counter()
derivative = ad.{what}(twenty_line, wrt=0)
value = derivative(0.7, 0.3, 50)
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first_call": t2 - t1}}))
"""

SOURCE_TIME = r"""
import sys, time
sys.path.insert(0, {here!r})
import adcompiler as ad
from adcompiler.api import _COMPILED
from adcompiler.transforms.pipeline import derivative_ir
from adcompiler.codegen import generate_source
from kernels import twenty_line
times = []
for _ in range(20):
    t = time.perf_counter()
    generate_source(derivative_ir(twenty_line, "reverse", ["float", "float", "int"], (0,)))
    times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def run(code, cache):
    env = dict(os.environ, ADCOMPILER_CACHE_DIR=cache, NUMBA_CACHE_DIR=os.path.join(cache, "numba"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    results = {}
    for what in ("grad", "hessian"):
        with tempfile.TemporaryDirectory() as cache:
            cold = json.loads(run(CHILD.format(here=here, what=what), cache))
            warm = json.loads(run(CHILD.format(here=here, what=what), cache))
        results[what] = (cold, warm)
        print(f"{what:8s} first call, fresh process: cold cache {cold['first_call']:.2f} s, "
              f"warm cache {warm['first_call']:.2f} s (import adcompiler: {warm['import']:.2f} s)")
    with tempfile.TemporaryDirectory() as cache:
        median = float(run(SOURCE_TIME.format(here=here), cache))
    print(f"AST -> generated source (reverse mode, 20-line loop function): {median * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
