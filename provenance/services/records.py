"""Rows to records: the JSON shapes of DESIGN.md §3, built a page at a time with a fixed
number of queries (never one query per claim)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from provenance.analysis.facts import Settings
from provenance.analysis.flags import facts
from provenance.models import (
    Attribution,
    Claim,
    ClaimTag,
    Document,
    Entity,
    Relay,
    Source,
)


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def iso_time(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def source_record(source: Source) -> dict[str, Any]:
    return {
        "key": source.key,
        "name": source.name,
        "kind": source.kind,
        "reliability": source.reliability,
        "affiliation": source.affiliation,
        "aliases": [a.alias for a in source.aliases],
        "protected": source.protected,
        "notes": source.notes,
        "trust": source.trust,
    }


def entity_record(entity: Entity) -> dict[str, Any]:
    return {
        "key": entity.key,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": [a.alias for a in entity.aliases],
    }


def document_record(document: Document) -> dict[str, Any]:
    return {
        "key": document.key,
        "title": document.title,
        "url": document.url,
        "publisher": document.publisher.key if document.publisher else None,
        "published": iso_date(document.published),
        "retrieved": iso_date(document.retrieved),
        "sha256": document.sha256,
        "language": document.language,
    }


def attributions_of(session: Session, claim_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    relay_source = aliased(Source)
    relays: dict[int, list[str]] = defaultdict(list)
    for attribution_id, key in session.execute(
        select(Relay.attribution_id, relay_source.key)
        .join(Attribution, Attribution.id == Relay.attribution_id)
        .join(relay_source, relay_source.id == Relay.source_id)
        .where(Attribution.claim_id.in_(claim_ids))
        .order_by(Relay.attribution_id, Relay.position)
    ):
        relays[attribution_id].append(key)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(
        select(Attribution, Source.key, Source.reliability, Document.key)
        .join(Source, Source.id == Attribution.source_id)
        .outerjoin(Document, Document.id == Attribution.document_id)
        .where(Attribution.claim_id.in_(claim_ids))
        .order_by(Attribution.claim_id, Attribution.id)
    ):
        attribution, source_key, reliability, document_key = row
        found[attribution.claim_id].append(
            {
                "source": source_key,
                "via": relays.get(attribution.id, []),
                "document": document_key,
                "stance": attribution.stance.value,
                "confidence": attribution.confidence,
                "quote": attribution.quote,
                "recorded_by": attribution.recorded_by,
                "recorded_at": iso_time(attribution.recorded_at),
                "_reliability": reliability,
            }
        )
    return found


def claim_records(
    session: Session,
    claim_ids: Sequence[int],
    settings: Settings | None = None,
    *,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Full claim records, in the order of ``claim_ids``. ``internal`` keeps the
    underscore fields tables use (source grades); JSON never shows them."""
    ids = list(claim_ids)
    if not ids:
        return []
    settings = settings or Settings()
    merged = aliased(Claim)
    rows = {
        claim.id: (claim, subject, merged_key)
        for claim, subject, merged_key in session.execute(
            select(Claim, Entity.key, merged.key)
            .outerjoin(Entity, Entity.id == Claim.subject_id)
            .outerjoin(merged, merged.id == Claim.merged_into_id)
            .where(Claim.id.in_(ids))
        )
    }
    tags: dict[int, list[str]] = defaultdict(list)
    for claim_id, tag in session.execute(
        select(ClaimTag.claim_id, ClaimTag.tag)
        .where(ClaimTag.claim_id.in_(ids))
        .order_by(ClaimTag.tag)
    ):
        tags[claim_id].append(tag)
    attributions = attributions_of(session, ids)
    computed = facts(session, ids, settings)
    records = []
    for claim_id in ids:
        claim, subject, merged_key = rows[claim_id]
        fact = computed[claim_id]
        record: dict[str, Any] = {
            "key": claim.key,
            "text": claim.text,
            "subject": subject,
            "property": claim.property,
            "value": claim.value,
            "unit": claim.unit,
            "period": {"start": iso_date(claim.period_start), "end": iso_date(claim.period_end)},
            "place": claim.place,
            "tags": tags.get(claim_id, []),
            "status": claim.status.value,
            "independent_sources": fact.independent_sources,
            "origins": fact.origins,
            "flags": fact.flags,
            "attributions": [
                {k: v for k, v in a.items() if internal or not k.startswith("_")}
                for a in attributions.get(claim_id, [])
            ],
            "plausibility": claim.plausibility,
            "created_at": iso_time(claim.created_at),
            "updated_at": iso_time(claim.updated_at),
        }
        if isinstance(claim.value, str) and any(ch.isdigit() for ch in claim.value):
            # A category with digits ("007") must not come back as a figure on import.
            record["value_kind"] = "category"
        if claim.withdrawn_at is not None:
            record["withdrawn"] = {
                "at": iso_time(claim.withdrawn_at),
                "by": claim.withdrawn_by,
                "note": claim.withdrawn_note,
                "merged_into": merged_key,
            }
        if internal:
            record["_conflicts_with"] = fact.conflicts_with
        records.append(record)
    return records
