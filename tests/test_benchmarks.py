"""Smoke test of the benchmark suite (benchmarks/): the workloads run, the hand-written adjoints
agree with adcompiler, and one tiny timing run on the python backend goes through the harness
and the report writer. JAX and autograd are used when installed (the bench extra) and
skipped by the harness otherwise. `make bench` runs the real thing.
"""
import os
import sys

import numpy as np
import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")
sys.path.insert(0, BENCH)

import adcompiler as ad  # noqa: E402
import workloads as w  # noqa: E402

TINY = {
    "gmm": (w.gmm_objective, w.gmm_objective_hoisted, w.gmm_data(3, 2, 4)),
    "rd": (w.reaction_diffusion, w.reaction_diffusion_hoisted, w.reaction_diffusion_data(6, 3)),
    "ode": (w.ode_solve, w.ode_solve_hoisted, w.ode_data(4, 3)),
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_hoisted_variant_computes_the_same(name):
    natural, hoisted, args = TINY[name]
    assert hoisted(*args) == pytest.approx(natural(*args), rel=1e-12)


def test_other_workloads_run():
    assert np.isfinite(w.lstm_objective(*w.lstm_data(2, 3, 4)))
    cams, X, weights, features, ci, pi = w.ba_data(2, 3, 4)
    errors = w.reprojection_errors(cams, X, weights, features, ci, pi)
    assert errors.shape == (4, 2)
    gathered = w.reprojection_errors_gathered(cams[ci], X[pi], weights, features)
    np.testing.assert_allclose(gathered, errors)


@pytest.mark.parametrize("name", ["gmm", "rd"])
def test_hand_adjoint_matches_adcompiler(name):
    import adjoints
    hand = {"gmm": adjoints.gmm_value_and_grad,
            "rd": adjoints.reaction_diffusion_value_and_grad}[name].py_func   # plain Python
    _, hoisted, args = TINY[name]
    wrt = (0, 1, 2) if name == "gmm" else (0, 1)
    value, grads = hand(*args)
    expected = ad.value_and_grad(hoisted, wrt=wrt, backend="python")(*args)
    assert value == pytest.approx(expected[0], rel=1e-12)
    for g, e in zip(grads, expected[1]):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_tiny_run_on_the_python_backend(tmp_path):
    import harness
    import report
    family = harness.families()["rd"]
    results = harness.measure([(family, dict(n=8, steps=4))], rounds=1, budget=5.0,
                              backend="python",
                              systems=("primal", "adcompiler", "adcompiler-variant", "jax"))
    systems = results[0]["systems"]
    assert systems["adcompiler"]["status"] == "ok"       # allocates its state in each step
    assert systems["adcompiler"]["fd_rel_err"] < 1e-5
    assert systems["adcompiler-variant"]["status"] == "ok"
    assert systems["adcompiler-variant"]["fd_rel_err"] < 1e-5
    assert systems["jax"]["status"] in ("ok", "missing")
    out = tmp_path / "performance.md"
    report.write({"mode": "quick", "machine": {"python": "3", "numpy": "2", "numba": "0"},
                  "rounds": 1, "budget": 5.0, "date": "today", "command": "test",
                  "timing": results}, str(out))
    text = out.read_text()
    assert "| reaction-diffusion time loop |" in text and "refused" not in text


def test_forward_mode_script_checks_and_times_a_jvp(capsys):
    import forward_mode
    forward_mode.main(["--quick", "--only", "poly", "--rounds", "1"])
    row = capsys.readouterr().out.strip().splitlines()[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0].startswith("polynomial") and cells[4].endswith("x"), row
    assert float(cells[5]) < 1e-5, row        # the JVP against finite differences
