"""Naming things on the command line: exact key, alias, or unique prefix; otherwise an
error that suggests the nearest keys (typos must not create parties)."""

from __future__ import annotations

import difflib

from sqlalchemy import Column, Table, func, or_, select

from provenance.errors import Ambiguous, NotFound
from provenance.read.reader import Reader
from provenance.read.tables import (
    claims,
    documents,
    entities,
    entity_aliases,
    source_aliases,
    sources,
)
from provenance.vocab import name_forms, slugify

#: Each kind's table, and its alias table with the column that names the owner.
_TABLES: dict[str, tuple[Table, tuple[Table, Column[int]] | None]] = {
    "source": (sources, (source_aliases, source_aliases.c.source_id)),
    "entity": (entities, (entity_aliases, entity_aliases.c.entity_id)),
    "document": (documents, None),
    "claim": (claims, None),
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_id(session: Reader, kind: str, name: str) -> int | None:
    """The id of the row whose key or alias is exactly ``name``, if any."""
    model, aliases = _TABLES[kind]
    found = session.scalar(select(model.c.id).where(model.c.key == name))
    if found is None and aliases is not None:
        alias_table, owner = aliases
        found = session.scalar(
            select(owner).where(alias_table.c.folded.in_(name_forms(name))).limit(1)
        )
    return found


#: Longer than any key (120) or alias (300) can be.
LONGEST_NAME = 300


def resolve_id(session: Reader, kind: str, name: str) -> int:
    """Key, alias, or unique key prefix; NotFound with suggestions, or Ambiguous."""
    found = find_id(session, kind, name)
    if found is not None:
        return found
    model, _ = _TABLES[kind]
    lowered = name.strip().lower()
    if len(lowered) > LONGEST_NAME:  # no key or alias is this long; not worth a pattern
        raise NotFound(kind, name)
    if lowered != name:
        found = find_id(session, kind, lowered)
        if found is not None:
            return found
    slug = slugify(name)
    if slug and slug not in (name, lowered):
        # "Ñandú" names the entity a write keyed "nandu" (found by the second attack:
        # `claim add --subject Ñandú` made it, `claim list --subject Ñandú` did not find it)
        found = find_id(session, kind, slug)
        if found is not None:
            return found
    prefixed = session.execute(
        select(model.c.id, model.c.key)
        .where(model.c.key.like(_escape_like(lowered) + "%", escape="\\"))
        .order_by(model.c.key)
        .limit(6)
    ).all()
    if len(prefixed) == 1:
        return int(prefixed[0].id)
    if prefixed:
        raise Ambiguous(kind, name, [row.key for row in prefixed])
    raise NotFound(kind, name, suggest(session, kind, lowered))


def resolve_key(session: Reader, kind: str, name: str) -> str:
    model, _ = _TABLES[kind]
    found = resolve_id(session, kind, name)
    return str(session.scalar(select(model.c.key).where(model.c.id == found)))


def _shortest_keys(session: Reader, kind: str, *patterns: str, limit: int) -> list[str]:
    """The shortest keys (at most ``limit``) that match any of the LIKE ``patterns``."""
    model, _ = _TABLES[kind]
    return list(
        session.scalars(
            select(model.c.key)
            .where(or_(*(model.c.key.like(pattern, escape="\\") for pattern in patterns)))
            .order_by(func.length(model.c.key))
            .limit(limit)
        )
    )


def _with_aliases(session: Reader, kind: str, keys: list[str]) -> dict[str, str]:
    """The keys, then the first 2,000 folded aliases, each with its record's key."""
    model, aliases = _TABLES[kind]
    found = {key: key for key in keys}
    if aliases is not None:
        alias_table, owner = aliases
        for alias, key in session.execute(
            select(alias_table.c.folded, model.c.key).join(model, owner == model.c.id).limit(2000)
        ):
            found.setdefault(alias, key)
    return found


def _spellings(session: Reader, kind: str, name: str) -> dict[str, str]:
    """Keys and folded aliases that could be near ``name`` (each with its record's key),
    narrowed in SQL: the same first letter, or containing the name."""
    head, within = _escape_like(name[:1]) + "%", "%" + _escape_like(name) + "%"
    return _with_aliases(session, kind, _shortest_keys(session, kind, head, within, limit=2000))


def suggest(session: Reader, kind: str, name: str) -> list[str]:
    """The nearest keys and aliases by spelling. Candidates are narrowed in SQL (same first
    letter, or containing the name) so this stays cheap at a million claims."""
    candidates = _spellings(session, kind, name)
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    return list(dict.fromkeys(candidates[c] for c in close))


def spellings_by_head(session: Reader, kind: str, head: str) -> dict[str, str]:
    """The keys that start with ``head`` (the shortest 2,000) and the first 2,000 folded
    aliases, each with its record's key: an import reads them once per first letter."""
    keys = _shortest_keys(session, kind, _escape_like(head) + "%", limit=2000)
    return _with_aliases(session, kind, keys)


def keys_containing(session: Reader, kind: str, name: str) -> list[str]:
    """The keys that contain ``name`` (the shortest 200)."""
    return _shortest_keys(session, kind, "%" + _escape_like(name) + "%", limit=200)
