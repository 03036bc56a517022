"""Correcting the record: edit a claim, withdraw a capture that should not exist, merge
duplicate claims, set many verdicts at once (attributions: :mod:`attribution_edits`;
documents, entities and merges of parties: :mod:`record_edits`).

Every function here is one write: it changes rows, then appends one audit event whose
``changes`` hold the field-level before and after of every record it touched (see
:mod:`provenance.services.history`). Nothing is deleted without its last state being in
an event, so every earlier state can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from provenance import vocab
from provenance.clock import utcnow
from provenance.errors import MalformedOption, ProvenanceError
from provenance.models import (
    Attribution,
    Claim,
    ClaimTag,
    Link,
    Relay,
)
from provenance.read.resolve import find_id, resolve_id
from provenance.services import audit
from provenance.services.history import ChangeLog, links_of_claims
from provenance.services.history import claims as claim_shapes
from provenance.services.references import References, claim_values
from provenance.services.verdicts import live_claim_row

CLAIM_FIELDS = frozenset(
    {"text", "subject", "property", "value", "unit", "from", "to", "place", "key"}
)


def validated(model: str, data: dict[str, Any], where: str) -> Any:
    """``data`` through the write schema named ``model`` (``ClaimIn``, ``EntityIn``, …)."""
    from pydantic import ValidationError

    from provenance import schemas
    from provenance.schemas import problems

    try:
        return getattr(schemas, model).model_validate(data)
    except ValidationError as error:
        raise ProvenanceError("; ".join(problems(error, where))) from None
    except ValueError as error:
        raise ProvenanceError(f"{where}: {error}") from None


def live_claim(session: Session, name: str, *, follow_merge: bool = True) -> Claim:
    """A claim that may be changed (``verdicts.live_claim_row``), as an ORM object."""
    return session.get_one(Claim, live_claim_row(session, name, follow_merge=follow_merge).id)


def require_note(note: str | None) -> str:
    if not note or not note.strip():
        raise ProvenanceError("say why with --note")
    return note.strip()


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
        raise MalformedOption(
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
        (set(shape["tags"]) | {vocab.tag_form(t) for t in add_tags})
        - {vocab.tag_form(t) for t in remove_tags}
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
    # A stored text value is a category: an edit that leaves it alone keeps it one (an
    # edit of the place once read the category "42" again as the figure 42).
    if isinstance(merged["value"], str) and (category or "value" not in changes):
        merged["value_kind"] = "category"
    if "value" in changes and "unit" not in changes and isinstance(changes["value"], str):
        merged["unit"] = None  # a unit the new figure names replaces the old one
        if not any(ch.isdigit() for ch in changes["value"]) or category:
            merged["unit"] = shape["unit"]
    data = validated("ClaimIn", merged, f"claim edit {old_key}")
    if data.unit is None and "unit" not in changes and shape["unit"] and merged["unit"] is None:
        data = data.model_copy(update={"unit": shape["unit"]})
    refs = References(create_missing=False, new_entity=new_entity, log=log)
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
        # The duplicates merged into this claim name it by key (``withdrawn.merged_into``):
        # they change with it, and the event must say so, or no earlier state rebuilds.
        log.watch("claim", *_merged_into(session, claim.id))
        claim.key = new_key
        log.watch_new("claim", new_key)
    claim.updated_at = utcnow()
    session.flush()
    log.watch_new("link", *links_of_claims(session, [claim.key]))
    recorded = log.changes()
    if not any(_substantive(change) for change in recorded):  # a new updated_at alone is not
        raise ProvenanceError(f"nothing changed: claim {old_key!r} already says that")
    audit.record(
        session,
        analyst=analyst,
        action="claim.edit",
        target=claim.key,
        payload={} if claim.key == old_key else {"renamed_from": old_key},
        changes=recorded,
    )
    changed = [f for f in _changed_fields(recorded) if f != "updated_at"]
    if claim.key != old_key:
        # A rename is recorded as the old key's record gone and the new one made: the
        # fields the same edit changed are the differences between the two.
        gone = next(c["before"] for c in recorded if c["key"] == old_key and not c["after"])
        made = next(c["after"] for c in recorded if c["key"] == claim.key and not c["before"])
        changed = ["key"] + [
            f for f in made if f not in ("key", "updated_at") and gone.get(f) != made[f]
        ]
    return {"claim": claim.key, "changed": changed}


def _merged_into(session: Session, claim_id: int) -> list[str]:
    """The keys of the claims merged into this one."""
    return list(session.scalars(select(Claim.key).where(Claim.merged_into_id == claim_id)))


def _substantive(change: dict[str, Any]) -> bool:
    """Whether a change is more than the claim's ``updated_at`` moving (an edit that sets
    what the claim already says once wrote an event reading "changed its links")."""
    stamped_only = (
        change["kind"] == "claim"
        and change["before"]
        and change["after"]
        and set(change["after"]) <= {"updated_at"}
    )
    return not stamped_only


def _changed_fields(changes: list[dict[str, Any]]) -> list[str]:
    fields: list[str] = []
    for change in changes:
        if change["kind"] == "claim" and change["before"] and change["after"]:
            fields.extend(f for f in change["after"] if f not in fields)
    return fields


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
    why = require_note(note)
    claim = live_claim(session, name, follow_merge=False)  # never the kept one by surprise
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


def restore(session: Session, name: str, *, note: str | None, analyst: str) -> dict[str, Any]:
    """Bring back a capture withdrawn by mistake: it counts again in lists, flags,
    comparisons, scoring and exports. A merged duplicate stays merged: its attributions
    were copied onto the claim it went into, where they count."""
    why = require_note(note)
    claim = session.get_one(Claim, resolve_id(session, "claim", name))
    if claim.withdrawn_at is None:
        raise ProvenanceError(f"claim {claim.key!r} is not withdrawn")
    if claim.merged_into_id is not None:
        target = session.get_one(Claim, claim.merged_into_id).key
        raise ProvenanceError(
            f"claim {claim.key!r} was merged into {target!r}, which holds its attributions: "
            "restoring it would count its sources twice"
        )
    from provenance.services.claims import same_text_claim

    origins = select(Attribution.claim_id).where(
        Attribution.source_id.in_([a.source_id for a in claim.attributions])
    )
    twin = same_text_claim(session, claim.text, origins, other_than=claim.id)
    if twin is not None:  # recorded again since the withdrawal: one would count twice
        raise ProvenanceError(
            f"claim {twin!r} says what {claim.key!r} says, from the same source, and is "
            f"live: restoring {claim.key!r} would count it twice (give {twin!r} what it "
            f"lacks with claim attribute, or withdraw {twin!r} first)"
        )
    log = ChangeLog(session)
    log.watch("claim", claim.key)
    claim.withdrawn_at = claim.withdrawn_by = claim.withdrawn_note = None
    claim.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.restore",
        target=claim.key,
        payload={"note": why},
        changes=log.changes(),
    )
    return {"claim": claim.key, "withdrawn": False}


def same_attribution(a: Attribution, b: Attribution) -> bool:
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
    why = require_note(note)
    keep = live_claim(session, keep_name)
    duplicate = live_claim(session, duplicate_name, follow_merge=False)
    if keep.id == duplicate.id:
        raise ProvenanceError(f"cannot merge claim {keep.key!r} into itself")
    _require_duplicates(keep, duplicate)
    from provenance.schemas import TAGS_MAX

    tags = {t.tag for t in keep.tags} | {t.tag for t in duplicate.tags}
    if len(tags) > TAGS_MAX:  # the merged claim could not be exported and imported again
        raise ProvenanceError(
            f"merging claim {duplicate.key!r} into {keep.key!r} would give it {len(tags)} "
            f"tags, more than the {TAGS_MAX} one claim may have; remove some first "
            "(claim edit --untag)"
        )
    contradiction = session.scalar(
        select(Link.id).where(
            Link.relation == vocab.Relation.CONTRADICTS,
            or_(
                and_(Link.from_claim_id == keep.id, Link.to_claim_id == duplicate.id),
                and_(Link.from_claim_id == duplicate.id, Link.to_claim_id == keep.id),
            ),
        )
    )
    if contradiction is not None:
        raise ProvenanceError(
            f"claims {keep.key!r} and {duplicate.key!r} are linked as contradicting each "
            "other, so they are not duplicates"
        )
    log = ChangeLog(session)
    log.watch("claim", keep.key, duplicate.key)
    log.watch("link", *links_of_claims(session, [keep.key, duplicate.key]))
    # The duplicate keeps its own attributions (its record stays whole in history); KEEP
    # gains a copy of each one it lacks.
    moved = 0
    for attribution in list(duplicate.attributions):
        twin = next((a for a in keep.attributions if same_attribution(a, attribution)), None)
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
    took = _take_what_only_the_duplicate_says(keep, duplicate)
    tags = {t.tag for t in keep.tags} | {t.tag for t in duplicate.tags}
    if tags != {t.tag for t in keep.tags}:
        keep.tags = [ClaimTag(tag=t) for t in sorted(tags)]
    session.flush()
    _move_links(session, duplicate.id, keep.id)
    from provenance.services.links import opposed_links_of

    clash = opposed_links_of(session, keep.id)
    if clash is not None:
        raise ProvenanceError(
            f"merging {duplicate.key!r} into {keep.key!r} would leave {clash}; remove one "
            "of them first (claim unlink)"
        )
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
    return {"kept": keep.key, "merged": duplicate.key, "attributions_moved": moved, "took": took}


#: What a claim says beyond its words, with the name the command line gives it.
_CONTENT = {
    "subject_id": "subject",
    "property": "property",
    "value": "value",
    "unit": "unit",
    "period_start": "from",
    "period_end": "to",
    "place": "place",
}


#: The columns that hold one field of what a claim says (a value is stored with its
#: interval and folded text; a period is taken whole, so that it stays in order).
_COLUMNS = {
    "subject": ("subject_id",),
    "property": ("property",),
    "value": ("value", "value_lo", "value_hi", "value_text"),
    "unit": ("unit",),
    "period": ("period_start", "period_end"),
    "place": ("place",),
}


def _take_what_only_the_duplicate_says(keep: Claim, duplicate: Claim) -> list[str]:
    """The fields DUPLICATE sets and KEEP leaves empty become KEEP's: its sources said
    them, and dropping them took its figure out of every comparison without a word."""
    took = []
    for name, columns in _COLUMNS.items():
        if all(getattr(keep, c) is None for c in columns) and any(
            getattr(duplicate, c) is not None for c in columns
        ):
            for column in columns:
                setattr(keep, column, getattr(duplicate, column))
            took.append(name)
    return took


def _require_duplicates(keep: Claim, duplicate: Claim) -> None:
    """Two claims that say different things are not duplicates: merging them would have
    DUPLICATE's sources assert KEEP's figure. A verdict on DUPLICATE that KEEP does not
    carry would be dropped. Each is refused, naming what differs."""
    from provenance.figures import describe_value

    def shown(claim: Claim, name: str) -> str:
        if name == "subject_id":
            return claim.subject.key if claim.subject is not None else ""
        if name == "value":
            return describe_value(claim.value)
        return str(getattr(claim, name))

    differing = [
        f"{label} {shown(keep, name)!r} against {shown(duplicate, name)!r}"
        for name, label in _CONTENT.items()
        if getattr(keep, name) is not None
        and getattr(duplicate, name) is not None
        and getattr(keep, name) != getattr(duplicate, name)
    ]
    if differing:
        raise ProvenanceError(
            f"claims {keep.key!r} and {duplicate.key!r} say different things "
            f"({'; '.join(differing)}), so they are not duplicates: edit one first, or link "
            f"them (claim link {keep.key} {duplicate.key} --relation contradicts)"
        )
    if duplicate.status not in (vocab.Status.UNVERIFIED, keep.status):
        raise ProvenanceError(
            f"claim {duplicate.key!r} is {duplicate.status.value} and {keep.key!r} is "
            f"{keep.status.value}: the merge would drop that verdict; set the status of "
            f"{keep.key!r} first (claim status), or merge the other way"
        )


def _move_links(session: Session, old_id: int, new_id: int) -> None:
    """Links of ``old_id`` move to ``new_id``; one that would repeat a link (either way,
    for a relation that reads the same both ways) or link the claim to itself is dropped
    (its last state is in the event)."""
    from provenance.services.links import SYMMETRIC

    for link in list(
        session.scalars(
            select(Link).where(or_(Link.from_claim_id == old_id, Link.to_claim_id == old_id))
        )
    ):
        ends = [
            new_id if link.from_claim_id == old_id else link.from_claim_id,
            new_id if link.to_claim_id == old_id else link.to_claim_id,
        ]
        same_ends = and_(Link.from_claim_id == ends[0], Link.to_claim_id == ends[1])
        if link.relation in SYMMETRIC:
            same_ends = or_(
                same_ends, and_(Link.from_claim_id == ends[1], Link.to_claim_id == ends[0])
            )
        exists = session.scalar(
            select(Link.id).where(same_ends, Link.relation == link.relation, Link.id != link.id)
        )
        if ends[0] == ends[1] or exists is not None:
            session.delete(link)
        else:
            link.from_claim_id, link.to_claim_id = ends
    session.flush()
