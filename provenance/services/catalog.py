"""Sources, entities and documents: add, edit, list, show."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from provenance.errors import ProvenanceError
from provenance.files import require_regular_file
from provenance.models import Attribution, Claim, Document, Entity, Source
from provenance.read.records import document_record, entity_record, source_record
from provenance.read.resolve import resolve_id, resolve_key
from provenance.read.tables import claims as claim_table
from provenance.read.tables import current
from provenance.services import audit
from provenance.services.history import ChangeLog

if TYPE_CHECKING:  # the write schemas load pydantic: reading commands do without
    from provenance.schemas import DocumentIn, EntityIn, SourceIn


def _not_a_pseudonym(kind: str, key: str) -> None:
    """Keys in the form of an export's pseudonyms are kept for them: a public source keyed
    like a protected one's pseudonym looked like the same origin in exports, and an
    export read back here would have given it the protected source's claims."""
    from provenance.vocab import PSEUDONYM_PREFIX

    if key.startswith(PSEUDONYM_PREFIX):
        raise ProvenanceError(
            f"{kind} key {key!r}: keys starting {PSEUDONYM_PREFIX!r} are kept for the "
            "pseudonyms exports give protected sources; choose another key"
        )


def add_source(session: Session, data: SourceIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import save_source

    _not_a_pseudonym("source", data.key)
    log = ChangeLog(session)
    log.watch("source", data.key)
    save_source(session, data, mode="create")
    audit.record(
        session,
        analyst=analyst,
        action="source.add",
        target=data.key,
        payload={},
        changes=log.changes(),
    )
    return get_source(session, data.key)


def edit(
    session: Session,
    key: str,
    changes: dict[str, Any],
    *,
    analyst: str,
    add_aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
) -> dict[str, Any]:
    """Change a source's fields; ``add_aliases``/``remove_aliases`` change its aliases as
    `entity edit` does (``changes["aliases"]`` replaces them whole)."""
    from provenance.services.record_edits import edited_aliases
    from provenance.services.store import edit_source

    if not changes and not add_aliases and not remove_aliases:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    if add_aliases or remove_aliases:
        source = session.get_one(Source, resolve_id(session, "source", key))
        current = [a.alias for a in source.aliases]
        changes = {
            **changes,
            "aliases": edited_aliases(
                f"source {source.key!r}", current, add_aliases, remove_aliases
            ),
        }
    log = ChangeLog(session)
    log.watch("source", resolve_key(session, "source", key))
    source_key, changed = edit_source(session, key, changes)
    if changed:
        audit.record(
            session,
            analyst=analyst,
            action="source.edit",
            target=source_key,
            payload={},
            changes=log.changes(),
        )
    return get_source(session, source_key)


def get_source(session: Session, key: str) -> dict[str, Any]:
    source = session.get_one(Source, resolve_id(session, "source", key))
    return source_record(source)


LIST_BATCH = 1000


@dataclass
class Listing:
    """A catalog list, read a batch at a time (a database with 300,000 sources once
    ran out of memory listing them); ``more`` is known once the rows are read."""

    rows: Iterator[dict[str, Any]]
    more: bool = False


def _listed(
    session: Session,
    statement: Select[Any],
    record: Callable[[Any, dict[int, int]], dict[str, Any]],
    counts: Callable[[list[int]], Any],
    *,
    limit: int,
    offset: int,
) -> Listing:
    """``statement``'s rows from ``offset`` (``limit`` of them, 0: all), each turned into a
    record with its claim count; counted and built a batch at a time."""
    listing = Listing(iter(()))
    if offset:
        statement = statement.offset(offset)
    if limit:
        statement = statement.limit(limit + 1)

    def rows() -> Iterator[dict[str, Any]]:
        seen = 0
        result = session.scalars(statement.execution_options(yield_per=LIST_BATCH))
        for batch in result.partitions():
            counted: dict[int, int] = dict(session.execute(counts([i.id for i in batch])).all())
            for item in batch:
                seen += 1
                if limit and seen > limit:
                    listing.more = True
                    return
                yield record(item, counted)

    listing.rows = rows()
    return listing


def list_sources(session: Session, *, limit: int = 0, offset: int = 0) -> Listing:
    return _listed(
        session,
        select(Source).options(selectinload(Source.aliases)).order_by(Source.key),
        lambda source, counted: {**source_record(source), "claims": counted.get(source.id, 0)},
        lambda ids: (
            select(Attribution.source_id, func.count(func.distinct(Attribution.claim_id)))
            .join(claim_table, claim_table.c.id == Attribution.claim_id)
            .where(Attribution.source_id.in_(ids), current())
            .group_by(Attribution.source_id)
        ),
        limit=limit,
        offset=offset,
    )


def add_entity(session: Session, data: EntityIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import save_entity

    log = ChangeLog(session)
    log.watch("entity", data.key)
    save_entity(session, data, mode="create")
    audit.record(
        session,
        analyst=analyst,
        action="entity.add",
        target=data.key,
        payload={},
        changes=log.changes(),
    )
    entity = session.scalars(select(Entity).where(Entity.key == data.key)).one()
    return entity_record(entity)


def list_entities(session: Session, *, limit: int = 0, offset: int = 0) -> Listing:
    return _listed(
        session,
        select(Entity).options(selectinload(Entity.aliases)).order_by(Entity.key),
        lambda entity, counted: {**entity_record(entity), "claims": counted.get(entity.id, 0)},
        lambda ids: (
            select(Claim.subject_id, func.count())
            .where(Claim.subject_id.in_(ids), current())
            .group_by(Claim.subject_id)
        ),
        limit=limit,
        offset=offset,
    )


def file_sha256(path: Path) -> str:
    """The sha256 of a regular file's bytes. Anything else is refused before it is
    opened: a device or a pipe may never end (``/dev/zero``), and opening a pipe waits
    for a writer."""
    require_regular_file(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise ProvenanceError(f"cannot read {path}: {error.strerror}") from None
    return digest.hexdigest()


def add_document(session: Session, data: DocumentIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.references import References
    from provenance.services.store import save_document

    _not_a_pseudonym("document", data.key)
    log = ChangeLog(session)
    log.watch("document", data.key)
    save_document(session, data, refs=References(create_missing=False), mode="create")
    audit.record(
        session,
        analyst=analyst,
        action="document.add",
        target=data.key,
        payload={},
        changes=log.changes(),
    )
    return get_document(session, data.key)


def get_document(session: Session, key: str) -> dict[str, Any]:
    return document_record(session.get_one(Document, resolve_id(session, "document", key)))


def list_documents(session: Session, *, limit: int = 0, offset: int = 0) -> Listing:
    return _listed(
        session,
        select(Document).options(selectinload(Document.publisher)).order_by(Document.key),
        lambda document, counted: {
            **document_record(document),
            "claims": counted.get(document.id, 0),
        },
        lambda ids: (
            select(Attribution.document_id, func.count(func.distinct(Attribution.claim_id)))
            .join(claim_table, claim_table.c.id == Attribution.claim_id)
            .where(Attribution.document_id.in_(ids), current())
            .group_by(Attribution.document_id)
        ),
        limit=limit,
        offset=offset,
    )


def show_document(session: Session, key: str) -> dict[str, Any]:
    document = session.get_one(Document, resolve_id(session, "document", key))
    record = document_record(document)
    record["claims"] = [
        {"key": k, "text": t, "source": s}
        for k, t, s in session.execute(
            select(Claim.key, Claim.text, Source.key)
            .join(Attribution, Attribution.claim_id == Claim.id)
            .join(Source, Source.id == Attribution.source_id)
            .where(Attribution.document_id == document.id, current())
            .order_by(Claim.id)
        )
    ]
    return record
