"""Export: the data as the interchange document, or as files for other tools.

:func:`collect` streams the records of an export (everything, or the slice a claim
filter selects) in a stable order, with protected sources replaced by pseudonyms unless
asked otherwise. Each format's writer consumes that stream.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from provenance.analysis.facts import Settings
from provenance.analysis.records import claim_records
from provenance.io.pseudonyms import (
    database_salt,
    document_pseudonym,
    documents_published_by,
    hidden_documents,
    redacted_sources,
    source_pseudonym,
)
from provenance.models import Attribution, Claim, Document, Entity, Link, Relay, Source
from provenance.read.records import document_record, entity_record, source_record
from provenance.read.tables import claims as claim_table
from provenance.services.claims import ClaimFilter, filtered_ids

PAGE = 500


@dataclass
class Redactor:
    """Replaces protected sources by stable pseudonyms (the same one in every export of a
    database: the digest is salted with the database's first audit event, which no export
    contains), wherever they appear: as origin, relay or publisher. A protected source keeps
    only its reliability letter; a document it published keeps only its dates and
    language; a quote from either is dropped. Pseudonymous records are ordered by their
    pseudonym, so their position says nothing about the real key.

    Which sources are redacted is :func:`~provenance.io.pseudonyms.redacted_sources`: in
    an export of an earlier state (``--as-of``), those protected then, those protected
    now, and those merged since into a source protected now."""

    #: The keys (in the exported state) of the sources replaced by pseudonyms.
    protected: set[str]
    salt: str
    #: Documents published by a protected source.
    hidden_documents: set[str] = field(default_factory=set)

    @classmethod
    def for_session(
        cls, session: Session, include_protected: bool, exported: Session | None = None
    ) -> Redactor:
        """The redaction of an export of ``exported`` (an earlier state rebuilt from the
        audit trail of ``session``; by default ``session`` itself). The salt and what is
        protected now always come from ``session``, the database itself."""
        if include_protected:
            return cls(set(), "")
        exported = session if exported is None else exported
        protected = redacted_sources(session, exported)
        documents = documents_published_by(exported, protected)
        if exported is not session:  # published by a source protected now, hidden then too
            documents |= hidden_documents(session)
        return cls(protected, database_salt(session), documents)

    def __bool__(self) -> bool:
        """Whether this export hides anything."""
        return bool(self.protected or self.hidden_documents)

    def key(self, key: str | None) -> str | None:
        if key is None or key not in self.protected:
            return key
        return source_pseudonym(self.salt, key)

    def document_key(self, key: str | None) -> str | None:
        if key is None or key not in self.hidden_documents:
            return key
        return document_pseudonym(self.salt, key)

    def source(self, record: dict[str, Any]) -> dict[str, Any]:
        if record["key"] not in self.protected:
            return record
        return {
            **record,
            "key": self.key(record["key"]),
            "name": "Protected source",
            "kind": None,
            "affiliation": None,
            "aliases": [],
            "protected": True,
            "notes": None,
        }

    def claim(self, record: dict[str, Any]) -> dict[str, Any]:
        if not self:
            return record
        attributions = []
        for attribution in record["attributions"]:
            hidden = (
                attribution["source"] in self.protected
                or any(v in self.protected for v in attribution["via"])
                or attribution["document"] in self.hidden_documents
            )
            attributions.append(
                {
                    **attribution,
                    "source": self.key(attribution["source"]),
                    "via": [self.key(v) for v in attribution["via"]],
                    "document": self.document_key(attribution["document"]),
                    "quote": None if hidden else attribution["quote"],
                }
            )
        origins = [self.key(o) for o in record["origins"]]
        return {
            **record,
            "origins": sorted(origins) if origins != record["origins"] else origins,
            "attributions": attributions,
        }

    def document(self, record: dict[str, Any]) -> dict[str, Any]:
        record = {**record, "publisher": self.key(record["publisher"])}
        if record["key"] not in self.hidden_documents:
            return record
        return {
            **record,
            "key": self.document_key(record["key"]),
            "title": None,
            "url": None,
            "sha256": None,
        }

    @staticmethod
    def merged(
        plain: Iterator[dict[str, Any]], hidden: list[dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        """``plain`` (streamed in key order) with the redacted records where their
        pseudonym sorts; those are few, so they are held."""
        hidden.sort(key=_by_key)
        return heapq.merge(plain, hidden, key=_by_key)


def _by_key(record: dict[str, Any]) -> str:
    return str(record["key"])


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
        if not self.redactor:
            for source in self.session.scalars(query.execution_options(yield_per=PAGE)):
                yield _source_record(source)
            return
        plain = (
            _source_record(source)
            for source in self.session.scalars(
                query.where(Source.key.not_in(self.redactor.protected)).execution_options(
                    yield_per=PAGE
                )
            )
        )
        hidden = [
            self.redactor.source(_source_record(source))
            for source in self.session.scalars(query.where(Source.key.in_(self.redactor.protected)))
        ]
        yield from self.redactor.merged(plain, hidden)

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
        if not self.redactor:
            for document in self.session.scalars(query):
                yield document_record(document)
            return
        hidden_keys = self.redactor.hidden_documents
        plain = (
            self.redactor.document(document_record(document))
            for document in self.session.scalars(query.where(Document.key.not_in(hidden_keys)))
        )
        hidden = [
            self.redactor.document(document_record(document))
            for document in self.session.scalars(query.where(Document.key.in_(hidden_keys)))
        ]
        yield from self.redactor.merged(plain, hidden)

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


def start(
    session: Session,
    where: ClaimFilter | None,
    *,
    include_protected: bool,
    current: Session | None = None,
) -> Export:
    """The export of ``session``; of an earlier state rebuilt from ``current`` (the
    database itself, whose protected sources and salt the redaction takes) with --as-of."""
    redactor = Redactor.for_session(current or session, include_protected, exported=session)
    return Export(session, where, redactor)


def sections(export: Export) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    yield "sources", export.sources()
    yield "entities", export.entities()
    yield "documents", export.documents()
    yield "claims", export.claims()
    yield "links", export.links()


__all__ = ["Export", "Redactor", "sections", "start"]
