"""The vote arithmetic of earned reliability (``trust.score``): Accu's softmax over a key's
categorical values and CRH's weighted median for figures, vectorised with numpy."""

from __future__ import annotations

import numpy as np

from provenance.analysis.observations import Observations


def group_max(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    out = np.full(size, -np.inf)
    np.maximum.at(out, groups, values)
    return out


def weighted_median(
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


def majority(data: Observations, a_claim: np.ndarray, a_family: np.ndarray) -> np.ndarray:
    """Per claim: 1 when its value is (one of) the most asserted in its key, by families."""
    n_families = int(a_family.max()) + 1
    units = np.unique(data.value[a_claim].astype(np.int64) * n_families + a_family)
    families = np.bincount(units // n_families, minlength=int(data.value.max()) + 1)
    count = families[data.value]
    top = group_max(count * 1.0, data.item, int(data.item.max()) + 1)
    chosen: np.ndarray = (count >= top[data.item]) * 1.0
    return chosen


def first_of(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1.0 for the first claim of each distinct value among the masked ones, else 0."""
    first = np.zeros(len(values))
    if mask.any():
        _, firsts = np.unique(values[mask], return_index=True)
        first[np.flatnonzero(mask)[firsts]] = 1.0
    masked: np.ndarray = first[mask]
    return masked


def categorical(
    data: Observations, candidate_vote: np.ndarray, unseen: np.ndarray, n_items: int
) -> np.ndarray:
    categorical = ~data.numeric
    value_vote = np.where(categorical, candidate_vote[np.maximum(data.candidate, 0)], -np.inf)
    value_vote = np.where(data.verdict == -1, -np.inf, value_vote)
    anchored = (
        group_max(np.where(categorical & (data.verdict == 1), 1.0, 0.0), data.item, n_items) > 0
    )
    top = np.maximum(group_max(value_vote, data.item, n_items), 0.0)  # unseen values vote 0
    exp = np.where(
        categorical & np.isfinite(value_vote),
        np.exp(np.clip(np.nan_to_num(value_vote - top[data.item], neginf=-700), -700, 0)),
        0.0,
    )
    first = np.zeros(len(data.candidate), dtype=bool)
    if categorical.any():
        _, firsts = np.unique(data.candidate[categorical], return_index=True)
        first[np.flatnonzero(categorical)[firsts]] = True
    denominator = np.bincount(data.item[first], weights=exp[first], minlength=n_items) * 1.0
    denominator += unseen * np.exp(-top)
    probability = exp / np.maximum(denominator[data.item], 1e-300)
    verified_value = np.full(n_items, -1)
    verified = categorical & (data.verdict == 1)
    verified_value[data.item[verified]] = data.candidate[verified]
    result: np.ndarray = np.where(
        anchored[data.item], (data.candidate == verified_value[data.item]) * 1.0, probability
    )
    return result


def numeric(
    data: Observations,
    claim_weight: np.ndarray,
    denial_weight: np.ndarray,
    mid: np.ndarray,
    tolerance: float,
    n_items: int,
) -> np.ndarray:
    """1 at the key's weighted median, 0.5 at the tolerance's edge, decaying beyond; a
    denied figure keeps only the share of weight its assertions have over its denials."""
    weight = np.where(data.verdict == 1, 1e12, claim_weight)
    usable = data.numeric & (data.verdict != -1)
    truth = np.full(n_items, np.nan)
    if usable.any():
        truth = weighted_median(
            data.item[usable], mid[usable], np.maximum(weight[usable], 1e-12), n_items
        )
    x = truth[data.item]
    gap = np.where(x < data.lo, data.lo - x, np.where(x > data.hi, x - data.hi, 0.0))
    relative = gap / np.maximum(np.abs(x), 1.0)
    scale = max(tolerance, 1e-3)
    near = np.where(
        relative <= scale, 1 - relative / (2 * scale), 0.5 * np.exp(-(relative - scale) / scale)
    )
    near = near * claim_weight / np.maximum(claim_weight + denial_weight, 1e-12)
    return np.where(data.verdict == -1, 0.0, np.where(data.verdict == 1, 1.0, near))
