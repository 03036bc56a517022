"""Earned reliability: each source's ``trust`` and each claim's ``plausibility`` from
agreement among independent sources and from analyst verdicts (truth discovery).

One iterative estimate serves both kinds of claim key:

* categorical keys (Accu, Dong et al. 2009): a candidate value's vote is the sum, over the
  origin *families* asserting it, of ``ln(n · A / (1 − A))`` for the family's accuracy A;
  within a key the plausibilities are the softmax of the votes;
* numeric keys (CRH, Li et al. 2014): the key's value is the median of the claims weighted
  by their families' odds ``A / (1 − A)``; a claim's plausibility is 1 there, falls to 0.5
  at the edge of the tolerance and decays exponentially beyond.

A source's accuracy is then the mean plausibility of its contested claims (keys that at
least two families speak to), smoothed towards a prior from its hand grade (A–F), and the
two steps repeat until the accuracies settle. Families (sources sharing an affiliation)
vote once, so echoes do not outvote independent sources; relays never vote. Verdicts
anchor the estimate: a ``verified`` claim is the key's value, a ``false`` one is not.
The result is deterministic for the same data.

Rows are read in one query and the iteration is vectorised with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import String, bindparam, func, select, type_coerce, update

from provenance.analysis.facts import family
from provenance.read.tables import attributions, claims, current, sources
from provenance.vocab import Stance, Status

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Prior accuracy for each hand grade (F, "cannot be judged", is near neutral).
GRADE_PRIOR = {"A": 0.95, "B": 0.85, "C": 0.7, "D": 0.5, "E": 0.3, "F": 0.6}
#: Trust → suggested Admiralty grade (lower bounds); sources without contested claims: F.
SUGGESTED = ((0.9, "A"), (0.78, "B"), (0.62, "C"), (0.45, "D"), (0.0, "E"))
METHODS = ("auto", "accu", "crh", "vote")


@dataclass(frozen=True)
class Parameters:
    method: str = "auto"
    tolerance: float = 5.0  # percent
    prior_weight: float = 2.0  # pseudo-observations of the grade prior
    false_values: float = 10.0  # Accu's n: how many wrong values a liar picks from
    verdict_weight: float = 5.0  # a claim the analyst judged counts as this many estimated
    max_iterations: int = 100
    epsilon: float = 1e-6


@dataclass
class Scores:
    parameters: Parameters
    iterations: int
    converged: bool
    trust: dict[int, float]  # source id → trust
    plausibility: dict[int, float]  # claim id → plausibility
    evidence: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # source id → (claims, agreements, conflicts)


def suggested_reliability(trust: float | None, contested: int) -> str:
    if trust is None or contested == 0:
        return "F"
    return next(letter for floor, letter in SUGGESTED if trust >= floor)


@dataclass
class _Observations:
    """One row per (claim, asserting or denying source): the arrays the iteration uses."""

    claim: np.ndarray
    source: np.ndarray
    family: np.ndarray
    denies: np.ndarray
    claim_ids: np.ndarray
    source_ids: np.ndarray
    item: np.ndarray  # per claim: its claim key (categorical and numeric keys apart)
    numeric: np.ndarray  # per claim
    lo: np.ndarray
    hi: np.ndarray
    candidate: np.ndarray  # per claim: the categorical value's index within all values
    verdict: np.ndarray  # per claim: +1 verified, -1 false, 0 none
    prior: np.ndarray  # per source


def _observe(session: Session) -> _Observations | None:
    # Dates, statuses and stances are only compared here: read as text, they spare a
    # million conversions to date and Enum objects.
    rows = session.execute(
        select(
            claims.c.id,
            claims.c.subject_id,
            claims.c.property,
            type_coerce(claims.c.period_start, String),
            type_coerce(claims.c.period_end, String),
            func.lower(func.coalesce(claims.c.place, "")),
            claims.c.value_lo,
            claims.c.value_hi,
            claims.c.value_text,
            type_coerce(claims.c.status, String),
            attributions.c.source_id,
            type_coerce(attributions.c.stance, String),
            family(),
            sources.c.reliability,
        )
        .join(attributions, attributions.c.claim_id == claims.c.id)
        .join(sources, sources.c.id == attributions.c.source_id)
        .where(
            current(),
            claims.c.subject_id.is_not(None),
            claims.c.property.is_not(None),
            attributions.c.stance != Stance.REPORTS,
            (claims.c.value_lo.is_not(None))
            | (claims.c.value_hi.is_not(None))
            | (claims.c.value_text.is_not(None)),
        )
        .order_by(claims.c.id, attributions.c.id)
        .execution_options(yield_per=20_000)  # streamed: only the columns below are kept
    )
    claim_index: dict[int, int] = {}
    source_index: dict[int, int] = {}
    families: dict[str, int] = {}
    items: dict[tuple[Any, ...], int] = {}
    values: dict[tuple[int, str], int] = {}
    claim_item, claim_numeric, claim_lo, claim_hi, claim_candidate, claim_verdict = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    source_prior: list[float] = []
    obs_claim, obs_source, obs_family, obs_denies = [], [], [], []
    for (
        claim_id,
        subject,
        prop,
        start,
        end,
        place,
        lo,
        hi,
        text,
        status,
        source_id,
        stance,
        family_key,
        grade,
    ) in rows:
        index = claim_index.get(claim_id)
        if index is None:
            index = claim_index[claim_id] = len(claim_index)
            numeric = text is None
            key = (subject, prop, start, end, place, numeric)
            item = items.setdefault(key, len(items))
            claim_item.append(item)
            claim_numeric.append(numeric)
            claim_lo.append(lo if lo is not None else hi)
            claim_hi.append(hi if hi is not None else lo)
            claim_candidate.append(-1 if numeric else values.setdefault((item, text), len(values)))
            claim_verdict.append(
                1
                if status == Status.VERIFIED
                else -1
                if status in (Status.FALSE, Status.RETRACTED)
                else 0
            )
        source = source_index.get(source_id)
        if source is None:
            source = source_index[source_id] = len(source_index)
            source_prior.append(GRADE_PRIOR.get(grade, 0.6))
        obs_claim.append(index)
        obs_source.append(source)
        obs_family.append(families.setdefault(family_key, len(families)))
        obs_denies.append(stance == Stance.DENIES.value)
    if not claim_index:
        return None
    return _Observations(
        claim=np.array(obs_claim),
        source=np.array(obs_source),
        family=np.array(obs_family),
        denies=np.array(obs_denies, dtype=bool),
        claim_ids=np.array(list(claim_index)),
        source_ids=np.array(list(source_index)),
        item=np.array(claim_item),
        numeric=np.array(claim_numeric, dtype=bool),
        lo=np.array(claim_lo, dtype=float),
        hi=np.array(claim_hi, dtype=float),
        candidate=np.array(claim_candidate),
        verdict=np.array(claim_verdict),
        prior=np.array(source_prior),
    )


def _group_max(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    out = np.full(size, -np.inf)
    np.maximum.at(out, groups, values)
    return out


def _weighted_median(
    item: np.ndarray, value: np.ndarray, weight: np.ndarray, items: int
) -> np.ndarray:
    """Per item, the value at which the cumulative weight first reaches half the total."""
    order = np.lexsort((value, item))
    item_sorted, value_sorted, weight_sorted = item[order], value[order], weight[order]
    total = np.bincount(item_sorted, weights=weight_sorted, minlength=items)
    cumulative = np.cumsum(weight_sorted)
    offsets = np.concatenate(([0.0], np.cumsum(total)[:-1]))
    within = cumulative - offsets[item_sorted]
    reached = within >= total[item_sorted] / 2 - 1e-12
    result = np.full(items, np.nan)
    positions = np.flatnonzero(reached)  # ascending, so the first per item comes first
    found, first = np.unique(item_sorted[positions], return_index=True)
    result[found] = value_sorted[positions[first]]
    return result


def score(session: Session, parameters: Parameters | None = None) -> Scores:
    """Compute trust and plausibility (nothing is written; see :func:`store`)."""
    p = parameters or Parameters()
    data = _observe(session)
    if data is None:
        return Scores(p, 0, True, {}, {})
    n_claims, n_sources = len(data.claim_ids), len(data.source_ids)
    n_items = int(data.item.max()) + 1
    n_families = int(data.family.max()) + 1
    asserts = ~data.denies
    categorical = ~data.numeric

    # A family speaks once per value: its categorical vote counts once per (value, family),
    # and its numeric weight in a key is shared among the claims it makes there. So echoes
    # within an affiliation, however many, weigh what one of them weighs.
    a_claim, a_source, a_family = data.claim[asserts], data.source[asserts], data.family[asserts]
    value_unit = np.where(categorical[a_claim], data.candidate[a_claim], -1 - a_claim)
    units, unit_of_obs = np.unique(
        value_unit.astype(np.int64) * n_families + a_family, return_inverse=True
    )
    unit_value = np.zeros(len(units), dtype=np.int64)
    unit_value[unit_of_obs] = value_unit
    unit_claim = np.zeros(len(units), dtype=int)
    unit_claim[unit_of_obs] = a_claim  # for numeric units: the claim itself
    unit_item = data.item[unit_claim]
    unit_family = np.zeros(len(units), dtype=int)
    unit_family[unit_of_obs] = a_family
    unit_categorical = unit_value >= 0
    sources_per_unit = np.bincount(unit_of_obs, minlength=len(units))
    group, group_of_unit = np.unique(
        unit_item.astype(np.int64) * n_families + unit_family, return_inverse=True
    )
    numeric_units_per_group = np.bincount(
        group_of_unit, weights=(~unit_categorical) * 1.0, minlength=len(group)
    )

    # Contested claims: their key has at least two families speaking to it.
    families_per_item = np.bincount(group // n_families, minlength=n_items)
    contested_claim = families_per_item[data.item] >= 2

    # keys where the analyst judged a claim: their claims are known right or wrong
    judged_item = np.bincount(data.item, weights=(data.verdict != 0) * 1.0, minlength=n_items) > 0
    mid = np.where(
        np.isnan(data.lo), data.hi, np.where(np.isnan(data.hi), data.lo, (data.lo + data.hi) / 2)
    )
    tolerance = p.tolerance / 100.0
    n_candidates = max(int(data.candidate.max()) + 1, 1)
    accuracy = data.prior.copy()
    plausibility = np.ones(n_claims)
    iterations, converged = 0, False
    voting = p.method == "vote"
    for iterations in range(1, p.max_iterations + 1):  # noqa: B007
        a = np.clip(accuracy, 0.01, 0.99)
        unit_accuracy = np.clip(
            np.bincount(unit_of_obs, weights=a[a_source], minlength=len(units))
            / np.maximum(sources_per_unit, 1),
            0.01,
            0.99,
        )
        vote = (
            np.ones(len(units))
            if voting
            else np.log(p.false_values * unit_accuracy / (1 - unit_accuracy))
        )

        # categorical: each value's votes, minus denials; softmax within each key
        candidate_vote = np.bincount(
            unit_value[unit_categorical], weights=vote[unit_categorical], minlength=n_candidates
        )
        denied = data.denies & categorical[data.claim]  # per observation
        denial = (
            np.ones(int(denied.sum()))
            if voting
            else np.log(p.false_values * a[data.source[denied]] / (1 - a[data.source[denied]]))
        )
        candidate_vote -= np.bincount(
            data.candidate[data.claim[denied]], weights=denial, minlength=n_candidates
        )
        value_vote = np.where(categorical, candidate_vote[np.maximum(data.candidate, 0)], -np.inf)
        value_vote = np.where(data.verdict == -1, -np.inf, value_vote)
        anchored = (
            _group_max(np.where(categorical & (data.verdict == 1), 1.0, 0.0), data.item, n_items)
            > 0
        )
        top = _group_max(value_vote, data.item, n_items)
        top = np.where(np.isfinite(top), top, 0.0)
        exp = np.where(
            categorical & np.isfinite(value_vote),
            np.exp(np.clip(np.nan_to_num(value_vote - top[data.item], neginf=-700), -700, 0)),
            0.0,
        )
        first_of_candidate = np.zeros(n_claims, dtype=bool)
        if categorical.any():
            _, firsts = np.unique(data.candidate[categorical], return_index=True)
            first_of_candidate[np.flatnonzero(categorical)[firsts]] = True
        denominator = np.bincount(
            data.item[first_of_candidate], weights=exp[first_of_candidate], minlength=n_items
        )
        categorical_p = exp / np.maximum(denominator[data.item], 1e-300)
        verified_value = np.full(n_items, -1)
        verified = categorical & (data.verdict == 1)
        verified_value[data.item[verified]] = data.candidate[verified]
        categorical_p = np.where(
            anchored[data.item], (data.candidate == verified_value[data.item]) * 1.0, categorical_p
        )

        # numeric: the families' odds, shared among their claims in a key, weigh a median
        odds = np.ones(len(units)) if voting else unit_accuracy / (1 - unit_accuracy)
        share = odds / np.maximum(numeric_units_per_group[group_of_unit], 1)
        numeric_units = ~unit_categorical
        claim_weight = np.bincount(
            unit_claim[numeric_units], weights=share[numeric_units], minlength=n_claims
        )
        claim_weight = np.where(data.verdict == 1, 1e12, claim_weight)
        usable = data.numeric & (data.verdict != -1)
        truth = np.full(n_items, np.nan)
        if usable.any():
            truth = _weighted_median(
                data.item[usable], mid[usable], np.maximum(claim_weight[usable], 1e-12), n_items
            )
        x = truth[data.item]
        gap = np.where(x < data.lo, data.lo - x, np.where(x > data.hi, x - data.hi, 0.0))
        relative = gap / np.maximum(np.abs(x), 1.0)
        # 1 at the estimate, 0.5 at the tolerance's edge, decaying beyond: agreeing claims
        # count as agreements, and the nearest is the most plausible
        scale = max(tolerance, 1e-3)
        numeric_p = np.where(
            relative <= scale, 1 - relative / (2 * scale), 0.5 * np.exp(-(relative - scale) / scale)
        )
        numeric_p = np.where(data.verdict == -1, 0.0, np.where(data.verdict == 1, 1.0, numeric_p))

        new_p = np.nan_to_num(np.where(data.numeric, numeric_p, categorical_p), nan=1.0)

        # accuracy: mean plausibility of contested claims (denials score the opposite)
        evidence = np.where(data.denies, 1 - new_p[data.claim], new_p[data.claim])
        counted = contested_claim[data.claim]
        weight = np.where(judged_item[data.item[data.claim]], p.verdict_weight, 1.0)[counted]
        total = np.bincount(
            data.source[counted], weights=evidence[counted] * weight, minlength=n_sources
        )
        count = np.bincount(data.source[counted], weights=weight, minlength=n_sources)
        new_accuracy = (p.prior_weight * data.prior + total) / (p.prior_weight + count)
        change = float(np.max(np.abs(new_accuracy - accuracy))) if n_sources else 0.0
        accuracy, plausibility = new_accuracy, new_p
        if voting or change < p.epsilon:
            converged = True
            break

    # A key that only one family speaks to tells nothing beyond that family's trust.
    family_trust = np.bincount(
        data.claim[asserts], weights=accuracy[data.source][asserts], minlength=n_claims
    ) / np.maximum(np.bincount(data.claim[asserts], minlength=n_claims), 1)
    plausibility = np.where(contested_claim | (data.verdict != 0), plausibility, family_trust)

    counted = contested_claim[data.claim]
    agrees = np.where(data.denies, plausibility[data.claim] < 0.5, plausibility[data.claim] >= 0.5)
    claims_per_source = np.bincount(data.source, minlength=n_sources)
    agreements = np.bincount(data.source[counted & agrees], minlength=n_sources)
    conflicts = np.bincount(data.source[counted & ~agrees], minlength=n_sources)
    return Scores(
        parameters=p,
        iterations=iterations,
        converged=converged,
        trust={int(s): round(float(t), 6) for s, t in zip(data.source_ids, accuracy, strict=True)},
        plausibility={
            int(c): round(float(v), 6) for c, v in zip(data.claim_ids, plausibility, strict=True)
        },
        evidence={
            int(s): (int(n), int(a), int(c))
            for s, n, a, c in zip(
                data.source_ids, claims_per_source, agreements, conflicts, strict=True
            )
        },
    )


def store(session: Session, scores: Scores, *, analyst: str) -> int:
    """Write trust and plausibility (replacing earlier scores) and record the run."""
    session.execute(update(sources).values(trust=None))
    session.execute(update(claims).values(plausibility=None))
    if scores.trust:
        session.execute(
            update(sources).where(sources.c.id == bindparam("row")).values(trust=bindparam("v")),
            [{"row": k, "v": v} for k, v in scores.trust.items()],
        )
    if scores.plausibility:
        session.execute(
            update(claims)
            .where(claims.c.id == bindparam("row"))
            .values(plausibility=bindparam("v")),
            [{"row": k, "v": v} for k, v in scores.plausibility.items()],
        )
    from provenance.models import ScoringRun  # the one ORM write here; reads stay Core

    run = ScoringRun(
        analyst=analyst,
        method=scores.parameters.method,
        parameters=asdict(scores.parameters),
        iterations=scores.iterations,
        converged=scores.converged,
        sources=len(scores.trust),
        claims=len(scores.plausibility),
    )
    session.add(run)
    session.flush()
    return run.id


def records(session: Session, scores: Scores) -> list[dict[str, Any]]:
    """`source score -f json`: one record per source, most trusted first."""
    keys = dict(session.execute(select(sources.c.id, sources.c.key)).all())
    rows = []
    for source_id, trust in scores.trust.items():
        claims, agreements, conflicts = scores.evidence.get(source_id, (0, 0, 0))
        rows.append(
            {
                "source": keys[source_id],
                "trust": trust,
                "claims": claims,
                "agreements": agreements,
                "conflicts": conflicts,
                "suggested_reliability": suggested_reliability(trust, agreements + conflicts),
            }
        )
    return sorted(rows, key=lambda r: (-r["trust"], r["source"]))


def explain_source(session: Session, source_id: int, limit: int = 5) -> dict[str, Any]:
    """The claims that raised and lowered a source's trust (by stored plausibility)."""
    base = (
        select(claims.c.key, claims.c.text, claims.c.plausibility)
        .join(attributions, attributions.c.claim_id == claims.c.id)
        .where(
            attributions.c.source_id == source_id,
            attributions.c.stance == Stance.ASSERTS,
            claims.c.plausibility.is_not(None),
        )
    )

    def listing(rows: Sequence[Any]) -> list[dict[str, Any]]:
        return [{"claim": k, "text": t, "plausibility": v} for k, t, v in rows]

    return {
        "raised_by": listing(
            session.execute(
                base.where(claims.c.plausibility >= 0.5)
                .order_by(claims.c.plausibility.desc(), claims.c.key)
                .limit(limit)
            ).all()
        ),
        "lowered_by": listing(
            session.execute(
                base.where(claims.c.plausibility < 0.5)
                .order_by(claims.c.plausibility, claims.c.key)
                .limit(limit)
            ).all()
        ),
    }
