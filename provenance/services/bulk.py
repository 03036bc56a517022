"""The bulk path for new claims: the same rows the store writes, written a batch at a time.

Import buffers validated claims and hands them here. Claims that already exist go back to
the store (one at a time, with its update rules); new ones are written with the DB-API
``executemany`` on SQLite and ``COPY`` on PostgreSQL, with ids assigned up front (the
import holds the write lock, so nobody else takes ids meanwhile). Values pass through each
column type's own bind processor, so the rows read back exactly as the ORM's would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Date, DateTime, Table, event, func, select, text
from sqlalchemy.orm import Session

from provenance.clock import utcnow
from provenance.models import Claim
from provenance.read import tables as t
from provenance.schemas import ClaimIn, DocumentIn, EntityIn, SourceIn
from provenance.services.history import (
    Shape,
    attribution_shape,
    claim_shape,
    document_shape,
    entity_shape,
    source_shape,
)
from provenance.services.store import (
    Change,
    Mode,
    References,
    attribution_refs,
    check_keys_free_of_aliases,
    claim_values,
    save_claim,
)

CLAIM_COLUMNS = (
    "id",
    "key",
    "text",
    "subject_id",
    "property",
    "value",
    "value_lo",
    "value_hi",
    "value_text",
    "unit",
    "period_start",
    "period_end",
    "place",
    "status",
    "plausibility",
    "created_at",
    "updated_at",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawn_note",
)
ATTRIBUTION_COLUMNS = (
    "id",
    "claim_id",
    "source_id",
    "document_id",
    "stance",
    "confidence",
    "quote",
    "recorded_by",
    "recorded_at",
)
_RECORDED_BY = ATTRIBUTION_COLUMNS.index("recorded_by")
_RECORDED_AT = ATTRIBUTION_COLUMNS.index("recorded_at")


#: A table whose rows grew by at least this share in one transaction gets fresh planner
#: statistics before the commit (the planner otherwise plans for the table as it was).
NOTICEABLE = 0.1
#: SQLite reads at most this many rows of each index for its statistics (PRAGMA
#: analysis_limit): estimates as good for planning, in milliseconds at a million rows.
SQLITE_ANALYSIS_LIMIT = 1000
_WRITTEN = "provenance.bulk_rows"


def _note_written(session: Session, table: Table, count: int) -> None:
    """Remember the rows written per table; the first time, arrange for the statistics of
    the tables that grew noticeably to be refreshed just before the transaction commits."""
    if not count:
        return
    written: dict[str, int] | None = session.info.get(_WRITTEN)
    if written is None:
        written = session.info[_WRITTEN] = {}
        if not event.contains(session, "before_commit", _refresh_on_commit):
            event.listen(session, "before_commit", _refresh_on_commit)
    written[table.name] = written.get(table.name, 0) + count


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


def _reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        # The sequence is looked up once, not for each id (4.2 ms for a thousand ids, 0.6
        # with it named), and the ids come back in one row.
        sequences = session.info.setdefault("id_sequences", {})
        if table.name not in sequences:
            sequences[table.name] = session.scalar(
                text(f"SELECT pg_get_serial_sequence('{table.name}', 'id')")
            )
        reserved = session.scalar(
            text(
                "SELECT array_agg(nextval(CAST(:sequence AS regclass))) FROM generate_series(1, :n)"
            ),
            {"sequence": sequences[table.name], "n": count},
        )
        return sorted(reserved or [])
    first = int(session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")) or 0) + 1
    return list(range(first, first + count))


def write_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Rows in column order, through each column type's bind processor, by the fastest
    path the driver has."""
    dialect = session.get_bind().dialect
    _note_written(session, table, len(rows))
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        processor = column_type._cached_bind_processor(dialect)
        if processor is not None:
            same = isinstance(column_type, Date | DateTime)
            processors.append((index, _same_for_equal_times(processor) if same else processor))
    processed: Iterable[Sequence[Any]] = rows
    if processors:
        processed = (_processed(row, processors) for row in rows)
    connection = session.connection().connection
    cursor = connection.cursor()
    try:
        if dialect.name == "postgresql":
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in processed:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
            cursor.executemany(statement, processed)  # type: ignore[arg-type]  # any iterable
    finally:
        cursor.close()


def _processed(row: Sequence[Any], processors: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, process in processors:
        values[index] = process(values[index])
    return values


def _same_for_equal_times(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bind processor that converts each distinct date or naive time once (a batch's
    rows share a few: its own time, the periods): equal ones convert to the same text."""
    memo: dict[dt.date, Any] = {}

    def processed(value: Any) -> Any:
        kind = value.__class__
        if kind is dt.date or (kind is dt.datetime and value.tzinfo is None):
            found = memo.get(value, memo)
            if found is memo:
                found = memo[value] = process(value)
            return found
        return process(value)

    return processed


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
        existing = set(session.scalars(select(Claim.key).where(Claim.key.in_(keys))))
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
        outcomes, created = _insert(session, new, analyst=analyst, refs=refs)
        inserted = iter(outcomes)
        attribution_changes = [
            next(inserted) if change == "created" and key not in existing else results
            for key, change, results in zip(keys, changes, attribution_changes, strict=True)
        ]
    return changes, attribution_changes, created


def _insert(
    session: Session, new: list[tuple[ClaimIn, str]], *, analyst: str, refs: References
) -> tuple[list[list[Change]], dict[str, Shape]]:
    """Insert new claims; returns, per claim, what happened to each of its attributions,
    and the history shapes of the claims."""
    now = utcnow()
    claim_ids = _reserve_ids(session, t.claims, len(new))
    claim_rows: list[list[Any]] = []
    tag_rows: list[tuple[int, str]] = []
    attributions: list[tuple[int, int, list[int], int | None, Any]] = []
    outcomes: list[list[Change]] = []
    stored: list[dict[str, Any]] = []
    for claim_id, (claim, key) in zip(claim_ids, new, strict=True):
        values = claim_values(session, claim, refs)
        values.update(
            id=claim_id,
            key=key,
            plausibility=None,
            created_at=claim.created_at or now,
            updated_at=claim.updated_at or claim.created_at or now,
        )
        stored.append(values)
        claim_rows.append([values[c] for c in CLAIM_COLUMNS])
        tag_rows.extend((claim_id, tag) for tag in claim.tags)
        seen = set()
        results: list[Change] = []
        outcomes.append(results)
        for attribution in claim.attributions:
            source_id, via_ids, document_id = attribution_refs(session, attribution, refs)
            identity = (source_id, tuple(via_ids), document_id, attribution.stance)
            if identity in seen:  # the same attribution twice in one claim is one attribution
                results.append("unchanged")
                continue
            seen.add(identity)
            results.append("created")
            attributions.append((claim_id, source_id, via_ids, document_id, attribution))
    attribution_ids = _reserve_ids(session, t.attributions, len(attributions))
    attribution_rows: list[list[Any]] = []
    relay_rows: list[tuple[int, int, int]] = []
    for attribution_id, (claim_id, source_id, via_ids, document_id, data) in zip(
        attribution_ids, attributions, strict=True
    ):
        attribution_rows.append(
            [
                attribution_id,
                claim_id,
                source_id,
                document_id,
                data.stance,
                data.confidence,
                data.quote,
                data.recorded_by or analyst,
                data.recorded_at or now,
            ]
        )
        relay_rows.extend(
            (attribution_id, position, relay) for position, relay in enumerate(via_ids)
        )
    write_rows(session, t.claims, CLAIM_COLUMNS, claim_rows)
    write_rows(session, t.claim_tags, ("claim_id", "tag"), tag_rows)
    write_rows(session, t.attributions, ATTRIBUTION_COLUMNS, attribution_rows)
    write_rows(session, t.relays, ("attribution_id", "position", "source_id"), relay_rows)
    return outcomes, _claim_shapes(session, refs, new, stored, attributions, attribution_rows)


def _claim_shapes(
    session: Session,
    refs: References,
    new: list[tuple[ClaimIn, str]],
    stored: list[dict[str, Any]],
    attributions: list[tuple[int, int, list[int], int | None, Any]],
    attribution_rows: list[list[Any]],
) -> dict[str, Shape]:
    """The history shapes of claims just inserted, from the values written: what
    ``history.claims`` reads back, without reading the rows (the keys of the records
    they name are read, by id; so are the few values the database may store otherwise)."""
    claim_ids = [values["id"] for values in stored]
    source_ids = {source_id for _, source_id, _, _, _ in attributions}
    source_ids.update(relay for _, _, via_ids, _, _ in attributions for relay in via_ids)
    source_keys = refs.keys_by_id(session, "source", source_ids)
    document_keys = refs.keys_by_id(
        session, "document", {d for _, _, _, d, _ in attributions if d is not None}
    )
    entity_keys = refs.keys_by_id(
        session, "entity", {v["subject_id"] for v in stored if v["subject_id"] is not None}
    )
    by_claim: dict[int, list[Shape]] = {claim_id: [] for claim_id in claim_ids}
    for (claim_id, source_id, via_ids, document_id, data), row in zip(
        attributions, attribution_rows, strict=True
    ):
        by_claim[claim_id].append(
            attribution_shape(
                source_keys[source_id],
                [source_keys[relay] for relay in via_ids],
                None if document_id is None else document_keys[document_id],
                data.stance,
                data.confidence,
                data.quote,
                row[_RECORDED_BY],
                row[_RECORDED_AT],
            )
        )
    sqlite = session.get_bind().dialect.name == "sqlite"
    # SQLite stores a number in a JSON column as a number (NUMERIC affinity: 1e17 comes
    # back as the integer 100000000000000000); an integer comes back as it was, a
    # fraction is read. Tags come back ordered by the database's collation: SQLite's is
    # the code point order they are sorted in; another database's order is read.
    floats = [v["id"] for v in stored if sqlite and isinstance(v["value"], float)]
    several = [i for (claim, _), i in zip(new, claim_ids, strict=True) if len(claim.tags) > 1]
    read_values: dict[int, Any] = {}
    if floats:
        c = t.claims.c
        found = session.execute(select(c.id, c.value).where(c.id.in_(floats)))
        read_values.update((claim_id, value) for claim_id, value in found)
    tags: dict[int, list[str]] = {}
    if several and not sqlite:
        ct = t.claim_tags.c
        for claim_id, tag in session.execute(
            select(ct.claim_id, ct.tag).where(ct.claim_id.in_(several)).order_by(ct.tag)
        ):
            tags.setdefault(claim_id, []).append(tag)
    shapes = {}
    for (claim, key), v in zip(new, stored, strict=True):
        claim_id = v["id"]
        if claim_id in read_values:
            v = {**v, "value": read_values[claim_id]}
        shapes[key] = claim_shape(
            v,
            subject=None if v["subject_id"] is None else entity_keys[v["subject_id"]],
            tags=tags[claim_id] if claim_id in tags else list(claim.tags),
            attributions=by_claim[claim_id],
            merged_into=None,
        )
    return shapes


Declaration = SourceIn | EntityIn | DocumentIn
_DECLARED_TABLES: dict[str, Any] = {
    "source": t.sources,
    "entity": t.entities,
    "document": t.documents,
}


def stored_keys(session: Session, kind: str, keys: Sequence[str]) -> set[str]:
    """Which of these keys of sources, entities or documents are stored."""
    table = _DECLARED_TABLES[kind]
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
    table = _DECLARED_TABLES[kind]
    check_keys_free_of_aliases(session, kind, [record.key for record in records])
    now = utcnow()
    ids = _reserve_ids(session, table, len(records))
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
