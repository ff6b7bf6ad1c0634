"""Golden tests: the generated source of a few functions, as a person reads it.

Regenerate after an intended change with ``ADCOMPILER_UPDATE_GOLDEN=1 pytest tests/codegen``
and review the diff.
"""
import os
from pathlib import Path

import pytest

import adcompiler as ad

from ..ir import sample_functions as sf

GOLDEN = Path(__file__).parent / "golden"

CASES = [("straight_reverse", sf.straight, "reverse", (0, 1)),
         ("straight_forward", sf.straight, "forward", None),
         ("branchy_reverse", sf.branchy, "reverse", (0, 1)),
         ("early_reverse", sf.early, "reverse", 0)]


@pytest.mark.parametrize("name,fn,mode,wrt", CASES, ids=[c[0] for c in CASES])
def test_generated_source_matches_golden(name, fn, mode, wrt):
    text = ad.source(fn, mode=mode, wrt=wrt)
    path = GOLDEN / f"{name}.py.txt"
    if os.environ.get("ADCOMPILER_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def test_adjoint_source_is_readable():
    text = ad.source(sf.straight, wrt=(0, 1))
    assert "def straight_vjp(x, y, bout):" in text
    assert "# adjoint of: a = a + math.sin(x)" in text
    assert "bx" in text and "by" in text
