"""What an import asks of the stored claims between its batches."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from provenance.read.reader import dialect_name


def merged_into_ids(session: Session, pairs: list[tuple[str, str, str]]) -> list[str]:
    from sqlalchemy import select

    from provenance.models import Claim

    problems = []
    for place, key, target in pairs:
        target_id = session.scalar(select(Claim.id).where(Claim.key == target))
        claim = session.scalar(select(Claim).where(Claim.key == key))
        if target_id is None or claim is None:
            problems.append(f"{place}: merged into claim {target!r}, which is not there")
        elif claim.merged_into_id != target_id:
            claim.merged_into_id = target_id
    session.flush()
    return problems


def next_claim_id(session: Session) -> int:
    from sqlalchemy import func, select

    from provenance.models import Claim

    session.flush()
    return int(session.scalar(select(func.max(Claim.id))) or 0) + 1


def stored_claims(session: Session, keys: list[str]) -> dict[str, int]:
    """The ids of those of these claim keys that are stored (a batch's keys: the query
    goes straight to the driver, the statement layer costs more than the lookup)."""
    session.flush()
    if not keys:
        return {}
    # The ids are compared by the caller, not in SQL: given `id >= ?`, SQLite may walk the
    # table by id instead of looking the keys up (each batch of an import then reads every
    # claim). PostgreSQL gets the keys as one array: psycopg parses each placeholder on
    # the client (a batch's thousand: 4.6 ms, the array 2.5 ms).
    if dialect_name(session) == "sqlite":
        statement = f"SELECT key, id FROM claims WHERE key IN ({', '.join(['?'] * len(keys))})"
        parameters: Any = keys
    else:
        statement, parameters = "SELECT key, id FROM claims WHERE key = ANY(%s)", (keys,)
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(statement, parameters)
        return {key: claim_id for key, claim_id in cursor.fetchall()}
    finally:
        cursor.close()
