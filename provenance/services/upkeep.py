"""Index upkeep that a bulk write moves to its end: SQLite's full-text index of claims.

SQLite's FTS5 writes the terms it holds to a new segment at every statement's savepoint.
Under ``executemany`` every inserted claim is its own statement, so the trigger that indexes
each new claim wrote a segment per claim and kept merging them: about half of what even a
raw loader spends on 200,000 claims (14 s with the trigger, 6 s without; one
``INSERT … SELECT`` indexes them all in 0.5 s). An import therefore drops that trigger
inside its transaction, indexes its new claims in one statement before anything changes
one of them (the update trigger removes a claim's old terms, which must be there) and at
the end, and then puts the trigger back. DDL is transactional in SQLite: an import that
fails or is killed rolls the drop back with everything else, and no other writer can
insert meanwhile (the import holds the write lock).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

TRIGGER = "claims_fts_insert"


class DeferredSearchIndex:
    """Claims inserted while this is open are indexed by ``catch_up``, not row by row."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.trigger_sql: str | None = None
        #: Claims with a higher id were inserted by this bulk write.
        self.start = 0
        if session.get_bind().dialect.name != "sqlite":
            return  # PostgreSQL's search vector is a generated column with a GIN index
        self.trigger_sql = session.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": TRIGGER},
        )
        if self.trigger_sql is None:
            return
        self.start = int(session.scalar(text("SELECT coalesce(max(id), 0) FROM claims")) or 0)
        session.execute(text(f"DROP TRIGGER {TRIGGER}"))

    @property
    def deferring(self) -> bool:
        return self.trigger_sql is not None

    def before_changing(self, claim_ids: Iterable[int]) -> None:
        """Call before updating or deleting these stored claims: any of them this bulk
        write inserted is indexed first."""
        if self.deferring and any(claim_id > self.start for claim_id in claim_ids):
            self.catch_up()

    def catch_up(self) -> None:
        """Index the claims inserted since the start that are not indexed yet. Which ones
        is read from the index itself, not remembered: a savepoint rolled back since may
        have removed claims, and their ids are given out again."""
        if not self.deferring:
            return
        self.session.flush()
        self.session.execute(
            text(
                "INSERT INTO claims_fts (rowid, text) SELECT id, text FROM claims "
                "WHERE id > :start AND NOT EXISTS "
                "(SELECT 1 FROM claims_fts_docsize AS indexed WHERE indexed.id = claims.id)"
            ),
            {"start": self.start},
        )

    def finish(self) -> None:
        """Index what is left and put the trigger back (before the commit)."""
        if self.trigger_sql is None:
            return
        self.catch_up()
        self.session.execute(text(self.trigger_sql))
        self.trigger_sql = None
