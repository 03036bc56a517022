"""The practical limit for import on PostgreSQL: psycopg ``COPY`` of the same rows into the
same schema (made by ``provenance init``), without validation, audit or any of
provenance's checks. The PostgreSQL twin of ``raw_loader.py``.

    python bench/pg_raw_loader.py postgresql://postgres@127.0.0.1:5432/db claims.jsonl
"""

from __future__ import annotations

import json
import sys

import psycopg

NOW = "2026-01-01 00:00:00"


def load(url: str, path: str) -> int:
    sources: dict[str, int] = {}
    entities: dict[str, int] = {}
    source_rows, entity_rows, claims, tags, attributions, relays = [], [], [], [], [], []
    claim_id = attribution_id = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            kind = record.pop("type")
            if kind == "source":
                sources[record["key"]] = len(sources) + 1
                source_rows.append(
                    (
                        sources[record["key"]],
                        record["key"],
                        record["name"],
                        record["reliability"],
                        record.get("affiliation"),
                        False,
                        NOW,
                        NOW,
                    )
                )
            elif kind == "entity":
                entities[record["key"]] = len(entities) + 1
                entity_rows.append((entities[record["key"]], record["key"], record["name"], NOW))
            elif kind == "claim":
                claim_id += 1
                value = record.get("value")
                lo = hi = text = None
                if isinstance(value, dict):
                    lo, hi = value.get("min"), value.get("max")
                elif isinstance(value, str):
                    text = value.casefold()
                else:
                    lo = hi = value
                claims.append(
                    (
                        claim_id,
                        record["key"],
                        record["text"],
                        entities[record["subject"]],
                        record["property"],
                        json.dumps(value),
                        lo,
                        hi,
                        text,
                        record["period"]["start"],
                        record["period"]["end"],
                        "unverified",
                        NOW,
                        NOW,
                    )
                )
                tags.extend((claim_id, tag) for tag in record["tags"])
                for attribution in record["attributions"]:
                    attribution_id += 1
                    attributions.append(
                        (
                            attribution_id,
                            claim_id,
                            sources[attribution["source"]],
                            "asserts",
                            attribution["confidence"],
                            attribution["quote"],
                            "bench",
                            NOW,
                        )
                    )
                    relays.extend(
                        (attribution_id, position, sources[via])
                        for position, via in enumerate(attribution["via"])
                    )
    tables = (
        (
            "sources",
            "id, key, name, reliability, affiliation, protected, created_at, updated_at",
            source_rows,
        ),
        ("entities", "id, key, name, created_at", entity_rows),
        (
            "claims",
            "id, key, text, subject_id, property, value, value_lo, value_hi, value_text, "
            "period_start, period_end, status, created_at, updated_at",
            claims,
        ),
        ("claim_tags", "claim_id, tag", tags),
        (
            "attributions",
            "id, claim_id, source_id, stance, confidence, quote, recorded_by, recorded_at",
            attributions,
        ),
        ("relays", "attribution_id, position, source_id", relays),
    )
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection, connection.cursor() as cursor:
        for table, columns, rows in tables:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for table in ("sources", "entities", "claims", "attributions"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return claim_id


if __name__ == "__main__":
    print(load(sys.argv[1], sys.argv[2]))
