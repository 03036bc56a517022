"""Undeclared copying between sources, from the data (Dong, Berti-Équille and Srivastava,
VLDB 2009, "Integrating conflicting data: the role of source dependence"; AccuCopy).

For every pair of sources in different families that speak to at least ``min_shared``
common claim keys, the shared keys are split into those where both give the same value
(weighted by the current probability that the value is true, ``k_true``, or false,
``k_false``) and those where they differ (``k_diff``). With accuracies ``a1``, ``a2``, ``n``
false values per key, a copy rate ``r`` and a prior ``alpha`` of dependence:

* independent: the same true value has probability ``a1·a2``, the same false value
  ``(1−a1)(1−a2)/n``;
* source 2 copies source 1: a copied value is source 1's (true with ``a1``) with
  probability ``r``, otherwise independent; a different value is ``1−r`` times as likely.

Bayes' rule over the three hypotheses gives ``P(2 copies 1)``, ``P(1 copies 2)`` and their sum,
the pair's dependence. Sharing false values is strong evidence, sharing true values weak,
and disagreeing is evidence of independence. The direction comes from the accuracies (a
copied value carries the original's accuracy) and, when those cannot tell, from coverage
(the copier's claims lie mostly within what it shares).

Voting then counts a copier only for what it adds: where both sources of a dependent pair
give the same value, the copier's vote is multiplied by ``1 − r·P(dependent)``.

All of it is vectorised: the pairs are built once per scoring run from the key/value
observations; each iteration re-weighs them with the current estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CopyParameters:
    prior: float = 0.05  # alpha: a priori probability that two sources are dependent
    copy_rate: float = 0.8  # r: share of a copier's values that are copied
    min_shared: int = 3  # claim keys two sources must share to be compared
    max_sources_per_key: int = 500  # keys with more sources are left out of detection
    false_values: float = 10.0  # at most this many false values per key (Accu's n)
    per_key_false_values: bool = True  # n from the values seen in each key
    hard_truth: bool = False
    first_accuracy: float = 0.8  # every source's accuracy in the first round (DAFNA's)
    rounds: int = 20  # iterations that re-estimate dependence; then it is held


@dataclass
class PairSet:
    """The comparable source pairs and, per (pair, shared key), whether they agree."""

    left: np.ndarray  # per pair: source index (the smaller)
    right: np.ndarray  # per pair: source index
    shared: np.ndarray  # per pair: shared claim keys
    row_pair: np.ndarray  # per (pair, key) row
    row_same: np.ndarray  # bool: both give the same value
    row_claim: np.ndarray  # a claim carrying the shared value (when same), else -1
    row_left_triple: np.ndarray  # per row: the left source's (key, source, value) index
    row_right_triple: np.ndarray
    obs_triple: np.ndarray  # per observation: its (key, source, value) index
    n_triples: int
    row_false_values: np.ndarray  # per row: n, the false values its key allows
    left_keys: np.ndarray  # per pair: the left source's claim keys
    right_keys: np.ndarray


@dataclass
class Dependence:
    probability: np.ndarray  # per pair: P(dependent), either way
    left_copies: np.ndarray  # per pair: P(left copies right)
    right_copies: np.ndarray
    k_true: np.ndarray
    k_false: np.ndarray
    k_diff: np.ndarray
    k_same: np.ndarray


def _pairs_within(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i < j) of rows in the same group; ``groups`` sorted ascending."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    group_end = np.repeat(starts + sizes, sizes)
    index = np.arange(len(groups))
    later = group_end - index - 1  # partners after each row within its group
    left = np.repeat(index, later)
    first_partner = np.repeat(index + 1, later)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    return left, first_partner + offsets


def build_pairs(
    *,
    source: np.ndarray,
    family: np.ndarray,
    item: np.ndarray,
    value: np.ndarray,
    claim: np.ndarray,
    n_sources: int,
    parameters: CopyParameters,
    excluded: set[tuple[int, int]] | None = None,
) -> PairSet:
    """Pairs of sources (different families) sharing at least ``min_shared`` keys.

    The arguments are per asserting observation: its source and family indices, its claim
    key, its value (an id comparable within a key) and its claim index. A source's repeated
    claims of one value in a key count once. ``excluded`` pairs (source indices, smaller
    first) are left alone (the analyst rejected them)."""
    triples, obs_triple = np.unique(np.stack([item, source, value]), axis=1, return_inverse=True)
    obs_triple = obs_triple.reshape(-1)
    t_item, t_source, t_value = triples  # sorted by key
    t_claim = np.zeros(triples.shape[1], dtype=np.int64)
    t_claim[obs_triple[::-1]] = claim[::-1]  # a claim carrying the value (the first)
    source_family = np.zeros(n_sources, dtype=np.int64)
    source_family[source] = family
    per_key = np.bincount(t_item)
    t_index = np.flatnonzero(per_key[t_item] <= parameters.max_sources_per_key)
    i, j = _pairs_within(t_item[t_index])
    i, j = t_index[i], t_index[j]
    different = source_family[t_source[i]] != source_family[t_source[j]]
    i, j = i[different], j[different]
    swap = t_source[i] > t_source[j]
    i, j = np.where(swap, j, i), np.where(swap, i, j)  # i: the smaller source index
    lo, hi = t_source[i].astype(np.int64), t_source[j].astype(np.int64)
    same = t_value[i] == t_value[j]
    n_items = int(item.max()) + 1 if len(item) else 1
    code = (lo * n_sources + hi) * n_items + t_item[i]
    # one row per (pair, key): same when any of their values there match
    order = np.lexsort((~same, code))
    code, same, i, j = code[order], same[order], i[order], j[order]
    first = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, dtype=bool)
    row_code, row_same, row_i, row_j = code[first], same[first], i[first], j[first]
    pairs, row_pair, shared = np.unique(
        row_code // n_items, return_inverse=True, return_counts=True
    )
    row_pair = row_pair.reshape(-1)
    keep_pair = shared >= parameters.min_shared
    if excluded:
        rejected = np.array([a * n_sources + b for a, b in excluded], dtype=np.int64)
        keep_pair &= ~np.isin(pairs, rejected)
    new_index = np.cumsum(keep_pair) - 1
    keep_row = keep_pair[row_pair]
    # claim keys, not (key, value) pairs: a source with two figures for one key speaks to
    # one key
    keyed = np.unique(t_item.astype(np.int64) * n_sources + t_source)
    keys_per_source = np.bincount(keyed % n_sources, minlength=n_sources).astype(float)
    left, right = pairs[keep_pair] // n_sources, pairs[keep_pair] % n_sources
    shared = shared[keep_pair]
    row_same = row_same[keep_row]
    row_key = (row_code % n_items)[keep_row]
    if parameters.per_key_false_values:
        values_per_key = np.bincount(np.unique(np.stack([item, value]), axis=1)[0])
        row_n = np.clip(values_per_key[row_key] - 1.0, 1.0, parameters.false_values)
    else:
        row_n = np.full(len(row_key), parameters.false_values)
    return PairSet(
        left=left,
        right=right,
        shared=shared,
        row_pair=new_index[row_pair[keep_row]],
        row_same=row_same,
        row_claim=np.where(row_same, t_claim[row_i[keep_row]], -1),
        row_left_triple=row_i[keep_row],
        row_right_triple=row_j[keep_row],
        obs_triple=obs_triple,
        row_false_values=row_n,
        n_triples=triples.shape[1],
        left_keys=keys_per_source[left],
        right_keys=keys_per_source[right],
    )


def estimate(
    pairs: PairSet,
    accuracy: np.ndarray,
    value_truth: np.ndarray,
    *,
    parameters: CopyParameters,
) -> Dependence:
    """P(dependent) and its direction for every pair, given the sources' accuracies and the
    probability that each claim's value is true."""
    n_pairs = len(pairs.left)
    same = pairs.row_same
    p = np.where(same, value_truth[np.maximum(pairs.row_claim, 0)], 0.0)
    if parameters.hard_truth:
        p = (p >= 0.5) * 1.0
    p_false = same * (1.0 - p)
    a1 = np.clip(accuracy[pairs.left], 0.01, 0.99)[pairs.row_pair]
    a2 = np.clip(accuracy[pairs.right], 0.01, 0.99)[pairs.row_pair]
    r, alpha = parameters.copy_rate, parameters.prior
    t_true = a1 * a2
    t_false = (1 - a1) * (1 - a2) / pairs.row_false_values
    differ = np.where(same, 0.0, np.log(1 - r))

    def ratio(original: np.ndarray) -> np.ndarray:  # log P(rows | copying) / P(rows | indep.)
        row = (
            p * np.log((original * r + t_true * (1 - r)) / t_true)
            + p_false * np.log(((1 - original) * r + t_false * (1 - r)) / t_false)
            + differ
        )
        return np.bincount(pairs.row_pair, weights=row, minlength=n_pairs)

    prior = np.log(alpha / 2) - np.log(1 - alpha)
    right_copies_log = ratio(a1) + prior  # the right source copies the left: left's accuracy
    left_copies_log = ratio(a2) + prior
    top = np.maximum(np.maximum(right_copies_log, left_copies_log), 0.0)
    e_right = np.exp(right_copies_log - top)
    e_left = np.exp(left_copies_log - top)
    total = e_right + e_left + np.exp(-top)
    return Dependence(
        probability=(e_right + e_left) / total,
        left_copies=e_left / total,
        right_copies=e_right / total,
        k_true=np.bincount(pairs.row_pair, weights=p, minlength=n_pairs),
        k_false=np.bincount(pairs.row_pair, weights=p_false, minlength=n_pairs),
        k_diff=np.bincount(pairs.row_pair, weights=~same * 1.0, minlength=n_pairs),
        k_same=np.bincount(pairs.row_pair, weights=same * 1.0, minlength=n_pairs),
    )


def copier_is_left(pairs: PairSet, dependence: Dependence) -> np.ndarray:
    """Per pair: True when the left source's vote is the one discounted. AccuCopy orders the
    sources and discounts each by those before it. Where the accuracies tell the direction
    clearly, the copier is discounted; elsewhere one fixed order serves all pairs, so a
    group of sources copying one another keeps one full vote and the choice does not swing
    between iterations: the source with more claim keys first (a copier takes a part of
    what it copies), then by index."""
    left, right = dependence.left_copies, dependence.right_copies
    clear = np.abs(left - right) > 0.5 * np.maximum(left + right, 1e-12)
    by_size = np.where(
        pairs.left_keys != pairs.right_keys,
        pairs.left_keys < pairs.right_keys,
        pairs.left > pairs.right,
    )
    return np.where(clear, left > right, by_size)


#: Coverage names the copier when the other source speaks to at least this many claim keys
#: that the pair does not share, and at least COVER_RATIO times as many as the copier does.
COVER_KEYS = 3
COVER_RATIO = 2.0


def direction(pairs: PairSet, dependence: Dependence) -> np.ndarray:
    """Per pair: 1 when the left copies the right, -1 the other way, 0 when it cannot be
    told (neither accuracy nor coverage separates them). Coverage: a copier's claims lie
    within what the pair shares, while its original says more; the source with fewer
    keys outside the shared ones is the copier when the other has at least
    ``COVER_KEYS`` such keys and ``COVER_RATIO`` times as many. (A difference of 0.2 in
    the shares of shared keys was asked before: a copier of 88 % of its original's keys,
    with all of its own claims shared, was "cannot tell".)"""
    left, right = dependence.left_copies, dependence.right_copies
    by_accuracy = np.abs(left - right) > 0.5 * np.maximum(left + right, 1e-12)
    left_outside = pairs.left_keys - pairs.shared
    right_outside = pairs.right_keys - pairs.shared
    more = np.maximum(left_outside, right_outside)
    fewer = np.minimum(left_outside, right_outside)
    by_cover = (more >= COVER_KEYS) & (more >= COVER_RATIO * fewer)
    told = by_accuracy | by_cover
    return np.where(told, np.where(copier_is_left(pairs, dependence), 1, -1), 0)


def vote_factor(pairs: PairSet, dependence: Dependence, parameters: CopyParameters) -> np.ndarray:
    """Per observation: the share of its vote that counts. Where a dependent pair gives the
    same value, the copier's vote is multiplied by ``1 − r·P(dependent)`` (a copier of
    several sources, once for each)."""
    if len(pairs.left) == 0:
        return np.ones(len(pairs.obs_triple))
    same = pairs.row_same
    copier_left = copier_is_left(pairs, dependence)[pairs.row_pair[same]]
    copier = np.where(copier_left, pairs.row_left_triple[same], pairs.row_right_triple[same])
    shrink = np.log(
        np.clip(1 - parameters.copy_rate * dependence.probability[pairs.row_pair[same]], 1e-9, 1)
    )
    per_triple = np.bincount(copier, weights=shrink, minlength=pairs.n_triples)
    factor: np.ndarray = np.exp(per_triple[pairs.obs_triple])
    return factor


@dataclass(frozen=True)
class CopyPair:
    """Two sources the data shows copying one another (source ids, the smaller first)."""

    source_a: int
    source_b: int
    probability: float
    a_copies_b: float  # P(a copies b)
    b_copies_a: float
    direction: int  # 1: a copies b, -1: b copies a, 0: cannot be told
    shared_keys: int
    shared_values: int
    shared_false: float  # shared values weighted by their probability of being false


def listing(
    source_ids: np.ndarray, pairs: PairSet | None, found: Dependence | None
) -> list[CopyPair]:
    """Pairs worth showing (probability at least 1 %), by source id."""
    if pairs is None or found is None or not len(pairs.left):
        return []
    directions = direction(pairs, found)
    shown = np.flatnonzero(found.probability >= 0.01)
    result = []
    for k in shown:
        a, b = int(source_ids[pairs.left[k]]), int(source_ids[pairs.right[k]])
        flip = a > b
        left_copies, right_copies = float(found.left_copies[k]), float(found.right_copies[k])
        result.append(
            CopyPair(
                source_a=min(a, b),
                source_b=max(a, b),
                probability=round(float(found.probability[k]), 6),
                a_copies_b=round(right_copies if flip else left_copies, 6),
                b_copies_a=round(left_copies if flip else right_copies, 6),
                direction=int(-directions[k] if flip else directions[k]),
                shared_keys=int(pairs.shared[k]),
                shared_values=int(found.k_same[k]),
                shared_false=round(float(found.k_false[k]), 3),
            )
        )
    return sorted(result, key=lambda pair: (-pair.probability, pair.source_a, pair.source_b))
