"""Every index earns its keep: each non-unique index is used by the plan of some query that
a command runs. The commands below run for real; every statement they send is captured and
explained (SQLite EXPLAIN QUERY PLAN; PostgreSQL EXPLAIN, with sequential scans priced out,
as the test tables are small and the real ones are not)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine

from provenance.db import make_engine
from provenance.read import tables

COMMANDS: list[tuple[str, ...]] = [
    ("claim", "list"),
    ("claim", "list", "--source", "nug"),
    ("claim", "list", "--status", "verified"),
    ("claim", "list", "--subject", "min-aung-hlaing"),
    ("claim", "list", "--property", "air_attacks"),
    ("claim", "list", "--tag", "russia"),
    ("claim", "list", "--since", "2025-05-01", "--until", "2025-05-31"),
    ("claim", "list", "--search", "moscow parade"),
    ("claim", "list", "--flag", "conflict"),
    ("claim", "show", "mah-moscow-visit-victory-day"),
    ("claim", "show", "mah-moscow"),  # a prefix
    ("claim", "show", "mah-moscov-visit"),  # a typo: suggestions
    ("claim", "status", "mah-moscow-visit-victory-day", "disputed"),
    ("claim", "add", "Index test claim", "--source", "nug", "--doc", "index-doc"),
    ("claim", "attribute", "mah-moscow-visit-victory-day", "--source", "rfa", "--via", "nug"),
    ("claim", "link", "mah-moscow-visit-victory-day", "parade-leaders-china-india-brazil"),
    ("compare", "--subject", "min-aung-hlaing"),
    ("compare", "--sources", "junta-media", "nug"),
    ("compare", "mah-moscow-visit-victory-day", "parade-leaders-china-india-brazil"),
    ("timeline", "--subject", "min-aung-hlaing"),
    ("flag",),
    ("flag", "--limit", "5"),
    ("source", "list"),
    ("source", "show", "nug"),
    ("source", "show", "Myanmar junta"),  # an alias, or a suggestion
    ("source", "score"),
    ("entity", "list"),
    ("doc", "list"),
    ("doc", "show", "article-2025-05-myanmar-moscow"),
    ("export", "-f", "json"),
    ("export", "-f", "json", "--source", "nug"),
    ("log",),
    ("audit", "verify"),
]

STATEMENT = re.compile(r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
#: A search by the index, or a scan in its order; a scan of a narrow covering index instead
#: of the table is no reason to keep an index.
SQLITE_INDEX = re.compile(r"SEARCH \S+ USING (?:COVERING )?INDEX (\w+)|SCAN \S+ USING INDEX (\w+)")
POSTGRES_INDEX = re.compile(
    r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)"
)


def unique_free_indexes() -> set[str]:
    return {
        str(index.name)
        for table in tables.metadata.tables.values()
        for index in table.indexes
        if not index.unique
    }


def captured_statements(seeded) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany):
        if STATEMENT.match(statement):
            first = parameters[0] if executemany and parameters else parameters
            statements.append((statement, first))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        for command in COMMANDS:
            seeded(*command)
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    return statements


def plans(url: str, backend: str, statements) -> Iterator[str]:
    """The plan of each distinct statement, as text."""
    distinct = dict(statements)  # one set of parameters per statement is enough
    if backend == "sqlite":
        # Plan as for a large database: the statistics of the few seeded rows would make
        # SQLite scan every table; without statistics it assumes tables are large.
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            connection.execute("DROP TABLE IF EXISTS sqlite_stat1")
        connection.close()
        connection = sqlite3.connect(path)  # statistics are read when a connection opens
        for statement, parameters in distinct.items():
            rows = connection.execute("EXPLAIN QUERY PLAN " + statement, parameters or ())
            yield "\n".join(row[-1] for row in rows)
        connection.close()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("SET enable_seqscan = off")
        for statement, parameters in distinct.items():
            cursor.execute("EXPLAIN " + statement, parameters or None)
            yield "\n".join(row[0] for row in cursor.fetchall())
        connection.rollback()
    engine.dispose()


def used_indexes(url: str, backend: str, statements) -> set[str]:
    pattern = SQLITE_INDEX if backend == "sqlite" else POSTGRES_INDEX
    return {
        name
        for plan in plans(url, backend, statements)
        for match in pattern.finditer(plan)
        for name in match.groups()
        if name
    }


def test_every_index_is_used_by_some_command(seeded, backend):
    seeded.ok("doc", "add", "index-doc", "--title", "Index test")
    statements = captured_statements(seeded)
    assert len(statements) > 100
    unused = unique_free_indexes() - used_indexes(seeded.url, backend, statements)
    assert unused == set()


def test_a_page_of_one_property_is_read_in_order_not_sorted(seeded, backend):
    """`claim list --property P` pages a property's claims oldest first: the index hands
    them out in id order (on (property, subject_id), every claim of the property was
    sorted for each page of 50)."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany):
        if " ".join(statement.split()).upper().startswith("SELECT CLAIMS.ID FROM CLAIMS"):
            statements.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        seeded.ok("claim", "list", "--property", "air_attacks", "--limit", "1")
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    (plan,) = plans(seeded.url, backend, statements[:1])
    assert "ix_claims__property_id" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan
