"""The practical limit for import: plain sqlite3 ``executemany`` of the same rows into the
same schema (made by ``provenance init``: same tables, indexes, unique keys and FTS
triggers), without validation, audit or any of provenance's checks.

    python bench/raw_loader.py DB FILE [--deferred]

``--deferred``: as ``provenance import`` does for a large import, drop the full-text
trigger and the read-only indexes inside the transaction and build them at its end (the
fair floor for that way of loading)."""

from __future__ import annotations

import json
import sqlite3
import sys


def load(database: str, path: str, deferred: bool = False) -> int:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA cache_size=-65536")  # as provenance's connections
    connection.execute("BEGIN IMMEDIATE")
    rebuild: list[str] = []
    if deferred:
        from provenance.services.upkeep import READ_ONLY_INDEXES, TRIGGER

        for name in (*READ_ONLY_INDEXES, TRIGGER):
            kind, sql = connection.execute(
                "SELECT type, sql FROM sqlite_master WHERE name = ?", (name,)
            ).fetchone()
            connection.execute(f"DROP {kind} {name}")
            rebuild.append(sql)
    sources: dict[str, int] = {}
    entities: dict[str, int] = {}
    claims, attributions, relays, tags = [], [], [], []
    now = "2026-01-01 00:00:00.000000"
    claim_id = attribution_id = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            kind = record.pop("type")
            if kind == "source":
                cursor = connection.execute(
                    "INSERT INTO sources (key, name, reliability, affiliation, protected, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                    (
                        record["key"],
                        record["name"],
                        record["reliability"],
                        record.get("affiliation"),
                        now,
                        now,
                    ),
                )
                sources[record["key"]] = cursor.lastrowid or 0
            elif kind == "entity":
                cursor = connection.execute(
                    "INSERT INTO entities (key, name, created_at) VALUES (?, ?, ?)",
                    (record["key"], record["name"], now),
                )
                entities[record["key"]] = cursor.lastrowid or 0
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
                        now,
                        now,
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
                            now,
                        )
                    )
                    relays.extend(
                        (attribution_id, position, sources[via])
                        for position, via in enumerate(attribution["via"])
                    )
                if len(claims) >= 10_000:
                    flush(connection, claims, attributions, relays, tags)
    flush(connection, claims, attributions, relays, tags)
    if deferred:
        connection.execute("INSERT INTO claims_fts (rowid, text) SELECT id, text FROM claims")
        for sql in rebuild:
            connection.execute(sql)
    connection.execute("COMMIT")
    connection.close()
    return claim_id


def flush(
    connection: sqlite3.Connection, claims: list, attributions: list, relays: list, tags: list
) -> None:
    connection.executemany(
        "INSERT INTO claims (id, key, text, subject_id, property, value, value_lo, value_hi, "
        "value_text, period_start, period_end, status, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        claims,
    )
    connection.executemany("INSERT INTO claim_tags (claim_id, tag) VALUES (?, ?)", tags)
    connection.executemany(
        "INSERT INTO attributions (id, claim_id, source_id, stance, confidence, quote, "
        "recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)",
        attributions,
    )
    connection.executemany(
        "INSERT INTO relays (attribution_id, position, source_id) VALUES (?,?,?)", relays
    )
    for rows in (claims, attributions, relays, tags):
        rows.clear()


if __name__ == "__main__":
    print(load(sys.argv[1], sys.argv[2], deferred="--deferred" in sys.argv[3:]))
