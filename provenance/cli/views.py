"""How records look in a terminal: table columns and Rich trees, used by the renderer's
``table`` format. Nothing here decides anything; it only arranges records."""

from __future__ import annotations

from typing import Any

from provenance.cells import cell_text
from provenance.output import Column, field
from provenance.vocab import format_value, grade

FLAG_STYLE = {
    "contradicted": "bold red",
    "conflict": "red",
    "circular": "magenta",
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


def styled_flags(flags: list[str]) -> Any:
    from rich.text import Text

    text = Text()
    for index, code in enumerate(flags):
        if index:
            text.append("\n")
        text.append(code, style=FLAG_STYLE.get(code, ""))
    return text


def attribution_line(attribution: dict[str, Any]) -> str:
    """``nug C3 via outlet`` (the origin, its grade, and who relayed it)."""
    letter = grade(attribution.get("_reliability"), attribution["confidence"])
    line = f"{attribution['source']} {letter}"
    if attribution["stance"] != "asserts":
        line += f" ({attribution['stance']})"
    if attribution["via"]:
        line += " via " + " ← ".join(attribution["via"])
    return line


def _sources(record: dict[str, Any]) -> str:
    return "\n".join(attribution_line(a) for a in record["attributions"])


def _short(name: str, width: int = 44) -> Any:
    """A long text cut to one line of ``width`` characters (tables only; JSON has it all)."""

    def get(record: dict[str, Any]) -> str:
        text = " ".join(str(record.get(name) or "").split())
        return text if len(text) <= width else text[: width - 1] + "…"

    return get


def _value(record: dict[str, Any]) -> str:
    return format_value(record.get("value"), record.get("unit"))


CLAIM_COLUMNS = [
    field("key", style="cyan", no_wrap=True),
    Column("text", _short("text")),
    Column("value", _value, justify="right", no_wrap=True),
    Column("sources (grade)", _sources, min_width=16),
    Column("status", lambda r: r["status"], min_width=10),
    Column("flags", lambda r: styled_flags(r["flags"]), min_width=15),
]


def claim_table(records: list[dict[str, Any]], title: str | None = None) -> Any:
    from provenance.output import rich_table

    return rich_table(records, columns=CLAIM_COLUMNS, title=title)


SOURCE_COLUMNS = [
    field("key", style="cyan"),
    field("name"),
    field("kind"),
    field("reliability", "grade", justify="center"),
    field("affiliation"),
    Column("aliases", lambda r: ", ".join(r["aliases"])),
    Column("protected", lambda r: "yes" if r["protected"] else ""),
    field("claims", justify="right"),
]
SCORE_COLUMNS = [
    field("source", style="cyan"),
    Column("trust", lambda r: f"{r['trust']:.2f}", justify="right"),
    field("claims", justify="right"),
    field("agreements", justify="right"),
    field("conflicts", justify="right"),
    field("suggested_reliability", "suggested grade", justify="center"),
]
ENTITY_COLUMNS = [
    field("key", style="cyan"),
    field("name"),
    field("kind"),
    Column("aliases", lambda r: ", ".join(r["aliases"])),
    field("claims", justify="right"),
]
DOCUMENT_COLUMNS = [
    field("key", style="cyan"),
    field("title", max_width=50),
    field("publisher"),
    field("published"),
    Column("sha256", lambda r: (r["sha256"] or "")[:12]),
    field("claims", justify="right"),
]
EVENT_COLUMNS = [
    field("seq", justify="right"),
    field("at"),
    field("analyst"),
    field("action", style="cyan"),
    field("target", max_width=40),
    Column("details", lambda r: _event_words(r)),
]
IMPORT_COLUMNS = [
    field("kind"),
    field("created", justify="right"),
    field("updated", justify="right"),
    field("unchanged", justify="right"),
]
FLAG_COLUMNS = [
    field("claim", style="cyan", no_wrap=True),
    Column("text", _short("text")),
    Column("reasons", lambda r: styled_flags(r["reasons"]), min_width=15),
    field("independent_sources", "indep.", justify="right"),
    Column("origins", lambda r: "\n".join(r["origins"]), min_width=12),
    Column("conflicts with", lambda r: "\n".join(r["conflicts_with"]), min_width=14),
]


def flag_table(records: list[dict[str, Any]]) -> Any:
    from provenance.output import rich_table

    return rich_table(records, columns=FLAG_COLUMNS, title=f"{len(records)} flagged claims")


def claim_tree(record: dict[str, Any]) -> Any:
    """A claim's provenance as a tree: attributions → relays → documents → quotes, then
    links, flags with their reasons, and history."""
    from rich.markup import escape
    from rich.tree import Tree

    value = _value(record)
    status_style = STATUS_STYLE.get(record["status"], "")
    tree = Tree(f"[bold cyan]{record['key']}[/]  [{status_style}]{record['status']}[/]")
    tree.add(escape(record["text"]))
    facts = []
    if record["subject"] or record["property"]:
        facts.append(f"{record['subject'] or '?'} · {record['property'] or '?'}")
    if value:
        facts.append(f"value [bold]{escape(value)}[/]")
    period = record["period"]
    if period["start"] or period["end"]:
        facts.append(f"period {period['start'] or '…'} → {period['end'] or '…'}")
    if record["place"]:
        facts.append(f"place {escape(record['place'])}")
    if record["tags"]:
        facts.append("tags " + ", ".join(record["tags"]))
    if facts:
        tree.add(" · ".join(facts))
    count = record["independent_sources"]
    attributions = tree.add(
        f"[bold]attributions[/] ({count} independent origin{'s' if count != 1 else ''})"
    )
    for attribution in record["attributions"]:
        node = attributions.add(
            f"[bold]{attribution['source']}[/] {attribution['stance']} · grade "
            f"{grade(attribution.get('_reliability'), attribution['confidence'])} · confidence "
            f"{attribution['confidence'] if attribution['confidence'] is not None else '—'}"
        )
        parent = node
        for relay in attribution["via"]:
            parent = parent.add(f"relayed by [bold]{relay}[/]")
        if attribution["document"]:
            parent = parent.add(f"in document {attribution['document']}")
        if attribution["quote"]:
            parent.add(f"[italic]“{escape(attribution['quote'])}”[/]")
        node.add(
            f"[dim]recorded by {attribution['recorded_by']} at {attribution['recorded_at']}[/]"
        )
    if record.get("links"):
        links = tree.add("[bold]links[/]")
        for link in record["links"]:
            remark = f" — {escape(link['note'])}" if link.get("note") else ""
            links.add(f"{link['from']} [bold]{link['relation']}[/] {link['to']}{remark}")
    if record["flags"]:
        flags = tree.add("[bold]flags[/]")
        for code in record["flags"]:
            why = record.get("explanations", {}).get(code, "")
            flags.add(f"[{FLAG_STYLE.get(code, '')}]{code}[/]: {escape(why)}")
    else:
        tree.add("[green]no flags[/]")
    if record.get("history"):
        history = tree.add("[bold]history[/]")
        for event in record["history"]:
            history.add(
                f"[dim]{escape(event['at'])}[/] {escape(event['analyst'])} "
                f"{escape(event['action'])}: {escape(_event_words(event, limit=8))}"
            )
    if record.get("withdrawn"):
        gone = record["withdrawn"]
        into = f"; merged into {gone['merged_into']}" if gone.get("merged_into") else ""
        tree.add(
            f"[bold red]withdrawn[/] by {escape(str(gone['by']))} at {escape(str(gone['at']))}: "
            f"{escape(str(gone['note']))}{escape(into)}"
        )
    return tree


def _event_words(event: dict[str, Any], limit: int = 3) -> str:
    from provenance.read.events import describe_event

    return describe_event(event, limit=limit)


def _panel(title: str, record: dict[str, Any], lists: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False, title=title, title_justify="left")
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in record.items():
        if name not in lists:
            table.add_row(name, cell_text(value))
    parts: list[Any] = [table]
    for name, render_item in lists.items():
        items = record.get(name) or []
        if items:
            listing = Table(title=name.replace("_", " "), title_justify="left", show_header=False)
            listing.add_column(overflow="fold")
            for item in items:
                listing.add_row(render_item(item))
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


def _period_text(period: dict[str, Any]) -> str:
    start, end = period.get("start"), period.get("end")
    if not start and not end:
        return "no period"
    return f"{start or '…'} → {end or '…'}"


def compare_groups(groups: list[dict[str, Any]]) -> Any:
    """One table per claim key: each attribution's value side by side, disagreements red."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    tables = []
    for group in groups:
        verdict = "[green]agree[/]" if group["agree"] else "[bold red]DISAGREE[/]"
        place = f" · {group['place']}" if group["place"] else ""
        title = (
            f"{group['subject']} · [bold]{group['property']}[/] · "
            f"{_period_text(group['period'])}{place} — {verdict}"
        )
        table = Table(title=title, title_justify="left", header_style="bold")
        for header in ("value", "origin", "grade", "via", "claim", "status", "conflicts with"):
            table.add_column(header, justify="right" if header == "value" else "left")
        for claim in group["claims"]:
            style = "red" if claim["conflicts_with"] else ""
            marker = (
                " ★"
                if claim.get("plausibility") is not None
                and claim is max(group["claims"], key=lambda c: c.get("plausibility") or -1)
                else ""
            )
            for attribution in claim["_attributions"] or [{}]:
                table.add_row(
                    Text(format_value(claim["value"], claim["unit"]) + marker, style=style),
                    attribution.get("source", ""),
                    grade(attribution.get("_reliability"), attribution.get("confidence")),
                    " ← ".join(attribution.get("via", [])),
                    claim["claim"],
                    claim["status"],
                    ", ".join(claim["conflicts_with"]),
                )
        tables.append(table)
    return Group(*tables)


def compare_sources(report: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table

    summary = (
        f"[bold]{report['a']}[/] vs [bold]{report['b']}[/]: {report['shared']} shared "
        f"claim keys, [green]{report['agree']} agree[/], [red]{report['conflict']} "
        f"conflict[/]; {report['only_a']} only {report['a']}, {report['only_b']} only "
        f"{report['b']}"
    )
    table = Table(header_style="bold")
    for header in ("verdict", "subject", "property", "period", "place", report["a"], report["b"]):
        table.add_column(header)
    style = {"conflict": "red", "agree": "green"}
    for item in report["items"]:
        table.add_row(
            f"[{style.get(item['verdict'], 'dim')}]{item['verdict']}[/]",
            item["subject"] or "",
            item["property"] or "",
            _period_text(item["period"]),
            item["place"] or "",
            "\n".join(format_value(v["value"], v["unit"]) for v in item.get("a_values", [])),
            "\n".join(format_value(v["value"], v["unit"]) for v in item.get("b_values", [])),
        )
    return Group(summary, table)


def compare_pair(pair: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table

    a, b = pair["a"], pair["b"]
    table = Table(header_style="bold")
    table.add_column("")
    table.add_column(a["key"], style="red" if pair["conflict"] else "")
    table.add_column(b["key"], style="red" if pair["conflict"] else "")
    rows = [
        ("text", a["text"], b["text"]),
        (
            "subject · property",
            f"{a['subject']} · {a['property']}",
            f"{b['subject']} · {b['property']}",
        ),
        ("value", format_value(a["value"], a["unit"]), format_value(b["value"], b["unit"])),
        ("period", _period_text(a["period"]), _period_text(b["period"])),
        ("place", a["place"] or "", b["place"] or ""),
        ("sources", _sources(a), _sources(b)),
        ("status", a["status"], b["status"]),
        ("flags", ", ".join(a["flags"]), ", ".join(b["flags"])),
    ]
    for row in rows:
        table.add_row(*row)
    verdict = (
        "[bold red]in conflict[/]"
        if pair["conflict"]
        else "[green]compatible[/]"
        if pair["same_key"]
        else "not the same claim key"
    )
    links = "; ".join(f"{x['from']} {x['relation']} {x['to']}" for x in pair["links"])
    return Group(table, f"{verdict}" + (f" · {links}" if links else ""))


def timeline_tables(series: list[dict[str, Any]]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    tables = []
    for line in series:
        place = f" · {line['place']}" if line["place"] else ""
        table = Table(
            title=f"{line['subject']} · [bold]{line['property']}[/]{place}",
            title_justify="left",
            header_style="bold",
        )
        for header in ("as of", "period", "value", "change", "origins", "claim", "status"):
            table.add_column(header, justify="right" if header in ("value", "change") else "left")
        for point in line["series"]:
            change = point["change"]
            change_text = "" if change is None else f"{change:+g}"
            style = "bold red" if point["conflict"] else ""
            table.add_row(
                point["as_of"] or "",
                _period_text(point["period"]),
                Text(format_value(point["value"], point["unit"]), style=style),
                Text(change_text + (" conflict" if point["conflict"] else ""), style=style),
                ", ".join(point["origins"]),
                point["claim"],
                point["status"],
            )
        tables.append(table)
    return Group(*tables)
