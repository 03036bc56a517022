"""Naming things on the command line: exact key, alias, or unique prefix; otherwise an
error that suggests the nearest keys (typos must not create parties)."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from provenance.errors import Ambiguous, NotFound
from provenance.models import Claim, Document, Entity, EntityAlias, Source, SourceAlias
from provenance.vocab import fold

_TABLES: dict[str, tuple[Any, Any]] = {
    "source": (Source, SourceAlias),
    "entity": (Entity, EntityAlias),
    "document": (Document, None),
    "claim": (Claim, None),
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_id(session: Session, kind: str, name: str) -> int | None:
    """The id of the row whose key or alias is exactly ``name``, if any."""
    model, alias_model = _TABLES[kind]
    found = session.scalar(select(model.id).where(model.key == name))
    if found is None and alias_model is not None:
        owner = alias_model.source_id if alias_model is SourceAlias else alias_model.entity_id
        found = session.scalar(select(owner).where(alias_model.folded == fold(name)))
    return found


def resolve_id(session: Session, kind: str, name: str) -> int:
    """Key, alias, or unique key prefix; NotFound with suggestions, or Ambiguous."""
    found = find_id(session, kind, name)
    if found is not None:
        return found
    model, _ = _TABLES[kind]
    lowered = name.strip().lower()
    if lowered != name:
        found = find_id(session, kind, lowered)
        if found is not None:
            return found
    prefixed = session.execute(
        select(model.id, model.key)
        .where(model.key.like(_escape_like(lowered) + "%", escape="\\"))
        .order_by(model.key)
        .limit(6)
    ).all()
    if len(prefixed) == 1:
        return int(prefixed[0].id)
    if prefixed:
        raise Ambiguous(kind, name, [row.key for row in prefixed])
    raise NotFound(kind, name, suggest(session, kind, lowered))


def resolve_key(session: Session, kind: str, name: str) -> str:
    model, _ = _TABLES[kind]
    return str(session.scalar(select(model.key).where(model.id == resolve_id(session, kind, name))))


def suggest(session: Session, kind: str, name: str) -> list[str]:
    """The nearest keys and aliases by spelling. Candidates are narrowed in SQL (same first
    letter, or containing the name) so this stays cheap at a million claims."""
    model, alias_model = _TABLES[kind]
    head = _escape_like(name[:1])
    query = (
        select(model.key)
        .where(
            or_(
                model.key.like(head + "%", escape="\\"),
                model.key.like("%" + _escape_like(name) + "%", escape="\\"),
            )
        )
        .order_by(func.length(model.key))
        .limit(2000)
    )
    candidates = {key: key for key in session.scalars(query)}
    if alias_model is not None:
        owner = Source.key if alias_model is SourceAlias else Entity.key
        join_on = (
            (alias_model.source_id == Source.id)
            if alias_model is SourceAlias
            else (alias_model.entity_id == Entity.id)
        )
        for alias, key in session.execute(
            select(alias_model.folded, owner).join(model, join_on).limit(2000)
        ):
            candidates.setdefault(alias, key)
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    return list(dict.fromkeys(candidates[c] for c in close))
