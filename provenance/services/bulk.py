"""The bulk path of an import: the same rows the store writes, written a batch at a time.

Import buffers validated claims and hands them here. Claims that already exist go back to
the store (one at a time, with its update rules); new ones, and new sources, entities and
documents, are inserted on Core (:mod:`provenance.services.inserts`). A table that grew
noticeably gets fresh planner statistics before the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from provenance.clock import utcnow
from provenance.read import tables as t
from provenance.schemas import ClaimIn, DocumentIn, EntityIn, SourceIn
from provenance.services.history import (
    Shape,
    document_shape,
    entity_shape,
    source_shape,
)
from provenance.services.inserts import insert_claims, reserve_ids, write_rows
from provenance.services.references import TABLES, Change, Mode, References
from provenance.services.store import check_keys_free_of_aliases, save_claim

#: A table whose rows grew by at least this share in one transaction gets fresh planner
#: statistics before the commit (the planner otherwise plans for the table as it was).
NOTICEABLE = 0.1
#: SQLite reads at most this many rows of each index for its statistics (PRAGMA
#: analysis_limit): estimates as good for planning, in milliseconds at a million rows.
SQLITE_ANALYSIS_LIMIT = 1000
_WRITTEN = "provenance.bulk_rows"


def _note_written(session: Session, table: str, count: int) -> None:
    """Remember the rows written per table; the first time, arrange for the statistics of
    the tables that grew noticeably to be refreshed just before the transaction commits."""
    if not count:
        return
    written: dict[str, int] | None = session.info.get(_WRITTEN)
    if written is None:
        written = session.info[_WRITTEN] = {}
        if not event.contains(session, "before_commit", _refresh_on_commit):
            event.listen(session, "before_commit", _refresh_on_commit)
    written[table] = written.get(table, 0) + count


def _refresh_on_commit(session: Session) -> None:
    # Also called as a savepoint is released: the statistics wait for the real commit.
    if not session.in_nested_transaction():
        refresh_statistics(session, session.info.pop(_WRITTEN, {}))


def refresh_statistics(session: Session, written: dict[str, int]) -> list[str]:
    """ANALYZE the tables that ``written`` rows changed noticeably (PostgreSQL: the
    table's statistics; SQLite: ``sqlite_stat1`` from a bounded sample). Returns the
    tables analysed. Statistics are written in the same transaction as the rows."""
    grown = []
    for name, count in sorted(written.items()):
        total = session.scalar(select(func.count()).select_from(text(name))) or 0
        if count >= NOTICEABLE * total:
            grown.append(name)
    if grown and session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
    for name in grown:
        session.execute(text(f"ANALYZE {name}"))
    return grown


def save_claims(
    session: Session,
    batch: Sequence[ClaimIn],
    *,
    analyst: str,
    refs: References,
    mode: Mode = "upsert",
    existing: Collection[str] | None = None,
) -> tuple[list[Change], list[list[Change]], dict[str, Shape]]:
    """Write a batch of claims (keys unique within the batch); returns what happened to
    each claim and to each of its attributions, as the store would, and the history
    shapes of the claims it created (built from what it wrote, not read back).
    ``existing``: the keys of the batch already stored, if the caller knows them."""
    keys = [claim.derived_key() for claim in batch]
    if existing is None:
        existing = set(session.scalars(select(t.claims.c.key).where(t.claims.c.key.in_(keys))))
    changes: list[Change] = []
    attribution_changes: list[list[Change]] = []
    new: list[tuple[ClaimIn, str]] = []
    for claim, key in zip(batch, keys, strict=True):
        if key in existing:
            _, change, results = save_claim(session, claim, analyst=analyst, refs=refs, mode=mode)
            changes.append(change)
            attribution_changes.append(results)
        else:
            new.append((claim, key))
            changes.append("created")
            attribution_changes.append(["created"] * len(claim.attributions))
    created: dict[str, Shape] = {}
    if new:
        written: dict[str, int] = {}
        outcomes, created = insert_claims(session, new, analyst=analyst, refs=refs, written=written)
        for table, count in written.items():
            _note_written(session, table, count)
        inserted = iter(outcomes)
        attribution_changes = [
            next(inserted) if change == "created" and key not in existing else results
            for key, change, results in zip(keys, changes, attribution_changes, strict=True)
        ]
    return changes, attribution_changes, created


Declaration = SourceIn | EntityIn | DocumentIn


def stored_keys(session: Session, kind: str, keys: Sequence[str]) -> set[str]:
    """Which of these keys of sources, entities or documents are stored."""
    table = TABLES[kind]
    return set(session.scalars(select(table.c.key).where(table.c.key.in_(keys))))


def new_declarations(
    session: Session,
    kind: str,
    records: Sequence[Declaration],
    *,
    stored: Collection[str] | None = None,
) -> list[Declaration]:
    """The records of one kind whose keys are not stored yet and that carry no aliases:
    what :func:`insert_declarations` may write in one go (the rest go through the store).
    ``stored``: those of their keys that are stored, if the caller knows them."""
    if stored is None:
        stored = stored_keys(session, kind, [record.key for record in records])
    return [r for r in records if r.key not in stored and not getattr(r, "aliases", None)]


def insert_declarations(
    session: Session, kind: str, records: Sequence[Declaration], *, refs: References
) -> dict[str, Shape]:
    """Write new sources, entities or documents (keys unique and not stored, no aliases)
    as the store would create them, a batch at a time; the references learn their ids.
    Returns their history shapes, built from the values written (not read back)."""
    table = TABLES[kind]
    check_keys_free_of_aliases(session, kind, [record.key for record in records])
    now = utcnow()
    ids = reserve_ids(session, table, len(records))
    rows: list[list[Any]] = []
    written: list[dict[str, Any]] = []
    for row_id, record in zip(ids, records, strict=True):
        refs.forget(kind, record.key)
        refs.known(kind, record.key, row_id)
        values: dict[str, Any] = {"id": row_id, "created_at": now, "updated_at": now}
        if isinstance(record, DocumentIn):
            publisher = record.publisher
            values.update(record.model_dump(exclude={"publisher"}))
            values["publisher_id"] = refs.source(session, publisher) if publisher else None
        else:
            values.update(record.model_dump(exclude={"aliases", "trust"}))
            values["name"] = record.name or record.key
        rows.append([values[column] for column in DECLARATION_COLUMNS[kind]])
        written.append(values)
    write_rows(session, table, DECLARATION_COLUMNS[kind], rows)
    _note_written(session, table.name, len(rows))
    if kind == "source":
        return {values["key"]: source_shape(values, []) for values in written}
    if kind == "entity":
        return {values["key"]: entity_shape(values, []) for values in written}
    publishers = refs.keys_by_id(
        session, "source", {v["publisher_id"] for v in written if v["publisher_id"] is not None}
    )
    return {
        values["key"]: document_shape(
            values, None if values["publisher_id"] is None else publishers[values["publisher_id"]]
        )
        for values in written
    }


DECLARATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "source": (
        "id",
        "key",
        "name",
        "kind",
        "reliability",
        "affiliation",
        "protected",
        "notes",
        "created_at",
        "updated_at",
    ),
    "entity": ("id", "key", "name", "kind", "created_at"),
    "document": (
        "id",
        "key",
        "title",
        "url",
        "publisher_id",
        "published",
        "retrieved",
        "sha256",
        "language",
        "created_at",
    ),
}
