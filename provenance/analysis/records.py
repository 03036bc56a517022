"""Claim records with what analysis computes for them (flags, origins, conflicts): the
read layer builds the record, ``flags.facts`` fills in the facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from provenance.analysis.facts import Settings
from provenance.analysis.flags import facts
from provenance.read import records
from provenance.read.reader import Reader


def claim_records(
    session: Reader,
    claim_ids: Sequence[int],
    settings: Settings | None = None,
    *,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Full claim records, in the order of ``claim_ids``. ``internal`` keeps the
    underscore fields tables use (source grades); JSON never shows them."""
    ids = list(claim_ids)
    computed = facts(session, ids, settings or Settings())
    return records.claim_records(session, ids, computed, internal=internal)
