"""Export writers, one per format. Each reads an :class:`~provenance.io.export.Export`
and writes to a text stream (or, for ``sqlite``, a file path)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import IO, Any

from provenance.cells import cell_text, json_text, write_csv_row
from provenance.figures import has_two_readings, needs_category_mark
from provenance.io.csv_reader import CSV_COLUMNS
from provenance.io.export import Export, sections
from provenance.io.read_base import SECTIONS


def _indented(record: dict[str, Any], depth: int) -> str:
    return " " * depth + json_text(record, indent=2).replace("\n", "\n" + " " * depth)


def write_json(export: Export, out: IO[str]) -> None:
    """The interchange document, streamed; the same data always gives the same bytes."""
    out.write('{\n  "provenance": 1')
    for name, records in sections(export):
        out.write(f',\n  "{name}": [')
        first = True
        for record in records:
            out.write(("\n" if first else ",\n") + _indented(record, 4))
            first = False
        out.write("]" if first else "\n  ]")
    out.write("\n}\n")


def write_jsonl(export: Export, out: IO[str]) -> None:
    for name, records in sections(export):
        for record in records:
            out.write(json_text({"type": SECTIONS[name], **record}) + "\n")


def document_records(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """An interchange document held in memory (``extract``'s proposals) as records, each
    with its type: the JSON lines ``import`` reads back."""
    for name, kind in SECTIONS.items():
        for record in document.get(name, []):
            yield {"type": kind, **record}


def document_csv_records(document: dict[str, Any]) -> Iterator[dict[str, str]]:
    """An interchange document held in memory as the interchange CSV's rows, one
    attribution a row (sources and documents are no columns: import creates them with
    defaults)."""
    for claim in document.get("claims", []):
        value, low, high = value_cells(claim.get("value"))
        period = claim.get("period") or {}
        for attribution in claim["attributions"]:
            cells = [
                claim.get("key") or "",
                claim["text"],
                claim.get("subject") or "",
                claim.get("property") or "",
                value,
                low,
                high,
                claim.get("unit") or "",
                period.get("start") or "",
                period.get("end") or "",
                claim.get("place") or "",
                ";".join(claim.get("tags", [])),
                claim.get("status") or "",
                attribution["source"],
                ";".join(attribution.get("via", [])),
                attribution.get("document") or "",
                attribution.get("stance") or "",
                cell_text(attribution.get("confidence")),
                attribution.get("quote") or "",
            ]
            yield dict(zip(CSV_COLUMNS, cells, strict=True))


def value_cells(value: Any) -> tuple[str, str, str]:
    """A value as the CSV columns value, value_min, value_max. A category that would read
    back as something else (``figures.needs_category_mark``: ``007``, ``5G``, ``<``, ``{…``;
    or text that starts with ``'``) is marked with a leading apostrophe, which
    :func:`provenance.io.csv_reader.csv_value` takes off."""
    if isinstance(value, dict):
        if "approx" in value:
            return f"~{_number_cell(value['approx'])}", "", ""
        return "", _number_cell(value.get("min")), _number_cell(value.get("max"))
    if isinstance(value, str) and (needs_category_mark(value) or value.startswith("'")):
        return "'" + value, "", ""
    return _number_cell(value), "", ""


def _number_cell(number: Any) -> str:
    """A number as its cell; 1.125 as 1.1250, which reads back one way only (the reader
    takes 1.125 for a figure that could be 1,125)."""
    text = cell_text(number)
    return text + "0" if has_two_readings(text.lstrip("-")) else text


def csv_rows(export: Export) -> Iterator[list[str]]:
    for claim in export.claims():
        value, low, high = value_cells(claim["value"])
        period = claim["period"]
        for attribution in claim["attributions"]:
            yield [
                claim["key"],
                claim["text"],
                claim["subject"] or "",
                claim["property"] or "",
                value,
                low,
                high,
                claim["unit"] or "",
                period["start"] or "",
                period["end"] or "",
                claim["place"] or "",
                ";".join(claim["tags"]),
                claim["status"],
                attribution["source"],
                ";".join(attribution["via"]),
                attribution["document"] or "",
                attribution["stance"],
                cell_text(attribution["confidence"]),
                attribution["quote"] or "",
            ]


def write_csv(export: Export, out: IO[str]) -> None:
    """One attribution a row; cells are made safe by :mod:`provenance.cells`."""
    write_csv_row(out, CSV_COLUMNS, header=True)
    for row in csv_rows(export):
        write_csv_row(out, row)


SQLITE_SCHEMA = """
CREATE TABLE sources (key TEXT PRIMARY KEY, name TEXT, kind TEXT, reliability TEXT,
    affiliation TEXT, aliases TEXT, protected INTEGER, notes TEXT);
CREATE TABLE entities (key TEXT PRIMARY KEY, name TEXT, kind TEXT, aliases TEXT);
CREATE TABLE documents (key TEXT PRIMARY KEY, title TEXT, url TEXT, publisher TEXT,
    published TEXT, retrieved TEXT, sha256 TEXT, language TEXT);
CREATE TABLE claims (key TEXT PRIMARY KEY, text TEXT NOT NULL, subject TEXT, property TEXT,
    value TEXT, value_number REAL, value_min REAL, value_max REAL, unit TEXT,
    period_start TEXT, period_end TEXT, place TEXT, tags TEXT, status TEXT,
    independent_sources INTEGER, origins TEXT, flags TEXT, plausibility REAL,
    created_at TEXT, updated_at TEXT);
CREATE TABLE attributions (claim TEXT NOT NULL REFERENCES claims(key), source TEXT, via TEXT,
    document TEXT, stance TEXT, confidence INTEGER, quote TEXT, recorded_by TEXT,
    recorded_at TEXT);
CREATE TABLE links ("from" TEXT, "to" TEXT, relation TEXT, note TEXT);
CREATE INDEX attributions_claim ON attributions(claim);
CREATE INDEX attributions_source ON attributions(source);
CREATE VIEW claims_flat AS
    SELECT c.key, c.text, c.subject, c.property, c.value, c.value_number, c.value_min,
           c.value_max, c.unit, c.period_start,
           c.period_end, c.place, c.status, c.flags, c.independent_sources, c.origins,
           group_concat(a.source || ' (' || a.stance || coalesce(', ' || a.confidence, '')
                        || ')', '; ') AS attributions,
           c.tags, c.created_at, c.updated_at
    FROM claims c LEFT JOIN attributions a ON a.claim = c.key
    GROUP BY c.key;
"""


def _joined(items: list[str]) -> str:
    return ";".join(items)


def write_sqlite(export: Export, path: str) -> None:
    """A standalone SQLite file (readable by sqlite3, sqlite-utils, Datasette)."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SQLITE_SCHEMA)
        with connection:
            connection.executemany(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)",
                (
                    (
                        s["key"],
                        s["name"],
                        s["kind"],
                        s["reliability"],
                        s["affiliation"],
                        _joined(s["aliases"]),
                        int(s["protected"]),
                        s["notes"],
                    )
                    for s in export.sources()
                ),
            )
            connection.executemany(
                "INSERT INTO entities VALUES (?,?,?,?)",
                (
                    (e["key"], e["name"], e["kind"], _joined(e["aliases"]))
                    for e in export.entities()
                ),
            )
            connection.executemany(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)",
                (
                    (
                        d["key"],
                        d["title"],
                        d["url"],
                        d["publisher"],
                        d["published"],
                        d["retrieved"],
                        d["sha256"],
                        d["language"],
                    )
                    for d in export.documents()
                ),
            )
            for claim in export.claims():
                value = claim["value"]
                number = (
                    value
                    if isinstance(value, int | float) and not isinstance(value, bool)
                    else (value.get("approx") if isinstance(value, dict) else None)
                )
                low = value.get("min") if isinstance(value, dict) else None
                high = value.get("max") if isinstance(value, dict) else None
                connection.execute(
                    "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        claim["key"],
                        claim["text"],
                        claim["subject"],
                        claim["property"],
                        None if value is None else json.dumps(value, ensure_ascii=False),
                        number,
                        low,
                        high,
                        claim["unit"],
                        claim["period"]["start"],
                        claim["period"]["end"],
                        claim["place"],
                        _joined(claim["tags"]),
                        claim["status"],
                        claim["independent_sources"],
                        _joined(claim["origins"]),
                        _joined(claim["flags"]),
                        claim["plausibility"],
                        claim["created_at"],
                        claim["updated_at"],
                    ),
                )
                connection.executemany(
                    "INSERT INTO attributions VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        (
                            claim["key"],
                            a["source"],
                            _joined(a["via"]),
                            a["document"],
                            a["stance"],
                            a["confidence"],
                            a["quote"],
                            a["recorded_by"],
                            a["recorded_at"],
                        )
                        for a in claim["attributions"]
                    ),
                )
            connection.executemany(
                "INSERT INTO links VALUES (?,?,?,?)",
                ((x["from"], x["to"], x["relation"], x["note"]) for x in export.links()),
            )
    finally:
        connection.close()


# ---- W3C PROV ---------------------------------------------------------------------------

PROV_NAMESPACES = {
    "claim": "urn:provenance:claim:",
    "source": "urn:provenance:source:",
    "doc": "urn:provenance:document:",
    "report": "urn:provenance:report:",
    "pv": "urn:provenance:vocab#",
}


def write_prov(export: Export, out: IO[str]) -> None:
    """PROV-JSON: claims are entities, sources agents; an attribution is wasAttributedTo
    its origin; each relay is a report entity that wasQuotedFrom the one before it and
    wasAttributedTo the relaying outlet; a claim wasDerivedFrom its documents; an
    ``updates`` link is wasRevisionOf and ``same-as`` alternateOf."""
    from prov.model import ProvDocument

    document = ProvDocument()
    for prefix, uri in PROV_NAMESPACES.items():
        document.add_namespace(prefix, uri)
    for source in export.sources():
        attributes = {"prov:label": source["name"], "pv:reliability": source["reliability"]}
        if source["kind"]:
            attributes["pv:kind"] = source["kind"]
        if source["affiliation"]:
            attributes["pv:affiliation"] = source["affiliation"]
        document.agent(f"source:{source['key']}", attributes)
    for record in export.documents():
        attributes = {"prov:label": record["title"] or record["key"]}
        if record["url"]:
            attributes["prov:location"] = record["url"]
        if record["sha256"]:
            attributes["pv:sha256"] = record["sha256"]
        entity = document.entity(f"doc:{record['key']}", attributes)
        if record["publisher"]:
            document.wasAttributedTo(entity, f"source:{record['publisher']}")
    for claim in export.claims():
        attributes = {"prov:label": claim["text"], "pv:status": claim["status"]}
        for name in ("subject", "property", "unit", "place"):
            if claim[name]:
                attributes[f"pv:{name}"] = claim[name]
        if claim["value"] is not None:
            attributes["prov:value"] = json.dumps(claim["value"], ensure_ascii=False)
        entity = document.entity(f"claim:{claim['key']}", attributes)
        seen_documents = set()
        for index, attribution in enumerate(claim["attributions"]):
            document.wasAttributedTo(
                entity,
                f"source:{attribution['source']}",
                other_attributes={
                    "pv:stance": attribution["stance"],
                    **(
                        {"pv:confidence": attribution["confidence"]}
                        if attribution["confidence"] is not None
                        else {}
                    ),
                },
            )
            previous = entity
            for relay in reversed(attribution["via"]):  # farthest relay quotes the origin first
                report = document.entity(
                    f"report:{claim['key']}.{index}.{relay}",
                    {"prov:label": f"{relay} relaying {claim['key']}"},
                )
                document.wasQuotedFrom(report, previous)
                document.wasAttributedTo(report, f"source:{relay}")
                previous = report
            if attribution["document"] and attribution["document"] not in seen_documents:
                seen_documents.add(attribution["document"])
                document.wasDerivedFrom(entity, f"doc:{attribution['document']}")
    for link in export.links():
        if link["relation"] == "updates":
            document.wasRevisionOf(f"claim:{link['from']}", f"claim:{link['to']}")
        elif link["relation"] == "same-as":
            document.alternateOf(f"claim:{link['from']}", f"claim:{link['to']}")
    out.write(str(document.serialize(format="json", indent=2)) + "\n")


__all__ = [
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_prov",
    "write_sqlite",
]
