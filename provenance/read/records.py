"""Rows to records: the JSON shapes of DESIGN.md §3, built a page at a time with a fixed
number of queries (never one query per claim), on Core tables.

A claim record carries computed facts (flags, origins, conflicts); analysis computes them
(``analysis.records.claim_records`` puts the two together), this module only places them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from provenance.figures import needs_category_mark
from provenance.read.reader import Reader
from provenance.read.tables import (
    attributions,
    claim_tags,
    claims,
    documents,
    entities,
    relays,
    sources,
)

#: A claim record's fields, in order (``value_kind`` and ``withdrawn`` only where they
#: apply): the columns of a CSV listing of claims.
CLAIM_FIELDS = (
    "key", "text", "subject", "property", "value", "unit", "period", "place", "tags",
    "status", "independent_sources", "origins", "flags", "attributions", "plausibility",
    "created_at", "updated_at", "value_kind", "withdrawn",
)  # fmt: skip


@dataclass(frozen=True)
class ClaimFacts:
    """What analysis computes for one claim record."""

    independent_sources: int
    origins: list[str]
    flags: list[str]
    conflicts_with: list[str]
    #: Those of ``conflicts_with`` whose value differs (not a nested period's count).
    value_conflicts: list[str]


@lru_cache(maxsize=1024)
def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@lru_cache(maxsize=1024)
def iso_time(value: dt.datetime | None) -> str | None:
    """A stored time as records show it (cached: a batch's rows share a few times)."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def source_record(source: Any, aliases: list[str] | None = None) -> dict[str, Any]:
    """A source (an ORM object, or a Core row with its ``aliases`` given in id order)."""
    return {
        "key": source.key,
        "name": source.name,
        "kind": source.kind,
        "reliability": source.reliability,
        "affiliation": source.affiliation,
        "aliases": [a.alias for a in source.aliases] if aliases is None else aliases,
        "protected": source.protected,
        "notes": source.notes,
        "trust": source.trust,
    }


def entity_record(entity: Any) -> dict[str, Any]:
    return {
        "key": entity.key,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": [a.alias for a in entity.aliases],
    }


def document_record(document: Any) -> dict[str, Any]:
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


def attributions_of(session: Reader, claim_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    a, r, d = attributions.c, relays.c, documents.c
    relay_source = sources.alias("relay_source")
    relay_keys: dict[int, list[str]] = defaultdict(list)
    for attribution_id, key in session.execute(
        select(r.attribution_id, relay_source.c.key)
        .join(attributions, a.id == r.attribution_id)
        .join(relay_source, relay_source.c.id == r.source_id)
        .where(a.claim_id.in_(claim_ids))
        .order_by(r.attribution_id, r.position)
    ):
        relay_keys[attribution_id].append(key)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(
        select(
            a.id,
            a.claim_id,
            a.stance,
            a.confidence,
            a.quote,
            a.recorded_by,
            a.recorded_at,
            sources.c.key.label("source_key"),
            sources.c.reliability,
            d.key.label("document_key"),
        )
        .join(sources, sources.c.id == a.source_id)
        .outerjoin(documents, d.id == a.document_id)
        .where(a.claim_id.in_(claim_ids))
        .order_by(a.claim_id, a.id)
    ):
        found[row.claim_id].append(
            {
                "source": row.source_key,
                "via": relay_keys.get(row.id, []),
                "document": row.document_key,
                "stance": row.stance.value,
                "confidence": row.confidence,
                "quote": row.quote,
                "recorded_by": row.recorded_by,
                "recorded_at": iso_time(row.recorded_at),
                "_reliability": row.reliability,
            }
        )
    return found


def claim_records(
    session: Reader,
    claim_ids: Sequence[int],
    computed: Mapping[int, ClaimFacts],
    *,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Full claim records, in the order of ``claim_ids``, with the facts analysis computed
    for them. ``internal`` keeps the underscore fields tables use (source grades); JSON
    never shows them."""
    ids = list(claim_ids)
    if not ids:
        return []
    c = claims.c
    merged = claims.alias("merged")
    rows = {
        row.id: row
        for row in session.execute(
            select(
                claims,
                entities.c.key.label("subject_key"),
                merged.c.key.label("merged_key"),
            )
            .outerjoin(entities, entities.c.id == c.subject_id)
            .outerjoin(merged, merged.c.id == c.merged_into_id)
            .where(c.id.in_(ids))
        )
    }
    tags: dict[int, list[str]] = defaultdict(list)
    for claim_id, tag in session.execute(
        select(claim_tags.c.claim_id, claim_tags.c.tag)
        .where(claim_tags.c.claim_id.in_(ids))
        .order_by(claim_tags.c.tag)
    ):
        tags[claim_id].append(tag)
    attributions_by_claim = attributions_of(session, ids)
    records = []
    for claim_id in ids:
        claim = rows[claim_id]
        fact = computed[claim_id]
        record: dict[str, Any] = {
            "key": claim.key,
            "text": claim.text,
            "subject": claim.subject_key,
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
                for a in attributions_by_claim.get(claim_id, [])
            ],
            "plausibility": claim.plausibility,
            "created_at": iso_time(claim.created_at),
            "updated_at": iso_time(claim.updated_at),
        }
        if isinstance(claim.value, str) and needs_category_mark(claim.value):
            # A category such as "007" or "<" must not come back as a figure on import.
            record["value_kind"] = "category"
        if claim.withdrawn_at is not None:
            record["withdrawn"] = {
                "at": iso_time(claim.withdrawn_at),
                "by": claim.withdrawn_by,
                "note": claim.withdrawn_note,
                "merged_into": claim.merged_key,
            }
        if internal:
            record["_conflicts_with"] = fact.conflicts_with
            record["_value_conflicts"] = fact.value_conflicts
        records.append(record)
    return records
