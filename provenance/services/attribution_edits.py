"""Correcting attributions: remove one, or change its relays, document, stance,
confidence or quote. Each is one write with one audit event (see :mod:`corrections`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from provenance.clock import utcnow
from provenance.errors import ProvenanceError
from provenance.models import (
    Attribution,
    Claim,
)
from provenance.read.resolve import resolve_id
from provenance.services import audit
from provenance.services.corrections import live_claim, validated
from provenance.services.history import ChangeLog
from provenance.services.history import claims as claim_shapes

if TYPE_CHECKING:  # the write schemas load pydantic: writes that validate import them
    pass


def _describe_attribution(shape: dict[str, Any]) -> str:
    via = f" via {', '.join(shape['via'])}" if shape["via"] else ""
    doc = f" in {shape['document']}" if shape["document"] else ""
    return f"{shape['source']} {shape['stance']}{via}{doc}"


def _select_attribution(
    session: Session,
    claim: Claim,
    *,
    source: str,
    via: Sequence[str] | None,
    document: str | None,
    stance: str | None = None,
) -> Attribution:
    """The one attribution that origin (and relays, document, stance when given) names."""
    source_id = resolve_id(session, "source", source)
    via_ids = None if via is None else [resolve_id(session, "source", v) for v in via]
    document_id = None if document is None else resolve_id(session, "document", document)
    matches = [
        a
        for a in claim.attributions
        if a.source_id == source_id
        and (via_ids is None or [r.source_id for r in a.relays] == via_ids)
        and (document is None or a.document_id == document_id)
        and (stance is None or a.stance.value == stance)
    ]
    shapes = claim_shapes(session, [claim.key])[claim.key]["attributions"]
    described = [_describe_attribution(s) for a, s in zip(claim.attributions, shapes, strict=True)]
    if not matches:
        raise ProvenanceError(
            f"claim {claim.key!r} has no such attribution to {source!r}; it has: "
            + "; ".join(described)
        )
    if len(matches) > 1:
        which = [d for a, d in zip(claim.attributions, described, strict=True) if a in matches]
        raise ProvenanceError(
            f"claim {claim.key!r} has {len(matches)} attributions to {source!r}: "
            + "; ".join(which)
            + " (say which with --via, --doc or --stance)"
        )
    return matches[0]


def unattribute(
    session: Session,
    name: str,
    *,
    source: str,
    via: Sequence[str] | None,
    document: str | None,
    analyst: str,
    note: str | None = None,
    stance: str | None = None,
) -> dict[str, Any]:
    """Remove one attribution. A claim keeps at least one: withdraw it instead."""
    claim = live_claim(session, name)
    chosen = _select_attribution(
        session, claim, source=source, via=via, document=document, stance=stance
    )
    if len(claim.attributions) == 1:
        raise ProvenanceError(
            f"{source!r} is the only attribution of claim {claim.key!r}: "
            "withdraw the claim instead (`provenance claim withdraw`)"
        )
    log = ChangeLog(session)
    log.watch("claim", claim.key)
    claim.attributions.remove(chosen)
    claim.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.unattribute",
        target=claim.key,
        payload={"note": note.strip()} if note and note.strip() else {},
        changes=log.changes(),
    )
    return {"claim": claim.key, "removed": source}


def edit_attribution(
    session: Session,
    name: str,
    *,
    source: str,
    via: Sequence[str] | None,
    document: str | None,
    changes: dict[str, Any],
    analyst: str,
    stance: str | None = None,
) -> dict[str, Any]:
    """Change an attribution's confidence, stance, quote or document."""
    allowed = {"confidence", "stance", "quote", "document"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ProvenanceError(f"attribution edit: no field {', '.join(map(repr, unknown))}")
    if not changes:
        raise ProvenanceError(
            "nothing to change: give --confidence, --stance, --quote or --new-doc"
        )
    claim = live_claim(session, name)
    chosen = _select_attribution(
        session, claim, source=source, via=via, document=document, stance=stance
    )
    checked = validated(
        "AttributionIn",
        {"source": "placeholder", **{k: v for k, v in changes.items() if k != "document"}},
        f"claim {claim.key} attribution",
    )
    log = ChangeLog(session)
    log.watch("claim", claim.key)
    for field_name in ("confidence", "stance", "quote"):
        if field_name in changes:
            setattr(chosen, field_name, getattr(checked, field_name))
    if "document" in changes:
        chosen.document_id = (
            None
            if changes["document"] is None
            else resolve_id(session, "document", changes["document"])
        )
    session.flush()
    twins = [
        a
        for a in claim.attributions
        if a is not chosen
        and a.source_id == chosen.source_id
        and a.document_id == chosen.document_id
        and a.stance == chosen.stance
        and [r.source_id for r in a.relays] == [r.source_id for r in chosen.relays]
    ]
    if twins:
        raise ProvenanceError(
            f"claim {claim.key!r} already has that attribution; remove one with "
            "`provenance claim unattribute`"
        )
    claim.updated_at = utcnow()
    recorded = log.changes()
    if not recorded:
        raise ProvenanceError("nothing changed: the attribution already says that")
    audit.record(
        session,
        analyst=analyst,
        action="claim.attribution.edit",
        target=claim.key,
        payload={},
        changes=recorded,
    )
    return {"claim": claim.key, "source": source}
