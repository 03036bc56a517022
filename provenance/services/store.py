"""Writing records: the one place where validated input (``schemas``) becomes rows.

Used by the single-record commands and by import alike. Each function reports whether it
``created``, ``updated`` or left a record ``unchanged``; none of them appends to the
audit trail (the command that calls them does, once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provenance import vocab
from provenance.clock import utcnow
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
)
from provenance.read.resolve import find_id, resolve_id
from provenance.services.references import (
    CLAIM_FIELD_COLUMNS,
    TABLES,
    Change,
    Mode,
    References,
    attribution_refs,
    claim_exists,
    claim_values,
)

if TYPE_CHECKING:  # the write schemas load pydantic: writes that validate import them
    from provenance.schemas import AttributionIn, ClaimIn, DocumentIn, EntityIn, LinkIn, SourceIn


def _given(
    data: Any, values: dict[str, Any], mode: Mode, columns: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    """The column values an update may touch: all of them when replacing, else only those
    of the fields the input named (``columns`` maps an input field to its columns)."""
    if mode == "replace":
        return values
    named = data.model_fields_set
    keep: set[str] = set()
    for field_name in named:
        keep.update(columns.get(field_name, (field_name,)))
    return {k: v for k, v in values.items() if k in keep}


def _already(kind: str, key: str) -> ProvenanceError:
    how = "`provenance source edit`" if kind == "source" else "an import of the changed record"
    return ProvenanceError(f"{kind} {key!r} already exists (change it with {how})")


_ALIASES: dict[str, type[SourceAlias] | type[EntityAlias]] = {
    "source": SourceAlias,
    "entity": EntityAlias,
}


def _owner_id(alias_model: type[SourceAlias] | type[EntityAlias]) -> Any:
    """The column of an alias that names the record it belongs to."""
    return SourceAlias.source_id if alias_model is SourceAlias else EntityAlias.entity_id


def check_keys_free_of_aliases(session: Session, kind: str, keys: Iterable[str]) -> None:
    """New keys of sources or entities must not be another record's alias: a name resolves
    to a key before an alias, so the alias would silently name the new record instead."""
    alias_model = _ALIASES.get(kind)
    by_fold = {form: key for key in keys for form in vocab.name_forms(key)}
    if alias_model is None or not by_fold:
        return
    owner_id = _owner_id(alias_model)
    owners = TABLES[kind]
    found = session.execute(
        select(alias_model.folded, alias_model.alias, owners.c.key)
        .join(owners, owners.c.id == owner_id)
        .where(alias_model.folded.in_(list(by_fold)))
    ).first()
    if found is not None:
        raise ProvenanceError(
            f"{kind} key {by_fold[found.folded]!r} is already an alias of {kind} "
            f"{found.key!r} ({found.alias!r}): choose another key, or use {found.key!r}"
        )


def _set_aliases(
    session: Session,
    owner: Any,
    alias_model: type[SourceAlias] | type[EntityAlias],
    aliases: list[str],
) -> bool:
    # Aliases that fold alike ("Foo", "foo ") are one alias: the first spelling is kept.
    by_fold: dict[str, str] = {}
    for alias in aliases:
        by_fold.setdefault(vocab.fold_name(alias), alias)
    wanted = list(by_fold.values())
    if [a.alias for a in owner.aliases] == wanted:
        return False
    column = _owner_id(alias_model)
    kind = "source" if alias_model is SourceAlias else "entity"
    model = type(owner)
    for alias in wanted:
        taken_by = session.scalar(
            select(column).where(alias_model.folded.in_(vocab.name_forms(alias))).limit(1)
        )
        if taken_by is not None and taken_by != owner.id:
            raise ProvenanceError(f"alias {alias!r} already names another {kind}")
        # A name resolves to a key before an alias: this alias would never name its owner.
        # Nor may it be a key in other letters ("Unnamed-Outlet"): commands that slug a
        # name would read the key's record and commands that look up aliases, this one.
        other = session.scalar(
            select(model.key).where(
                model.key.in_({alias, vocab.slugify(alias)}), model.id != owner.id
            )
        )
        if other is not None:
            raise ProvenanceError(f"alias {alias!r} is the key of {kind} {other!r}")
    owner.aliases.clear()
    session.flush()
    owner.aliases.extend(alias_model(alias=a, folded=vocab.fold_name(a)) for a in wanted)
    return True


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def save_source(
    session: Session, data: SourceIn, *, mode: Mode = "upsert", refs: References | None = None
) -> Change:
    source = session.scalar(select(Source).where(Source.key == data.key))
    if source is not None and mode == "create":
        raise _already("source", data.key)
    values = {
        "name": data.name or data.key,
        "kind": data.kind,
        "reliability": data.reliability,
        "affiliation": data.affiliation,
        "protected": data.protected,
        "notes": data.notes,
    }
    if refs is not None:
        refs.forget("source", data.key)
    if source is None:
        check_keys_free_of_aliases(session, "source", [data.key])
        source = Source(key=data.key, **values)
        session.add(source)
        session.flush()
        _set_aliases(session, source, SourceAlias, data.aliases)
        return "created"
    changed = _assign(source, _given(data, values, mode, {}))
    if mode == "replace" or "aliases" in data.model_fields_set:
        changed = _set_aliases(session, source, SourceAlias, data.aliases) or changed
    if changed:
        source.updated_at = utcnow()
    return "updated" if changed else "unchanged"


def edit_source(session: Session, key: str, changes: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Change some fields of an existing source; returns its key and what changed."""
    from pydantic import ValidationError

    from provenance.schemas import SourceIn, problems

    source = session.get_one(Source, resolve_id(session, "source", key))
    current = SourceIn(
        key=source.key,
        name=source.name,
        kind=source.kind,
        reliability=source.reliability,
        affiliation=source.affiliation,
        aliases=[a.alias for a in source.aliases],
        protected=source.protected,
        notes=source.notes,
    )
    try:
        merged = current.model_validate({**current.model_dump(), **changes})
    except ValidationError as error:  # the changed options, named as they were given
        raise ProvenanceError(
            "; ".join(
                "--" + line[1:] if line.startswith("/") else line for line in problems(error, "")
            )
        ) from None
    before = current.model_dump()
    save_source(session, merged, mode="upsert")
    after = merged.model_dump()
    return source.key, {k: [before[k], after[k]] for k in after if before[k] != after[k]}


def save_entity(
    session: Session, data: EntityIn, *, mode: Mode = "upsert", refs: References | None = None
) -> Change:
    entity = session.scalar(select(Entity).where(Entity.key == data.key))
    if entity is not None and mode == "create":
        raise _already("entity", data.key)
    if refs is not None:
        refs.forget("entity", data.key)
    values = {"name": data.name or data.key, "kind": data.kind}
    if entity is None:
        check_keys_free_of_aliases(session, "entity", [data.key])
        entity = Entity(key=data.key, **values)
        session.add(entity)
        session.flush()
        _set_aliases(session, entity, EntityAlias, data.aliases)
        return "created"
    changed = _assign(entity, _given(data, values, mode, {}))
    if mode == "replace" or "aliases" in data.model_fields_set:
        changed = _set_aliases(session, entity, EntityAlias, data.aliases) or changed
    return "updated" if changed else "unchanged"


def save_document(
    session: Session, data: DocumentIn, *, refs: References, mode: Mode = "upsert"
) -> Change:
    document = session.scalar(select(Document).where(Document.key == data.key))
    refs.forget("document", data.key)
    if document is not None and mode == "create":
        raise _already("document", data.key)
    values = {
        "title": data.title,
        "url": data.url,
        "publisher_id": refs.source(session, data.publisher) if data.publisher else None,
        "published": data.published,
        "retrieved": data.retrieved,
        "sha256": data.sha256,
        "language": data.language,
    }
    if document is None:
        session.add(Document(key=data.key, **values))
        session.flush()
        return "created"
    given = _given(data, values, mode, {"publisher": ("publisher_id",)})
    return "updated" if _assign(document, given) else "unchanged"


def save_claim(
    session: Session, data: ClaimIn, *, analyst: str, refs: References, mode: Mode = "upsert"
) -> tuple[str, Change, list[Change]]:
    """Create or update a claim and its attributions; returns its key, what happened to
    it, and what happened to each attribution."""
    key = data.derived_key()
    claim = session.scalar(select(Claim).where(Claim.key == key))
    if claim is not None and mode == "create":
        raise claim_exists(key)
    values = claim_values(session, data, refs)
    now = utcnow()
    # a stored withdrawn claim a file names without knowing it was withdrawn
    frozen = claim is not None and claim.withdrawn_at is not None and data.withdrawn is None
    if claim is None:
        claim = Claim(
            key=key,
            **values,
            created_at=data.created_at or now,
            updated_at=data.updated_at or data.created_at or now,
        )
        claim.tags = [ClaimTag(tag=t) for t in data.tags]
        session.add(claim)
        session.flush()
        change: Change = "created"
    else:
        given = _given(data, values, mode, CLAIM_FIELD_COLUMNS)
        given_tags = mode == "replace" or "tags" in data.model_fields_set
        tags_change = given_tags and sorted(t.tag for t in claim.tags) != data.tags
        if frozen:
            # A file that does not know the claim was withdrawn may only repeat it: its
            # fields, tags and attributions (tags and attributions went through before;
            # found by an attacker)
            if tags_change or any(
                getattr(claim, k) != v for k, v in given.items() if not k.startswith("withdrawn")
            ):
                raise withdrawn_unchangeable(claim)
            given = {k: v for k, v in given.items() if not k.startswith("withdrawn")}
        if claim.withdrawn_at is not None and data.withdrawn is not None:
            # A withdrawal a file repeats without its time or who made it is the stored
            # one (importing the same file again changes nothing).
            if data.withdrawn.at is None:
                given.pop("withdrawn_at", None)
            if data.withdrawn.by is None:
                given.pop("withdrawn_by", None)
        changed = _assign(claim, given)
        if tags_change:
            claim.tags = [ClaimTag(tag=t) for t in data.tags]
            changed = True
        if data.created_at and claim.created_at != data.created_at:
            claim.created_at = data.created_at
            changed = True
        if changed:
            claim.updated_at = data.updated_at or now
        change = "updated" if changed else "unchanged"
    kept: list[Attribution] = []
    results = []
    for attribution in data.attributions:
        result, row = _save_attribution(session, claim, attribution, analyst=analyst, refs=refs)
        results.append(result)
        kept.append(row)
    if mode == "replace":
        for existing in list(claim.attributions):
            if all(existing is not k for k in kept):
                claim.attributions.remove(existing)
                change = "updated"
        session.flush()
    if change == "unchanged" and any(r != "unchanged" for r in results):
        if frozen:
            raise withdrawn_unchangeable(claim)
        change = "updated"
    return key, change, results


def withdrawn_unchangeable(claim: Claim) -> ProvenanceError:
    return ProvenanceError(
        f"claim {claim.key!r} was withdrawn ({claim.withdrawn_note or 'no note'}); "
        "it cannot be changed"
    )


def save_attribution(
    session: Session,
    claim: Claim,
    data: AttributionIn,
    *,
    analyst: str,
    refs: References,
    mode: Mode = "upsert",
) -> Change:
    """An attribution is the same when origin, relay chain, document and stance are."""
    return _save_attribution(session, claim, data, analyst=analyst, refs=refs, mode=mode)[0]


def _save_attribution(
    session: Session,
    claim: Claim,
    data: AttributionIn,
    *,
    analyst: str,
    refs: References,
    mode: Mode = "upsert",
) -> tuple[Change, Attribution]:
    source_id, via_ids, document_id = attribution_refs(session, data, refs)
    for existing in claim.attributions:
        same = (
            existing.source_id == source_id
            and [r.source_id for r in existing.relays] == via_ids
            and existing.document_id == document_id
            and existing.stance == data.stance
        )
        if same:
            if mode == "create":
                raise ProvenanceError(
                    f"claim {claim.key!r} already has this attribution to {data.source!r}"
                )
            values: dict[str, Any] = {
                name: getattr(data, name)
                for name in ("confidence", "quote")
                if name in data.model_fields_set
            }
            if data.recorded_by:
                values["recorded_by"] = data.recorded_by
            if data.recorded_at:
                values["recorded_at"] = data.recorded_at
            return ("updated" if _assign(existing, values) else "unchanged"), existing
    attribution = Attribution(
        source_id=source_id,
        document_id=document_id,
        stance=data.stance,
        confidence=data.confidence,
        quote=data.quote,
        recorded_by=data.recorded_by or analyst,
        recorded_at=data.recorded_at or utcnow(),
        relays=[Relay(position=i, source_id=s) for i, s in enumerate(via_ids)],
    )
    claim.attributions.append(attribution)
    session.flush()
    return "created", attribution


def save_link(
    session: Session,
    data: LinkIn,
    *,
    analyst: str,
    exact: bool,
    created_at: dt.datetime | None = None,
    mode: Mode = "upsert",
    declared: Collection[str] = (),
) -> tuple[str, str, Change]:
    """Relate two claims. ``exact``: names must be full keys (import), else key prefixes.
    ``declared``: claims the same file records (withdrawn ones included), whose links are
    part of what it restores."""
    ids = []
    for name in (data.from_, data.to):
        found = find_id(session, "claim", name) if exact else resolve_id(session, "claim", name)
        if found is None:
            raise NotFound("claim", name)
        ids.append(found)
    if ids[0] == ids[1]:
        raise ProvenanceError("a claim cannot be linked to itself")
    keys = [session.get_one(Claim, i).key for i in ids]
    link = session.scalar(
        select(Link).where(
            Link.from_claim_id == ids[0], Link.to_claim_id == ids[1], Link.relation == data.relation
        )
    )
    if link is not None and mode == "create":
        raise ProvenanceError(f"{keys[0]} already {data.relation.value} {keys[1]}")
    if link is None:
        from provenance.services.links import refuse_opposed

        for claim_id in ids:  # a new link to a withdrawn capture the file does not itself
            claim = session.get_one(Claim, claim_id)  # record (`claim link` refuses it before)
            if claim.withdrawn_at is not None and claim.key not in declared:
                where = ""
                if claim.merged_into_id is not None:
                    kept = session.get_one(Claim, claim.merged_into_id).key
                    where = f": it was merged into {kept!r}, link that one"
                raise ProvenanceError(
                    f"claim {claim.key!r} was withdrawn, so it takes no new link{where}"
                )
        refuse_opposed(session, ids[0], ids[1], data.relation)
        session.add(
            Link(
                from_claim_id=ids[0],
                to_claim_id=ids[1],
                relation=data.relation,
                note=data.note,
                created_by=analyst,
                created_at=created_at or utcnow(),
            )
        )
        session.flush()
        return keys[0], keys[1], "created"
    return keys[0], keys[1], ("updated" if _assign(link, {"note": data.note}) else "unchanged")
