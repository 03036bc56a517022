"""Inserting new claims on Core: the same rows the ORM store writes, written a batch at a
time (import's bulk path) or one claim at a time (``claim add``, which so loads no ORM).

New rows are written with the DB-API ``executemany`` on SQLite and ``COPY`` on
PostgreSQL, with ids assigned up front. Values pass through each column type's own bind
processor, so the rows read back exactly as the ORM's would.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, Enum, Float, Table, select, text
from sqlalchemy.exc import DBAPIError

from provenance.clock import utcnow
from provenance.read import tables as t
from provenance.read.reader import Reader, connection_of, dialect_name
from provenance.services.history import Shape, attribution_shape, claim_shape
from provenance.services.references import Change, References, attribution_refs, claim_values
from provenance.vocab import Stance, Status

if TYPE_CHECKING:  # the write schemas load pydantic: writes that validate import them
    from provenance.schemas import ClaimIn

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
_claim_row = operator.itemgetter(*CLAIM_COLUMNS)  # a claim's values in column order
_RECORDED_BY = ATTRIBUTION_COLUMNS.index("recorded_by")
_RECORDED_AT = ATTRIBUTION_COLUMNS.index("recorded_at")
#: The vocabularies stored in enum columns (a few words each).
_WORDS = (Stance, Status)


def reserve_ids(session: Reader, table: Table, count: int) -> list[int]:
    """Ids for ``count`` new rows, taken up front (the writer holds the write lock, so
    nobody else takes ids meanwhile)."""
    if dialect_name(session) == "postgresql":
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
    session: Reader, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Rows in column order, through each column type's bind processor, by the fastest
    path the driver has."""
    dialect = connection_of(session).dialect
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        found = column_type._cached_bind_processor(dialect)
        if found is None or isinstance(column_type, Float):
            continue  # a float column's processor is float(), and its values are floats
        processor: Callable[[Any], Any] = found
        if isinstance(column_type, Date | DateTime | Enum):
            processor = _same_for_equal_values(found)
        elif _is_json(column_type) and dialect._json_serializer is None:
            processor = _numbers_as_json_writes_them(found)
        processors.append((index, processor))
    processed: Iterable[Sequence[Any]] = rows
    if processors:
        processed = (_processed(row, processors) for row in rows)
    connection = connection_of(session).connection
    cursor = connection.cursor()
    if dialect.name == "postgresql":
        names = ", ".join(f'"{c}"' for c in columns)
        statement = f"COPY {table.name} ({names}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    try:
        if dialect.name == "postgresql":
            with cursor.copy(statement) as copy:
                for row in processed:
                    copy.write_row(row)
        else:
            cursor.executemany(statement, processed)  # type: ignore[arg-type]  # any iterable
    except dialect.loaded_dbapi.Error as error:
        # The driver's own exception, as SQLAlchemy would have raised it (IntegrityError,
        # DataError…): what callers catch, and what the command line turns into one line.
        raise DBAPIError.instance(
            statement, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from None
    finally:
        cursor.close()


def _processed(row: Sequence[Any], processors: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, process in processors:
        values[index] = process(values[index])
    return values


def _same_for_equal_values(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bind processor that converts each distinct date, naive time or vocabulary word
    once (a batch's rows share a few: its own time, the periods, the statuses): equal ones
    convert to the same text."""
    memo: dict[Any, Any] = {}

    def processed(value: Any) -> Any:
        kind = value.__class__
        if kind is dt.date or (kind is dt.datetime and value.tzinfo is None) or kind in _WORDS:
            found = memo.get(value, memo)
            if found is memo:
                found = memo[value] = process(value)
            return found
        return process(value)

    return processed


def _is_json(column_type: Any) -> bool:
    return isinstance(getattr(column_type, "impl_instance", column_type), JSON)


def _numbers_as_json_writes_them(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's bind processor that writes a plain integer or a finite float as
    ``json.dumps`` does (its ``repr``) without the encoder's round trip (2 µs a value,
    and most values are whole numbers); anything else goes through ``process``."""

    def processed(value: Any) -> Any:
        kind = value.__class__
        if kind is int or (kind is float and math.isfinite(value)):
            return repr(value)
        return process(value)

    return processed


def insert_claims(
    session: Reader,
    new: list[tuple[ClaimIn, str]],
    *,
    analyst: str,
    refs: References,
    written: dict[str, int] | None = None,
) -> tuple[list[list[Change]], dict[str, Shape]]:
    """Insert new claims (with their keys, not stored yet) as the store would create
    them; returns, per claim, what happened to each of its attributions, and the history
    shapes of the claims. ``written``: counts the rows written, per table."""
    now = utcnow()
    claim_ids = reserve_ids(session, t.claims, len(new))
    claim_rows: list[tuple[Any, ...]] = []
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
        claim_rows.append(_claim_row(values))
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
    attribution_ids = reserve_ids(session, t.attributions, len(attributions))
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
    for table, columns, rows in (
        (t.claims, CLAIM_COLUMNS, claim_rows),
        (t.claim_tags, ("claim_id", "tag"), tag_rows),
        (t.attributions, ATTRIBUTION_COLUMNS, attribution_rows),
        (t.relays, ("attribution_id", "position", "source_id"), relay_rows),
    ):
        write_rows(session, table, columns, rows)
        if written is not None:
            written[table.name] = written.get(table.name, 0) + len(rows)
    return outcomes, _claim_shapes(session, refs, new, stored, attributions, attribution_rows)


def _claim_shapes(
    session: Reader,
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
    sqlite = dialect_name(session) == "sqlite"
    # A whole float comes back from the value's column as an integer (``FigureJSON``: 1e17
    # as 100000000000000000); an integer comes back as it was, a float is read. Tags
    # come back ordered by the database's collation: SQLite's is the code point order
    # they are sorted in; another database's order is read.
    floats = [v["id"] for v in stored if isinstance(v["value"], float)]
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
