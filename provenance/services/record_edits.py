"""Correcting documents and entities, and merging duplicate sources or entities. Each is
one write with one audit event carrying the field-level changes (see :mod:`corrections`)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from provenance import vocab
from provenance.clock import utcnow
from provenance.errors import MalformedOption, ProvenanceError
from provenance.models import (
    Attribution,
    Claim,
    Document,
    Entity,
    EntityAlias,
    Relay,
    Source,
    SourceAlias,
)
from provenance.read.resolve import resolve_id
from provenance.services import audit
from provenance.services.corrections import require_note, same_attribution, validated
from provenance.services.history import ChangeLog, chunks
from provenance.services.references import References
from provenance.services.store import save_document

DOCUMENT_FIELDS = frozenset(
    {"title", "url", "publisher", "published", "retrieved", "sha256", "language"}
)


ENTITY_FIELDS = frozenset({"name", "kind"})


def edit_document(
    session: Session, key: str, changes: dict[str, Any], *, analyst: str
) -> dict[str, Any]:
    unknown = sorted(set(changes) - DOCUMENT_FIELDS)
    if unknown:
        raise MalformedOption(
            f"doc edit: no field {', '.join(map(repr, unknown))}; "
            f"fields: {', '.join(sorted(DOCUMENT_FIELDS))}"
        )
    if not changes:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    document = session.get_one(Document, resolve_id(session, "document", key))
    if "publisher" in changes and changes["publisher"] is not None:
        changes = {**changes, "publisher": _key_of(session, "source", changes["publisher"])}
    data = validated("DocumentIn", {"key": document.key, **changes}, f"doc edit {document.key}")
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


def edited_aliases(
    owner: str, current: Sequence[str], add: Sequence[str], remove: Sequence[str]
) -> list[str]:
    """The aliases after ``--alias`` (add) and ``--unalias`` (remove), compared as names
    are (case, accents); removing one the record does not have is an error."""
    folded_current = {vocab.fold_name(c) for c in current}
    missing = [a for a in remove if vocab.fold_name(a) not in folded_current]
    if missing:
        raise ProvenanceError(
            f"{owner} has no alias {missing[0]!r}; its aliases: " + (", ".join(current) or "none")
        )
    folded_removed = {vocab.fold_name(a) for a in remove}
    kept = [a for a in current if vocab.fold_name(a) not in folded_removed]
    added: list[str] = []
    for alias in add:
        if vocab.fold_name(alias) not in folded_current | {vocab.fold_name(a) for a in added}:
            added.append(alias)
    return kept + added


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
        raise MalformedOption(
            f"entity edit: no field {', '.join(map(repr, unknown))}; fields: name, kind"
        )
    if not changes and not add_aliases and not remove_aliases:
        raise ProvenanceError("nothing to change: give at least one option (see --help)")
    entity = session.get_one(Entity, resolve_id(session, "entity", key))
    current = [a.alias for a in entity.aliases]
    aliases = edited_aliases(f"entity {entity.key!r}", current, add_aliases, remove_aliases)
    data = validated(
        "EntityIn",
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


def _moving(session: Session, condition: Any) -> array[int]:
    """The ids of the claims a merge moves, in order (eight bytes each: a merge of a
    million claims holds their ids, never their records)."""
    return array("q", session.scalars(select(Claim.id).where(condition).order_by(Claim.id)))


def _move_claims(
    session: Session,
    parts: audit.Parts,
    claim_ids: array[int],
    move: Callable[[list[int]], None],
    *,
    target: str,
    tidy: bool = False,
) -> list[str]:
    """Move the claims a batch at a time: take their shapes, ``move`` them (and ``tidy``
    their attributions), and hand what changed to ``parts`` (its ``.records`` events), so
    that what the merge holds stays flat. Returns the claims whose folded attributions
    differed (see :func:`_tidy_batch`)."""
    differing: list[str] = []
    moved = ChangeLog(session)
    for batch in chunks(claim_ids, audit.CHANGES_PER_EVENT):
        keys = list(session.scalars(select(Claim.key).where(Claim.id.in_(batch))))
        moved.watch("claim", *keys)
        move(batch)
        session.expire_all()
        if tidy:
            differing += _tidy_batch(session, keys)
        parts.add(moved.changes(), target=None, payload={"merging": target})
    return differing


def _refuse_too_many_aliases(kind: str, keep: Any, duplicate: Any) -> None:
    """A merge whose aliases would pass the cap one record may have: refused before
    anything moves (the merged record could not be exported and imported again)."""
    from provenance.schemas import ALIASES_MAX

    names = [keep.key, *(a.alias for a in keep.aliases)]
    names += [duplicate.key, duplicate.name or "", *(a.alias for a in duplicate.aliases)]
    folded = {vocab.fold_name(n) for n in names if n} - {vocab.fold_name(keep.key)}
    if len(folded) > ALIASES_MAX:
        raise ProvenanceError(
            f"merging {kind} {duplicate.key!r} into {keep.key!r} would give it "
            f"{len(folded):,} aliases, more than the {ALIASES_MAX:,} one {kind} may have; "
            f"remove some first ({kind} edit --unalias)"
        )


def merge_sources(
    session: Session, keep_name: str, duplicate_name: str, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """One party recorded twice: every reference (origin, relay, publisher) moves to KEEP,
    DUPLICATE's key and aliases become KEEP's aliases, and DUPLICATE is gone (its last
    state is in the event)."""
    why = require_note(note)
    keep = session.get_one(Source, resolve_id(session, "source", keep_name))
    duplicate = session.get_one(Source, resolve_id(session, "source", duplicate_name))
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge source {keep.key!r} into itself")
    _refuse_too_many_aliases("source", keep, duplicate)
    if duplicate.protected and not keep.protected:
        raise ProvenanceError(
            f"source {duplicate.key!r} is protected and {keep.key!r} is not: its key, name "
            f"and aliases would become aliases of a source every export names; protect "
            f"{keep.key!r} first (source edit {keep.key} --protected), or merge the other way"
        )
    moving = _moving(
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
    log.watch("document", *documents)
    keep_id, duplicate_id = keep.id, duplicate.id

    def move(claim_ids: list[int]) -> None:
        session.execute(
            update(Relay)
            .where(
                Relay.source_id == duplicate_id,
                Relay.attribution_id.in_(
                    select(Attribution.id).where(Attribution.claim_id.in_(claim_ids))
                ),
            )
            .values(source_id=keep_id)
        )
        session.execute(
            update(Attribution)
            .where(Attribution.source_id == duplicate_id, Attribution.claim_id.in_(claim_ids))
            .values(source_id=keep_id)
        )

    parts = audit.Parts(session, analyst=analyst, action="source.merge")
    folded_differing = _move_claims(
        session, parts, moving, move, target=f"{duplicate.key} into {keep.key}", tidy=True
    )
    session.execute(
        update(Document).where(Document.publisher_id == duplicate_id).values(publisher_id=keep_id)
    )
    session.expire_all()
    aliases = [a.alias for a in keep.aliases]
    folded = {vocab.fold_name(a) for a in aliases} | {vocab.fold_name(keep.key)}
    incoming = [duplicate.key, duplicate.name, *(a.alias for a in duplicate.aliases)]
    session.delete(duplicate)  # its aliases go with it (the relationship's delete cascade)
    session.flush()
    for alias in incoming:
        if alias and vocab.fold_name(alias) not in folded:
            keep.aliases.append(SourceAlias(alias=alias, folded=vocab.fold_name(alias)))
            folded.add(vocab.fold_name(alias))
    took_affiliation = keep.affiliation is None and duplicate.affiliation is not None
    if took_affiliation:
        keep.affiliation = duplicate.affiliation
    keep.updated_at = utcnow()
    session.flush()
    parts.finish(
        target=keep.key,
        payload={"note": why, "merged": duplicate.key, "into": keep.key},
        first=log.changes(),
    )
    return {
        "kept": keep.key,
        "merged": duplicate.key,
        "claims": len(moving),
        "folded_differing": folded_differing,
        "affiliation": keep.affiliation if took_affiliation else None,
    }


def _tidy_batch(session: Session, claim_keys: Sequence[str]) -> list[str]:
    differing: list[str] = []
    query = (
        select(Claim)
        .where(Claim.key.in_(list(claim_keys)))
        .options(selectinload(Claim.attributions).selectinload(Attribution.relays))
    )
    for claim in session.scalars(query):
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
            twin = next((k for k in kept if same_attribution(k, attribution)), None)
            if twin is None:
                kept.append(attribution)
                continue
            if any(
                None not in (mine, theirs) and mine != theirs
                for mine, theirs in (
                    (twin.quote, attribution.quote),
                    (twin.confidence, attribution.confidence),
                )
            ):
                differing.append(claim.key)
            twin.quote = twin.quote or attribution.quote
            if twin.confidence is None:
                twin.confidence = attribution.confidence
            claim.attributions.remove(attribution)
        claim.updated_at = utcnow()
    session.flush()
    return differing


def merge_entities(
    session: Session, keep_name: str, duplicate_name: str, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """One place or party recorded twice as subjects: claims move to KEEP; DUPLICATE's key
    and aliases become KEEP's aliases."""
    why = require_note(note)
    keep = session.get_one(Entity, resolve_id(session, "entity", keep_name))
    duplicate = session.get_one(Entity, resolve_id(session, "entity", duplicate_name))
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge entity {keep.key!r} into itself")
    _refuse_too_many_aliases("entity", keep, duplicate)
    moving = _moving(session, Claim.subject_id == duplicate.id)
    log = ChangeLog(session)
    log.watch("entity", keep.key, duplicate.key)
    keep_id, duplicate_id = keep.id, duplicate.id

    def move(claim_ids: list[int]) -> None:
        session.execute(
            update(Claim)
            .where(Claim.subject_id == duplicate_id, Claim.id.in_(claim_ids))
            .values(subject_id=keep_id, updated_at=utcnow())
        )

    parts = audit.Parts(session, analyst=analyst, action="entity.merge")
    _move_claims(session, parts, moving, move, target=f"{duplicate.key} into {keep.key}")
    folded = {vocab.fold_name(a.alias) for a in keep.aliases} | {vocab.fold_name(keep.key)}
    incoming = [duplicate.key, duplicate.name, *(a.alias for a in duplicate.aliases)]
    session.delete(duplicate)  # its aliases go with it (the relationship's delete cascade)
    session.flush()
    session.expire_all()
    for alias in incoming:
        if alias and vocab.fold_name(alias) not in folded:
            keep.aliases.append(EntityAlias(alias=alias, folded=vocab.fold_name(alias)))
            folded.add(vocab.fold_name(alias))
    session.flush()
    parts.finish(
        target=keep.key,
        payload={"note": why, "merged": duplicate.key, "into": keep.key},
        first=log.changes(),
    )
    return {"kept": keep.key, "merged": duplicate.key, "claims": len(moving)}
