"""Every example runs (as a script, as a user would run it) and prints what it promises."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = {
    "quickstart.py": "finite",
    "course.py": "",
    "javelin.py": "45.0000",
    "helix_jacobian.py": "used forward",
    "mlp_training.py": "loss",
    "polynomial_regression.py": "least squares",
    "heat_inverse.py": "kappa",
    "gpu_heat.py": "recovered kappa = 0.8000",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name):
    env = dict(os.environ, PYTHONPATH=str(EXAMPLES.parent))
    result = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True,
                            text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert EXPECTED[name].lower() in result.stdout.lower()


def test_every_example_is_run():
    assert {p.name for p in EXAMPLES.glob("*.py")} == set(EXPECTED)
