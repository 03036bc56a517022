"""Sources, entities and documents: add, edit, list, show."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from provenance.errors import ProvenanceError
from provenance.models import Attribution, Claim, Document, Entity, Source
from provenance.read.records import document_record, entity_record, source_record
from provenance.read.resolve import resolve_id, resolve_key
from provenance.services import audit
from provenance.services.history import ChangeLog

if TYPE_CHECKING:  # the write schemas load pydantic: reading commands do without
    from provenance.schemas import DocumentIn, EntityIn, SourceIn


def add_source(session: Session, data: SourceIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import save_source

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


def edit(session: Session, key: str, changes: dict[str, Any], *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import edit_source

    if not changes:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
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


def list_sources(session: Session) -> list[dict[str, Any]]:
    origin_counts = dict(
        session.execute(
            select(Attribution.source_id, func.count(func.distinct(Attribution.claim_id))).group_by(
                Attribution.source_id
            )
        ).all()
    )
    sources = session.scalars(
        select(Source).options(selectinload(Source.aliases)).order_by(Source.key)
    )
    return [{**source_record(s), "claims": origin_counts.get(s.id, 0)} for s in sources]


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


def list_entities(session: Session) -> list[dict[str, Any]]:
    counts = dict(
        session.execute(
            select(Claim.subject_id, func.count())
            .where(Claim.subject_id.is_not(None))
            .group_by(Claim.subject_id)
        ).all()
    )
    entities = session.scalars(
        select(Entity).options(selectinload(Entity.aliases)).order_by(Entity.key)
    )
    return [{**entity_record(e), "claims": counts.get(e.id, 0)} for e in entities]


def file_sha256(path: Path) -> str:
    """The sha256 of a regular file's bytes. Anything else is refused before it is
    opened: a device or a pipe may never end (``/dev/zero``), and opening a pipe waits
    for a writer."""
    digest = hashlib.sha256()
    try:
        if path.exists() and not path.is_file():
            raise ProvenanceError(
                f"cannot read {path}: not a regular file (a folder, a device or a pipe)"
            )
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise ProvenanceError(f"cannot read {path}: {error.strerror}") from None
    return digest.hexdigest()


def add_document(session: Session, data: DocumentIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.references import References
    from provenance.services.store import save_document

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


def list_documents(session: Session) -> list[dict[str, Any]]:
    counts = dict(
        session.execute(
            select(Attribution.document_id, func.count(func.distinct(Attribution.claim_id)))
            .where(Attribution.document_id.is_not(None))
            .group_by(Attribution.document_id)
        ).all()
    )
    documents = session.scalars(
        select(Document).options(selectinload(Document.publisher)).order_by(Document.key)
    )
    return [{**document_record(d), "claims": counts.get(d.id, 0)} for d in documents]


def show_document(session: Session, key: str) -> dict[str, Any]:
    document = session.get_one(Document, resolve_id(session, "document", key))
    record = document_record(document)
    record["claims"] = [
        {"key": k, "text": t, "source": s}
        for k, t, s in session.execute(
            select(Claim.key, Claim.text, Source.key)
            .join(Attribution, Attribution.claim_id == Claim.id)
            .join(Source, Source.id == Attribution.source_id)
            .where(Attribution.document_id == document.id)
            .order_by(Claim.id)
        )
    ]
    return record
