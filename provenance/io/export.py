"""Export: the data as the interchange document, or as files for other tools.

:func:`collect` streams the records of an export (everything, or the slice a claim
filter selects) in a stable order, with protected sources replaced by pseudonyms unless
asked otherwise. Each format's writer consumes that stream.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from provenance.analysis.facts import Settings
from provenance.analysis.records import claim_records
from provenance.models import Attribution, Claim, Document, Entity, Event, Link, Relay, Source
from provenance.read.records import document_record, entity_record, source_record
from provenance.read.tables import claims as claim_table
from provenance.services.claims import ClaimFilter, filtered_ids

PAGE = 500


@dataclass
class Redactor:
    """Replaces protected sources by stable pseudonyms (the same one in every export of a
    database: the digest is salted with the database's first audit event, which no export
    contains)."""

    protected: set[str]
    salt: str

    @classmethod
    def for_session(cls, session: Session, include_protected: bool) -> Redactor:
        if include_protected:
            return cls(set(), "")
        protected = set(session.scalars(select(Source.key).where(Source.protected.is_(True))))
        salt = session.scalar(select(Event.hash).order_by(Event.seq).limit(1)) or ""
        return cls(protected, salt)

    def key(self, key: str | None) -> str | None:
        if key is None or key not in self.protected:
            return key
        return "protected-" + hashlib.sha256(f"{self.salt}:{key}".encode()).hexdigest()[:10]

    def source(self, record: dict[str, Any]) -> dict[str, Any]:
        if record["key"] not in self.protected:
            return record
        return {
            **record,
            "key": self.key(record["key"]),
            "name": "Protected source",
            "aliases": [],
            "notes": None,
        }

    def claim(self, record: dict[str, Any]) -> dict[str, Any]:
        if not self.protected:
            return record
        attributions = []
        for attribution in record["attributions"]:
            hidden = attribution["source"] in self.protected or any(
                v in self.protected for v in attribution["via"]
            )
            attributions.append(
                {
                    **attribution,
                    "source": self.key(attribution["source"]),
                    "via": [self.key(v) for v in attribution["via"]],
                    "quote": None if hidden else attribution["quote"],
                }
            )
        return {
            **record,
            "origins": [self.key(o) for o in record["origins"]],
            "attributions": attributions,
        }

    def document(self, record: dict[str, Any]) -> dict[str, Any]:
        return {**record, "publisher": self.key(record["publisher"])}


def _source_record(source: Source) -> dict[str, Any]:
    """The interchange record: the source's record without its computed trust."""
    return {k: v for k, v in source_record(source).items() if k != "trust"}


@dataclass
class Export:
    """What an export contains; each part is a stream of interchange records."""

    session: Session
    where: ClaimFilter | None
    redactor: Redactor
    #: Called once per claim written (progress bars).
    on_claim: Callable[[], None] | None = None

    @property
    def sliced(self) -> bool:
        """A filtered export: only what the selected claims reference."""
        if self.where is None:
            return False
        return dataclasses.replace(self.where, include_withdrawn=False) != ClaimFilter()

    @property
    def include_withdrawn(self) -> bool:
        return self.where is not None and self.where.include_withdrawn

    def _claim_ids(self) -> Any:
        return filtered_ids(self.session, self.where or ClaimFilter())

    def sources(self) -> Iterator[dict[str, Any]]:
        query = select(Source).options(selectinload(Source.aliases)).order_by(Source.key)
        if self.sliced:
            ids = self._claim_ids().subquery()
            relayed = (
                select(Relay.source_id)
                .join(Attribution, Attribution.id == Relay.attribution_id)
                .where(Attribution.claim_id.in_(select(ids.c.id)))
            )
            origins = select(Attribution.source_id).where(
                Attribution.claim_id.in_(select(ids.c.id))
            )
            publishers = select(Document.publisher_id).where(Document.id.in_(self._document_ids()))
            query = query.where(
                or_(Source.id.in_(origins), Source.id.in_(relayed), Source.id.in_(publishers))
            )
        for source in self.session.scalars(query.execution_options(yield_per=PAGE)):
            yield self.redactor.source(_source_record(source))

    def _document_ids(self) -> Any:
        ids = self._claim_ids().subquery()
        return select(Attribution.document_id).where(Attribution.claim_id.in_(select(ids.c.id)))

    def entities(self) -> Iterator[dict[str, Any]]:
        query = select(Entity).options(selectinload(Entity.aliases)).order_by(Entity.key)
        if self.sliced:
            ids = self._claim_ids().subquery()
            query = query.where(
                Entity.id.in_(select(Claim.subject_id).where(Claim.id.in_(select(ids.c.id))))
            )
        for entity in self.session.scalars(query):
            yield entity_record(entity)

    def documents(self) -> Iterator[dict[str, Any]]:
        query = select(Document).options(selectinload(Document.publisher)).order_by(Document.key)
        if self.sliced:
            query = query.where(Document.id.in_(self._document_ids()))
        for document in self.session.scalars(query):
            yield self.redactor.document(document_record(document))

    def claims(self, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
        """Claim records a page at a time (memory does not grow with the database)."""
        # In key order, like every other section (and a past state rebuilt from the audit
        # trail, whose row ids differ, exports the same bytes).
        last_key = ""
        key = claim_table.c.key  # the filter's ids are Core rows of the read layer's table
        base = self._claim_ids().add_columns(key).order_by(None).order_by(key)
        while True:
            rows = self.session.execute(base.where(key > last_key).limit(PAGE)).all()
            if not rows:
                return
            for record in claim_records(self.session, [row[0] for row in rows], settings):
                if self.on_claim is not None:
                    self.on_claim()
                yield self.redactor.claim(record)
            last_key = rows[-1][1]

    def links(self) -> Iterator[dict[str, Any]]:
        from_claim, to_claim = aliased(Claim), aliased(Claim)
        query = (
            select(from_claim.key, to_claim.key, Link.relation, Link.note)
            .join(from_claim, from_claim.id == Link.from_claim_id)
            .join(to_claim, to_claim.id == Link.to_claim_id)
            .order_by(from_claim.key, to_claim.key, Link.relation)
        )
        if self.sliced:
            ids = self._claim_ids().subquery()
            query = query.where(
                Link.from_claim_id.in_(select(ids.c.id)), Link.to_claim_id.in_(select(ids.c.id))
            )
        elif not self.include_withdrawn:
            query = query.where(from_claim.withdrawn_at.is_(None), to_claim.withdrawn_at.is_(None))
        for from_key, to_key, relation, note in self.session.execute(query):
            yield {"from": from_key, "to": to_key, "relation": relation.value, "note": note}


def count_claims(export: Export) -> int:
    from sqlalchemy import func

    return int(
        export.session.scalar(select(func.count()).select_from(export._claim_ids().subquery())) or 0
    )


def start(session: Session, where: ClaimFilter | None, *, include_protected: bool) -> Export:
    return Export(session, where, Redactor.for_session(session, include_protected))


def sections(export: Export) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    yield "sources", export.sources()
    yield "entities", export.entities()
    yield "documents", export.documents()
    yield "claims", export.claims()
    yield "links", export.links()


__all__ = ["Export", "Redactor", "sections", "start"]
