"""Per-claim facts in SQL: independent origins, weak sourcing, denials, contradictions and
value conflicts. The flag rules (``flags.py``) read these columns.

Two origins are the same when they are the same source or share an affiliation; an
origin's *family* is ``a:<affiliation>`` or ``s:<source key>``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.sql.selectable import CTE

from provenance.read.tables import attributions, claims, current, links, sources
from provenance.vocab import WEAK_RELIABILITY, Relation, Stance

#: A query that selects claim ids.
IdQuery = Select[Any]

DEFAULT_TOLERANCE = 5.0
DEFAULT_MIN_SOURCES = 2


@dataclass(frozen=True)
class Settings:
    tolerance: float = DEFAULT_TOLERANCE  # percent
    min_sources: int = DEFAULT_MIN_SOURCES


def family() -> ColumnElement[str]:
    return case(
        (sources.c.affiliation.is_(None), literal("s:") + sources.c.key),
        else_=literal("a:") + sources.c.affiliation,
    )


def origin_stats(claim_ids: IdQuery | None = None) -> CTE:
    """Per claim: asserting attributions, independent origin families, strong sources,
    confident attributions, denials."""
    asserts = attributions.c.stance == Stance.ASSERTS
    query = (
        select(
            attributions.c.claim_id.label("claim_id"),
            func.sum(case((asserts, 1), else_=0)).label("asserts"),
            func.count(func.distinct(case((asserts, family()), else_=null()))).label("independent"),
            func.sum(
                case(
                    (and_(asserts, sources.c.reliability.not_in(sorted(WEAK_RELIABILITY))), 1),
                    else_=0,
                )
            ).label("strong"),
            func.sum(
                case(
                    (
                        and_(
                            asserts,
                            or_(
                                attributions.c.confidence.is_(None), attributions.c.confidence >= 50
                            ),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("confident"),
            func.sum(case((attributions.c.stance == Stance.DENIES, 1), else_=0)).label("denials"),
        )
        .join(sources, sources.c.id == attributions.c.source_id)
        .group_by(attributions.c.claim_id)
    )
    if claim_ids is not None:
        query = query.where(attributions.c.claim_id.in_(claim_ids))
    return query.cte("origin_stats")


def comparable(
    tolerance: float, claim_ids: IdQuery | None = None, *, name: str = "comparable"
) -> CTE:
    """Claims that have a claim key and a value, with the value widened by the tolerance.
    ``place_k`` folds the place so that a missing place matches only a missing place;
    ``unit_k`` folds the unit ("" when none is given)."""
    share = tolerance / 100.0
    query = select(
        claims.c.id.label("id"),
        claims.c.subject_id.label("subject_id"),
        claims.c.property.label("property"),
        claims.c.period_start.label("period_start"),
        claims.c.period_end.label("period_end"),
        func.coalesce(func.lower(claims.c.place), "").label("place_k"),
        func.coalesce(func.lower(func.trim(claims.c.unit)), "").label("unit_k"),
        (claims.c.value_lo - func.abs(claims.c.value_lo) * share).label("lo"),
        (claims.c.value_hi + func.abs(claims.c.value_hi) * share).label("hi"),
        claims.c.value_text.label("text"),
    ).where(
        current(),
        claims.c.subject_id.is_not(None),
        claims.c.property.is_not(None),
        claims.c.id.not_in(superseded_ids()),
        or_(
            claims.c.value_lo.is_not(None),
            claims.c.value_hi.is_not(None),
            claims.c.value_text.is_not(None),
        ),
    )
    if claim_ids is not None:
        # Only the claims that share subject and property with the given ones: a join on
        # the exact pairs, which the claim-key index serves (IN lists of subjects and of
        # properties apart would cover nearly every claim for a large page).
        wanted = (
            select(claims.c.subject_id.label("subject_id"), claims.c.property.label("property"))
            .where(claims.c.id.in_(claim_ids))
            .distinct()
            .subquery("wanted")
        )
        query = query.join(
            wanted,
            and_(
                claims.c.subject_id == wanted.c.subject_id, claims.c.property == wanted.c.property
            ),
        )
    return query.cte(name)


def _same_key(a: Any, b: Any) -> ColumnElement[bool]:
    ac, bc = a.c, b.c
    return and_(
        ac.subject_id == bc.subject_id,
        ac.property == bc.property,
        ac.place_k == bc.place_k,
        # NULL-safe equality (SQLite `IS`), which SQLite can look up in an index, where the
        # equivalent `=`-or-both-NULL could only be filtered after the lookup
        ac.period_start.is_not_distinct_from(bc.period_start),
        ac.period_end.is_not_distinct_from(bc.period_end),
    )


def _contains(a: Any, b: Any) -> ColumnElement[bool]:
    """a's period strictly contains b's, same subject, property and place."""
    ac, bc = a.c, b.c
    return and_(
        ac.subject_id == bc.subject_id,
        ac.property == bc.property,
        ac.place_k == bc.place_k,
        ac.period_start <= bc.period_start,
        ac.period_end >= bc.period_end,
        or_(ac.period_start != bc.period_start, ac.period_end != bc.period_end),
    )


def superseded_ids() -> IdQuery:
    """Claims a live claim ``updates`` ("earlier reporting 12 deaths", then 15): the later
    figure replaces the earlier one, which leaves every comparison (it stays listed, with
    its link). Few rows: the links table, by its relation."""
    updater = claims.alias("updater")
    return (
        select(links.c.to_claim_id)
        .join(updater, updater.c.id == links.c.from_claim_id)
        .where(links.c.relation == Relation.UPDATES, current(updater))
    )


def superseded_by(session: Any, keys: Collection[str]) -> dict[str, list[str]]:
    """Of these claims, those a live claim ``updates``, with the keys of the claims that
    update them (compare and timeline mark them: they are in no comparison)."""
    updater, updated = claims.alias("updater"), claims.alias("updated")
    found: dict[str, list[str]] = {}
    wanted = list(keys)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(updated.c.key, updater.c.key)
            .join(links, links.c.to_claim_id == updated.c.id)
            .join(updater, updater.c.id == links.c.from_claim_id)
            .where(
                links.c.relation == Relation.UPDATES,
                current(updater),
                updated.c.key.in_(wanted[start : start + 500]),
            )
            .order_by(updated.c.key, updater.c.key)
        )
        for old, new in rows:
            found.setdefault(old, []).append(new)
    return found


def _nesting(values: CTE) -> tuple[Any, Callable[[Any, Any, Any], ColumnElement[bool]]]:
    """The pairs of claim keys (same subject, property and place) whose periods strictly
    nest and whose ranges can conflict (the longer period's lowest high end below the
    shorter's highest low end), with each key's bounds: ``hi``/``lo`` of the longer,
    ``inner_hi``/``inner_lo`` of the shorter; and how a claim joins one of the two keys.
    Keys are few: matching periods key by key pairs no claims."""
    key = [values.c[name] for name in ("subject_id", "property", "place_k")]
    periods = [values.c.period_start, values.c.period_end]
    keys = (
        select(*key, *periods, func.min(values.c.hi).label("hi"), func.max(values.c.lo).label("lo"))
        .group_by(*key, *periods)
        .cte(f"{values.name}_keys")
    )
    long, short = keys.alias(), keys.alias()
    nesting = (
        select(
            long,
            short.c.period_start.label("inner_start"),
            short.c.period_end.label("inner_end"),
            short.c.lo.label("inner_lo"),
        )
        .where(_contains(long, short), long.c.hi < short.c.lo)
        .cte(f"{values.name}_nesting")
    )

    def on(claim: Any, start: Any, end: Any) -> ColumnElement[bool]:
        return and_(
            claim.c.subject_id == nesting.c.subject_id,
            claim.c.property == nesting.c.property,
            claim.c.place_k == nesting.c.place_k,
            claim.c.period_start.is_not_distinct_from(start),
            claim.c.period_end.is_not_distinct_from(end),
        )

    return nesting, on


def _nested_pairs(
    values: CTE, claim_ids: IdQuery | Collection[int] | None
) -> tuple[Select[Any], Select[Any]]:
    """(claim, other, why) for claims whose periods strictly nest where the longer period's
    count is lower than the shorter's: ``contains`` for the claim of the longer period,
    ``contained`` for the other; of the given claims only (None: all), which are paired
    first, so a page pairs its own claims, not every claim of its subjects."""
    nesting, on = _nesting(values)
    outer, inner = values.alias(), values.alias()
    contains = (
        select(outer.c.id, inner.c.id, literal("contains"))
        .select_from(nesting)
        .join(outer, on(outer, nesting.c.period_start, nesting.c.period_end))
        .join(inner, on(inner, nesting.c.inner_start, nesting.c.inner_end))
        .where(outer.c.hi < inner.c.lo)
    )
    # the same pairs read from the shorter period's claim
    contained = contains.with_only_columns(inner.c.id, outer.c.id, literal("contained"))
    if claim_ids is not None:
        contains = contains.where(outer.c.id.in_(claim_ids))
        contained = contained.where(inner.c.id.in_(claim_ids))
    return contains, contained


def _nested_ids(values: CTE) -> tuple[Select[Any], Select[Any]]:
    """The claims of :func:`_nested_pairs`' pairs (all of them), without pairing claims:
    a claim of the longer period is in a pair exactly when its high end is below the
    shorter key's highest low end, and one of the shorter when its low end is above the
    longer key's lowest high end (nested cumulative tallies of a thousand claims a subject made the
    pairs quadratic: 50,000 claims did not finish in 12 minutes)."""
    nesting, on = _nesting(values)
    outer, inner = values.alias(), values.alias()
    return (
        select(outer.c.id)
        .select_from(nesting)
        .join(outer, on(outer, nesting.c.period_start, nesting.c.period_end))
        .where(outer.c.hi < nesting.c.inner_lo),
        select(inner.c.id)
        .select_from(nesting)
        .join(inner, on(inner, nesting.c.inner_start, nesting.c.inner_end))
        .where(inner.c.lo > nesting.c.hi),
    )


def conflicting_ids(values: CTE) -> IdQuery:
    """Claims in conflict with at least one other, without a pairwise join inside a key:
    a claim's interval misses some other's exactly when its low end is above the group's
    lowest high end, or its high end below the group's highest low end."""
    key = [
        values.c.subject_id,
        values.c.property,
        values.c.period_start,
        values.c.period_end,
        values.c.place_k,
    ]
    grouped = select(
        values.c.id,
        values.c.lo,
        values.c.hi,
        values.c.text,
        func.max(values.c.lo).over(partition_by=key).label("max_lo"),
        func.min(values.c.hi).over(partition_by=key).label("min_hi"),
        func.min(values.c.text).over(partition_by=key).label("min_text"),
        func.max(values.c.text).over(partition_by=key).label("max_text"),
        values.c.unit_k,
        func.min(func.nullif(values.c.unit_k, "")).over(partition_by=key).label("min_unit"),
        func.max(func.nullif(values.c.unit_k, "")).over(partition_by=key).label("max_unit"),
    ).subquery("grouped")
    same_key = select(grouped.c.id).where(
        or_(
            grouped.c.lo > grouped.c.min_hi,
            grouped.c.hi < grouped.c.max_lo,
            and_(grouped.c.text.is_not(None), grouped.c.min_text != grouped.c.max_text),
            # a figure in another unit than one of the key's is never counted as agreeing
            and_(grouped.c.unit_k != "", grouped.c.min_unit != grouped.c.max_unit),
        )
    )
    return union(same_key, *_nested_ids(values))  # type: ignore[return-value]


def conflict_pairs(values: CTE, claim_ids: IdQuery | Collection[int] | None) -> Select[Any]:
    """(claim, other, why) for each pair in conflict, for the given claims (None: all)."""
    a, b = values.alias(), values.alias()
    wanted = a.c.id.in_(claim_ids) if claim_ids is not None else true()
    units = units_differ(a, b)
    same_key = select(a.c.id, b.c.id, literal("value")).where(
        wanted,
        a.c.id != b.c.id,
        _same_key(a, b),
        ~units,
        or_(a.c.lo > b.c.hi, b.c.lo > a.c.hi, a.c.text != b.c.text),
    )
    in_units = select(a.c.id, b.c.id, literal("unit")).where(
        wanted, a.c.id != b.c.id, _same_key(a, b), units
    )
    contains, contained = _nested_pairs(values, claim_ids)
    # UNION, not UNION ALL, though the sets are disjoint: SQLite flattens a join on a
    # UNION ALL into each of its parts, and then scans every claim for each pair of a page.
    return union(same_key, in_units, contains, contained)  # type: ignore[return-value]


def units_differ(a: Any, b: Any) -> ColumnElement[bool]:
    """Two figures of one claim key in units both given and different ("10 km", "10
    miles"; "$2 million", "€2 million"): not compared, and never counted as agreeing (a
    figure without a unit takes the key's)."""
    return and_(a.c.unit_k != "", b.c.unit_k != "", a.c.unit_k != b.c.unit_k)


def contradicted_ids(claim_ids: IdQuery | None = None) -> IdQuery:
    """Claims a ``contradicts`` link touches, where the claim at its other end is not
    withdrawn (of the given claims only, when given). Each link looks up its two ends by
    primary key: no list of every live claim is built."""
    near, far = claims.alias("near"), claims.alias("far")

    def ends(this: Any, other: Any) -> Select[Any]:
        query = (
            select(this)
            .join(near, near.c.id == this)
            .join(far, far.c.id == other)
            .where(links.c.relation == Relation.CONTRADICTS, current(near), current(far))
        )
        return query if claim_ids is None else query.where(this.in_(claim_ids))

    return union(
        ends(links.c.from_claim_id, links.c.to_claim_id),
        ends(links.c.to_claim_id, links.c.from_claim_id),
    )  # type: ignore[return-value]
