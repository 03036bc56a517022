"""The hand-written baseline for `provenance flag`: one SQL statement over the same schema
computing the same reasons (origins and independence, conflicts by a window over claim
keys, containment, contradictions, weak sourcing, verdicts), streamed out as JSON lines."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from typing import Any

FLAG_SQL = """
WITH stats AS (
  SELECT a.claim_id,
         sum(a.stance = 'asserts') AS asserts,
         count(DISTINCT CASE WHEN a.stance = 'asserts' THEN
               coalesce('a:' || s.affiliation, 's:' || s.key) END) AS independent,
         sum(a.stance = 'asserts' AND s.reliability IN ('A','B','C')) AS strong,
         sum(a.stance = 'asserts' AND (a.confidence IS NULL OR a.confidence >= 50)) AS confident,
         sum(a.stance = 'denies') AS denials
  FROM attributions a JOIN sources s ON s.id = a.source_id GROUP BY a.claim_id),
values_ AS (
  SELECT id, subject_id, property, period_start, period_end, coalesce(lower(place), '') AS place_k,
         value_lo - abs(value_lo) * 0.05 AS lo, value_hi + abs(value_hi) * 0.05 AS hi,
         value_text AS text
  FROM claims WHERE subject_id IS NOT NULL AND property IS NOT NULL
    AND (value_lo IS NOT NULL OR value_hi IS NOT NULL OR value_text IS NOT NULL)),
grouped AS (
  SELECT id, lo, hi, text,
         max(lo) OVER k AS max_lo, min(hi) OVER k AS min_hi,
         min(text) OVER k AS min_text, max(text) OVER k AS max_text
  FROM values_ WINDOW k AS (PARTITION BY subject_id, property, period_start, period_end, place_k)),
conflicts AS (
  SELECT id FROM grouped
  WHERE lo > min_hi OR hi < max_lo OR (text IS NOT NULL AND min_text <> max_text)
  UNION
  SELECT a.id FROM values_ a JOIN values_ b ON a.subject_id = b.subject_id
    AND a.property = b.property AND a.place_k = b.place_k
    AND a.period_start <= b.period_start AND a.period_end >= b.period_end
    AND (a.period_start <> b.period_start OR a.period_end <> b.period_end) AND a.hi < b.lo
  UNION
  SELECT b.id FROM values_ a JOIN values_ b ON a.subject_id = b.subject_id
    AND a.property = b.property AND a.place_k = b.place_k
    AND a.period_start <= b.period_start AND a.period_end >= b.period_end
    AND (a.period_start <> b.period_start OR a.period_end <> b.period_end) AND a.hi < b.lo),
contradicted AS (
  SELECT from_claim_id AS id FROM links WHERE relation = 'contradicts'
  UNION SELECT to_claim_id FROM links WHERE relation = 'contradicts')
SELECT c.key, c.text,
       (c.id IN contradicted OR coalesce(st.denials, 0) > 0) AS contradicted,
       c.id IN conflicts AS conflict,
       (c.status NOT IN ('verified','retracted') AND coalesce(st.asserts,0) >= 2
        AND coalesce(st.independent,0) = 1) AS circular,
       (c.status NOT IN ('verified','retracted') AND coalesce(st.independent,0) < 2) AS single,
       (c.status NOT IN ('verified','retracted') AND coalesce(st.asserts,0) > 0
        AND (st.strong = 0 OR st.confident = 0)) AS low,
       c.status = 'disputed' AS disputed, c.status = 'false' AS false_,
       c.status = 'unverified' AS unverified,
       coalesce(st.independent, 0)
FROM claims c LEFT JOIN stats st ON st.claim_id = c.id
"""
CODES = (
    "contradicted",
    "conflict",
    "circular",
    "single-source",
    "low-reliability",
    "disputed",
    "false",
    "unverified",
)


def write_queue(result: Iterable[Sequence[Any]]) -> int:
    """Rows of the flag statement (key, text, eight reason columns, independent sources)
    as the work queue on stdout, most severe first; returns how many were flagged."""
    rows = []
    for row in result:
        reasons = [code for code, on in zip(CODES, row[2:10], strict=True) if on]
        if reasons:
            weight = sum(2 ** (8 - CODES.index(code)) for code in reasons)
            rows.append((-weight, row[0], row[1], reasons, row[10]))
    rows.sort()
    out = sys.stdout
    for _, key, text, reasons, independent in rows:
        out.write(
            json.dumps(
                {"claim": key, "text": text, "reasons": reasons, "independent_sources": independent}
            )
            + "\n"
        )
    return len(rows)


def main(database: str) -> int:
    connection = sqlite3.connect(database)
    return write_queue(connection.execute(FLAG_SQL))


if __name__ == "__main__":
    main(sys.argv[1])
