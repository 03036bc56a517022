"""The schema, declared once, as SQLAlchemy Core tables: read without the ORM, and mapped
by the ORM of ``provenance/models.py`` for writes. The ``default`` of a column is filled in
by SQLAlchemy when a write leaves it out (it is not part of the DDL).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    FromClause,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

from provenance.clock import utcnow
from provenance.vocab import Relation, Stance, Status

#: The same naming convention as the ORM's (constraint names in migrations depend on it).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s__%(column_0_N_name)s",
    "uq": "uq_%(table_name)s__%(column_0_N_name)s",
    "ck": "ck_%(table_name)s__%(constraint_name)s",
    "fk": "fk_%(table_name)s__%(column_0_N_name)s__%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

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


def _key() -> String:
    return String(120)


class FigureJSON(TypeDecorator[Any]):
    """A claim's value as JSON, read back alike on every database. SQLite stores a JSON
    number in a column of NUMERIC affinity, so a whole float comes back as an integer
    (``1.0`` as ``1``, ``1e18`` as ``1000000000000000000``); PostgreSQL keeps the text.
    Read here, a whole float that fits 64 bits is an integer on both (the same number)."""

    impl = JSON
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, float) and value.is_integer() and -(2**63) <= value < 2**63:
            return int(value)
        return value


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", _key(), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(60)),
    Column("reliability", String(1), nullable=False, default="F"),
    Column("affiliation", _key(), index=True),
    Column("protected", Boolean, nullable=False, default=False),
    Column("notes", Text),
    Column("trust", Float),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("updated_at", DateTime, nullable=False, default=utcnow),
    CheckConstraint("reliability IN ('A','B','C','D','E','F')", "reliability"),
)

source_aliases = Table(
    "source_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "source_id",
        Integer,
        ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("alias", String(300), nullable=False),
    Column("folded", String(300), nullable=False, unique=True),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", _key(), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(60)),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "entity_id",
        Integer,
        ForeignKey("entities.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("alias", String(300), nullable=False),
    Column("folded", String(300), nullable=False, unique=True),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", _key(), nullable=False, unique=True),
    Column("title", String(500)),
    Column("url", String(2000)),
    Column("publisher_id", Integer, ForeignKey("sources.id"), index=True),
    Column("published", Date),
    Column("retrieved", Date),
    Column("sha256", String(64)),
    Column("language", String(20)),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", _key(), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("subject_id", Integer, ForeignKey("entities.id")),
    Column("property", String(120)),
    Column("value", FigureJSON),
    Column("value_lo", Float),
    Column("value_hi", Float),
    Column("value_text", String(500)),
    Column("unit", String(120)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("place", String(300)),
    Column(
        "status",
        _enum(Status, "claim_status"),
        nullable=False,
        index=True,
        default=Status.UNVERIFIED,
    ),
    Column("plausibility", Float),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("updated_at", DateTime, nullable=False, default=utcnow),
    Column("withdrawn_at", DateTime),
    Column("withdrawn_by", String(120)),
    Column("withdrawn_note", Text),
    Column("merged_into_id", Integer, ForeignKey("claims.id")),
    Index("ix_claims__claim_key", "subject_id", "property", "period_start", "period_end", "place"),
    Index("ix_claims__property_id", "property", "id"),
    CheckConstraint(
        "period_start IS NULL OR period_end IS NULL OR period_start <= period_end", "period"
    ),
)

claim_tags = Table(
    "claim_tags",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(120), primary_key=True, index=True),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), index=True),
    Column("stance", _enum(Stance, "stance"), nullable=False, default=Stance.ASSERTS),
    Column("confidence", Integer),
    Column("quote", Text),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", DateTime, nullable=False, default=utcnow),
    CheckConstraint("confidence IS NULL OR (confidence >= 0 AND confidence <= 100)", "confidence"),
    Index("ix_attributions__source_stance", "source_id", "stance"),
)

relays = Table(
    "relays",
    metadata,
    Column(
        "attribution_id",
        Integer,
        ForeignKey("attributions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column(
        "to_claim_id",
        Integer,
        ForeignKey("claims.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("relation", _enum(Relation, "relation"), nullable=False),
    Column("note", Text),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("from_claim_id", "to_claim_id", "relation"),
    CheckConstraint("from_claim_id <> to_claim_id", "not_self"),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("analyst", String(120), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", String(500)),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

#: Which events touch which record keys (derived from each event as it is appended): the
#: history of one record without reading every payload. One B-tree on SQLite. Like the
#: full-text index, it is derived data: no foreign key, so that the events stay the one
#: thing `audit verify` judges (an edited trail is reported there, not refused here).
event_keys = Table(
    "event_keys",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("seq", Integer, primary_key=True),
    sqlite_with_rowid=False,
)

#: The stored work queue: every flagged live claim with its independent origins and its
#: rank, minus its severity (the reasons as bits, see ``analysis.flags``), so that the
#: queue's order, most severe first and then by key, is one ascending index. Ranked from
#: the trail as of ``flag_queue_state.through_seq`` with that row's settings. Derived
#: data, rebuilt by ``analysis.queue`` once an event has been appended since: no foreign key.
flag_queue = Table(
    "flag_queue",
    metadata,
    Column("claim_id", Integer, primary_key=True, autoincrement=False),
    Column("key", _key(), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("independent", Integer, nullable=False),
    Index("ix_flag_queue__rank_key", "rank", "key"),
)

flag_queue_state = Table(
    "flag_queue_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("through_seq", Integer, nullable=False),
    Column("tolerance", Float, nullable=False),
    Column("min_sources", Integer, nullable=False),
    Column("rules", Integer, nullable=False),
)

scoring_runs = Table(
    "scoring_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, default=utcnow),
    Column("analyst", String(120), nullable=False),
    Column("method", String(40), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("iterations", Integer, nullable=False),
    Column("converged", Boolean, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
)

source_dependence = Table(
    "source_dependence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "run_id",
        Integer,
        ForeignKey("scoring_runs.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("source_a_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column(
        "source_b_id",
        Integer,
        ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("probability", Float, nullable=False),
    Column("a_copies_b", Float, nullable=False),
    Column("b_copies_a", Float, nullable=False),
    Column("direction", Integer, nullable=False),
    Column("shared_keys", Integer, nullable=False),
    Column("shared_values", Integer, nullable=False),
    Column("shared_false", Float, nullable=False),
    UniqueConstraint("source_a_id", "source_b_id"),
    CheckConstraint("source_a_id < source_b_id", "ordered"),
    CheckConstraint("direction IN (-1, 0, 1)", "direction"),
)

dependence_decisions = Table(
    "dependence_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_a_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column(
        "source_b_id",
        Integer,
        ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("decision", String(16), nullable=False),
    Column("note", Text),
    Column("decided_by", String(120), nullable=False),
    Column("decided_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("source_a_id", "source_b_id"),
    CheckConstraint("source_a_id < source_b_id", "ordered"),
    CheckConstraint("decision IN ('accepted', 'rejected')", "decision"),
)


def current(table: FromClause = claims) -> ColumnElement[bool]:
    """The one predicate that keeps withdrawn (and merged) claims out of what is read.
    ``table`` may be an alias of ``claims``."""
    return table.c.withdrawn_at.is_(None)
