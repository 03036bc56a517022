"""The flag rules of DESIGN.md §2, as one query: a 0/1 column per reason code and a
severity that orders claims most severe first.

A claim whose status is verified or retracted keeps only ``conflict`` and ``contradicted``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.sql.selectable import Subquery

from provenance.analysis.copies import echo_ids
from provenance.analysis.facts import (
    IdQuery,
    Settings,
    comparable,
    conflict_pairs,
    conflicting_ids,
    contradicted_ids,
    origin_stats,
)
from provenance.errors import MalformedOption
from provenance.read.reader import Reader, among
from provenance.read.records import ClaimFacts
from provenance.read.tables import attributions, claims, current, sources
from provenance.vocab import Stance, Status

#: Rows whose details are fetched together (bounded IN lists on every backend).
CHUNK = 5000

#: Reason codes, most severe first, and the column each one is computed in.
REASONS: tuple[str, ...] = (
    "contradicted",
    "conflict",
    "circular",
    "echo",
    "single-source",
    "low-reliability",
    "disputed",
    "false",
    "unverified",
)


#: Each reason's bit in a claim's severity: a more severe reason outweighs all below it.
WEIGHTS: dict[str, int] = {code: 2 ** (len(REASONS) - rank) for rank, code in enumerate(REASONS)}


def column_name(code: str) -> str:
    """``single-source`` -> ``is_single_source`` (``false`` alone is an SQL keyword)."""
    return "is_" + code.replace("-", "_")


def check_reasons(codes: Sequence[str]) -> list[str]:
    unknown = [c for c in codes if c not in REASONS]
    if unknown:
        raise MalformedOption(f"unknown flag {unknown[0]!r}: choose from {', '.join(REASONS)}")
    return list(codes)


def flag_table(settings: Settings, claim_ids: IdQuery | None = None) -> Subquery:
    """Every claim (or the given ones) with its reason columns, ``severity`` and
    ``independent``. Set-based: aggregates, a window over claim keys, no per-claim loop."""
    stats = origin_stats(claim_ids)
    values = comparable(settings.tolerance, claim_ids)
    # CTEs, each referenced several times below: computed once (both backends materialise a
    # CTE used more than once), not once per reference as an inlined subquery would be.
    conflicts = conflicting_ids(values).cte("conflicts")
    contradicted = contradicted_ids(claim_ids).cte("contradicted")
    echoes = echo_ids(claim_ids).cte("echoes")

    asserts = func.coalesce(stats.c.asserts, 0)
    independent = func.coalesce(stats.c.independent, 0)
    open_claim = claims.c.status.not_in([Status.VERIFIED, Status.RETRACTED])
    rules: dict[str, ColumnElement[bool]] = {
        "contradicted": or_(
            claims.c.id.in_(select(contradicted.c[0])), func.coalesce(stats.c.denials, 0) > 0
        ),
        "conflict": claims.c.id.in_(select(conflicts.c[0])),
        "circular": and_(open_claim, asserts >= 2, independent == 1),
        "echo": and_(open_claim, claims.c.id.in_(select(echoes.c[0]))),
        "single-source": and_(open_claim, independent < settings.min_sources),
        "low-reliability": and_(
            open_claim, asserts > 0, or_(stats.c.strong == 0, stats.c.confident == 0)
        ),
        "disputed": claims.c.status == Status.DISPUTED,
        "false": claims.c.status == Status.FALSE,
        "unverified": claims.c.status == Status.UNVERIFIED,
    }
    columns = {code: case((rule, 1), else_=0) for code, rule in rules.items()}
    severity = sum(
        (columns[c] * WEIGHTS[c] for c in REASONS[1:]), columns[REASONS[0]] * WEIGHTS[REASONS[0]]
    )
    query = (
        select(
            claims.c.id.label("id"),
            independent.label("independent"),
            severity.label("severity"),
            *(column.label(column_name(code)) for code, column in columns.items()),
        )
        .select_from(claims)
        .outerjoin(stats, stats.c.claim_id == claims.c.id)
    )
    if claim_ids is not None:
        query = query.where(claims.c.id.in_(claim_ids))
    else:
        query = query.where(current())
    return query.subquery("flags")


def reason_reader(columns: Sequence[str]) -> Any:
    """A row's reason codes, most severe first, read by position (fast for many rows)."""
    positions = [(code, list(columns).index(column_name(code))) for code in REASONS]
    return lambda row: [code for code, index in positions if row[index]]


def any_reason(table: Subquery, codes: Sequence[str]) -> ColumnElement[bool]:
    if not codes:
        return table.c.severity > 0
    return or_(*(table.c[column_name(code)] == 1 for code in codes))


def origins_of(session: Reader, claim_ids: Sequence[int]) -> dict[int, list[str]]:
    """The source keys of each claim's asserting attributions (relays never count)."""
    rows = session.execute(
        select(attributions.c.claim_id, sources.c.key)
        .join(sources, sources.c.id == attributions.c.source_id)
        .where(
            among(session, attributions.c.claim_id, claim_ids),
            attributions.c.stance == Stance.ASSERTS,
        )
        .order_by(attributions.c.claim_id, attributions.c.id)
    )
    origins: dict[int, list[str]] = defaultdict(list)
    for claim_id, key in rows:
        if key not in origins[claim_id]:
            origins[claim_id].append(key)
    return origins


#: The claims a claim's ``conflicts_with`` names, at most (the first in key order): 40,000
#: claims sharing one claim key made `claim list --limit 2000` hold 40 million pairs
#: (17.5 GB) to list each claim's 20,000 partners.
PARTNERS_LISTED = 1000


def ranked_partners(pairs: Select[Any]) -> Subquery:
    """(claim_id, other, why, position) for each conflict pair: the other claim's key and
    its place among the claim's partners in key order (PARTNERS_LISTED of them are named)."""
    listed = pairs.subquery("pairs")
    return (
        select(
            listed.c[0].label("claim_id"),
            claims.c.key.label("other"),
            listed.c[2].label("why"),
            func.row_number()
            .over(partition_by=listed.c[0], order_by=claims.c.key)
            .label("position"),
        )
        .join(claims, claims.c.id == listed.c[1])
        .subquery("ranked")
    )


def conflicts_of(
    session: Reader, claim_ids: Sequence[int], settings: Settings
) -> dict[int, list[tuple[str, str]]]:
    """For each given claim: (other claim's key, why) for every claim it conflicts with."""
    if not claim_ids:
        return {}
    values = comparable(settings.tolerance, select(claims.c.id).where(claims.c.id.in_(claim_ids)))
    ranked = ranked_partners(conflict_pairs(values, list(claim_ids)))
    rows = session.execute(
        select(ranked.c.claim_id, ranked.c.other, ranked.c.why)
        .where(ranked.c.position <= PARTNERS_LISTED)
        .order_by(ranked.c.claim_id, ranked.c.other)
    )
    # The first reason for each partner, in key order (a dict keeps insertion order);
    # a list scanned for each row made a key shared by 1,000 claims take 20 s.
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for claim_id, other_key, why in rows:
        found[claim_id].setdefault(other_key, why)
    return {claim_id: list(partners.items()) for claim_id, partners in found.items()}


def facts(
    session: Reader, claim_ids: Sequence[int], settings: Settings, *, partners: bool = True
) -> dict[int, ClaimFacts]:
    """Flags, origins and conflicts for a page of claims (the claim records). Without
    ``partners`` the claims each conflicts with are not named (JSON records do not show
    them, and a page of 50,000 claims of nested tallies read 25 million pairs for none)."""
    if not claim_ids:
        return {}
    ids = list(claim_ids)
    table = flag_table(settings, select(claims.c.id).where(claims.c.id.in_(ids)))
    result = session.execute(select(table))
    reasons_in = reason_reader(list(result.keys()))
    rows = {row.id: row for row in result}
    origins = origins_of(session, ids)
    conflicted = [i for i, row in rows.items() if row.is_conflict]
    conflicts = conflicts_of(session, conflicted, settings) if partners else {}
    return {
        claim_id: ClaimFacts(
            independent_sources=int(row.independent),
            origins=origins.get(claim_id, []),
            flags=reasons_in(row),
            conflicts_with=[k for k, _ in conflicts.get(claim_id, [])],
            value_conflicts=[
                k for k, why in conflicts.get(claim_id, []) if why in ("value", "unit")
            ],
        )
        for claim_id, row in rows.items()
    }


def with_reason(settings: Settings, codes: Sequence[str]) -> IdQuery:
    """Ids of claims carrying any of the codes (``claim list --flag``)."""
    table = flag_table(settings)
    return select(table.c.id).where(any_reason(table, check_reasons(codes)))
