"""Verdicts (``claim status``) and which claims may be changed at all.

A verdict is written through SQLAlchemy Core, so that ``claim status`` loads neither the
ORM nor pydantic: starting them was most of the command's time. It works the same inside
an ORM session (``services.claims.set_status``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from provenance.clock import utcnow
from provenance.errors import NotFound, ProvenanceError
from provenance.read.reader import Reader
from provenance.read.resolve import find_id, resolve_id, suggest
from provenance.read.tables import claims
from provenance.services import audit
from provenance.services.history import ChangeLog
from provenance.vocab import Status


def _exactly(session: Reader, name: str) -> int:
    """A claim named by its whole key or an alias, never a prefix: a line of a keys file
    ("quake") once judged the one claim whose key starts with it ("quake-magnitude")."""
    found = find_id(session, "claim", name.strip())
    if found is None:
        raise NotFound("claim", name, suggest(session, "claim", name.strip().lower()))
    return found


def live_claim_row(
    session: Reader, name: str, *, exact: bool = False, follow_merge: bool = True
) -> Any:
    """A claim that may be changed (its id, key and status). A merged one's old key still
    resolves (DESIGN §3 `claim merge`): it names the claim it was merged into, as a merged
    source's key names the source kept; with ``follow_merge=False`` (withdrawing, merging:
    changes that would land on the kept claim by surprise) it is refused, naming where it
    went. Other withdrawn claims are refused. ``exact``: by its whole key or an alias."""
    claim_id = _exactly(session, name) if exact else resolve_id(session, "claim", name)
    query = select(
        claims.c.id,
        claims.c.key,
        claims.c.status,
        claims.c.withdrawn_at,
        claims.c.withdrawn_note,
        claims.c.merged_into_id,
    )
    row = session.execute(query.where(claims.c.id == claim_id)).one()
    seen = {row.id}
    while follow_merge and row.withdrawn_at is not None and row.merged_into_id is not None:
        if row.merged_into_id in seen:  # pragma: no cover - merge refuses a cycle
            break
        seen.add(row.merged_into_id)
        row = session.execute(query.where(claims.c.id == row.merged_into_id)).one()
    if row.withdrawn_at is not None:
        if row.merged_into_id is not None:
            target = session.scalar(select(claims.c.key).where(claims.c.id == row.merged_into_id))
            raise ProvenanceError(
                f"claim {row.key!r} was merged into {target!r}: change that one instead"
            )
        raise ProvenanceError(
            f"claim {row.key!r} was withdrawn ({row.withdrawn_note}); it cannot be changed"
        )
    return row


#: Claims updated in one statement (within SQLite's and PostgreSQL's bound parameters).
CHUNK = 1000


def set_statuses(
    session: Reader,
    names: Sequence[str],
    status: Status,
    *,
    note: str | None,
    analyst: str,
    listed: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """One verdict for many claims: one transaction, one event per claim. Every name is
    checked before anything changes. ``names`` typed may be key prefixes; ``listed``
    (read from a file) must be whole keys or aliases."""
    if not note or not note.strip():
        raise ProvenanceError("a verdict needs a note: say why with --note")
    why = note.strip()
    if not names and not listed:
        raise ProvenanceError("no claims given: name them, or use --keys-from FILE")
    rows = [live_claim_row(session, n) for n in names]
    rows += [live_claim_row(session, n, exact=True) for n in listed]
    judged = list({row.id: row for row in rows}.values())
    now = utcnow()
    results = []
    # A chunk of claims at a time, their shapes read before and after in a few statements,
    # not two for each claim (5,000 keys took 48 s, nine tenths of it reading shapes).
    for start in range(0, len(judged), CHUNK):
        chunk = judged[start : start + CHUNK]
        log = ChangeLog(session)
        log.watch("claim", *(claim.key for claim in chunk))
        session.execute(
            update(claims)
            .where(claims.c.id.in_([claim.id for claim in chunk]))
            .values(status=status, updated_at=now)
        )
        changed = {change["key"]: change for change in log.changes()}
        for claim in chunk:  # one event a claim, in the order given
            audit.record(
                session,
                analyst=analyst,
                action="claim.status",
                target=claim.key,
                payload={"note": why},
                changes=[changed[claim.key]] if claim.key in changed else [],
            )
            before = Status(claim.status)
            results.append({"claim": claim.key, "from": before.value, "to": status.value})
    expire = getattr(session, "expire_all", None)
    if expire is not None:  # an ORM session holding these claims reads them again
        expire()
    return results
