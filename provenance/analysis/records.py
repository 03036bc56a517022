"""The records pages show, with what analysis computes for them: claims (flags, origins,
conflicts; the read layer builds the record, ``flags.facts`` fills in the facts) and
sources (counts, suspected partners, what raised and lowered their trust)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from provenance.analysis.copies import partners
from provenance.analysis.facts import Settings
from provenance.analysis.flags import facts
from provenance.read import records
from provenance.read.reader import Reader
from provenance.read.resolve import resolve_id
from provenance.read.tables import (
    attributions,
    claims,
    current,
    documents,
    relays,
    source_aliases,
)
from provenance.read.tables import sources as source_table
from provenance.vocab import Stance

#: Claims whose records are read together. The flags statement binds a chunk's ids six
#: times, beside about 120 other values, and SQLite binds at most 32,766 parameters in a
#: statement (PostgreSQL 65,535): a page of all claims, in one chunk, failed.
CHUNK = 2000


def claim_records(
    session: Reader,
    claim_ids: Sequence[int],
    settings: Settings | None = None,
    *,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Full claim records, in the order of ``claim_ids``. ``internal`` keeps the
    underscore fields tables use (source grades); JSON never shows them. A chunk of
    claims at a time: every page, ``--limit 0`` (all) included, stays within the
    database's bound parameters (see ``CHUNK``)."""
    ids = list(claim_ids)
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        computed = facts(session, chunk, settings or Settings(), partners=internal)
        found.extend(records.claim_records(session, chunk, computed, internal=internal))
    return found


def source_page(session: Reader, key: str, *, recent: int = 10) -> dict[str, Any]:
    """``source show``: a source, how many claims it originated and relayed, the sources
    of its affiliation, its suspected partners, its documents, what raised and lowered
    its trust (when scored) and its most recent claims."""
    source_id = resolve_id(session, "source", key)
    source = session.execute(select(source_table).where(source_table.c.id == source_id)).one()
    aliases = session.scalars(
        select(source_aliases.c.alias)
        .where(source_aliases.c.source_id == source_id)
        .order_by(source_aliases.c.id)
    ).all()
    record = records.source_record(source, list(aliases))
    # Withdrawn and merged claims count nowhere (a merged one's attributions are on the
    # claim it went into).
    live = claims.c.id == attributions.c.claim_id
    record["claims_as_origin"] = session.scalar(
        select(func.count(func.distinct(attributions.c.claim_id)))
        .join(claims, live)
        .where(attributions.c.source_id == source_id, current())
    )
    record["claims_relayed"] = session.scalar(
        select(func.count(func.distinct(attributions.c.claim_id)))
        .join(claims, live)
        .join(relays, relays.c.attribution_id == attributions.c.id)
        .where(relays.c.source_id == source_id, current())
    )
    record["same_affiliation"] = (
        list(
            session.scalars(
                select(source_table.c.key)
                .where(
                    source_table.c.affiliation == source.affiliation,
                    source_table.c.id != source_id,
                )
                .order_by(source_table.c.key)
            )
        )
        if source.affiliation
        else []
    )
    record["suspected_partners"] = partners(session, source_id)
    record["documents"] = list(
        session.scalars(
            select(documents.c.key)
            .where(documents.c.publisher_id == source_id)
            .order_by(documents.c.key)
        )
    )
    if source.trust is not None:
        record.update(trust_explained(session, source_id))
    record["recent_claims"] = [
        {"key": claim_key, "text": text}
        for claim_key, text in session.execute(
            select(claims.c.key, claims.c.text)
            .where(
                claims.c.id.in_(
                    select(attributions.c.claim_id).where(attributions.c.source_id == source_id)
                ),
                current(),
            )
            .order_by(claims.c.id.desc())
            .limit(recent)
        )
    ]
    return record


def trust_explained(session: Reader, source_id: int, limit: int = 5) -> dict[str, Any]:
    """The claims that raised and lowered a source's trust (by stored plausibility)."""
    base = (
        select(claims.c.key, claims.c.text, claims.c.plausibility)
        .join(attributions, attributions.c.claim_id == claims.c.id)
        .where(
            attributions.c.source_id == source_id,
            attributions.c.stance == Stance.ASSERTS,
            claims.c.plausibility.is_not(None),
        )
    )

    def listing(rows: Sequence[Any]) -> list[dict[str, Any]]:
        return [{"claim": k, "text": t, "plausibility": v} for k, t, v in rows]

    return {
        "raised_by": listing(
            session.execute(
                base.where(claims.c.plausibility >= 0.5)
                .order_by(claims.c.plausibility.desc(), claims.c.key)
                .limit(limit)
            ).all()
        ),
        "lowered_by": listing(
            session.execute(
                base.where(claims.c.plausibility < 0.5)
                .order_by(claims.c.plausibility, claims.c.key)
                .limit(limit)
            ).all()
        ),
    }
