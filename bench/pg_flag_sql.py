"""The hand-written baseline for `provenance flag` on PostgreSQL: the statement of
``flag_sql.py`` in PostgreSQL's dialect (FILTER instead of summed booleans, IN a subquery
instead of IN a table), streamed out as JSON lines the same way.

    python bench/pg_flag_sql.py postgresql://postgres@127.0.0.1:5432/db
"""

from __future__ import annotations

import sys

import psycopg
from flag_sql import write_queue

FLAG_SQL = """
WITH stats AS (
  SELECT a.claim_id,
         count(*) FILTER (WHERE a.stance = 'asserts') AS asserts,
         count(DISTINCT CASE WHEN a.stance = 'asserts' THEN
               coalesce('a:' || s.affiliation, 's:' || s.key) END) AS independent,
         count(*) FILTER (WHERE a.stance = 'asserts' AND s.reliability IN ('A','B','C')) AS strong,
         count(*) FILTER (WHERE a.stance = 'asserts'
                          AND (a.confidence IS NULL OR a.confidence >= 50)) AS confident,
         count(*) FILTER (WHERE a.stance = 'denies') AS denials
  FROM attributions a JOIN sources s ON s.id = a.source_id GROUP BY a.claim_id),
values_ AS MATERIALIZED (
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
       (c.id IN (SELECT id FROM contradicted) OR coalesce(st.denials, 0) > 0) AS contradicted,
       c.id IN (SELECT id FROM conflicts) AS conflict,
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


def main(url: str) -> int:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection, connection.cursor(name="flags") as cursor:
        cursor.itersize = 5000
        cursor.execute(FLAG_SQL)
        return write_queue(cursor)


if __name__ == "__main__":
    main(sys.argv[1])
