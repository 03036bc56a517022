"""Similar values support one another: a categorical value written as a list (items
separated by ``;``, such as a book's authors ``aiken; allen``) is a set of items, and a
list that shares items with another partly supports it.

This is the value-similarity extension of Accu (AccuSim: Dong, Berti-Équille and
Srivastava, VLDB 2009; TruthFinder's implication between facts, Yin, Han and
Yu, KDD 2007), with the implication DAFNA-EA (``daqcri/DAFNA-EA``, ``PersonsNameComparator``)
uses for lists of names: the support of value ``w`` for value ``v`` is the share of
``w``'s items that ``v`` also has, ``|v ∩ w| / |w|``. A store that lists only the first
author is then consistent with the full list (it supports it wholly), while the full list
supports the first author alone only for that author's share of it. Each value's vote
becomes ``C(v) + ρ · Σ_w C(w) · imp(w → v)`` before the softmax.

Only keys in which some value contains ``;`` take part (items are compared whole, after
case and whitespace folding, so ``killed`` and ``not killed`` are not similar); keys with
more than ``max_values`` distinct values are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from provenance.analysis.dependence import _pairs_within

SEPARATOR = ";"


@dataclass
class Support:
    """Per (value, supporting value) pair of one key: ``weight`` = imp(supporter → target)."""

    target: np.ndarray  # candidate index
    supporter: np.ndarray  # candidate index
    weight: np.ndarray

    @classmethod
    def none(cls) -> Support:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, np.zeros(0))

    def adjust(self, vote: np.ndarray, rho: float) -> np.ndarray:
        """Votes with the support of similar values added (all from the unadjusted votes)."""
        if not len(self.target) or rho == 0:
            return vote
        added = np.bincount(
            self.target, weights=vote[self.supporter] * self.weight, minlength=len(vote)
        )
        adjusted: np.ndarray = vote + rho * added
        return adjusted


def items_of(text: str) -> set[str]:
    """A value's items: its ``;``-separated parts (a value without ``;``: one item)."""
    items = set(map(str.strip, text.split(SEPARATOR)))
    items.discard("")
    return items or {text}


def support(keyed: Collection[tuple[int, str]], max_values: int = 50) -> Support:
    """``keyed``: (key, folded text) of each candidate value, in candidate-index order (iterated,
    never copied: without list values the cost is one look at each)."""
    list_keys = {key for key, text in keyed if SEPARATOR in text}
    if not list_keys:
        return Support.none()
    values_per_key = Counter(key for key, _ in keyed if key in list_keys)
    tokens: dict[str, int] = {}
    row_candidate: list[int] = []
    row_token: list[int] = []
    for i, (key, text) in enumerate(keyed):
        if key in list_keys and values_per_key[key] <= max_values:
            for item in items_of(text):
                row_candidate.append(i)
                row_token.append(tokens.setdefault(item, len(tokens)))
    if not row_candidate:
        return Support.none()
    candidate = np.array(row_candidate, dtype=np.int64)
    token = np.array(row_token, dtype=np.int64)
    n_candidates = len(keyed)
    key_of = np.fromiter((key for key, _ in keyed), dtype=np.int64, count=n_candidates)
    size = np.bincount(candidate, minlength=n_candidates).astype(float)
    # candidates of one key sharing an item: pairs within each (key, item) group
    group = key_of[candidate] * (len(tokens) + 1) + token
    order = np.argsort(group, kind="stable")
    left, right = _pairs_within(group[order])
    a, b = candidate[order][left], candidate[order][right]
    codes, common = np.unique(a * n_candidates + b, return_counts=True)
    a, b = codes // n_candidates, codes % n_candidates
    return Support(
        target=np.r_[a, b],
        supporter=np.r_[b, a],
        weight=np.r_[common / size[b], common / size[a]],
    )
