"""Correcting the record: edit a claim, an attribution, a document or an entity; withdraw
a capture that should not exist; merge duplicates; set many verdicts at once.

Every function here is one write: it changes rows, then appends one audit event whose
``changes`` hold the field-level before and after of every record it touched (see
:mod:`provenance.services.history`). Nothing is deleted without its last state being in
an event, so every earlier state can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from provenance import vocab
from provenance.errors import NotFound, ProvenanceError
from provenance.models import (
    Attribution,
    Claim,
    ClaimTag,
    Document,
    Entity,
    EntityAlias,
    Link,
    Relay,
    Source,
    SourceAlias,
    utcnow,
)
from provenance.read.resolve import find_id, resolve_id
from provenance.schemas import AttributionIn, ClaimIn, DocumentIn, EntityIn, problems
from provenance.services import audit
from provenance.services.history import ChangeLog, link_key, links_of_claims
from provenance.services.history import claims as claim_shapes
from provenance.services.store import References, claim_values, save_document
from provenance.vocab import Status

CLAIM_FIELDS = frozenset(
    {"text", "subject", "property", "value", "unit", "from", "to", "place", "key"}
)


def _validated(model: Any, data: dict[str, Any], where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ProvenanceError("; ".join(problems(error, where))) from None
    except ValueError as error:
        raise ProvenanceError(f"{where}: {error}") from None


def live_claim(session: Session, name: str) -> Claim:
    """A claim that may be changed: withdrawn ones are refused, naming where a merged one
    went."""
    claim = session.get_one(Claim, resolve_id(session, "claim", name))
    if claim.withdrawn_at is not None:
        if claim.merged_into_id is not None:
            target = session.get_one(Claim, claim.merged_into_id).key
            raise ProvenanceError(
                f"claim {claim.key!r} was merged into {target!r}: change that one instead"
            )
        raise ProvenanceError(
            f"claim {claim.key!r} was withdrawn ({claim.withdrawn_note}); it cannot be changed"
        )
    return claim


def _note(note: str | None) -> str:
    if not note or not note.strip():
        raise ProvenanceError("say why with --note")
    return note.strip()


# ---- claims ------------------------------------------------------------------------------


def edit_claim(
    session: Session,
    name: str,
    changes: dict[str, Any],
    *,
    analyst: str,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    category: bool = False,
    new_entity: bool = False,
) -> dict[str, Any]:
    """Correct a claim's capture. ``changes`` maps the fields of :data:`CLAIM_FIELDS` to
    new values (None clears a field); the value goes through the figure parser."""
    unknown = sorted(set(changes) - CLAIM_FIELDS)
    if unknown:
        raise ProvenanceError(
            f"claim edit: no field {', '.join(map(repr, unknown))}; "
            f"fields: {', '.join(sorted(CLAIM_FIELDS))}"
        )
    if not changes and not add_tags and not remove_tags:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    claim = live_claim(session, name)
    old_key = claim.key
    log = ChangeLog(session)
    log.watch("claim", old_key)
    log.watch("link", *links_of_claims(session, [old_key]))
    shape = claim_shapes(session, [old_key])[old_key]
    period = dict(shape["period"])
    if "from" in changes:
        period["start"] = changes["from"]
    if "to" in changes:
        period["end"] = changes["to"]
    tags = sorted(
        (set(shape["tags"]) | {t.strip().lower() for t in add_tags})
        - {t.strip().lower() for t in remove_tags}
    )
    merged = {
        "text": changes.get("text", shape["text"]),
        "subject": changes.get("subject", shape["subject"]),
        "property": changes.get("property", shape["property"]),
        "value": changes.get("value", shape["value"]),
        "unit": changes.get("unit", shape["unit"]),
        "period": period if period["start"] or period["end"] else None,
        "place": changes.get("place", shape["place"]),
        "tags": tags,
        "status": shape["status"],
        "attributions": [{"source": "placeholder"}],
    }
    if category and isinstance(merged["value"], str):
        merged["value_kind"] = "category"
    if "value" in changes and "unit" not in changes and isinstance(changes["value"], str):
        merged["unit"] = None  # a unit the new figure names replaces the old one
        if not any(ch.isdigit() for ch in changes["value"]) or category:
            merged["unit"] = shape["unit"]
    data = _validated(ClaimIn, merged, f"claim edit {old_key}")
    if data.unit is None and "unit" not in changes and shape["unit"] and merged["unit"] is None:
        data = data.model_copy(update={"unit": shape["unit"]})
    refs = References(create_missing=False, new_entity=new_entity)
    values = claim_values(session, data, refs)
    values.pop("status")
    for column, value in values.items():
        setattr(claim, column, value)
    if sorted(t.tag for t in claim.tags) != data.tags:
        claim.tags = [ClaimTag(tag=t) for t in data.tags]
    new_key = changes.get("key")
    if new_key and new_key != old_key:
        try:
            vocab.check_key(new_key)
        except ValueError as error:
            raise ProvenanceError(f"--key: {error}") from None
        if find_id(session, "claim", new_key) is not None:
            raise ProvenanceError(f"claim {new_key!r} already exists")
        claim.key = new_key
        log.watch_new("claim", new_key)
    claim.updated_at = utcnow()
    session.flush()
    log.watch_new("link", *links_of_claims(session, [claim.key]))
    recorded = log.changes()
    if not recorded:
        raise ProvenanceError(f"nothing changed: claim {old_key!r} already says that")
    audit.record(
        session,
        analyst=analyst,
        action="claim.edit",
        target=claim.key,
        payload={} if claim.key == old_key else {"renamed_from": old_key},
        changes=recorded,
    )
    return {
        "claim": claim.key,
        "changed": [f for f in _changed_fields(recorded) if f != "updated_at"],
    }


def _changed_fields(changes: list[dict[str, Any]]) -> list[str]:
    fields: list[str] = []
    for change in changes:
        if change["kind"] == "claim" and change["before"] and change["after"]:
            fields.extend(f for f in change["after"] if f not in fields)
    return fields


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
) -> dict[str, Any]:
    """Remove one attribution. A claim keeps at least one: withdraw it instead."""
    claim = live_claim(session, name)
    chosen = _select_attribution(session, claim, source=source, via=via, document=document)
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
    chosen = _select_attribution(session, claim, source=source, via=via, document=document)
    checked = _validated(
        AttributionIn,
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


def withdraw(
    session: Session,
    name: str,
    *,
    note: str | None,
    analyst: str,
    merged_into: Claim | None = None,
    action: str = "claim.withdraw",
) -> dict[str, Any]:
    """Withdraw a capture that should not exist: kept in history, left out of the rest."""
    why = _note(note)
    claim = live_claim(session, name)
    log = ChangeLog(session)
    log.watch("claim", claim.key)
    claim.withdrawn_at = utcnow()
    claim.withdrawn_by = analyst
    claim.withdrawn_note = why
    claim.merged_into_id = merged_into.id if merged_into is not None else None
    claim.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action=action,
        target=claim.key,
        payload={"note": why},
        changes=log.changes(),
    )
    return {"claim": claim.key, "withdrawn": True}


def _same_attribution(a: Attribution, b: Attribution) -> bool:
    return (
        a.source_id == b.source_id
        and a.document_id == b.document_id
        and a.stance == b.stance
        and [r.source_id for r in a.relays] == [r.source_id for r in b.relays]
    )


def merge_claims(
    session: Session, keep_name: str, duplicate_name: str, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """Fold DUPLICATE into KEEP: its attributions, links and tags move (none twice), it is
    withdrawn, and its key keeps resolving to a record that says where it went."""
    why = _note(note)
    keep = live_claim(session, keep_name)
    duplicate = live_claim(session, duplicate_name)
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge claim {keep.key!r} into itself")
    log = ChangeLog(session)
    log.watch("claim", keep.key, duplicate.key)
    log.watch("link", *links_of_claims(session, [keep.key, duplicate.key]))
    # The duplicate keeps its own attributions (its record stays whole in history); KEEP
    # gains a copy of each one it lacks.
    moved = 0
    for attribution in list(duplicate.attributions):
        twin = next((a for a in keep.attributions if _same_attribution(a, attribution)), None)
        if twin is not None:
            if twin.confidence is None:
                twin.confidence = attribution.confidence
            twin.quote = twin.quote or attribution.quote
            continue
        keep.attributions.append(
            Attribution(
                source_id=attribution.source_id,
                document_id=attribution.document_id,
                stance=attribution.stance,
                confidence=attribution.confidence,
                quote=attribution.quote,
                recorded_by=attribution.recorded_by,
                recorded_at=attribution.recorded_at,
                relays=[
                    Relay(position=r.position, source_id=r.source_id) for r in attribution.relays
                ],
            )
        )
        moved += 1
    tags = {t.tag for t in keep.tags} | {t.tag for t in duplicate.tags}
    if tags != {t.tag for t in keep.tags}:
        keep.tags = [ClaimTag(tag=t) for t in sorted(tags)]
    session.flush()
    _move_links(session, duplicate.id, keep.id)
    keep.updated_at = utcnow()
    duplicate.withdrawn_at = utcnow()
    duplicate.withdrawn_by = analyst
    duplicate.withdrawn_note = why
    duplicate.merged_into_id = keep.id
    duplicate.updated_at = utcnow()
    session.flush()
    log.watch_new("link", *links_of_claims(session, [keep.key]))
    audit.record(
        session,
        analyst=analyst,
        action="claim.merge",
        target=keep.key,
        payload={"note": why, "merged": duplicate.key, "into": keep.key},
        changes=log.changes(),
    )
    return {"kept": keep.key, "merged": duplicate.key, "attributions_moved": moved}


def _move_links(session: Session, old_id: int, new_id: int) -> None:
    """Links of ``old_id`` move to ``new_id``; one that would repeat a link or link the
    claim to itself is dropped (its last state is in the event)."""
    for link in list(
        session.scalars(
            select(Link).where(or_(Link.from_claim_id == old_id, Link.to_claim_id == old_id))
        )
    ):
        ends = [
            new_id if link.from_claim_id == old_id else link.from_claim_id,
            new_id if link.to_claim_id == old_id else link.to_claim_id,
        ]
        exists = session.scalar(
            select(Link.id).where(
                Link.from_claim_id == ends[0],
                Link.to_claim_id == ends[1],
                Link.relation == link.relation,
                Link.id != link.id,
            )
        )
        if ends[0] == ends[1] or exists is not None:
            session.delete(link)
        else:
            link.from_claim_id, link.to_claim_id = ends
    session.flush()


def set_statuses(
    session: Session, names: Sequence[str], status: Status, *, note: str | None, analyst: str
) -> list[dict[str, Any]]:
    """One verdict for many claims: one transaction, one event per claim. Every name is
    checked before anything changes."""
    if not note or not note.strip():
        raise ProvenanceError("a verdict needs a note: say why with --note")
    why = note.strip()
    if not names:
        raise ProvenanceError("no claims given: name them, or use --keys-from FILE")
    claims = [live_claim(session, n) for n in names]
    seen: set[int] = set()
    results = []
    for claim in claims:
        if claim.id in seen:
            continue
        seen.add(claim.id)
        log = ChangeLog(session)
        log.watch("claim", claim.key)
        before = claim.status
        claim.status = status
        claim.updated_at = utcnow()
        audit.record(
            session,
            analyst=analyst,
            action="claim.status",
            target=claim.key,
            payload={"note": why},
            changes=log.changes(),
        )
        results.append({"claim": claim.key, "from": before.value, "to": status.value})
    return results


# ---- documents and entities --------------------------------------------------------------

DOCUMENT_FIELDS = frozenset(
    {"title", "url", "publisher", "published", "retrieved", "sha256", "language"}
)
ENTITY_FIELDS = frozenset({"name", "kind"})


def edit_document(
    session: Session, key: str, changes: dict[str, Any], *, analyst: str
) -> dict[str, Any]:
    unknown = sorted(set(changes) - DOCUMENT_FIELDS)
    if unknown:
        raise ProvenanceError(
            f"doc edit: no field {', '.join(map(repr, unknown))}; "
            f"fields: {', '.join(sorted(DOCUMENT_FIELDS))}"
        )
    if not changes:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    document = session.get_one(Document, resolve_id(session, "document", key))
    if "publisher" in changes and changes["publisher"] is not None:
        changes = {**changes, "publisher": _key_of(session, "source", changes["publisher"])}
    data = _validated(DocumentIn, {"key": document.key, **changes}, f"doc edit {document.key}")
    log = ChangeLog(session)
    log.watch("document", document.key)
    save_document(session, data, refs=References(create_missing=False), mode="upsert")
    recorded = log.changes()
    if not recorded:
        raise ProvenanceError(f"nothing changed: document {document.key!r} already says that")
    audit.record(
        session,
        analyst=analyst,
        action="document.edit",
        target=document.key,
        payload={},
        changes=recorded,
    )
    return {"document": document.key, "changed": sorted(recorded[0]["after"])}


def _key_of(session: Session, kind: str, name: str) -> str:
    model: Any = {"source": Source, "entity": Entity, "claim": Claim, "document": Document}[kind]
    return str(session.get_one(model, resolve_id(session, kind, name)).key)


def edit_entity(
    session: Session,
    key: str,
    changes: dict[str, Any],
    *,
    analyst: str,
    add_aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
) -> dict[str, Any]:
    unknown = sorted(set(changes) - ENTITY_FIELDS)
    if unknown:
        raise ProvenanceError(
            f"entity edit: no field {', '.join(map(repr, unknown))}; fields: name, kind"
        )
    if not changes and not add_aliases and not remove_aliases:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    entity = session.get_one(Entity, resolve_id(session, "entity", key))
    current = [a.alias for a in entity.aliases]
    folded_removed = {vocab.fold(a) for a in remove_aliases}
    missing = [a for a in remove_aliases if vocab.fold(a) not in {vocab.fold(c) for c in current}]
    if missing:
        raise ProvenanceError(
            f"entity {entity.key!r} has no alias {missing[0]!r}; its aliases: "
            + (", ".join(current) or "none")
        )
    aliases = [a for a in current if vocab.fold(a) not in folded_removed] + [
        a for a in add_aliases if vocab.fold(a) not in {vocab.fold(c) for c in current}
    ]
    data = _validated(
        EntityIn,
        {"key": entity.key, **changes, "aliases": aliases},
        f"entity edit {entity.key}",
    )
    from provenance.services.store import save_entity

    log = ChangeLog(session)
    log.watch("entity", entity.key)
    save_entity(session, data, mode="upsert")
    recorded = log.changes()
    if not recorded:
        raise ProvenanceError(f"nothing changed: entity {entity.key!r} already says that")
    audit.record(
        session,
        analyst=analyst,
        action="entity.edit",
        target=entity.key,
        payload={},
        changes=recorded,
    )
    return {"entity": entity.key, "changed": sorted(recorded[0]["after"])}


# ---- merging parties and entities ----------------------------------------------------------


def _claim_keys_where(session: Session, *conditions: Any) -> list[str]:
    return list(session.scalars(select(Claim.key).where(*conditions)))


def merge_sources(
    session: Session, keep_name: str, duplicate_name: str, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """One party recorded twice: every reference (origin, relay, publisher) moves to KEEP,
    DUPLICATE's key and aliases become KEEP's aliases, and DUPLICATE is gone (its last
    state is in the event)."""
    why = _note(note)
    keep = session.get_one(Source, resolve_id(session, "source", keep_name))
    duplicate = session.get_one(Source, resolve_id(session, "source", duplicate_name))
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge source {keep.key!r} into itself")
    touched = _claim_keys_where(
        session,
        or_(
            Claim.id.in_(select(Attribution.claim_id).where(Attribution.source_id == duplicate.id)),
            Claim.id.in_(
                select(Attribution.claim_id)
                .join(Relay, Relay.attribution_id == Attribution.id)
                .where(Relay.source_id == duplicate.id)
            ),
        ),
    )
    documents = list(
        session.scalars(select(Document.key).where(Document.publisher_id == duplicate.id))
    )
    log = ChangeLog(session)
    log.watch("source", keep.key, duplicate.key)
    log.watch("claim", *touched)
    log.watch("document", *documents)
    session.execute(
        update(Attribution).where(Attribution.source_id == duplicate.id).values(source_id=keep.id)
    )
    session.execute(update(Relay).where(Relay.source_id == duplicate.id).values(source_id=keep.id))
    session.execute(
        update(Document).where(Document.publisher_id == duplicate.id).values(publisher_id=keep.id)
    )
    session.expire_all()
    _tidy_attributions(session, touched)
    aliases = [a.alias for a in keep.aliases]
    folded = {vocab.fold(a) for a in aliases} | {vocab.fold(keep.key)}
    incoming = [duplicate.key, duplicate.name, *(a.alias for a in duplicate.aliases)]
    session.execute(delete(SourceAlias).where(SourceAlias.source_id == duplicate.id))
    session.delete(duplicate)
    session.flush()
    for alias in incoming:
        if alias and vocab.fold(alias) not in folded:
            keep.aliases.append(SourceAlias(alias=alias, folded=vocab.fold(alias)))
            folded.add(vocab.fold(alias))
    if keep.affiliation is None and duplicate.affiliation is not None:
        keep.affiliation = duplicate.affiliation
    keep.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        analyst=analyst,
        action="source.merge",
        target=keep.key,
        payload={"note": why, "merged": duplicate.key, "into": keep.key},
        changes=log.changes(),
    )
    return {"kept": keep.key, "merged": duplicate.key, "claims": len(touched)}


def _tidy_attributions(session: Session, claim_keys: Sequence[str]) -> None:
    """After a source merge: a relay that is now the origin itself, or the same relay
    twice in a row, goes; two attributions that became the same become one."""
    for claim in session.scalars(select(Claim).where(Claim.key.in_(list(claim_keys)))):
        for attribution in list(claim.attributions):
            chain: list[int] = []
            for relay in attribution.relays:
                if relay.source_id != attribution.source_id and relay.source_id not in chain:
                    chain.append(relay.source_id)
            if chain != [r.source_id for r in attribution.relays]:
                attribution.relays.clear()
                session.flush()
                attribution.relays.extend(
                    Relay(position=i, source_id=s) for i, s in enumerate(chain)
                )
        kept: list[Attribution] = []
        for attribution in list(claim.attributions):
            twin = next((k for k in kept if _same_attribution(k, attribution)), None)
            if twin is None:
                kept.append(attribution)
                continue
            twin.quote = twin.quote or attribution.quote
            if twin.confidence is None:
                twin.confidence = attribution.confidence
            claim.attributions.remove(attribution)
        claim.updated_at = utcnow()
    session.flush()


def merge_entities(
    session: Session, keep_name: str, duplicate_name: str, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """One place or party recorded twice as subjects: claims move to KEEP; DUPLICATE's key
    and aliases become KEEP's aliases."""
    why = _note(note)
    keep = session.get_one(Entity, resolve_id(session, "entity", keep_name))
    duplicate = session.get_one(Entity, resolve_id(session, "entity", duplicate_name))
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge entity {keep.key!r} into itself")
    touched = _claim_keys_where(session, Claim.subject_id == duplicate.id)
    log = ChangeLog(session)
    log.watch("entity", keep.key, duplicate.key)
    log.watch("claim", *touched)
    session.execute(
        update(Claim)
        .where(Claim.subject_id == duplicate.id)
        .values(subject_id=keep.id, updated_at=utcnow())
    )
    folded = {vocab.fold(a.alias) for a in keep.aliases} | {vocab.fold(keep.key)}
    incoming = [duplicate.key, duplicate.name, *(a.alias for a in duplicate.aliases)]
    session.execute(delete(EntityAlias).where(EntityAlias.entity_id == duplicate.id))
    session.delete(duplicate)
    session.flush()
    session.expire_all()
    for alias in incoming:
        if alias and vocab.fold(alias) not in folded:
            keep.aliases.append(EntityAlias(alias=alias, folded=vocab.fold(alias)))
            folded.add(vocab.fold(alias))
    session.flush()
    audit.record(
        session,
        analyst=analyst,
        action="entity.merge",
        target=keep.key,
        payload={"note": why, "merged": duplicate.key, "into": keep.key},
        changes=log.changes(),
    )
    return {"kept": keep.key, "merged": duplicate.key, "claims": len(touched)}


def duplicate_of(session: Session, data: ClaimIn, source_id: int) -> str | None:
    """An existing live claim from the same origin with the same text, or the same claim
    key and value (``claim add`` refuses it unless told otherwise)."""
    text = " ".join(data.text.split()).lower()
    from_origin = select(Attribution.claim_id).where(Attribution.source_id == source_id)
    same_text = session.scalar(
        select(Claim.key)
        .where(Claim.withdrawn_at.is_(None), Claim.id.in_(from_origin))
        .where(
            Claim.text.ilike(
                text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"), escape="\\"
            )
        )
        .limit(1)
    )
    if same_text is not None:
        return str(same_text)
    value = data.parsed_value()
    if value is None or not data.subject or not data.property:
        return None
    subject_id = find_id(session, "entity", data.subject) or find_id(
        session, "entity", vocab.slugify(data.subject)
    )
    if subject_id is None:
        return None
    period = data.period
    query = select(Claim.key).where(
        Claim.withdrawn_at.is_(None),
        Claim.id.in_(from_origin),
        Claim.subject_id == subject_id,
        Claim.property == data.property,
        Claim.value_lo.is_(None) if value.lo is None else Claim.value_lo == value.lo,
        Claim.value_hi.is_(None) if value.hi is None else Claim.value_hi == value.hi,
        Claim.value_text.is_(None) if value.text is None else Claim.value_text == value.text,
        Claim.period_start.is_(None)
        if not period or not period.start
        else Claim.period_start == period.start,
        Claim.period_end.is_(None)
        if not period or not period.end
        else Claim.period_end == period.end,
    )
    place = (data.place or "").lower()
    for key, stored_place in session.execute(query.add_columns(Claim.place)):
        if (stored_place or "").lower() == place:
            return str(key)
    return None


__all__ = [
    "NotFound",
    "duplicate_of",
    "edit_attribution",
    "edit_claim",
    "edit_document",
    "edit_entity",
    "link_key",
    "merge_claims",
    "merge_entities",
    "merge_sources",
    "set_statuses",
    "unattribute",
    "withdraw",
]
