"""docs/supported.md is generated from the rule table; it must be up to date."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_supported_md_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "make_supported.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
