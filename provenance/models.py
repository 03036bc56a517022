"""The typed ORM schema (DESIGN.md §1). Migrations in ``alembic/`` must match it:
CI runs ``alembic check``.

Derived columns kept on write: ``claims.value_lo/value_hi/value_text`` (the value as an
interval or folded text, for set-based comparison) and ``*_aliases.folded``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from provenance.clock import utcnow
from provenance.vocab import Relation, Stance, Status

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s__%(column_0_N_name)s",
    "uq": "uq_%(table_name)s__%(column_0_N_name)s",
    "ck": "ck_%(table_name)s__%(constraint_name)s",
    "fk": "fk_%(table_name)s__%(column_0_N_name)s__%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


KEY = String(120)


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (CheckConstraint("reliability IN ('A','B','C','D','E','F')", "reliability"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(KEY, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(60))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    affiliation: Mapped[str | None] = mapped_column(KEY, index=True)
    protected: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    trust: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceAlias.id"
    )


class SourceAlias(Base):
    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    folded: Mapped[str] = mapped_column(String(300), unique=True)

    source: Mapped[Source] = relationship(back_populates="aliases")


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(KEY, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityAlias.id"
    )


class EntityAlias(Base):
    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(300))
    folded: Mapped[str] = mapped_column(String(300), unique=True)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(KEY, unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    published: Mapped[dt.date | None] = mapped_column(Date)
    retrieved: Mapped[dt.date | None] = mapped_column(Date)
    sha256: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    publisher: Mapped[Source | None] = relationship()


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        # The claim key of DESIGN.md §2: comparisons and flags group on it.
        Index(
            "ix_claims__claim_key", "subject_id", "property", "period_start", "period_end", "place"
        ),
        Index("ix_claims__property_id", "property", "id"),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end", "period"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(KEY, unique=True)
    text: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    property: Mapped[str | None] = mapped_column(String(120))
    value: Mapped[Any | None] = mapped_column(JSON)
    value_lo: Mapped[float | None] = mapped_column(Float)
    value_hi: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(String(500))
    unit: Mapped[str | None] = mapped_column(String(120))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[Status] = mapped_column(
        _enum(Status, "claim_status"), default=Status.UNVERIFIED, index=True
    )
    plausibility: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # A withdrawn capture (a typo, a bad extraction, a merged duplicate) stays in history
    # but is left out of lists, flags, comparisons, scoring and exports. Not a verdict.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdrawn_note: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))

    subject: Mapped[Entity | None] = relationship(foreign_keys=[subject_id])
    tags: Mapped[list[ClaimTag]] = relationship(
        cascade="all, delete-orphan", order_by="ClaimTag.tag"
    )
    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Attribution.id"
    )


class ClaimTag(Base):
    __tablename__ = "claim_tags"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)


class Attribution(Base):
    """claim ← source: the provenance link itself (PROV wasAttributedTo / wasQuotedFrom)."""

    __tablename__ = "attributions"
    __table_args__ = (
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 100)", "confidence"
        ),
        Index("ix_attributions__source_stance", "source_id", "stance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    stance: Mapped[Stance] = mapped_column(_enum(Stance, "stance"), default=Stance.ASSERTS)
    confidence: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="attributions")
    source: Mapped[Source] = relationship()
    document: Mapped[Document | None] = relationship()
    relays: Mapped[list[Relay]] = relationship(
        cascade="all, delete-orphan", order_by="Relay.position"
    )


class Relay(Base):
    """One outlet in an attribution's relay chain; position 0 is the nearest to the reader."""

    __tablename__ = "relays"

    attribution_id: Mapped[int] = mapped_column(
        ForeignKey("attributions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)

    source: Mapped[Source] = relationship()


class Link(Base):
    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("from_claim_id", "to_claim_id", "relation"),
        CheckConstraint("from_claim_id <> to_claim_id", "not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    to_claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[Relation] = mapped_column(_enum(Relation, "relation"))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    from_claim: Mapped[Claim] = relationship(foreign_keys=[from_claim_id])
    to_claim: Mapped[Claim] = relationship(foreign_keys=[to_claim_id])


class Event(Base):
    """The audit trail: one row per write, each hashing the one before it."""

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    analyst: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(500))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class EventKey(Base):
    """A record key an event targets or changes (derived from the event when appended)."""

    __tablename__ = "event_keys"
    __table_args__ = ({"sqlite_with_rowid": False},)

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)


class QueuedClaim(Base):
    """A flagged live claim in the stored work queue (derived: see ``analysis.queue``)."""

    __tablename__ = "flag_queue"
    __table_args__ = (Index("ix_flag_queue__rank_key", "rank", "key"),)

    claim_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(KEY)
    rank: Mapped[int]
    independent: Mapped[int]


class QueueState(Base):
    """What the stored work queue was ranked from: the trail's last event and the settings."""

    __tablename__ = "flag_queue_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    through_seq: Mapped[int]
    tolerance: Mapped[float] = mapped_column(Float)
    min_sources: Mapped[int]
    rules: Mapped[int]


class ScoringRun(Base):
    """One `source score`: the method and parameters behind the stored trust and
    plausibility, and whether the iteration converged."""

    __tablename__ = "scoring_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    analyst: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[Any] = mapped_column(JSON)
    iterations: Mapped[int] = mapped_column(Integer)
    converged: Mapped[bool] = mapped_column()
    sources: Mapped[int] = mapped_column(Integer)
    claims: Mapped[int] = mapped_column(Integer)


class SourceDependence(Base):
    """A pair of sources that the last `source score` found copying one another (source
    ids, the smaller first). Replaced whole by each scoring run."""

    __tablename__ = "source_dependence"
    __table_args__ = (
        UniqueConstraint("source_a_id", "source_b_id"),
        CheckConstraint("source_a_id < source_b_id", "ordered"),
        CheckConstraint("direction IN (-1, 0, 1)", "direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scoring_runs.id", ondelete="CASCADE"))
    source_a_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    source_b_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    probability: Mapped[float] = mapped_column(Float)
    a_copies_b: Mapped[float] = mapped_column(Float)
    b_copies_a: Mapped[float] = mapped_column(Float)
    direction: Mapped[int] = mapped_column(Integer)  # 1: a copies b, -1: b copies a, 0: unknown
    shared_keys: Mapped[int] = mapped_column(Integer)
    shared_values: Mapped[int] = mapped_column(Integer)
    shared_false: Mapped[float] = mapped_column(Float)


class DependenceDecision(Base):
    """The analyst's word on a pair of sources: ``accepted`` (they copy one another: they
    now share an affiliation) or ``rejected`` (independent: scoring leaves them alone)."""

    __tablename__ = "dependence_decisions"
    __table_args__ = (
        UniqueConstraint("source_a_id", "source_b_id"),
        CheckConstraint("source_a_id < source_b_id", "ordered"),
        CheckConstraint("decision IN ('accepted', 'rejected')", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_a_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    source_b_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
