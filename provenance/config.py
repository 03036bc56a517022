"""Where the database is and who the analyst is: flag, then environment, then default."""

from __future__ import annotations

import getpass
import os
import re
from urllib.parse import quote

from provenance.cells import is_unicode_text, visible
from provenance.errors import MalformedOption, ProvenanceError

DEFAULT_DB = "provenance.db"
DB_ENV = "PROVENANCE_DB"
ANALYST_ENV = "PROVENANCE_ANALYST"


def database_url(db: str | None = None) -> str:
    """``--db`` > ``$PROVENANCE_DB`` > ``./provenance.db``; a plain path means SQLite."""
    if db is not None and not db.strip():
        raise MalformedOption("--db is empty: give a database file or URL")
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in value or value.lower().startswith("sqlite"):
        path = value.split("?", 1)[0] if "://" in value else value
        companion = re.search(r"-(?:wal|shm|journal)$", path)
        if companion:
            # SQLite deletes a -wal file when its database closes: what was written there
            # went with it (found by an attacker)
            raise MalformedOption(
                f"--db {value!r} is SQLite's {companion[0][1:]} file of "
                f"{path[: companion.start()]!r}, no database: give the database itself"
            )
    if "://" in value:
        return value
    return sqlite_url(value)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The URL of the SQLite file at ``path``, taken as a path: ``?``, ``#``, ``%`` and
    ``@`` are the file's own characters (``--db 'a?b.db'`` once opened ``a``, and
    ``real.db?mode=ro`` was opened for writing as ``real.db``)."""
    return "sqlite:///" + quote(os.fspath(path), safe="/")


#: The longest analyst name the audit trail stores.
ANALYST_MAX = 120


def analyst_name(analyst: str | None = None) -> str:
    if analyst is not None and not analyst.strip():
        raise ProvenanceError("--analyst must name someone (it is blank)")
    name = _analyst(analyst)
    if not is_unicode_text(name):  # $PROVENANCE_ANALYST in another encoding
        raise ProvenanceError("analyst name is not UTF-8 text")
    if len(name) > ANALYST_MAX or "\x00" in name:
        raise ProvenanceError(
            f"analyst name must be at most {ANALYST_MAX} characters, without NUL "
            f"(got {len(name):,} characters)"
        )
    if visible(name) != name or any(c.isspace() and c != " " for c in name):
        # the log's analyst column once showed a name with a line break as two analysts
        raise ProvenanceError(
            f"analyst name {visible(name)!r} must be one line: no line breaks, tabs, "
            "control or invisible characters"
        )
    return name


def _analyst(analyst: str | None) -> str:
    if analyst:
        return analyst
    if os.environ.get(ANALYST_ENV):
        return os.environ[ANALYST_ENV]
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


_PASSWORD = re.compile(r"(?P<head>://[^:/@]*:)(?P<password>[^@]*)@")


def mask_password(text: str) -> str:
    """Hide the password of every URL in ``text`` (messages must never print it)."""
    return _PASSWORD.sub(lambda m: f"{m.group('head')}***@", text)
