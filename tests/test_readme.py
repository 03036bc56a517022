"""The README's console blocks are real output: `scripts/readme_blocks.py --check` runs
every block's commands in a scratch folder at 100 columns and compares (times and hashes
masked). Regenerate with `python scripts/readme_blocks.py`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import postgres_url

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "readme_blocks.py"


@pytest.mark.skipif(
    postgres_url() is not None, reason="the README's tour runs on SQLite; checked in that run"
)
def test_readme_console_blocks_match_real_output():
    assert SCRIPT.exists(), SCRIPT
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_normalise_masks_times_and_hashes_only():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import readme_blocks
    finally:
        sys.path.pop(0)
    a = "recorded by ana at 2026-11-28T05:48:38Z, head 91d7bb36eae3e74b…, 282 attacks"
    b = "recorded by ana at 2027-01-02T10:00:00Z, head 0123456789abcdef…, 282 attacks"
    assert readme_blocks.normalise(a) == readme_blocks.normalise(b)
    assert readme_blocks.normalise(a) != readme_blocks.normalise(a.replace("282", "250"))


def test_every_test_the_readme_names_exists():
    """The Guarantees table named two tests that had been merged into one: a promise the
    README says a test holds must have that test."""
    import re

    root = Path(__file__).resolve().parents[1]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", (root / "README.md").read_text()))
    defined = set()
    for path in (root / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(), re.MULTILINE))
    assert named and named <= defined, sorted(named - defined)
