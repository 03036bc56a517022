"""Files a user names (an import, a document's text, an article, the database): the one
place that says which may be read.

Only a regular file is: a device or a pipe may never end (``/dev/zero`` was read whole
into memory), opening a pipe waits for a writer, and SQLite on ``/dev/null`` created
``/dev/null-journal``. Each is refused, in one line, before it is opened.
"""

from __future__ import annotations

import stat
from pathlib import Path

from provenance.errors import ProvenanceError

NOT_REGULAR = "not a regular file (a folder, a device or a pipe)"


def require_regular_file(
    path: Path,
    *,
    doing: str = "read",
    error: type[ProvenanceError] = ProvenanceError,
    missing_ok: bool = False,
) -> None:
    """Refuse ``path`` unless it is a regular file (or, with ``missing_ok``, absent):
    ``error`` with "cannot ``doing`` PATH: why"."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as problem:
        if missing_ok:
            return
        raise error(f"cannot {doing} {path}: {problem.strerror}") from None
    except OSError as problem:
        raise error(f"cannot {doing} {path}: {problem.strerror}") from None
    if not stat.S_ISREG(mode):
        raise error(f"cannot {doing} {path}: {NOT_REGULAR}")
