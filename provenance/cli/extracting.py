"""`extract`: propose attributed claims from an article, to review and import."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.cli.state import FormatOption, parse_date, say, state
from provenance.output import Column, Format, render
from provenance.vocab import format_value, slugify


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


@contextmanager
def _source_resolver(ctx: typer.Context) -> Iterator[Callable[[str], str | None] | None]:
    """Names in the text against the database's sources and aliases, when there is one."""
    from provenance.errors import DatabaseUnavailable

    stack = ExitStack()
    try:
        database = stack.enter_context(state(ctx).database())
    except DatabaseUnavailable as error:
        say(f"not matching sources against a database ({error}); all are proposed new", style="dim")
        yield None
        return
    from sqlalchemy import select

    from provenance.models import Source
    from provenance.read.resolve import find_id

    with stack, database.reading() as session:

        def resolve(name: str) -> str | None:
            found = find_id(session, "source", name) or find_id(session, "source", slugify(name))
            return session.scalar(select(Source.key).where(Source.id == found)) if found else None

        yield resolve


REVIEW_COLUMNS = [
    Column("#", lambda r: r["_index"], justify="right", whole=True, priority=0),
    Column(
        "source",
        lambda r: r["attributions"][0]["source"] + (" (new)" if r["_new_source"] else ""),
        style="cyan",
        whole=True,
    ),
    Column("stance", lambda r: r["attributions"][0]["stance"], whole=True, priority=3),
    Column("conf.", lambda r: r["attributions"][0]["confidence"], justify="right", priority=4),
    Column("claim", lambda r: r["text"], max_width=50, min_width=16),
    Column("value", lambda r: format_value(r.get("value"), r.get("unit")), priority=2),
    Column(
        "period",
        lambda r: "…".join(filter(None, (r.get("period") or {}).values())),
        priority=3,
    ),
    Column(
        "verbatim quote [offsets]",
        lambda r: f"“{r['attributions'][0]['quote']}” {r['attributions'][0]['offsets']}",
        max_width=50,
        priority=2,
    ),
]


def extract(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Article: plain text or HTML", exists=True, dir_okay=False)
    ],
    publisher: Annotated[
        str | None,
        typer.Option(help="Source key of the outlet that published it: it becomes the relay (via)"),
    ] = None,
    published: Annotated[
        dt.datetime | None,
        typer.Option(
            parser=parse_date,
            metavar="DATE",
            help="Publication date; its year dates 'since March 28' [default: this year]",
        ),
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Import the proposals right after showing them")
    ] = False,
    fmt: FormatOption = Format.JSON,
) -> None:
    """Propose attributed claims from an article's text (verbatim quotes), as an interchange
    document: review it, edit it, then `provenance import` it (or use --apply)."""
    from provenance.io.extract import file_document

    with _source_resolver(ctx) as resolve:
        proposal = file_document(
            file,
            resolve_source=resolve,
            publisher=publisher,
            published=published.date().isoformat() if published else None,
        )
    new_sources = {s["key"] for s in proposal["sources"]}
    if fmt is Format.TABLE:
        rows = [
            {**claim, "_index": i, "_new_source": claim["attributions"][0]["source"] in new_sources}
            for i, claim in enumerate(proposal["claims"], start=1)
        ]
        render(rows, fmt, columns=REVIEW_COLUMNS, title=f"{len(rows)} proposals from {file.name}")
    else:
        render(proposal, fmt)
    say(
        f"{len(proposal['claims'])} proposed claims from {len(new_sources)} new and "
        f"{len({c['attributions'][0]['source'] for c in proposal['claims']} - new_sources)} "
        "known sources"
    )
    if apply:
        _apply(ctx, proposal)


def _apply(ctx: typer.Context, proposal: dict[str, Any]) -> None:
    from provenance.cli.data import _report, _run_import

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "proposals.json"
        path.write_text(json.dumps(proposal, ensure_ascii=False), encoding="utf-8")
        report = _run_import(state(ctx), [path], "json", dry_run=False)
    _report(report, dry_run=False)
