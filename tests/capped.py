"""Run the command line in a child process with a memory cap and a time limit, so that a
blow-up fails the test instead of hanging the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from typing import Any

#: Address space for the child: the program needs ~100 MB; a quadratic blow-up needs GBs.
MEMORY_CAP = 1_500 * 1024 * 1024


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def provenance(
    url: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> Any:
    """`provenance --db URL ARGS…` under the cap; a timeout or a kill fails the caller's
    assertions with the child's stderr."""
    return subprocess.run(
        [sys.executable, "-m", "provenance", "--db", url, "--analyst", "fuzz", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def one_line_errors(stderr: str) -> bool:
    """Every line is an ``error:`` line (no traceback, no stray output), and none is an
    internal error (a bug)."""
    if "error: internal error (" in stderr:
        return False
    lines = stderr.strip().splitlines()
    return bool(lines) and all(line.startswith("error: ") for line in lines)
