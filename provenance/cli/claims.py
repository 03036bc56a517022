"""`claim add|attribute|list|show|status|link`."""

import datetime as dt
from typing import Annotated, Any

import typer

from provenance.cli import views
from provenance.cli.catalog import validated
from provenance.cli.filters import (
    FilterChangedSince,
    FilterFlag,
    FilterProperty,
    FilterSearch,
    FilterSince,
    FilterSource,
    FilterStatus,
    FilterSubject,
    FilterTag,
    FilterUntil,
    FilterVia,
    FilterWithdrawn,
    claim_filter,
)
from provenance.cli.state import MAX_ROWS, FormatOption, parse_date, say, state
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
    from provenance.errors import MalformedOption, ProvenanceError
    from provenance.vocab import parse_credibility

    if confidence is not None and credibility is not None:
        raise MalformedOption("give --confidence or --credibility, not both")
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
    Stance,
    typer.Option(
        help="asserts, denies, or reports (relays without endorsing)", case_sensitive=False
    ),
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
    category: Annotated[
        bool, typer.Option("--category", help="Keep --value as a category, not a figure")
    ] = False,
    new_entity: Annotated[
        bool,
        typer.Option(
            "--new-entity", help="Create the subject (or property) even if it is close to one"
        ),
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate",
            help="Record it even if the same origin already says the same (text or key and value)",
        ),
    ] = False,
) -> None:
    """Record a claim with its first attribution; prints its key.

    --value takes a figure as people write it: 300, 2,000, 1.5 million, at least 300,
    over 2,000, 14,000+, up to 100, nearly 1,500, about 300, 300-350, between 300 and 350,
    300 people (the unit, unless --unit is given). Strict bounds are stored closed: >2000 is
    at least 2,000; in words too (at least seven). Other words are a category; --category keeps
    any text as one."""
    from provenance.errors import ProvenanceError
    from provenance.figures import value_from_text
    from provenance.services import claims

    parsed_value: Any = value
    value_unit = None
    try:
        if value is not None and not category:
            parsed_value, value_unit = value_from_text(value)
    except ValueError as error:
        raise ProvenanceError(f"--value: {error}") from None
    unit = unit or value_unit
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
        **({"value_kind": "category"} if category and value is not None else {}),
    )
    with state(ctx).changing() as connection:
        claim_key = claims.add(
            connection,
            data,
            analyst=state(ctx).who,
            new_entity=new_entity,
            allow_duplicate=allow_duplicate,
        )
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
    edit: Annotated[
        bool,
        typer.Option(
            "--edit",
            help="Change the attribution that --source (--via, --doc, --stance) names: its "
            "--confidence/--credibility, --quote, --new-stance or --new-doc",
        ),
    ] = False,
    new_stance: Annotated[
        Stance | None, typer.Option(help="With --edit: the new stance", case_sensitive=False)
    ] = None,
    new_doc: Annotated[
        str | None, typer.Option(help="With --edit: the new document key ('' for none)")
    ] = None,
) -> None:
    """Add another attribution to an existing claim (or, with --edit, correct one)."""
    from provenance.services import claims

    if edit:
        from typer._click.core import ParameterSource

        # --stance names the attribution only when given: two that differ only by stance
        # could not be told apart.
        given = ctx.get_parameter_source("stance") is ParameterSource.COMMANDLINE
        _edit_attribution(
            ctx,
            claim,
            source,
            via,
            doc,
            confidence,
            credibility,
            quote,
            new_stance,
            new_doc,
            stance=stance if given else None,
        )
        return
    data = validated(
        "AttributionIn", **_attribution(source, via, doc, stance, confidence, credibility, quote)
    )
    with state(ctx).writing() as session:
        claim_key = claims.attribute(session, claim, data, analyst=state(ctx).who)
    say(f"{claim_key}: attributed to {data.source} ({data.stance.value})")


#: A bulk verdict names at most this many claims (a file of keys, not a data dump).
KEYS_FROM_MAX = 100_000


def _keys_from(source: str) -> list[str]:
    """Claim keys, one a line, from a file or standard input; bounded, so a wrong file
    (or /dev/zero) is refused instead of read forever."""
    import sys

    from provenance.errors import ProvenanceError

    keys: list[str] = []
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
        with stream:
            while True:
                line = stream.readline(1000)
                if not line:
                    break
                if len(line) >= 1000 and not line.endswith("\n"):
                    raise ProvenanceError(
                        f"--keys-from {source}: line {len(keys) + 1} is not a claim key "
                        "(over 1,000 characters)"
                    )
                key = line.strip()
                if "\x00" in key:  # PostgreSQL would refuse it, naming no file or line
                    raise ProvenanceError(
                        f"--keys-from {source}: line {len(keys) + 1} contains a NUL character"
                    )
                if key and not key.startswith("#"):
                    keys.append(key)
                if len(keys) > KEYS_FROM_MAX:
                    raise ProvenanceError(
                        f"--keys-from {source}: more than {KEYS_FROM_MAX:,} keys; split the file"
                    )
    except (OSError, UnicodeDecodeError) as error:
        raise ProvenanceError(f"--keys-from {source}: cannot read it ({error})") from None
    return keys


def _edit_attribution(
    ctx: typer.Context,
    claim: str,
    source: str,
    via: list[str] | None,
    doc: str | None,
    confidence: str | None,
    credibility: str | None,
    quote: str | None,
    new_stance: Stance | None,
    new_doc: str | None,
    *,
    stance: Stance | None,
) -> None:
    from provenance.services import attribution_edits

    given = _attribution(source, via, doc, Stance.ASSERTS, confidence, credibility, quote)
    changes: dict[str, Any] = {}
    if confidence is not None or credibility is not None:
        changes["confidence"] = given["confidence"]
    if quote is not None:
        changes["quote"] = quote
    if new_stance is not None:
        changes["stance"] = new_stance
    if new_doc is not None:
        changes["document"] = new_doc or None
    with state(ctx).writing() as session:
        result = attribution_edits.edit_attribution(
            session,
            claim,
            source=source,
            via=via,
            document=doc,
            stance=stance,
            changes=changes,
            analyst=state(ctx).who,
        )
    say(f"{result['claim']}: attribution to {result['source']} changed")


@app.command("list")
def list_(
    ctx: typer.Context,
    source: FilterSource = None,
    via: FilterVia = None,
    status: FilterStatus = None,
    subject: FilterSubject = None,
    property: FilterProperty = None,
    tag: FilterTag = None,
    since: FilterSince = None,
    until: FilterUntil = None,
    search: FilterSearch = None,
    flag: FilterFlag = None,
    changed_since: FilterChangedSince = None,
    include_withdrawn: FilterWithdrawn = False,
    limit: Annotated[int, typer.Option(min=0, max=MAX_ROWS, help="Rows a page (0: all)")] = 100,
    offset: Annotated[int, typer.Option(min=0, max=MAX_ROWS)] = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List claims, filtered and paged (oldest first)."""
    from dataclasses import replace

    from provenance.analysis.facts import Settings
    from provenance.analysis.queue import keep_current
    from provenance.read.records import CLAIM_FIELDS
    from provenance.services import claims

    with state(ctx).database() as database:
        # --flag reads the stored work queue, kept current here as `flag --limit` does.
        stored = bool(flag) and keep_current(database, Settings())
        with database.querying() as session:
            since_moment = (
                claims.changed_since(session, changed_since) if changed_since is not None else None
            )
            where = claim_filter(
                source,
                status,
                subject,
                property,
                tag,
                since,
                until,
                search,
                flag,
                since_moment,
                include_withdrawn,
                via=via,
            )
            records, more = claims.list_claims(
                session,
                replace(where, stored_ranking=stored),
                limit=limit,
                offset=offset,
                internal=fmt is Format.TABLE,
            )
    render(records, fmt, columns=views.CLAIM_COLUMNS, title="Claims", fields=CLAIM_FIELDS)
    if more:
        say(f"more claims follow: --offset {offset + limit}", style="dim")


@app.command("show")
def show(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="Claim key or unique prefix")],
    as_of: Annotated[
        str | None,
        typer.Option(
            metavar="DATE|SEQ",
            help="As it stood then: after this audit event, or at the end of this day (UTC)",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A claim's whole provenance: attributions, relays, documents, links, flags, history."""
    from provenance.services import claims

    if as_of is not None:
        from provenance.io import asof

        with state(ctx).reading() as session:
            record = asof.show(session, claim, as_of)
    else:
        with state(ctx).querying() as session:
            record = claims.show(session, claim)
    render(record, fmt, table=views.claim_tree)


@app.command("status")
def status(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="CLAIM... STATUS",
            help="Claim keys (or prefixes), then the status: unverified, verified, disputed, "
            "false, retracted",
        ),
    ],
    note: Annotated[str, typer.Option(help="Why (required; kept in the audit trail)")],
    keys_from: Annotated[
        str | None,
        typer.Option(
            metavar="FILE|-",
            help="More claim keys, one a line, each whole (no prefix; '-': standard input)",
        ),
    ] = None,
) -> None:
    """Set the analyst's verdict on one or many claims (one transaction, an event each)."""

    from provenance.services import verdicts

    *names, verdict_word = words
    try:
        verdict = Status(verdict_word.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise typer.BadParameter(
            f"the last word must be the status ({allowed}), not {verdict_word!r}",
            param_hint="STATUS",
        ) from None
    listed = _keys_from(keys_from) if keys_from is not None else []
    with state(ctx).changing() as connection:
        changes = verdicts.set_statuses(
            connection, names, verdict, note=note, analyst=state(ctx).who, listed=listed
        )
    for change in changes:
        if change["from"] == change["to"]:  # the same verdict again: its new note is kept
            say(f"{change['claim']}: still {change['to']} (the note is recorded)")
        else:
            say(f"{change['claim']}: {change['from']} → {change['to']}")


@app.command("link")
def link(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(metavar="A", help="Claim key or prefix")],
    b: Annotated[str, typer.Argument(metavar="B", help="Claim key or prefix")],
    relation: Annotated[
        Relation,
        typer.Option(
            help="contradicts, supports, same-as, updates (A updates B)", case_sensitive=False
        ),
    ],
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Relate two claims."""
    from provenance.services import links

    data = validated("LinkIn", **{"from": a, "to": b, "relation": relation, "note": note})
    with state(ctx).writing() as session:
        record = links.link(session, data, analyst=state(ctx).who)
    say(f"{record['from']} {record['relation']} {record['to']}")


@app.command("unlink")
def unlink(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(metavar="A", help="Claim key or prefix")],
    b: Annotated[str, typer.Argument(metavar="B", help="Claim key or prefix")],
    relation: Annotated[
        Relation,
        typer.Option(
            help="The link's relation: contradicts, supports, same-as, updates (A updates B)",
            case_sensitive=False,
        ),
    ],
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit trail)")] = None,
) -> None:
    """Remove a link made by mistake (its last state stays in the audit trail)."""
    from provenance.services import links

    with state(ctx).writing() as session:
        record = links.unlink(session, a, b, relation, note=note, analyst=state(ctx).who)
    say(f"{record['removed']}: removed")
