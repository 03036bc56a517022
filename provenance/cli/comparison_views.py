"""How analysis results look in a terminal: `compare` (a subject's groups, two sources, two
claims) and `timeline`. Like :mod:`provenance.cli.views`, it only arranges records."""

from __future__ import annotations

from typing import Any

from provenance.cli.views import (
    STANCE_WORDS,
    key_field,
    lines,
    partner_lines,
    plural,
    source_names,
)
from provenance.output import Column, field
from provenance.terminal import FitTable, joined, safe
from provenance.vocab import format_value, grade


def period_text(period: dict[str, Any]) -> str:
    start, end = period.get("start"), period.get("end")
    if not start and not end:
        return "no period"
    return f"{start or '…'} → {end or '…'}"


def _stance_value(value: str, stance: str) -> Any:
    """A value as a stance gives it: a denial reads ``denies 282``, never ``282``."""
    if stance == "asserts":
        return value
    return f"{STANCE_WORDS.get(stance, stance)} {value}"


def _vagueness(value: Any) -> float:
    """How much a value leaves open: a figure or a category 0, an approximation 1, a
    range 2 and more the wider it is, a bound 4."""
    if not isinstance(value, dict):
        return 0.0
    if "approx" in value:
        return 1.0
    if "min" in value and "max" in value:
        low, high = value["min"], value["max"]
        return 2.0 + min(float(high - low) / max(abs(float(high)), 1.0), 1.0)
    return 4.0


def _starred(claims: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most plausible claim; among equals (most of a key's claims once it has a clear
    value: each within the tolerance scores 1), the most precise value, then the one the
    most sources assert, then the first."""
    scored = [c for c in claims if c.get("plausibility") is not None]
    if not scored:
        return None
    top = max(c["plausibility"] for c in scored)
    tied = [c for c in scored if c["plausibility"] >= top - 1e-9]
    return min(tied, key=lambda c: (_vagueness(c["value"]), -len(c["asserted_by"])))


#: After a figure another claim ``updates``: it is in no comparison (`-f json` names the
#: claims in ``superseded_by``).
SUPERSEDED = " (superseded)"


def _group_rows(group: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    best = _starred(group["claims"])
    for claim in group["claims"]:
        value = format_value(claim["value"], claim["unit"]) + (" ★" if claim is best else "")
        superseded = bool(claim.get("superseded_by"))
        value += SUPERSEDED if superseded else ""
        for attribution in claim["_attributions"] or [{}]:
            stance = attribution.get("stance", "asserts")
            rows.append(
                {
                    "value": safe(
                        _stance_value(value, stance),
                        "red"
                        if claim["conflicts_with"] and stance == "asserts"
                        else ("dim" if stance != "asserts" or superseded else ""),
                    ),
                    "source": attribution.get("source", ""),
                    "stance": STANCE_WORDS.get(stance, stance),
                    "grade": grade(attribution.get("_reliability"), attribution.get("confidence")),
                    "via": " ← ".join(attribution.get("via", [])),
                    "claim": claim["claim"],
                    "status": claim["status"],
                    "conflicts_with": partner_lines(claim["conflicts_with"]),
                }
            )
    return rows


GROUP_COLUMNS = [
    field("value", justify="right", min_width=10, priority=1),
    field("source", whole=True),
    field("stance", whole=True, priority=1),
    field("grade", whole=True, priority=3),
    field("via", priority=4, words=True),
    key_field("claim"),
    field("status", whole=True, priority=3),
    field("conflicts_with", "conflicts with", whole=True, priority=2),
]


def compare_groups(groups: list[dict[str, Any]]) -> Any:
    """One table per claim key: each attribution's value side by side, with its stance
    (a denial is shown as a denial, never as a source of the value); disagreements red."""
    from rich.console import Group

    tables = []
    for group in groups:
        place = f" · {group['place']}" if group["place"] else ""
        title = joined(
            f"{group['subject']} · ",
            (group["property"], "bold"),
            f" · {period_text(group['period'])}{place} — ",
            ("agree", "green") if group["agree"] else ("DISAGREE", "bold red"),
        )
        tables.append(FitTable(_group_rows(group), GROUP_COLUMNS, title))
    return Group(*tables)


VERDICT_WORDS = {
    "agree": "agree",
    "conflict": "conflict",
    "only_a": "only {a}",
    "only_b": "only {b}",
    "a_denies": "{a} denies",
    "b_denies": "{b} denies",
}


def compare_sources(report: dict[str, Any]) -> Any:
    from rich.console import Group

    a, b = report["a"], report["b"]
    summary = joined(
        (a, "bold"),
        " vs ",
        (b, "bold"),
        f": {plural(report['shared'], 'shared claim key')}, ",
        (f"{report['agree']} agree", "green"),
        ", ",
        (plural(report["conflict"], "conflict"), "red"),
        f"; {report['only_a']} only from {a}, {report['only_b']} only from {b}",
        *(
            [f"; {a} denies {report['a_denies']}, {b} denies {report['b_denies']}"]
            if report.get("a_denies") or report.get("b_denies")
            else []
        ),
    )
    style = {"conflict": "red", "agree": "green", "a_denies": "red", "b_denies": "red"}
    rows = [
        {
            "verdict": safe(
                VERDICT_WORDS.get(item["verdict"], item["verdict"]).format(a=a, b=b),
                style.get(item["verdict"], "dim"),
            ),
            "subject": item["subject"] or "",
            "property": item["property"] or "",
            "period": period_text(item["period"]),
            "place": item["place"] or "",
            "a": lines(
                [
                    _stance_value(format_value(v["value"], v["unit"]), v.get("stance", "asserts"))
                    for v in item.get("a_values", [])
                ]
            ),
            "b": lines(
                [
                    _stance_value(format_value(v["value"], v["unit"]), v.get("stance", "asserts"))
                    for v in item.get("b_values", [])
                ]
            ),
        }
        for item in report["items"]
    ]
    columns = [
        field("verdict", whole=True, priority=0),
        field("subject", whole=True),
        field("property", whole=True),
        field("period", priority=3, min_width=12),
        field("place", priority=4),
        Column(a, lambda r: r["a"], min_width=10),
        Column(b, lambda r: r["b"], min_width=10),
    ]
    return Group(summary, FitTable(rows, columns))


def compare_pair(pair: dict[str, Any]) -> Any:
    from rich.console import Group

    a, b = pair["a"], pair["b"]
    fields = [
        ("text", a["text"], b["text"]),
        (
            "subject · property",
            f"{a['subject'] or '—'} · {a['property'] or '—'}",
            f"{b['subject'] or '—'} · {b['property'] or '—'}",
        ),
        ("value", format_value(a["value"], a["unit"]), format_value(b["value"], b["unit"])),
        ("period", period_text(a["period"]), period_text(b["period"])),
        ("place", a["place"] or "", b["place"] or ""),
        ("sources", source_names(a), source_names(b)),
        ("status", a["status"], b["status"]),
        ("flags", ", ".join(a["flags"]), ", ".join(b["flags"])),
    ]
    style = "red" if pair["conflict"] else ""
    columns = [
        Column("", lambda r: r["field"], whole=True, priority=0),
        Column(a["key"], lambda r: safe(r["a"], style), min_width=12),
        Column(b["key"], lambda r: safe(r["b"], style), min_width=12),
    ]
    rows = [{"field": name, "a": x, "b": y} for name, x, y in fields]
    verdict = (
        ("in conflict", "bold red")
        if pair["conflict"]
        else ("compatible", "green")
        if pair["same_key"]
        else "not the same claim key"
    )
    links = "; ".join(f"{x['from']} {x['relation']} {x['to']}" for x in pair["links"])
    return Group(FitTable(rows, columns), joined(verdict, f" · {links}" if links else ""))


def _series_title(line: dict[str, Any]) -> Any:
    place = f" · {line['place']}" if line["place"] else ""
    basis = line.get("basis")
    return joined(
        f"{line['subject']} · ",
        (line["property"], "bold"),
        place,
        (f" · {basis}", "dim") if basis else "",
    )


def _who(point: dict[str, Any]) -> Any:
    parts = [", ".join(point["origins"])] if point["origins"] else []
    if point.get("denied_by"):
        parts.append("denied by " + ", ".join(point["denied_by"]))
    if point.get("reported_by"):
        parts.append("reported by " + ", ".join(point["reported_by"]))
    return lines(parts)


TIMELINE_COLUMNS = [
    field("as_of", "as of", whole=True, priority=2),
    Column("period", lambda p: period_text(p["period"]), min_width=12, priority=3),
    Column(
        "value",
        lambda p: safe(
            format_value(p["value"], p["unit"])
            + ("" if p.get("asserted", True) else " (not asserted)")
            + (SUPERSEDED if p.get("superseded_by") else ""),
            "bold red"
            if p["conflict"]
            else ("" if p.get("asserted", True) and not p.get("superseded_by") else "dim"),
        ),
        justify="right",
        min_width=10,
    ),
    Column(
        "change",
        lambda p: safe(
            ("" if p["change"] is None else f"{p['change']:+,g}")
            + (" conflict" if p["conflict"] else ""),
            "bold red" if p["conflict"] else "",
        ),
        justify="right",
        whole=True,
        priority=2,
    ),
    Column("sources", _who, min_width=12, priority=2, words=True),
    key_field("claim"),
    field("status", whole=True, priority=3),
]


def timeline_tables(series: list[dict[str, Any]]) -> Any:
    from rich.console import Group

    return Group(
        *(FitTable(line["series"], TIMELINE_COLUMNS, _series_title(line)) for line in series)
    )
