"""`source`, `entity` and `doc`: the parties, the subjects and the documents."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.cli import views
from provenance.cli.state import (
    MAX_PERCENT,
    MAX_ROWS,
    FormatOption,
    note_stale_scores,
    parse_date,
    say,
    state,
)
from provenance.output import Format, render

sources = typer.Typer(help="Sources: the parties claims are attributed to.", no_args_is_help=True)
entities = typer.Typer(help="Entities: what claims are about.", no_args_is_help=True)
documents = typer.Typer(help="Documents: where claims appeared.", no_args_is_help=True)

Name = Annotated[str | None, typer.Option("--name", help="Display name")]
Kind = Annotated[str | None, typer.Option("--kind", help="e.g. government, state-media, outlet")]
Alias = Annotated[
    list[str] | None, typer.Option("--alias", metavar="NAME", help="Another name (repeatable)")
]
ListLimit = Annotated[
    int | None,
    typer.Option(
        min=0,
        max=MAX_ROWS,
        show_default=False,
        help="Rows a page (0: all) [default: 100 in a table, all in json, jsonl and csv]",
    ),
]
ListOffset = Annotated[int, typer.Option(min=0, max=MAX_ROWS)]
TABLE_PAGE = 100


def render_listing(
    read: Any, limit: int | None, offset: int, fmt: Format, what: str, **shown: Any
) -> None:
    """A catalog list, a page of a table or the whole of it in a machine format, written
    as it is read; the next page is named on stderr."""
    if limit is None:
        limit = TABLE_PAGE if fmt is Format.TABLE else 0
    listing = read(limit=limit, offset=offset)
    render(listing.rows, fmt, **shown)
    if listing.more:
        say(f"more {what} follow: --offset {offset + limit} (--limit 0: all)", style="dim")


def validated(model: str, **values: Any) -> Any:
    """Command-line options through the same validation as import records."""
    from pydantic import ValidationError

    from provenance import schemas
    from provenance.errors import InvalidInput

    try:
        return getattr(schemas, model).model_validate(values)
    except ValidationError as error:
        # One line, however many options are wrong (a file's records get a line each).
        found = [_option_line(line) for line in schemas.problems(error, "")]
        raise InvalidInput(["; ".join(found)]) from None


def _option_line(line: str) -> str:
    """A record's problem as an option's: "/aliases/0: …" → "aliases.0: …" (the message
    after the colon as written: "key 'a/b' …" once read "key 'a.b' …")."""
    where, colon, message = line.lstrip("/").partition(": ")
    return where.replace("/", ".") + colon + message


@sources.command("add")
def source_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Lowercase slug, e.g. nug")],
    name: Name = None,
    kind: Kind = None,
    reliability: Annotated[
        str,
        typer.Option("--reliability", "-r", help="Admiralty A (reliable) … F (cannot be judged)"),
    ] = "F",
    affiliation: Annotated[
        str | None, typer.Option(help="Group key; sources sharing one are not independent")
    ] = None,
    alias: Alias = None,
    protected: Annotated[
        bool, typer.Option("--protected", help="Identity never leaves the database unless asked")
    ] = False,
    notes: Annotated[str | None, typer.Option(help="Why this grade, who they are")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Add a source."""
    from provenance.services import catalog

    data = validated(
        "SourceIn",
        key=key,
        name=name,
        kind=kind,
        reliability=reliability,
        affiliation=affiliation,
        aliases=alias or [],
        protected=protected,
        notes=notes,
    )
    with state(ctx).writing() as session:
        record = catalog.add_source(session, data, analyst=state(ctx).who)
    render(record, fmt)


@sources.command("edit")
def source_edit(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Source key, alias or unique prefix")],
    name: Name = None,
    kind: Kind = None,
    reliability: Annotated[str | None, typer.Option("--reliability", "-r")] = None,
    affiliation: Annotated[str | None, typer.Option(help="Group key ('' to clear)")] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="NAME", help="Add (repeatable), as entity edit does"),
    ] = None,
    unalias: Annotated[
        list[str] | None, typer.Option("--unalias", metavar="NAME", help="Remove (repeatable)")
    ] = None,
    protected: Annotated[bool | None, typer.Option("--protected/--not-protected")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Change a source's fields; only the options given change. --alias adds a name and
    --unalias removes one (they replaced the whole list before: a contract audit found the
    old names stop resolving)."""
    from provenance.services import catalog

    changes = {
        k: v
        for k, v in {
            "name": name,
            "kind": kind,
            "reliability": reliability,
            "affiliation": affiliation,
            "protected": protected,
            "notes": notes,
        }.items()
        if v is not None
    }
    with state(ctx).writing() as session:
        record = catalog.edit(
            session,
            key,
            changes,
            analyst=state(ctx).who,
            add_aliases=alias or (),
            remove_aliases=unalias or (),
        )
    render(record, fmt)


@sources.command("list")
def source_list(
    ctx: typer.Context,
    limit: ListLimit = None,
    offset: ListOffset = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List sources with their grades and claim counts."""
    from provenance.services import catalog

    with state(ctx).reading() as session:
        render_listing(
            lambda **page: catalog.list_sources(session, **page),
            limit,
            offset,
            fmt,
            "sources",
            columns=views.SOURCE_COLUMNS,
            title="Sources",
        )


@sources.command("show")
def source_show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Source key, alias or unique prefix")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Everything about one source."""
    from provenance.analysis.records import source_page

    with state(ctx).querying() as connection:
        record = source_page(connection, key)
        if fmt is Format.TABLE and record.get("trust") is not None:
            note_stale_scores(connection)
    render(record, fmt, table=views.source_panel)


@entities.command("add")
def entity_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Lowercase slug, e.g. myanmar-military")],
    name: Name = None,
    kind: Annotated[str | None, typer.Option(help="person, organisation, place, event")] = None,
    alias: Alias = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Add an entity (a subject of claims)."""
    from provenance.services import catalog

    data = validated("EntityIn", key=key, name=name, kind=kind, aliases=alias or [])
    with state(ctx).writing() as session:
        record = catalog.add_entity(session, data, analyst=state(ctx).who)
    render(record, fmt)


@entities.command("list")
def entity_list(
    ctx: typer.Context,
    limit: ListLimit = None,
    offset: ListOffset = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List entities with their aliases."""
    from provenance.services import catalog

    with state(ctx).reading() as session:
        render_listing(
            lambda **page: catalog.list_entities(session, **page),
            limit,
            offset,
            fmt,
            "entities",
            columns=views.ENTITY_COLUMNS,
            title="Entities",
        )


@documents.command("add")
def doc_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Lowercase slug")],
    title: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
    publisher: Annotated[str | None, typer.Option(help="Source key of the publisher")] = None,
    published: Annotated[
        dt.datetime | None, typer.Option(parser=parse_date, metavar="DATE")
    ] = None,
    retrieved: Annotated[
        dt.datetime | None, typer.Option(parser=parse_date, metavar="DATE")
    ] = None,
    language: Annotated[str | None, typer.Option()] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="The document's text: its sha256 is stored", dir_okay=False),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Add a document (`--file` stores the sha256 of its text)."""
    from provenance.services import catalog

    data = validated(
        "DocumentIn",
        key=key,
        title=title,
        url=url,
        publisher=publisher,
        published=published.date() if published else None,
        retrieved=retrieved.date() if retrieved else None,
        language=language,
        sha256=catalog.file_sha256(file) if file else None,
    )
    with state(ctx).writing() as session:
        record = catalog.add_document(session, data, analyst=state(ctx).who)
    render(record, fmt)
    if file:
        say(f"sha256 of {file}: {record['sha256']}")


@documents.command("list")
def doc_list(
    ctx: typer.Context,
    limit: ListLimit = None,
    offset: ListOffset = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List documents."""
    from provenance.services import catalog

    with state(ctx).reading() as session:
        render_listing(
            lambda **page: catalog.list_documents(session, **page),
            limit,
            offset,
            fmt,
            "documents",
            columns=views.DOCUMENT_COLUMNS,
            title="Documents",
        )


@documents.command("show")
def doc_show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Document key or unique prefix")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One document and the claims it carries."""
    from provenance.services import catalog

    with state(ctx).reading() as session:
        record = catalog.show_document(session, key)
    render(record, fmt, table=views.document_panel)


@sources.command("score")
def source_score(
    ctx: typer.Context,
    method: Annotated[
        str,
        typer.Option(
            help="auto (Accu for categories, CRH for figures), accu, crh, or vote (plain voting)"
        ),
    ] = "auto",
    tolerance: Annotated[
        float, typer.Option(min=0, max=MAX_PERCENT, help="Percent within which figures agree")
    ] = 5.0,
    copying: Annotated[
        bool,
        typer.Option(
            "--copying/--no-copying",
            help="Detect sources copying one another and count a copier only for what it adds",
        ),
    ] = True,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Earned reliability: each source's trust and each claim's plausibility, from agreement
    among independent sources and analyst verdicts (stored; shown by list and show)."""
    from provenance.analysis import trust
    from provenance.errors import MalformedOption
    from provenance.services import audit

    if method not in trust.METHODS:
        raise MalformedOption(f"unknown method {method!r}: choose {', '.join(trust.METHODS)}")
    parameters = trust.Parameters(method=method, tolerance=tolerance, detect_copying=copying)
    with state(ctx).writing() as session:
        scores = trust.score(session, parameters)  # the analyst's rejected pairs left alone
        run = trust.store(session, scores, analyst=state(ctx).who)
        audit.record(
            session,
            analyst=state(ctx).who,
            action="source.score",
            target=f"run {run}",
            payload={
                "method": method,
                "tolerance": tolerance,
                "copying": copying,
                "iterations": scores.iterations,
                "converged": scores.converged,
                "sources": len(scores.trust),
                "claims": len(scores.plausibility),
                "suspected_pairs": sum(p.probability >= 0.5 for p in scores.pairs),
            },
        )
        records = trust.records(session, scores)
    render(records, fmt, columns=views.SCORE_COLUMNS, title="Earned reliability")
    say(
        f"{views.plural(len(scores.plausibility), 'claim')}, "
        f"{views.plural(len(scores.trust), 'source')}; "
        f"{views.plural(scores.iterations, 'iteration')}, "
        f"{'converged' if scores.converged else 'NOT converged'}"
    )
    suspected = sum(p.probability >= 0.5 for p in scores.pairs)
    if suspected:
        say(f"{suspected} pairs of sources look like copies: see `provenance source copies`")


@sources.command("copies")
def source_copies(
    ctx: typer.Context,
    min_probability: Annotated[
        float,
        typer.Option(min=0, max=1, help="List pairs at least this likely to be dependent"),
    ] = 0.5,
    accept: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="A B", help="They copy one another: give them one affiliation"),
    ] = None,
    reject: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="A B", help="They are independent: scoring leaves them alone"),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Sources that the data shows copying one another (found by `source score`), with the
    evidence; or the analyst's decision on a pair (--accept A B, --reject A B)."""
    from provenance.errors import MalformedOption

    if accept and reject:
        raise MalformedOption("give --accept A B or --reject A B, not both")
    if accept or reject:
        from provenance.services import copies as decisions

        with state(ctx).writing() as session:
            if accept:
                record = decisions.accept(session, *accept, analyst=state(ctx).who, note=note)
                say(
                    f"{record['a']} and {record['b']} now share the affiliation "
                    f"{record['affiliation']!r}: they count as one origin"
                )
            else:
                assert reject is not None
                record = decisions.reject(session, *reject, analyst=state(ctx).who, note=note)
                say(f"{record['a']} and {record['b']} recorded as independent")
        render(record, fmt)
        return
    from sqlalchemy import func, select

    from provenance.analysis import copies
    from provenance.models import ScoringRun

    with state(ctx).reading() as session:
        records = copies.pairs(session, min_probability=min_probability)
        runs = session.scalar(select(func.count()).select_from(ScoringRun))
    render(records, fmt, columns=views.COPIES_COLUMNS, title="Suspected copying")
    if not runs:
        say("no scoring run yet: `provenance source score` looks for copying")
