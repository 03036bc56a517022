"""How records look in a terminal: table columns and Rich trees, used by the renderer's
``table`` format. Nothing here decides anything; it only arranges records.

Every piece of stored text reaches Rich as ``Text`` made by :func:`safe` or :func:`joined`
(never as markup), so a name like ``a [/b]`` prints as written and an ESC in a quote shows
as ``␛`` instead of acting on the terminal. Tables are :class:`FitTable`: keys and reason
codes stay whole at every width (``whole=True``), and the columns with the highest
``priority`` number are left out first when the width runs out.
"""

from __future__ import annotations

from typing import Any

from provenance.cells import cell_text
from provenance.output import Column, field
from provenance.terminal import FitTable, joined, safe
from provenance.vocab import format_value, grade

FLAG_STYLE = {
    "contradicted": "bold red",
    "conflict": "red",
    "circular": "magenta",
    "echo": "magenta",
    "single-source": "yellow",
    "low-reliability": "yellow",
    "disputed": "cyan",
    "false": "bold cyan",
    "unverified": "dim",
}
STATUS_STYLE = {
    "verified": "green",
    "disputed": "cyan",
    "false": "bold cyan",
    "retracted": "dim strike",
    "unverified": "dim",
}
STANCE_WORDS = {"asserts": "asserts", "denies": "denies", "reports": "only reports"}


def styled_flags(flags: list[str]) -> Any:
    from rich.text import Text

    text = Text()
    for index, code in enumerate(flags):
        if index:
            text.append("\n")
        text.append(safe(code, FLAG_STYLE.get(code, "")))
    return text


def lines(items: list[Any]) -> Any:
    """Stored strings one a line, made safe."""
    return safe("\n".join(str(i) for i in items))


#: Partners a table cell names before "and N more" (`-f json` names up to 1,000).
PARTNERS_SHOWN = 5


def partner_lines(keys: list[str]) -> Any:
    """The claims a claim conflicts with, a few a cell: a table row of 1,000 partners, one
    a line, took 70 s and 3.1 GB to draw (`flag` with 1,500 claims sharing a key)."""
    if len(keys) <= PARTNERS_SHOWN:
        return lines(keys)
    more = len(keys) - PARTNERS_SHOWN
    at_least = "at least " if len(keys) >= 1000 else ""  # the records stop at 1,000
    return lines([*keys[:PARTNERS_SHOWN], f"and {at_least}{more:,} more (-f json)"])


def attribution_line(attribution: dict[str, Any]) -> str:
    """``nug C3 via outlet`` (the origin, its grade, and who relayed it)."""
    letter = grade(attribution.get("_reliability"), attribution["confidence"])
    line = f"{attribution['source']} {letter}"
    if attribution["stance"] != "asserts":
        line += f" ({STANCE_WORDS.get(attribution['stance'], attribution['stance'])})"
    if attribution["via"]:
        line += " via " + " ← ".join(attribution["via"])
    return line


def source_names(record: dict[str, Any]) -> Any:
    return lines([attribution_line(a) for a in record["attributions"]])


def _short(name: str, width: int = 44) -> Any:
    """A long text cut to one line of ``width`` characters (tables only; JSON has it all)."""

    def get(record: dict[str, Any]) -> str:
        text = " ".join(str(record.get(name) or "").split())
        return text if len(text) <= width else text[: width - 1] + "…"

    return get


def _value(record: dict[str, Any]) -> str:
    return format_value(record.get("value"), record.get("unit"))


def key_field(name: str = "key", header: str | None = None) -> Column:
    """A key column: never cut, never dropped."""
    return field(name, header, style="cyan", whole=True, priority=0)


CLAIM_COLUMNS = [
    key_field(),
    Column("text", _short("text"), min_width=12),
    Column("value", _value, justify="right", no_wrap=True, priority=3),
    Column("sources (grade)", source_names, min_width=16, priority=2, words=True),
    Column("status", lambda r: r["status"], whole=True, priority=2),
    Column("flags", lambda r: styled_flags(r["flags"]), whole=True),
]


def claim_table(records: list[dict[str, Any]], title: str | None = None) -> Any:
    return FitTable(records, CLAIM_COLUMNS, title)


SOURCE_COLUMNS = [
    key_field(),
    field("name", min_width=12),
    field("kind", priority=3),
    field("reliability", "grade", justify="center", whole=True),
    field("affiliation", priority=2, words=True),
    Column("aliases", lambda r: ", ".join(r["aliases"]), priority=4, words=True),
    Column("protected", lambda r: "yes" if r["protected"] else "", priority=3),
    field("claims", justify="right", whole=True),
]
SCORE_COLUMNS = [
    key_field("source"),
    Column("trust", lambda r: f"{r['trust']:.2f}", justify="right", whole=True),
    field("claims", justify="right", whole=True),
    field("agreements", justify="right", priority=2, whole=True),
    field("conflicts", justify="right", priority=2, whole=True),
    field("suggested_reliability", "suggested grade", justify="center", whole=True),
]
COPIES_COLUMNS = [
    key_field("a"),
    key_field("b"),
    Column("probability", lambda r: f"{r['probability']:.2f}", justify="right", no_wrap=True),
    Column("direction", lambda r: r["direction"] or "cannot tell", words=True),
    field("shared_keys", "keys", justify="right", no_wrap=True, priority=2),
    field("shared_values", "same", justify="right", no_wrap=True, priority=2),
    Column(
        "false", lambda r: f"{r['shared_false']:.1f}", justify="right", no_wrap=True, priority=3
    ),
    Column("decision", lambda r: r["decision"] or "", priority=2),
]
ENTITY_COLUMNS = [
    key_field(),
    field("name", min_width=12),
    field("kind", priority=2),
    Column("aliases", lambda r: ", ".join(r["aliases"]), priority=3),
    field("claims", justify="right", whole=True),
]
DOCUMENT_COLUMNS = [
    key_field(),
    field("title", max_width=50, min_width=12),
    field("publisher", priority=2),
    field("published", whole=True, priority=2),
    Column("sha256", lambda r: (r["sha256"] or "")[:12], priority=3),
    field("claims", justify="right", whole=True),
]


KINDS = {"entity": "entities", "entities": "entities"}


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 claim``, ``2 claims``, ``3 entities``."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


EVENT_COLUMNS = [
    field("seq", justify="right", whole=True, priority=0),
    field("at", whole=True, priority=3),
    field("analyst", priority=2),
    field("action", style="cyan", whole=True),
    field("target", whole=True),
    Column("details", lambda r: _event_words(r), min_width=16),
]
IMPORT_COLUMNS = [
    field("kind", whole=True, priority=0),
    field("created", justify="right", whole=True),
    field("updated", justify="right", whole=True),
    field("unchanged", justify="right", whole=True),
]
FLAG_COLUMNS = [
    key_field("claim"),
    Column("text", _short("text"), min_width=12),
    Column("reasons", lambda r: styled_flags(r["reasons"]), whole=True),
    field("independent_sources", "indep.", justify="right", priority=4, whole=True),
    Column("origins", lambda r: lines(r["origins"]), priority=3, min_width=12),
    Column("conflicts with", lambda r: partner_lines(r["conflicts_with"]), whole=True, priority=2),
]


def flag_table(records: list[dict[str, Any]], limit: int | None = None) -> Any:
    """The work queue; a page cut at ``limit`` says it is the first of more (the demo's
    "12 flagged claims" read as the whole queue of 29)."""
    count = len(records)
    title = f"{count} flagged claim{'s' if count != 1 else ''}"
    if limit and count == limit:
        first = "the first flagged claim" if count == 1 else f"the first {title}"
        title = f"{first}, most severe first (--limit {limit}: more may follow)"
    return FitTable(records, FLAG_COLUMNS, title)


def claim_tree(record: dict[str, Any]) -> Any:
    """A claim's provenance as a tree: attributions → relays (from the origin outwards) →
    the document (the nearest relay's, or the origin's own) → quote, then links, flags
    with their reasons, and history."""
    from rich.tree import Tree

    value = _value(record)
    tree = Tree(
        joined(
            (record["key"], "bold cyan"),
            "  ",
            (record["status"], STATUS_STYLE.get(record["status"], "")),
        )
    )
    tree.add(safe(record["text"]))
    facts: list[Any] = []
    if record["subject"] or record["property"]:
        facts.append(f"{record['subject'] or '?'} · {record['property'] or '?'}")
    if value:
        facts.append(["value ", (value, "bold")])
    period = record["period"]
    if period["start"] or period["end"]:
        facts.append(f"period {period['start'] or '…'} → {period['end'] or '…'}")
    if record["place"]:
        facts.append(f"place {record['place']}")
    if record["tags"]:
        facts.append("tags " + ", ".join(record["tags"]))
    if record.get("plausibility") is not None:  # stored by `source score`
        facts.append(f"plausibility {record['plausibility']:.2f}")
    if facts:
        from rich.text import Text

        tree.add(
            Text(" · ").join(
                joined(*part) if isinstance(part, list) else safe(part) for part in facts
            )
        )
    count = record["independent_sources"]
    attributions = tree.add(
        joined(
            ("attributions", "bold"), f" ({count} independent origin{'s' if count != 1 else ''})"
        )
    )
    for attribution in record["attributions"]:
        stance = attribution["stance"]
        node = attributions.add(
            joined(
                (attribution["source"], "bold"),
                " ",
                (STANCE_WORDS.get(stance, stance), "red" if stance == "denies" else ""),
                f" · grade {grade(attribution.get('_reliability'), attribution['confidence'])}"
                " · confidence "
                + (
                    str(attribution["confidence"]) if attribution["confidence"] is not None else "—"
                ),
            )
        )
        parent = node
        # ``via`` is nearest first: the origin told the last relay, … the first relay
        # published the document the analyst read.
        for relay in reversed(attribution["via"]):
            parent = parent.add(joined("relayed by ", (relay, "bold")))
        if attribution["document"]:
            parent = parent.add(joined("in document ", attribution["document"]))
        if attribution["quote"]:
            parent.add(joined((f"“{attribution['quote']}”", "italic")))
        node.add(
            joined(
                (
                    f"recorded by {attribution['recorded_by']} at {attribution['recorded_at']}",
                    "dim",
                )
            )
        )
    if record.get("links"):
        links = tree.add(joined(("links", "bold")))
        for link in record["links"]:
            remark = f" — {link['note']}" if link.get("note") else ""
            links.add(
                joined(f"{link['from']} ", (link["relation"], "bold"), f" {link['to']}{remark}")
            )
    if record["flags"]:
        flags = tree.add(joined(("flags", "bold")))
        for code in record["flags"]:
            why = record.get("explanations", {}).get(code, "")
            flags.add(joined((code, FLAG_STYLE.get(code, "")), f": {why}"))
    else:
        tree.add(joined(("no flags", "green")))
    if record.get("history"):
        history = tree.add(joined(("history", "bold")))
        for event in record["history"]:
            own = _only_changes_of(event, record["key"])
            history.add(
                joined(
                    (event["at"], "dim"),
                    f" {event['analyst']} {event['action']}: {_event_words(own, limit=8)}",
                )
            )
    if record.get("withdrawn"):
        gone = record["withdrawn"]
        into = f"; merged into {gone['merged_into']}" if gone.get("merged_into") else ""
        tree.add(
            joined(
                ("withdrawn", "bold red"),
                f" by {gone['by']} at {gone['at']}: {gone['note']}{into}",
            )
        )
    return tree


def _only_changes_of(event: dict[str, Any], key: str) -> dict[str, Any]:
    """An event as one claim's history shows it: the changes of that claim (and its links),
    not the thousand other records an import changed."""
    payload = event.get("payload")
    if not isinstance(payload, dict) or not isinstance(payload.get("changes"), list):
        return event
    # A rename into this key is the old key's record removed and this one made: both.
    renamed = payload.get("renamed_from") if event.get("target") == key else None
    mine = [
        c
        for c in payload["changes"]
        if isinstance(c, dict)
        and (c.get("key") in (key, renamed) or f" {key}" in f" {c.get('key')} ")
    ]
    return {**event, "payload": {**payload, "changes": mine or payload["changes"]}}


def _event_words(event: dict[str, Any], limit: int = 3) -> str:
    from provenance.read.events import describe_event

    return describe_event(event, limit=limit)


def _panel(title: str, record: dict[str, Any], lists: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table

    table = Table(
        show_header=False, box=None, pad_edge=False, title=safe(title), title_justify="left"
    )
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in record.items():
        if name not in lists and not name.startswith("_"):
            table.add_row(safe(name.replace("_", " ")), safe(cell_text(value)))
    parts: list[Any] = [table]
    for name, render_item in lists.items():
        items = record.get(name) or []
        if items:
            listing = Table(title=name.replace("_", " "), title_justify="left", show_header=False)
            listing.add_column(overflow="fold")
            for item in items:
                listing.add_row(safe(render_item(item)))
            parts.append(listing)
    return Group(*parts)


def source_panel(record: dict[str, Any]) -> Any:
    return _panel(
        f"source {record['key']}",
        record,
        {
            "raised_by": lambda c: f"{c['plausibility']:.2f} {c['claim']}: {c['text']}",
            "lowered_by": lambda c: f"{c['plausibility']:.2f} {c['claim']}: {c['text']}",
            "recent_claims": lambda c: f"{c['key']}: {c['text']}",
            "documents": str,
            "same_affiliation": str,
            "suspected_partners": lambda p: (
                f"{p['source']} (probability {p['probability']:.2f}"
                + (f", {p['direction']}" if p["direction"] else "")
                + (f", {p['decision']}" if p["decision"] else "")
                + ")"
            ),
        },
    )


def document_panel(record: dict[str, Any]) -> Any:
    return _panel(
        f"document {record['key']}",
        record,
        {
            "claims": lambda c: f"{c['key']} ({c['source']}): {c['text']}",
        },
    )
