"""Earned reliability: each source's ``trust`` and each claim's ``plausibility`` from
agreement among independent sources and from analyst verdicts (truth discovery).

One iterative estimate serves both kinds of claim key:

* categorical keys (Accu, Dong et al. 2009): a candidate value's vote is the sum, over the
  origin *families* asserting it, of ``ln(n · A / (1 − A))`` for the family's accuracy A;
  within a key the plausibilities are the softmax of the votes;
* numeric keys (CRH, Li et al. 2014): the key's value is the median of the claims weighted
  by their families' odds ``A / (1 − A)``; a claim's plausibility is 1 there, falls to 0.5
  at the edge of the tolerance and decays exponentially beyond.

A categorical value written as a ``;`` list partly supports the lists sharing its items
(AccuSim, ``similarity.py``): value w adds ``ρ × |v ∩ w| / |w|`` of its vote to value v.

A source's accuracy is then the mean plausibility of its contested claims (keys that at
least two families speak to), smoothed towards a prior from its hand grade (A–F), and the
two steps repeat until the accuracies settle. Families (sources sharing an affiliation)
vote once, so echoes do not outvote independent sources; relays never vote. Verdicts
anchor the estimate: a ``verified`` claim is the key's value, a ``false`` one is not.
The result is deterministic for the same data.

Rows are read in one query and the iteration is vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from provenance.analysis import copies, dependence, votes
from provenance.analysis.dependence import CopyParameters
from provenance.analysis.observations import GRADE_PRIOR, observe

__all__ = ["GRADE_PRIOR", "Parameters", "Scores", "score", "store"]
#: Trust → suggested Admiralty grade (lower bounds); sources with fewer contested claims
#: than SUGGEST_FROM: F, "reliability cannot be judged" (one disagreement once suggested C
#: for unnamed witnesses).
SUGGESTED = ((0.9, "A"), (0.78, "B"), (0.62, "C"), (0.45, "D"), (0.0, "E"))
SUGGEST_FROM = 3
METHODS = ("auto", "accu", "crh", "vote")


@dataclass(frozen=True)
class Parameters:
    method: str = "auto"
    tolerance: float = 5.0  # percent
    prior_weight: float = 2.0  # pseudo-observations of the grade prior
    false_values: float = 3.0  # Accu's n (at most): how many wrong values a liar picks from
    verdict_weight: float = 5.0  # a claim the analyst judged counts as this many estimated
    max_iterations: int = 100
    epsilon: float = 1e-6
    unseen_values: bool = True  # Accu's unseen false values share the key's probability
    similarity: float = 0.5  # AccuSim's rho: weight of a similar value's vote (lists)
    detect_copying: bool = True
    copying: CopyParameters = field(default_factory=CopyParameters)


@dataclass
class Scores:
    parameters: Parameters
    iterations: int
    converged: bool
    trust: dict[int, float]  # source id → trust
    plausibility: dict[int, float]  # claim id → plausibility
    evidence: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # source id → (claims, agreements, conflicts)
    pairs: list[dependence.CopyPair] = field(default_factory=list)


def suggested_reliability(trust: float | None, contested: int) -> str:
    if trust is None or contested < SUGGEST_FROM:
        return "F"
    return next(letter for floor, letter in SUGGESTED if trust >= floor)


def score(
    session: Session,
    parameters: Parameters | None = None,
    *,
    rejected: set[tuple[int, int]] | None = None,
) -> Scores:
    """Compute trust and plausibility (nothing is written; see :func:`store`).
    ``rejected``: pairs of source ids judged independent (default: the analyst's decisions)."""
    p = parameters or Parameters()
    if rejected is None:
        rejected = copies.rejected_pairs(session)
    data = observe(session)
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
    unit_of_obs = unit_of_obs.reshape(-1)
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
    group_of_unit = group_of_unit.reshape(-1)
    numeric_units_per_group = np.bincount(
        group_of_unit, weights=(~unit_categorical) * 1.0, minlength=len(group)
    )

    # Contested claims: their key has at least two families speaking to it (a denial speaks).
    speaking = np.unique(data.item[data.claim].astype(np.int64) * n_families + data.family)
    families_per_item = np.bincount(speaking // n_families, minlength=n_items)
    contested_claim = families_per_item[data.item] >= 2
    # A source's repeated claims in one key count once towards its accuracy.
    per_source_item = np.unique(
        data.source.astype(np.int64) * n_items + data.item[data.claim], return_inverse=True
    )[1].reshape(-1)
    once = 1.0 / np.bincount(per_source_item)[per_source_item]

    # Undeclared copying: comparable source pairs, built once, re-weighed every iteration.
    index_of = {int(s): i for i, s in enumerate(data.source_ids)}
    copying = p.method in ("auto", "accu", "crh") and p.detect_copying
    pairs = (
        dependence.build_pairs(
            source=a_source,
            family=a_family,
            item=data.item[a_claim],
            value=data.value[a_claim],
            claim=a_claim,
            n_sources=n_sources,
            parameters=p.copying,
            excluded={
                (min(index_of[a], index_of[b]), max(index_of[a], index_of[b]))
                for a, b in (rejected or set())
                if a in index_of and b in index_of
            },
        )
        if copying
        else None
    )
    obs_factor = np.ones(len(a_claim))
    found: dependence.Dependence | None = None
    if pairs is not None and len(pairs.left):
        # the first round, as AccuCopy's: dependence from one starting accuracy for all and
        # the majority's values, so a clique of copiers is discounted before it can teach the
        # estimate that it is right
        found = dependence.estimate(
            pairs,
            np.full(n_sources, p.copying.first_accuracy),
            votes.majority(data, a_claim, a_family),
            parameters=p.copying,
        )
        obs_factor = dependence.vote_factor(pairs, found, p.copying)

    # keys where the analyst judged a claim: their claims are known right or wrong
    judged_item = np.bincount(data.item, weights=(data.verdict != 0) * 1.0, minlength=n_items) > 0
    mid = data.mid
    tolerance = p.tolerance / 100.0
    n_candidates = max(int(data.candidate.max()) + 1, 1)
    candidates_per_item = np.bincount(
        data.item[categorical],
        weights=votes.first_of(data.candidate, categorical),
        minlength=n_items,
    )
    # Accu's n, the false values a wrong source picks from (one figure for all keys: taken
    # per key from the values seen there, it falls to 1 or 2 in sparse keys, where a source
    # below 50 % accuracy would then vote against what it asserts)
    item_n = np.full(n_items, p.false_values)
    denied_n = item_n[data.item[data.claim[data.denies]]]
    # Accu's unseen false values, each at vote 0: a value voted for by one weak source, or
    # denied, is not certain merely for being the only one named
    unseen = (
        np.maximum(item_n + 1 - candidates_per_item, 0) if p.unseen_values else np.zeros(n_items)
    )
    accuracy = data.prior.copy()
    plausibility = np.ones(n_claims)
    iterations, converged = 0, False
    voting = p.method == "vote"
    denied = data.denies  # per observation
    for iterations in range(1, p.max_iterations + 1):
        a = np.clip(accuracy, 0.01, 0.99)
        unit_accuracy = np.clip(
            np.bincount(unit_of_obs, weights=a[a_source], minlength=len(units))
            / np.maximum(sources_per_unit, 1),
            0.01,
            0.99,
        )
        unit_factor = np.bincount(unit_of_obs, weights=obs_factor, minlength=len(units)) / (
            np.maximum(sources_per_unit, 1)
        )
        vote = (
            np.ones(len(units))
            if voting
            else np.log(item_n[unit_item] * unit_accuracy / (1 - unit_accuracy)) * unit_factor
        )
        against = (
            np.ones(int(denied.sum()))
            if voting
            else np.log(denied_n * a[data.source[denied]] / (1 - a[data.source[denied]]))
        )

        # categorical: each value's votes, minus denials; softmax within each key, with
        # the unseen false values at vote 0 (Accu), so a lone denied value can lose
        candidate_vote = np.bincount(
            unit_value[unit_categorical], weights=vote[unit_categorical], minlength=n_candidates
        )
        denied_categorical = denied & categorical[data.claim]
        candidate_vote -= np.bincount(
            data.candidate[data.claim[denied_categorical]],
            weights=against[categorical[data.claim[denied]]],
            minlength=n_candidates,
        )
        if not voting:  # a list sharing items with another partly supports it (AccuSim)
            candidate_vote = data.support.adjust(candidate_vote, p.similarity)
        categorical_p = votes.categorical(data, candidate_vote, unseen, n_items)

        # numeric: the families' votes, shared among their claims in a key, weigh a median.
        # A vote is Accu's log-odds, as for a category (never below a sliver): with the odds
        # themselves, one source at 0.99 outweighed ten at 0.9, so a source whose wide
        # ranges were met early came to overrule everyone, its wrong figures included
        odds = (
            np.ones(len(units))
            if voting
            else np.maximum(np.log(item_n[unit_item] * unit_accuracy / (1 - unit_accuracy)), 1e-3)
        )
        share = odds * unit_factor / np.maximum(numeric_units_per_group[group_of_unit], 1)
        numeric_units = ~unit_categorical
        claim_weight = np.bincount(
            unit_claim[numeric_units], weights=share[numeric_units], minlength=n_claims
        )
        denial_weight = np.bincount(
            data.claim[denied],
            weights=np.ones(int(denied.sum())) if voting else np.exp(against) / denied_n,
            minlength=n_claims,
        )
        numeric_p = votes.numeric(data, claim_weight, denial_weight, mid, tolerance, n_items)

        new_p = np.nan_to_num(np.where(data.numeric, numeric_p, categorical_p), nan=1.0)

        # accuracy: mean plausibility of contested claims (denials score the opposite), a
        # source's claims in one key counting once
        evidence = np.where(data.denies, 1 - new_p[data.claim], new_p[data.claim])
        counted = contested_claim[data.claim]
        weight = (np.where(judged_item[data.item[data.claim]], p.verdict_weight, 1.0) * once)[
            counted
        ]
        total = np.bincount(
            data.source[counted], weights=evidence[counted] * weight, minlength=n_sources
        )
        count = np.bincount(data.source[counted], weights=weight, minlength=n_sources)
        new_accuracy = (p.prior_weight * data.prior + total) / (p.prior_weight + count)
        change = float(np.max(np.abs(new_accuracy - accuracy))) if n_sources else 0.0
        accuracy, plausibility = new_accuracy, new_p
        if pairs is not None and len(pairs.left) and iterations <= p.copying.rounds:
            found = dependence.estimate(
                pairs,
                accuracy,
                plausibility,
                parameters=p.copying,
            )
            if float(found.probability.max()) < 1e-3:
                # no pair is dependent: stop looking, and let the estimate converge as a
                # copy-blind one would
                new_factor = np.ones(len(obs_factor))
                pairs = None
            else:
                # damped: the estimate and the discounts settle together, without swinging
                new_factor = (obs_factor + dependence.vote_factor(pairs, found, p.copying)) / 2
            change = max(change, float(np.max(np.abs(new_factor - obs_factor))))
            obs_factor = new_factor
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
        pairs=dependence.listing(data.source_ids, pairs, found),
    )


def store(session: Session, scores: Scores, *, analyst: str) -> int:
    """Write trust and plausibility (replacing earlier scores) and record the run."""
    from provenance.models import Claim, ScoringRun, Source  # writes load the ORM

    session.execute(update(Source).values(trust=None))
    session.execute(update(Claim).values(plausibility=None))
    if scores.trust:
        session.execute(update(Source), [{"id": k, "trust": v} for k, v in scores.trust.items()])
    if scores.plausibility:
        session.execute(
            update(Claim), [{"id": k, "plausibility": v} for k, v in scores.plausibility.items()]
        )
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
    copies.save(session, run.id, scores.pairs)
    return run.id


def records(session: Session, scores: Scores) -> list[dict[str, Any]]:
    """`source score -f json`: one record per source, most trusted first."""
    from provenance.models import Source  # writes load the ORM

    keys = dict(session.execute(select(Source.id, Source.key)).all())
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
