"""What an import did: counts by kind and change, the per-record plan of a dry run, and
the warnings and notes said after the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.io.readers import read
from provenance.services.references import Change

KINDS = ("source", "entity", "document", "claim", "attribution", "link")


@dataclass
class ImportReport:
    files: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    created_with_defaults: dict[str, list[str]] = field(default_factory=dict)
    #: Per record: kind, key, created/updated/deleted, the fields an update changes.
    plan: list[dict[str, Any]] = field(default_factory=list)
    plan_cut: int = 0
    #: New names close to existing ones (a typo that made a second party?).
    warnings: list[str] = field(default_factory=list)
    #: What the import read differently from how the file says it (said after the counts).
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, change: Change, n: int = 1) -> None:
        self.counts[kind][change] += n

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "created": c["created"],
                "updated": c["updated"],
                "unchanged": c["unchanged"],
            }
            for kind, c in self.counts.items()
            if sum(c.values())
        ]

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())


def plan_line(change: dict[str, Any]) -> dict[str, Any]:
    before, after = change["before"], change["after"]
    what = "created" if before is None else "deleted" if after is None else "updated"
    fields = sorted(after) if what == "updated" else []
    return {"kind": change["kind"], "key": change["key"], "change": what, "fields": fields}


def repeated_claim_problems(repeats: list[tuple[Path, str, str, str]]) -> list[str]:
    """Each repeated claim key (file, format, place, key), with the place of its first
    declaration (one more reading of each file that has repeats: only when the import
    fails anyway)."""
    problems = []
    by_file: dict[tuple[Path, str], list[tuple[str, str]]] = {}
    for path, fmt, place, key in repeats:
        by_file.setdefault((path, fmt), []).append((place, key))
    for (path, fmt), found in by_file.items():
        wanted = {key for _, key in found}
        first: dict[str, str] = {}
        for place, kind, raw in read(path, fmt):
            named = raw.get("key") if kind == "claim" and isinstance(raw, dict) else None
            if isinstance(named, str) and named in wanted:
                first.setdefault(named, place)
        for place, key in found:
            where = f" (first at {first[key]})" if key in first else ""
            problems.append(f"{place}: claim {key!r} appears twice{where}")
    return problems
