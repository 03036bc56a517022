"""withdrawn claims: a capture that should not exist, kept in history; merged duplicates
point at the claim they were folded into. From this revision on, every event carries the
field-level changes of its write; an upgraded database gets one ``db.baseline`` event (a
chunk of them for a large one) holding every record as it stands, so that the history can
be rebuilt from there on.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_COLUMNS = (
    ("withdrawn_at", sa.DateTime()),
    ("withdrawn_by", sa.String(length=120)),
    ("withdrawn_note", sa.Text()),
    ("merged_into_id", sa.Integer()),
)
_FK = "fk_claims__merged_into_id__claims"


def upgrade() -> None:
    # Plain ALTER TABLE on both backends: a batch (copy-and-move) on SQLite would drop the
    # full-text triggers of 0002 with the old table.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, type_ in _COLUMNS:
        if sqlite and name == "merged_into_id":
            op.execute(
                f"ALTER TABLE claims ADD COLUMN merged_into_id INTEGER "
                f"CONSTRAINT {_FK} REFERENCES claims (id)"
            )
        else:
            op.add_column("claims", sa.Column(name, type_, nullable=True))
    if not sqlite:
        op.create_foreign_key(_FK, "claims", "claims", ["merged_into_id"], ["id"])
    _baseline(op.get_bind())


# ---- the baseline: every record as it stands, as field-level "created" changes -------------

_T = sa.table
_C = sa.column
SOURCES = _T(
    "sources",
    *(_C(n) for n in ("id", "key", "name", "kind", "reliability", "affiliation", "notes")),
    _C("protected", sa.Boolean),
)
SOURCE_ALIASES = _T("source_aliases", _C("id"), _C("source_id"), _C("alias"))
ENTITIES = _T("entities", _C("id"), _C("key"), _C("name"), _C("kind"))
ENTITY_ALIASES = _T("entity_aliases", _C("id"), _C("entity_id"), _C("alias"))
DOCUMENTS = _T(
    "documents",
    *(_C(n) for n in ("id", "key", "title", "url", "publisher_id", "sha256", "language")),
    _C("published", sa.Date),
    _C("retrieved", sa.Date),
)
CLAIMS = _T(
    "claims",
    *(_C(n) for n in ("id", "key", "text", "subject_id", "property", "unit", "place", "status")),
    _C("value", sa.JSON),
    _C("period_start", sa.Date),
    _C("period_end", sa.Date),
    _C("created_at", sa.DateTime),
    _C("updated_at", sa.DateTime),
)
TAGS = _T("claim_tags", _C("claim_id"), _C("tag"))
ATTRIBUTIONS = _T(
    "attributions",
    *(_C(n) for n in ("id", "claim_id", "source_id", "document_id", "stance", "confidence")),
    _C("quote"),
    _C("recorded_by"),
    _C("recorded_at", sa.DateTime),
)
RELAYS = _T("relays", _C("attribution_id"), _C("position"), _C("source_id"))
LINKS = _T(
    "links",
    _C("id"),
    _C("from_claim_id"),
    _C("to_claim_id"),
    _C("relation"),
    _C("note"),
    _C("created_by"),
)
EVENTS = _T(
    "events",
    *(_C(n) for n in ("seq", "at", "analyst", "action", "target", "payload", "prev_hash", "hash")),
)
CHUNK = 1000


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _records(bind: Any) -> Iterator[dict[str, Any]]:
    """The history shapes of provenance.services.history, read with plain SQL."""
    source_keys = dict(bind.execute(sa.select(SOURCES.c.id, SOURCES.c.key)).all())
    aliases: dict[int, list[str]] = {}
    for owner, alias in bind.execute(
        sa.select(SOURCE_ALIASES.c.source_id, SOURCE_ALIASES.c.alias).order_by(SOURCE_ALIASES.c.id)
    ):
        aliases.setdefault(owner, []).append(alias)
    for row in bind.execute(sa.select(SOURCES).order_by(SOURCES.c.key)):
        yield {
            "kind": "source",
            "key": row.key,
            "before": None,
            "after": {
                "key": row.key,
                "name": row.name,
                "kind": row.kind,
                "reliability": row.reliability,
                "affiliation": row.affiliation,
                "aliases": aliases.get(row.id, []),
                "protected": bool(row.protected),
                "notes": row.notes,
            },
        }
    entity_keys = dict(bind.execute(sa.select(ENTITIES.c.id, ENTITIES.c.key)).all())
    entity_aliases: dict[int, list[str]] = {}
    for owner, alias in bind.execute(
        sa.select(ENTITY_ALIASES.c.entity_id, ENTITY_ALIASES.c.alias).order_by(ENTITY_ALIASES.c.id)
    ):
        entity_aliases.setdefault(owner, []).append(alias)
    for row in bind.execute(sa.select(ENTITIES).order_by(ENTITIES.c.key)):
        yield {
            "kind": "entity",
            "key": row.key,
            "before": None,
            "after": {
                "key": row.key,
                "name": row.name,
                "kind": row.kind,
                "aliases": entity_aliases.get(row.id, []),
            },
        }
    document_keys = dict(bind.execute(sa.select(DOCUMENTS.c.id, DOCUMENTS.c.key)).all())
    for row in bind.execute(sa.select(DOCUMENTS).order_by(DOCUMENTS.c.key)):
        yield {
            "kind": "document",
            "key": row.key,
            "before": None,
            "after": {
                "key": row.key,
                "title": row.title,
                "url": row.url,
                "publisher": source_keys.get(row.publisher_id),
                "published": _day(row.published),
                "retrieved": _day(row.retrieved),
                "sha256": row.sha256,
                "language": row.language,
            },
        }
    claim_keys: dict[int, str] = {}
    last = ""
    while True:
        rows = bind.execute(
            sa.select(CLAIMS).where(CLAIMS.c.key > last).order_by(CLAIMS.c.key).limit(CHUNK)
        ).all()
        if not rows:
            break
        last = rows[-1].key
        ids = [r.id for r in rows]
        claim_keys.update((r.id, r.key) for r in rows)
        tags: dict[int, list[str]] = {}
        for claim_id, tag in bind.execute(
            sa.select(TAGS.c.claim_id, TAGS.c.tag)
            .where(TAGS.c.claim_id.in_(ids))
            .order_by(TAGS.c.tag)
        ):
            tags.setdefault(claim_id, []).append(tag)
        attributions = bind.execute(
            sa.select(ATTRIBUTIONS)
            .where(ATTRIBUTIONS.c.claim_id.in_(ids))
            .order_by(ATTRIBUTIONS.c.claim_id, ATTRIBUTIONS.c.id)
        ).all()
        relays: dict[int, list[str]] = {}
        for attribution_id, source_id in bind.execute(
            sa.select(RELAYS.c.attribution_id, RELAYS.c.source_id)
            .where(RELAYS.c.attribution_id.in_([a.id for a in attributions]))
            .order_by(RELAYS.c.attribution_id, RELAYS.c.position)
        ):
            relays.setdefault(attribution_id, []).append(source_keys[source_id])
        by_claim: dict[int, list[dict[str, Any]]] = {}
        for a in attributions:
            by_claim.setdefault(a.claim_id, []).append(
                {
                    "source": source_keys[a.source_id],
                    "via": relays.get(a.id, []),
                    "document": document_keys.get(a.document_id),
                    "stance": a.stance,
                    "confidence": a.confidence,
                    "quote": a.quote,
                    "recorded_by": a.recorded_by,
                    "recorded_at": _time(a.recorded_at),
                }
            )
        for row in rows:
            yield {
                "kind": "claim",
                "key": row.key,
                "before": None,
                "after": {
                    "key": row.key,
                    "text": row.text,
                    "subject": entity_keys.get(row.subject_id),
                    "property": row.property,
                    "value": row.value,
                    "unit": row.unit,
                    "period": {"start": _day(row.period_start), "end": _day(row.period_end)},
                    "place": row.place,
                    "tags": tags.get(row.id, []),
                    "status": row.status,
                    "attributions": by_claim.get(row.id, []),
                    "withdrawn": None,
                    "created_at": _time(row.created_at),
                    "updated_at": _time(row.updated_at),
                },
            }
    for row in bind.execute(sa.select(LINKS).order_by(LINKS.c.id)):
        frm, to = claim_keys[row.from_claim_id], claim_keys[row.to_claim_id]
        yield {
            "kind": "link",
            "key": f"{frm} {row.relation} {to}",
            "before": None,
            "after": {
                "from": frm,
                "to": to,
                "relation": row.relation,
                "note": row.note,
                "created_by": row.created_by,
            },
        }


def _baseline(bind: Any) -> None:
    from provenance.services.audit import GENESIS, canonical, event_hash, now_iso

    last = bind.execute(
        sa.select(EVENTS.c.seq, EVENTS.c.hash).order_by(EVENTS.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    chunk: list[dict[str, Any]] = []

    def append(changes: list[dict[str, Any]]) -> None:
        nonlocal seq, prev
        seq += 1
        at = now_iso()
        payload = canonical({"revision": revision, "changes": changes})
        fields = {
            "seq": seq,
            "at": at,
            "analyst": "provenance",
            "action": "db.baseline",
            "target": None,
            "payload": payload,
            "prev_hash": prev,
        }
        prev = event_hash(**fields)
        bind.execute(EVENTS.insert().values(**fields, hash=prev))

    for change in _records(bind):
        chunk.append(change)
        if len(chunk) >= CHUNK:
            append(chunk)
            chunk = []
    if chunk:
        append(chunk)


def downgrade() -> None:
    # The older schema cannot mark a withdrawn claim: keep the mark as a tag so that
    # nothing is lost, then drop the columns.
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO claim_tags (claim_id, tag) SELECT id, 'withdrawn' FROM claims "
            "WHERE withdrawn_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_tags t "
            "WHERE t.claim_id = claims.id AND t.tag = 'withdrawn')"
        )
    )
    if bind.dialect.name != "sqlite":
        op.drop_constraint(_FK, "claims", type_="foreignkey")
    for name, _type in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE claims DROP COLUMN {name}")
