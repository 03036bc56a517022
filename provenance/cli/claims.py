"""`claim add|attribute|list|show|status|link`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from provenance.cli import views
from provenance.cli.catalog import validated
from provenance.cli.state import FormatOption, parse_date, say, state
from provenance.output import Format, render
from provenance.vocab import Relation, Stance, Status

app = typer.Typer(help="Claims: record, attribute, list, show, judge, link.", no_args_is_help=True)

DateOption = Annotated[dt.datetime | None, typer.Option(parser=parse_date, metavar="DATE")]


def _attribution(
    source: str,
    via: list[str] | None,
    doc: str | None,
    stance: Stance,
    confidence: str | None,
    credibility: str | None,
    quote: str | None,
) -> dict[str, Any]:
    from provenance.errors import ProvenanceError
    from provenance.vocab import parse_credibility

    if confidence is not None and credibility is not None:
        raise ProvenanceError("give --confidence or --credibility, not both")
    if credibility is not None:
        try:
            confidence_value: Any = parse_credibility(credibility)
        except ValueError as error:
            raise ProvenanceError(f"--credibility: {error}") from None
    else:
        confidence_value = confidence
    return {
        "source": source,
        "via": via or [],
        "document": doc,
        "stance": stance,
        "confidence": confidence_value,
        "quote": quote,
    }


Source = Annotated[
    str, typer.Option("--source", "-s", help="Origin: who the claim is attributed to")
]
Via = Annotated[
    list[str] | None,
    typer.Option(
        "--via",
        help="Relay, nearest first (repeatable): B quoting A quoting origin ⇒ --via b --via a",
    ),
]
Doc = Annotated[str | None, typer.Option("--doc", help="Document key")]
StanceOpt = Annotated[
    Stance, typer.Option(help="asserts, denies, or reports (relays without endorsing)")
]
Confidence = Annotated[
    str | None,
    typer.Option(
        help="0–100 or a word: almost-certain, very-likely, likely, even-chance, unlikely, "
        "very-unlikely, remote"
    ),
]
Credibility = Annotated[str | None, typer.Option(help="Admiralty credibility digit 1–6")]
Quote = Annotated[str | None, typer.Option(help="Short verbatim excerpt")]


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The claim, in your words")],
    source: Source,
    via: Via = None,
    doc: Doc = None,
    stance: StanceOpt = Stance.ASSERTS,
    confidence: Confidence = None,
    credibility: Credibility = None,
    quote: Quote = None,
    subject: Annotated[
        str | None, typer.Option(help="Entity key or alias (new ones are created)")
    ] = None,
    property: Annotated[str | None, typer.Option(help="Slug, e.g. civilians_killed")] = None,
    value: Annotated[
        str | None, typer.Option(help="276, >=31, <=10, 200..250, ~300, or a category")
    ] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    from_: Annotated[
        dt.datetime | None,
        typer.Option(
            "--from",
            parser=parse_date,
            metavar="DATE",
            help="Start of the period the claim is about",
        ),
    ] = None,
    to: Annotated[
        dt.datetime | None,
        typer.Option("--to", parser=parse_date, metavar="DATE", help="End of that period"),
    ] = None,
    place: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="Repeatable")
    ] = None,
    key: Annotated[
        str | None, typer.Option(help="Claim key [default: derived from the content]")
    ] = None,
) -> None:
    """Record a claim with its first attribution; prints its key."""
    from provenance.errors import ProvenanceError
    from provenance.services import claims
    from provenance.vocab import value_from_text

    try:
        parsed_value = value_from_text(value) if value is not None else None
    except ValueError as error:
        raise ProvenanceError(f"--value: {error}") from None
    period = (
        {"start": from_.date() if from_ else None, "end": to.date() if to else None}
        if from_ or to
        else None
    )
    data = validated(
        "ClaimIn",
        key=key,
        text=text,
        subject=subject,
        property=property,
        value=parsed_value,
        unit=unit,
        period=period,
        place=place,
        tags=tag or [],
        attributions=[_attribution(source, via, doc, stance, confidence, credibility, quote)],
    )
    with state(ctx).writing() as session:
        claim_key = claims.add(session, data, analyst=state(ctx).who)
    typer.echo(claim_key)


@app.command("attribute")
def attribute(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    source: Source,
    via: Via = None,
    doc: Doc = None,
    stance: StanceOpt = Stance.ASSERTS,
    confidence: Confidence = None,
    credibility: Credibility = None,
    quote: Quote = None,
) -> None:
    """Add another attribution to an existing claim."""
    from provenance.services import claims

    data = validated(
        "AttributionIn", **_attribution(source, via, doc, stance, confidence, credibility, quote)
    )
    with state(ctx).writing() as session:
        claim_key = claims.attribute(session, claim, data, analyst=state(ctx).who)
    say(f"{claim_key}: attributed to {data.source} ({data.stance.value})")


def claim_filter(
    source: str | None = None,
    status: Status | None = None,
    subject: str | None = None,
    property: str | None = None,
    tag: list[str] | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    search: str | None = None,
    flag: list[str] | None = None,
) -> Any:
    from provenance.services.claims import ClaimFilter

    return ClaimFilter(
        source=source,
        status=status,
        subject=subject,
        property=property,
        tags=tag or [],
        since=since.date() if since else None,
        until=until.date() if until else None,
        search=search,
        flags=flag or [],
    )


FilterSource = Annotated[str | None, typer.Option("--source", help="Attributed to this source")]
FilterStatus = Annotated[Status | None, typer.Option(help="Analyst status")]
FilterSubject = Annotated[str | None, typer.Option(help="Entity key or alias")]
FilterProperty = Annotated[str | None, typer.Option()]
FilterTag = Annotated[
    list[str] | None, typer.Option("--tag", metavar="TAG", help="Repeatable: all must match")
]
FilterSearch = Annotated[str | None, typer.Option(help="Words that must all appear in the text")]
FilterFlag = Annotated[
    list[str] | None,
    typer.Option("--flag", help="Only claims with this flag (repeatable: any matches)"),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    source: FilterSource = None,
    status: FilterStatus = None,
    subject: FilterSubject = None,
    property: FilterProperty = None,
    tag: FilterTag = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            parser=parse_date,
            metavar="DATE",
            help="Claims about this date or later (period; else when recorded)",
        ),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(parser=parse_date, metavar="DATE", help="Claims about this date or earlier"),
    ] = None,
    search: FilterSearch = None,
    flag: FilterFlag = None,
    limit: Annotated[int, typer.Option(min=0, help="Rows a page (0: all)")] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List claims, filtered and paged (oldest first)."""
    from provenance.services import claims

    where = claim_filter(source, status, subject, property, tag, since, until, search, flag)
    with state(ctx).reading() as session:
        records, more = claims.list_claims(
            session, where, limit=limit, offset=offset, internal=fmt is Format.TABLE
        )
    render(records, fmt, columns=views.CLAIM_COLUMNS, title="Claims")
    if more:
        say(f"more claims follow: --offset {offset + limit}", style="dim")


@app.command("show")
def show(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A claim's whole provenance: attributions, relays, documents, links, flags, history."""
    from provenance.services import claims

    with state(ctx).reading() as session:
        record = claims.show(session, claim)
    render(record, fmt, table=views.claim_tree)


@app.command("status")
def status(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    verdict: Annotated[
        Status,
        typer.Argument(metavar="STATUS", help="unverified, verified, disputed, false, retracted"),
    ],
    note: Annotated[str, typer.Option(help="Why (required; kept in the audit trail)")],
) -> None:
    """Set the analyst's verdict on a claim."""
    from provenance.services import claims

    with state(ctx).writing() as session:
        change = claims.set_status(session, claim, verdict, note=note, analyst=state(ctx).who)
    say(f"{change['claim']}: {change['from']} → {change['to']}")


@app.command("link")
def link(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(metavar="A", help="Claim key or prefix")],
    b: Annotated[str, typer.Argument(metavar="B", help="Claim key or prefix")],
    relation: Annotated[
        Relation, typer.Option(help="contradicts, supports, same-as, updates (A updates B)")
    ],
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Relate two claims."""
    from provenance.services import claims

    data = validated("LinkIn", **{"from": a, "to": b, "relation": relation, "note": note})
    with state(ctx).writing() as session:
        record = claims.link(session, data, analyst=state(ctx).who)
    say(f"{record['from']} {record['relation']} {record['to']}")
