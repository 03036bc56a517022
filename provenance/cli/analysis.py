"""`flag`, `compare` and `timeline`: what needs work, and who says what."""

from collections.abc import Iterator
from functools import partial
from typing import Annotated, Any

import typer

from provenance.cli import comparison_views, views
from provenance.cli.filters import (
    FilterChangedSince,
    FilterProperty,
    FilterSearch,
    FilterSince,
    FilterSource,
    FilterStatus,
    FilterSubject,
    FilterTag,
    FilterUntil,
    FilterVia,
    claim_filter,
    refuse_empty,
)
from provenance.cli.state import (
    MAX_PERCENT,
    MAX_ROWS,
    FormatOption,
    note_stale_scores,
    say,
    state,
)
from provenance.output import Format, render

Tolerance = Annotated[
    float,
    typer.Option(
        min=0, max=MAX_PERCENT, help="Percent by which numbers may differ and still agree"
    ),
]
MinSources = Annotated[
    int, typer.Option(min=1, max=MAX_ROWS, help="Independent origins a claim needs")
]


def register(app: typer.Typer) -> None:
    app.command("flag")(flag)
    app.command("compare")(compare)
    app.command("timeline")(timeline)


def _settings(tolerance: float = 5.0, min_sources: int = 2) -> Any:
    from provenance.analysis.facts import Settings

    return Settings(tolerance=tolerance, min_sources=min_sources)


def flag(
    ctx: typer.Context,
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason",
            metavar="CODE",
            help="Only these reason codes (repeatable): contradicted, conflict, "
            "circular, echo, single-source, low-reliability, disputed, false, unverified",
        ),
    ] = None,
    min_sources: MinSources = 2,
    tolerance: Tolerance = 5.0,
    strict: Annotated[bool, typer.Option(help="Exit 3 when anything is flagged")] = False,
    limit: Annotated[int, typer.Option(min=0, max=MAX_ROWS, help="At most N claims (0: all)")] = 0,
    source: FilterSource = None,
    via: FilterVia = None,
    status: FilterStatus = None,
    subject: FilterSubject = None,
    property: FilterProperty = None,
    tag: FilterTag = None,
    since: FilterSince = None,
    until: FilterUntil = None,
    search: FilterSearch = None,
    changed_since: FilterChangedSince = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The work queue: flagged claims, most severe first; of every claim, or of the slice
    the claim filters select (one topic's queue)."""
    from provenance.analysis.queue import FLAG_FIELDS, flagged, keep_current
    from provenance.services.claims import changed_since as since_point
    from provenance.services.claims import filtered_ids

    shown = 0

    def counted(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal shown
        for record in records:
            shown += 1
            yield record

    settings = _settings(tolerance, min_sources)
    refuse_empty(source=source, via=via, subject=subject, property=property)
    sliced = any([source, via, status, subject, property, tag, since, until, search, changed_since])
    with state(ctx).database() as database:
        # A page of the whole queue comes from the stored ranking, kept current here.
        stored = bool(limit) and not sliced and keep_current(database, settings)
        with database.querying() as session:
            claim_ids = None
            if sliced:
                where = claim_filter(
                    source,
                    status,
                    subject,
                    property,
                    tag,
                    since,
                    until,
                    search,
                    None,
                    since_point(session, changed_since) if changed_since else None,
                    via=via,
                )
                claim_ids = filtered_ids(session, where).order_by(None)
            records = counted(
                flagged(
                    session,
                    settings,
                    reasons=reason or [],
                    limit=limit or None,
                    claim_ids=claim_ids,
                    stored=stored,
                )
            )
            # Streamed for jsonl and csv; a table and a JSON document need the whole list.
            render(
                records if fmt in (Format.JSONL, Format.CSV) else list(records),
                fmt,
                table=partial(views.flag_table, limit=limit),
                internal_fields=False,
                fields=FLAG_FIELDS,
            )
    if strict and shown:
        raise typer.Exit(3)


def compare(
    ctx: typer.Context,
    claims: Annotated[
        list[str] | None, typer.Argument(metavar="[CLAIM CLAIM]", help="Two claims side by side")
    ] = None,
    subject: Annotated[str | None, typer.Option(help="Every source's value per claim key")] = None,
    property: Annotated[str | None, typer.Option(help="With --subject: one property")] = None,
    sources: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="A B", help="Where two sources agree, conflict, or speak alone"),
    ] = None,
    tolerance: Tolerance = 5.0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Compare values: per claim key (--subject), between two sources (--sources A B), or
    two claims (CLAIM CLAIM)."""
    from provenance.analysis import compare as comparison
    from provenance.errors import MalformedOption

    forms = sum([bool(claims), subject is not None, sources is not None])
    if forms != 1:
        raise MalformedOption(
            "compare takes one of: --subject S [--property P], --sources A B, or CLAIM CLAIM"
        )
    settings = _settings(tolerance)
    with state(ctx).querying() as session:
        if subject is not None:
            groups = comparison.by_subject(session, subject, property, settings)
            scored = any(c.get("plausibility") is not None for g in groups for c in g["claims"])
            if fmt is Format.TABLE and scored:
                note_stale_scores(session)
            render(groups, fmt, table=comparison_views.compare_groups)
        elif sources is not None:
            report = comparison.between_sources(session, sources[0], sources[1], settings)
            render(report, fmt, table=comparison_views.compare_sources)
        else:
            if len(claims or []) != 2:
                raise MalformedOption("compare CLAIM CLAIM takes exactly two claims")
            assert claims is not None
            pair = comparison.two_claims(session, claims[0], claims[1], settings)
            render(pair, fmt, table=comparison_views.compare_pair)
    if property is not None and subject is None:
        say("--property goes with --subject")


def timeline(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Entity key or alias")] = None,
    property: Annotated[str | None, typer.Option()] = None,
    tolerance: Tolerance = 5.0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A claim key's values over time; a later cumulative figure that goes down is a conflict."""
    from provenance.analysis.timeline import timeline as build

    with state(ctx).querying() as session:
        series = build(session, subject, property, _settings(tolerance))
    render(series, fmt, table=comparison_views.timeline_tables)
