"""Index upkeep that an import moves to its end (SQLite): the full-text index of claims and,
for an import large beside what is stored, the indexes that only reading commands use.

SQLite's FTS5 writes the terms it holds to a new segment at every statement's savepoint.
Under ``executemany`` every inserted claim is its own statement, so the trigger that indexes
each new claim wrote a segment per claim and kept merging them: about half of what even a
raw loader spends on 200,000 claims (14 s with the trigger, 6 s without; one
``INSERT … SELECT`` indexes them all in 0.5 s). An import therefore drops that trigger
inside its transaction, indexes its new claims in one statement before anything changes
one of them (the update trigger removes a claim's old terms, which must be there) and at
the end, and then puts the trigger back.

An index built once over sorted keys also costs less than one kept up row by row; but
building it again reads every stored row, so an import drops the read-only indexes only
when it brings at least as many claims as are stored, and its first batch of claims is
new (an import repeated, whose claims are stored, changes little and keeps them).

DDL is transactional in SQLite: an import that fails or is killed rolls the drops back with
everything else, and no other writer can insert meanwhile (the import holds the write
lock). PostgreSQL keeps its indexes: dropping one there locks the table against readers
until the import commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

TRIGGER = "claims_fts_insert"
#: Indexes that no query of an import reads (the commands that do read them: claim list's
#: filters, flag, compare, source and document pages). ``ix_attributions__claim_id`` is
#: not one: an import reads the attributions of the stored claims it updates.
READ_ONLY_INDEXES = (
    "ix_claims__claim_key",
    "ix_claims__status",
    "ix_claims__property_id",
    "ix_attributions__document_id",
    "ix_attributions__source_stance",
    "ix_claim_tags__tag",
    "ix_relays__source_id",
)
#: The page cache of an import's connection, in KiB.
IMPORT_CACHE_KIB = 65536
#: Bytes of input per claim, about (a claim line of the JSONL interchange format).
BYTES_PER_CLAIM = 400
#: Smaller imports keep the indexes up row by row (dropping costs more than it saves).
INDEXES_DEFERRED_FROM = 10_000


class DeferredUpkeep:
    """Claims inserted while this is open are indexed by ``catch_up``, not row by row; the
    read-only indexes dropped at the start are built again by ``finish``."""

    def __init__(self, session: Session, *, input_bytes: int = 0) -> None:
        self.session = session
        self.trigger_sql: str | None = None
        self.index_sql: list[str] = []
        self.expected = input_bytes // BYTES_PER_CLAIM
        sqlite = session.get_bind().dialect.name == "sqlite"
        #: Whether the read-only indexes are dropped is decided at the first batch.
        self.decided = not sqlite
        #: Claims with a higher id were inserted by this bulk write.
        self.start = 0
        if not sqlite:
            return  # PostgreSQL's search vector is a generated column with a GIN index
        # A 64 MiB page cache for this connection (the default is 2 MiB): an import reads
        # back what it wrote between batches, and at 200,000 claims took 84 s with the
        # default, 70 s with this. Only a bulk write asks for it: a page that reads a
        # hundred thousand search hits took 70 ms longer to allocate the larger cache.
        session.execute(text(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}"))
        self.trigger_sql = session.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": TRIGGER},
        )
        self.start = int(session.scalar(text("SELECT coalesce(max(id), 0) FROM claims")) or 0)
        if self.trigger_sql is not None:
            session.execute(text(f"DROP TRIGGER {TRIGGER}"))

    def before_inserting(self, new: int, batch: int) -> None:
        """Call with each batch of claims (``new`` of them not stored yet): the first
        decides whether the read-only indexes are built at the end instead."""
        if self.decided:
            return
        self.decided = True
        large = self.expected >= INDEXES_DEFERRED_FROM and self.expected >= self.start
        if large and new * 10 >= batch * 9:
            self._drop_read_only_indexes()

    def _drop_read_only_indexes(self) -> None:
        names = ", ".join(f"'{name}'" for name in READ_ONLY_INDEXES)
        found = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                f"AND sql IS NOT NULL AND name IN ({names})"
            )
        ).all()
        for name, sql in found:
            self.session.execute(text(f'DROP INDEX "{name}"'))
            self.index_sql.append(sql)

    def before_changing(self, claim_ids: Iterable[int]) -> None:
        """Call before updating or deleting these stored claims: any of them this bulk
        write inserted is indexed first."""
        if self.trigger_sql is not None and any(claim_id > self.start for claim_id in claim_ids):
            self.catch_up()

    def catch_up(self) -> None:
        """Index the claims inserted since the start that are not indexed yet. Which ones
        is read from the index itself, not remembered: a savepoint rolled back since may
        have removed claims, and their ids are given out again."""
        if self.trigger_sql is None:
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
        """Index what is left, build the dropped indexes and put the trigger back (before
        the commit)."""
        self.session.flush()
        for sql in self.index_sql:
            self.session.execute(text(sql))
        self.index_sql = []
        if self.trigger_sql is not None:
            self.catch_up()
            self.session.execute(text(self.trigger_sql))
            self.trigger_sql = None
