"""`extract`: propose attributed claims from an article, to review and import."""

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.cells import json_text
from provenance.cli.state import FormatOption, parse_date, say, state
from provenance.output import Column, Format, render
from provenance.vocab import fold_name, format_value, name_forms, slugify


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


Lookup = Callable[[str], str | None]
Sources = Callable[[list[str]], dict[str, str]]


@contextmanager
def _known(ctx: typer.Context) -> Iterator[tuple[Sources | None, Lookup | None]]:
    """Names in the text against the database's sources and aliases, and the article's
    sha256 against its documents, when there is a database."""
    from provenance.errors import DatabaseUnavailable

    stack = ExitStack()
    try:
        database = stack.enter_context(state(ctx).database())
    except DatabaseUnavailable as error:
        say(f"not matching sources against a database ({error}); all are proposed new", style="dim")
        yield None, None
        return
    from sqlalchemy import func, select

    from provenance.read.tables import documents, source_aliases, sources

    with stack, database.reading() as session:

        def resolve(names: list[str]) -> dict[str, str]:
            """Every name that is a source's key, alias or name (or whose slug is a key),
            in three queries a batch of names, whatever the number of parties."""
            found: dict[str, str] = {}
            wanted = sorted(set(names))
            for start in range(0, len(wanted), 400):
                batch = wanted[start : start + 400]
                slugs = {name: slugify(name) for name in batch}
                keys = set(
                    session.scalars(
                        select(sources.c.key).where(
                            sources.c.key.in_(set(batch) | set(slugs.values()))
                        )
                    )
                )
                forms = {name: name_forms(name) for name in batch}
                rows = session.execute(
                    select(source_aliases.c.folded, sources.c.key)
                    .join(sources, sources.c.id == source_aliases.c.source_id)
                    .where(source_aliases.c.folded.in_(set().union(*forms.values())))
                )
                aliases = {folded: key for folded, key in rows}
                named = session.execute(
                    select(sources.c.name, sources.c.key).where(
                        func.lower(sources.c.name).in_({name.lower() for name in batch})
                    )
                )
                names_of = {fold_name(source_name): key for source_name, key in named}
                for name in batch:
                    key = (
                        (name if name in keys else None)
                        or next((aliases[f] for f in sorted(forms[name]) if f in aliases), None)
                        or (slugs[name] if slugs[name] in keys else None)
                        or names_of.get(fold_name(name))
                    )
                    if key is not None:
                        found[name] = key
            return found

        def document_key(sha256: str) -> str | None:
            return session.scalar(
                select(documents.c.key)
                .where(documents.c.sha256 == sha256)
                .order_by(documents.c.id)
                .limit(1)
            )

        yield resolve, document_key


REVIEW_COLUMNS = [
    Column("#", lambda r: r["_index"], justify="right", whole=True, priority=0),
    Column(
        "source (via)",
        lambda r: (
            r["_attribution"]["source"]
            + (" (new)" if r["_new_source"] else "")
            + "".join(f" via {relay}" for relay in r["_attribution"].get("via", []))
        ),
        style="cyan",
        whole=True,
    ),
    # never left out: a denial (its claim the thing denied) reads as an assertion without it
    Column("stance", lambda r: r["_attribution"]["stance"], whole=True, priority=0),
    Column("conf.", lambda r: r["_attribution"]["confidence"], justify="right", priority=4),
    Column("claim", lambda r: r["_claim"], max_width=50, min_width=16),
    Column("value", lambda r: r["_value"], priority=2),
    Column("period", lambda r: r["_period"], priority=3),
    Column(
        "verbatim quote [offsets]",
        lambda r: f"“{r['_attribution']['quote']}” {r['_attribution']['offsets']}",
        max_width=50,
        priority=2,
    ),
]


def review_rows(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """One row an attribution: a claim's later attributions (a party that denies it in
    the same sentence) under it, with its number, text and value left blank."""
    new_sources = {s["key"] for s in proposal["sources"]}
    rows = []
    for index, claim in enumerate(proposal["claims"], start=1):
        for position, attribution in enumerate(claim["attributions"]):
            first = position == 0
            rows.append(
                {
                    "_index": index if first else "",
                    "_attribution": attribution,
                    "_new_source": attribution["source"] in new_sources,
                    "_claim": claim["text"] if first else "",
                    "_value": format_value(claim.get("value"), claim.get("unit")) if first else "",
                    "_period": "…".join(filter(None, (claim.get("period") or {}).values()))
                    if first
                    else "",
                }
            )
    return rows


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
    from provenance.io.reading import document, read_article

    text, sha256 = read_article(file)  # refused before a database is opened
    with _known(ctx) as (resolve, document_key):
        if publisher is not None and resolve is not None:
            # a key, alias or name of a recorded source, as `doc add --publisher` takes:
            # a mistyped one was made a new source by --apply
            from provenance.errors import NotFound

            recorded = resolve([publisher]).get(publisher)
            if recorded is None:
                raise NotFound("source", publisher)
            publisher = recorded
        proposal = document(
            text,
            name=file.name,
            sha256=sha256,
            resolve_sources=resolve,
            document_key=document_key,
            publisher=publisher,
            published=published.date().isoformat() if published else None,
        )
    if not proposal["documents"] and proposal["claims"]:
        say(
            f"this file is already recorded as document "
            f"{proposal['claims'][0]['attributions'][0]['document']} (same sha256)",
            style="dim",
        )
    new_sources = {s["key"] for s in proposal["sources"]}
    if fmt is Format.TABLE:
        title = f"{len(proposal['claims'])} proposals from {file.name}"
        render(review_rows(proposal), fmt, columns=REVIEW_COLUMNS, title=title)
    elif fmt in (Format.JSONL, Format.CSV):  # the import's own shapes: they import as they are
        from provenance.io.formats import document_csv_records, document_records

        records = document_records if fmt is Format.JSONL else document_csv_records
        render(records(proposal), fmt)
    else:
        render(proposal, fmt)
    say(
        f"{len(proposal['claims'])} proposed claims from {len(new_sources)} new and "
        f"{len({c['attributions'][0]['source'] for c in proposal['claims']} - new_sources)} "
        "known sources"
    )
    if apply:
        _apply(ctx, proposal, file)


def _these(count: int) -> str:
    return "1 of these claims is" if count == 1 else f"{count} of these claims are"


def _recorded_claims(ctx: typer.Context, keys: list[str]) -> set[str]:
    """Which of ``keys`` already name a claim."""
    from sqlalchemy import select

    from provenance.read.tables import claims

    found: set[str] = set()
    with state(ctx).database() as database, database.reading() as session:
        for start in range(0, len(keys), 400):
            batch = keys[start : start + 400]
            found.update(session.scalars(select(claims.c.key).where(claims.c.key.in_(batch))))
    return found


def _leave_recorded_claims(ctx: typer.Context, proposal: dict[str, Any]) -> dict[str, Any]:
    """The proposal without what would overwrite claims already recorded: extracting an
    article again put its first reading back over the analyst's corrections (text, value,
    confidence). A claim recorded from this very document is left out; one recorded from
    another article that says the same keeps only its new attribution."""
    from provenance.schemas import ClaimIn

    keys = [ClaimIn.model_validate(claim).derived_key() for claim in proposal["claims"]]
    recorded = _recorded_claims(ctx, keys)
    if not recorded:
        return proposal
    document_is_new = bool(proposal["documents"])
    claims = []
    for key, claim in zip(keys, proposal["claims"], strict=True):
        if key not in recorded:
            claims.append(claim)
        elif document_is_new:
            claims.append({"key": key, "attributions": claim["attributions"]})
    left = len(proposal["claims"]) - len(claims)
    if left:
        say(
            f"{_these(left)} already recorded from this document: left as "
            f"{'it is' if left == 1 else 'they are'} (corrections stand); import the "
            "proposals by hand to overwrite them",
            style="dim",
        )
    kept = len(recorded) - left
    if kept:
        say(
            f"{_these(kept)} already recorded from another document: this document's "
            "attributions are added, the claims' fields are left as they are",
            style="dim",
        )
    return {**proposal, "claims": claims}


def _apply(ctx: typer.Context, proposal: dict[str, Any], article: Path) -> None:
    from provenance.cli.data import _report, _run_import

    proposal = _leave_recorded_claims(ctx, proposal)
    with tempfile.TemporaryDirectory() as folder:
        # the audit trail names the import's file: the article's name says what it was
        path = Path(folder) / f"{article.name[:100]}.proposals.json"
        path.write_text(json_text(proposal), encoding="utf-8")
        report = _run_import(state(ctx), [path], "json", dry_run=False)
    _report(report, dry_run=False)
