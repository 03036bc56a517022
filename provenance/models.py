"""The ORM, used for writes (DESIGN.md §1): classes mapped onto the Core tables of
``provenance/read/tables.py``, where the schema is declared once. Migrations in
``alembic/`` must match it: CI runs ``alembic check``.

Derived columns kept on write: ``claims.value_lo/value_hi/value_text`` (the value as an
interval or folded text, for set-based comparison) and ``*_aliases.folded``.

Each class maps every column of its table; the annotations under ``TYPE_CHECKING`` only
tell the type checker their types (SQLAlchemy would otherwise read each one at start-up).
Mapping the tables, rather than declaring each column again, keeps a write command's
start-up short: declaring them took 30 ms of every write, mapping them takes 6 ms.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from provenance.read import tables as t
from provenance.vocab import Relation, Stance, Status


class Base(DeclarativeBase):
    metadata = t.metadata


class Source(Base):
    __table__ = t.sources

    if TYPE_CHECKING:
        id: Mapped[int]
        key: Mapped[str]
        name: Mapped[str]
        kind: Mapped[str | None]
        reliability: Mapped[str]
        affiliation: Mapped[str | None]
        protected: Mapped[bool]
        notes: Mapped[str | None]
        trust: Mapped[float | None]
        created_at: Mapped[dt.datetime]
        updated_at: Mapped[dt.datetime]

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceAlias.id"
    )


class SourceAlias(Base):
    __table__ = t.source_aliases

    if TYPE_CHECKING:
        id: Mapped[int]
        source_id: Mapped[int]
        alias: Mapped[str]
        folded: Mapped[str]

    source: Mapped[Source] = relationship(back_populates="aliases")


class Entity(Base):
    __table__ = t.entities

    if TYPE_CHECKING:
        id: Mapped[int]
        key: Mapped[str]
        name: Mapped[str]
        kind: Mapped[str | None]
        created_at: Mapped[dt.datetime]

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityAlias.id"
    )


class EntityAlias(Base):
    __table__ = t.entity_aliases

    if TYPE_CHECKING:
        id: Mapped[int]
        entity_id: Mapped[int]
        alias: Mapped[str]
        folded: Mapped[str]

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Document(Base):
    __table__ = t.documents

    if TYPE_CHECKING:
        id: Mapped[int]
        key: Mapped[str]
        title: Mapped[str | None]
        url: Mapped[str | None]
        publisher_id: Mapped[int | None]
        published: Mapped[dt.date | None]
        retrieved: Mapped[dt.date | None]
        sha256: Mapped[str | None]
        language: Mapped[str | None]
        created_at: Mapped[dt.datetime]

    publisher: Mapped[Source | None] = relationship()


class Claim(Base):
    __table__ = t.claims

    if TYPE_CHECKING:
        id: Mapped[int]
        key: Mapped[str]
        text: Mapped[str]
        subject_id: Mapped[int | None]
        property: Mapped[str | None]
        value: Mapped[Any | None]
        value_lo: Mapped[float | None]
        value_hi: Mapped[float | None]
        value_text: Mapped[str | None]
        unit: Mapped[str | None]
        period_start: Mapped[dt.date | None]
        period_end: Mapped[dt.date | None]
        place: Mapped[str | None]
        status: Mapped[Status]
        plausibility: Mapped[float | None]
        created_at: Mapped[dt.datetime]
        updated_at: Mapped[dt.datetime]
        # A withdrawn capture (a typo, a bad extraction, a merged duplicate) stays in history
        # but is left out of lists, flags, comparisons, scoring and exports. Not a verdict.
        withdrawn_at: Mapped[dt.datetime | None]
        withdrawn_by: Mapped[str | None]
        withdrawn_note: Mapped[str | None]
        merged_into_id: Mapped[int | None]

    subject: Mapped[Entity | None] = relationship(foreign_keys=[t.claims.c.subject_id])
    tags: Mapped[list[ClaimTag]] = relationship(
        cascade="all, delete-orphan", order_by="ClaimTag.tag"
    )
    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Attribution.id"
    )


class ClaimTag(Base):
    __table__ = t.claim_tags

    if TYPE_CHECKING:
        claim_id: Mapped[int]
        tag: Mapped[str]


class Attribution(Base):
    """claim ← source: the provenance link itself (PROV wasAttributedTo / wasQuotedFrom)."""

    __table__ = t.attributions

    if TYPE_CHECKING:
        id: Mapped[int]
        claim_id: Mapped[int]
        source_id: Mapped[int]
        document_id: Mapped[int | None]
        stance: Mapped[Stance]
        confidence: Mapped[int | None]
        quote: Mapped[str | None]
        recorded_by: Mapped[str]
        recorded_at: Mapped[dt.datetime]

    claim: Mapped[Claim] = relationship(back_populates="attributions")
    source: Mapped[Source] = relationship()
    document: Mapped[Document | None] = relationship()
    relays: Mapped[list[Relay]] = relationship(
        cascade="all, delete-orphan", order_by="Relay.position"
    )


class Relay(Base):
    """One outlet in an attribution's relay chain; position 0 is the nearest to the reader."""

    __table__ = t.relays

    if TYPE_CHECKING:
        attribution_id: Mapped[int]
        position: Mapped[int]
        source_id: Mapped[int]

    source: Mapped[Source] = relationship()


class Link(Base):
    __table__ = t.links

    if TYPE_CHECKING:
        id: Mapped[int]
        from_claim_id: Mapped[int]
        to_claim_id: Mapped[int]
        relation: Mapped[Relation]
        note: Mapped[str | None]
        created_by: Mapped[str]
        created_at: Mapped[dt.datetime]

    from_claim: Mapped[Claim] = relationship(foreign_keys=[t.links.c.from_claim_id])
    to_claim: Mapped[Claim] = relationship(foreign_keys=[t.links.c.to_claim_id])


class Event(Base):
    """The audit trail: one row per write, each hashing the one before it."""

    __table__ = t.events

    if TYPE_CHECKING:
        seq: Mapped[int]
        at: Mapped[str]
        analyst: Mapped[str]
        action: Mapped[str]
        target: Mapped[str | None]
        payload: Mapped[str]
        prev_hash: Mapped[str]
        hash: Mapped[str]


class EventKey(Base):
    """A record key an event targets or changes (derived from the event when appended)."""

    __table__ = t.event_keys

    if TYPE_CHECKING:
        key: Mapped[str]
        seq: Mapped[int]


class QueuedClaim(Base):
    """A flagged live claim in the stored work queue (derived: see ``analysis.queue``)."""

    __table__ = t.flag_queue

    if TYPE_CHECKING:
        claim_id: Mapped[int]
        key: Mapped[str]
        rank: Mapped[int]
        independent: Mapped[int]


class QueueState(Base):
    """What the stored work queue was ranked from: the trail's last event and the settings."""

    __table__ = t.flag_queue_state

    if TYPE_CHECKING:
        id: Mapped[int]
        through_seq: Mapped[int]
        tolerance: Mapped[float]
        min_sources: Mapped[int]
        rules: Mapped[int]


class ScoringRun(Base):
    """One `source score`: the method and parameters behind the stored trust and
    plausibility, and whether the iteration converged."""

    __table__ = t.scoring_runs

    if TYPE_CHECKING:
        id: Mapped[int]
        at: Mapped[dt.datetime]
        analyst: Mapped[str]
        method: Mapped[str]
        parameters: Mapped[Any]
        iterations: Mapped[int]
        converged: Mapped[bool]
        sources: Mapped[int]
        claims: Mapped[int]


class SourceDependence(Base):
    """A pair of sources that the last `source score` found copying one another (source
    ids, the smaller first). Replaced whole by each scoring run."""

    __table__ = t.source_dependence

    if TYPE_CHECKING:
        id: Mapped[int]
        run_id: Mapped[int]
        source_a_id: Mapped[int]
        source_b_id: Mapped[int]
        probability: Mapped[float]
        a_copies_b: Mapped[float]
        b_copies_a: Mapped[float]
        direction: Mapped[int]  # 1: a copies b, -1: b copies a, 0: unknown
        shared_keys: Mapped[int]
        shared_values: Mapped[int]
        shared_false: Mapped[float]


class DependenceDecision(Base):
    """The analyst's word on a pair of sources: ``accepted`` (they copy one another: they
    now share an affiliation) or ``rejected`` (independent: scoring leaves them alone)."""

    __table__ = t.dependence_decisions

    if TYPE_CHECKING:
        id: Mapped[int]
        source_a_id: Mapped[int]
        source_b_id: Mapped[int]
        decision: Mapped[str]
        note: Mapped[str | None]
        decided_by: Mapped[str]
        decided_at: Mapped[dt.datetime]
