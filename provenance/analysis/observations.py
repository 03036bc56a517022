"""What earned reliability reads: one row per (claim, asserting or denying source), as the
numpy arrays the iteration uses. Relays never appear here (they are not origins), and
``reports`` attributions (relaying without endorsing) are left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import String, func, select, type_coerce

from provenance.analysis.facts import family, superseded_ids
from provenance.analysis.similarity import Support, support
from provenance.read.reader import Reader as Session
from provenance.read.tables import attributions, current
from provenance.read.tables import claims as claim_table
from provenance.read.tables import sources as source_table
from provenance.vocab import Stance, Status

#: Prior accuracy for each hand grade (F, "cannot be judged", is near neutral).
GRADE_PRIOR = {"A": 0.95, "B": 0.85, "C": 0.7, "D": 0.5, "E": 0.3, "F": 0.6}


@dataclass
class Observations:
    claim: np.ndarray  # per observation
    source: np.ndarray
    family: np.ndarray
    denies: np.ndarray
    claim_ids: np.ndarray
    source_ids: np.ndarray
    item: np.ndarray  # per claim: its claim key (categorical and numeric keys apart)
    numeric: np.ndarray  # per claim
    lo: np.ndarray  # per claim: the value's interval; an open end is -inf or +inf
    hi: np.ndarray
    mid: np.ndarray  # per claim: where a figure votes (a bound at itself, a range its middle)
    candidate: np.ndarray  # per claim: the categorical value's index within all values
    value: np.ndarray  # per claim: its value's index (figures too: same interval, same id)
    verdict: np.ndarray  # per claim: +1 verified, -1 false, 0 none
    prior: np.ndarray  # per source
    support: Support  # similar categorical values (lists sharing items) within a key


def observe(session: Session) -> Observations | None:
    # Dates, statuses and stances are only compared here: read as text, they spare a
    # million conversions to date and Enum objects.
    query = (
        select(
            claim_table.c.id,
            claim_table.c.subject_id,
            claim_table.c.property,
            type_coerce(claim_table.c.period_start, String),
            type_coerce(claim_table.c.period_end, String),
            func.lower(func.coalesce(claim_table.c.place, "")),
            claim_table.c.value_lo,
            claim_table.c.value_hi,
            claim_table.c.value_text,
            type_coerce(claim_table.c.status, String),
            attributions.c.source_id,
            type_coerce(attributions.c.stance, String),
            family(),
            source_table.c.reliability,
        )
        .join(attributions, attributions.c.claim_id == claim_table.c.id)
        .join(source_table, source_table.c.id == attributions.c.source_id)
        .where(
            current(),  # withdrawn captures are not evidence
            # nor are figures a later claim replaced: the rule the flags leave them out by
            claim_table.c.id.not_in(superseded_ids()),
            claim_table.c.subject_id.is_not(None),
            claim_table.c.property.is_not(None),
            attributions.c.stance != Stance.REPORTS,
            (claim_table.c.value_lo.is_not(None))
            | (claim_table.c.value_hi.is_not(None))
            | (claim_table.c.value_text.is_not(None)),
        )
        .order_by(claim_table.c.id, attributions.c.id)
    )
    rows = session.execute(query.execution_options(yield_per=20_000))  # streamed
    claims: dict[int, int] = {}
    sources: dict[int, int] = {}
    families: dict[str, int] = {}
    items: dict[tuple[Any, ...], int] = {}
    values: dict[tuple[int, Any], int] = {}
    candidates: dict[tuple[int, str], int] = {}
    claim_item: list[int] = []
    claim_numeric: list[bool] = []
    claim_lo: list[float] = []
    claim_hi: list[float] = []
    claim_mid: list[float] = []
    claim_candidate: list[int] = []
    claim_value: list[int] = []
    claim_verdict: list[int] = []
    source_prior: list[float] = []
    obs_claim, obs_source, obs_family, obs_denies = [], [], [], []
    denies = Stance.DENIES.value
    verified = Status.VERIFIED.value
    wrong = (Status.FALSE.value, Status.RETRACTED.value)
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
        index = claims.get(claim_id)
        if index is None:
            index = claims[claim_id] = len(claims)
            numeric = text is None
            item = items.setdefault((subject, prop, start, end, place, numeric), len(items))
            claim_item.append(item)
            claim_numeric.append(numeric)
            # "at least 31" holds for every figure from 31 up: its interval is open above
            # (and "at most 10" below), so a key's value that meets it agrees with it; it
            # votes at its bound, a range at its middle
            low, high, mid = np.nan, np.nan, np.nan  # a category has none
            if numeric:
                low = -np.inf if lo is None else lo
                high = np.inf if hi is None else hi
                mid = hi if lo is None else lo if hi is None else (lo + hi) / 2
            claim_lo.append(low)
            claim_hi.append(high)
            claim_mid.append(mid)
            claim_candidate.append(
                -1 if numeric else candidates.setdefault((item, text), len(candidates))
            )
            claim_value.append(
                values.setdefault((item, text if not numeric else (lo, hi)), len(values))
            )
            claim_verdict.append(1 if status == verified else -1 if status in wrong else 0)
        source = sources.get(source_id)
        if source is None:
            source = sources[source_id] = len(sources)
            source_prior.append(GRADE_PRIOR.get(grade, 0.6))
        obs_claim.append(index)
        obs_source.append(source)
        obs_family.append(families.setdefault(family_key, len(families)))
        obs_denies.append(stance == denies)
    if not claims:
        return None
    return Observations(
        claim=np.array(obs_claim),
        source=np.array(obs_source),
        family=np.array(obs_family),
        denies=np.array(obs_denies, dtype=bool),
        claim_ids=np.array(list(claims)),
        source_ids=np.array(list(sources)),
        item=np.array(claim_item),
        numeric=np.array(claim_numeric, dtype=bool),
        lo=np.array(claim_lo, dtype=float),
        hi=np.array(claim_hi, dtype=float),
        mid=np.array(claim_mid, dtype=float),
        candidate=np.array(claim_candidate),
        value=np.array(claim_value),
        verdict=np.array(claim_verdict),
        prior=np.array(source_prior),
        support=support(candidates),
    )
