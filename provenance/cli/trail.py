"""`log` and `audit verify|anchor`: the audit trail."""

from typing import Annotated

import typer

from provenance.cli import views
from provenance.cli.state import MAX_ROWS, FormatOption, say, state
from provenance.errors import ProvenanceError
from provenance.output import Format, render

audit_app = typer.Typer(help="The audit trail's hash chain.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.add_typer(audit_app, name="audit")


def log(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Argument(help="Only this claim's history")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE|TIME", help="Events at or after (UTC)")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE|TIME", help="Events before (a date: its end)")
    ] = None,
    analyst: Annotated[str | None, typer.Option(help="Events by this analyst")] = None,
    action: Annotated[
        str | None,
        typer.Option(help="An action (claim.status) or a group of them (claim, import)"),
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Events that target or change this record key")
    ] = None,
    limit: Annotated[int, typer.Option(min=0, max=MAX_ROWS, help="Newest N events (0: all)")] = 50,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The audit trail, newest first: who changed what, when (in words; the field-level
    before and after in -f json)."""
    from provenance.read.resolve import resolve_key
    from provenance.services import audit

    _check_action(action)
    with state(ctx).reading() as session:
        touching = resolve_key(session, "claim", claim) if claim else target
        records = audit.events(
            session,
            touching=touching,
            since=_moment(since, "--since", end_of_day=False),
            until=_moment(until, "--until", end_of_day=True),
            analyst=analyst,
            action=action,
            limit=limit or None,
            newest_first=True,
        )
    render(
        records,
        fmt,
        columns=views.EVENT_COLUMNS,
        title="Audit trail",
        fields=audit.EVENT_FIELDS,
    )


def _check_action(action: str | None) -> None:
    """An action the trail never records finds nothing: a usage error with the nearest."""
    import difflib

    from provenance.vocab import ACTION_GROUPS, ACTIONS

    if action is None or action in ACTIONS or action in ACTION_GROUPS:
        return
    known = sorted(ACTIONS | ACTION_GROUPS)
    near = difflib.get_close_matches(action, known, n=3)
    hint = f"; did you mean {' or '.join(near)}?" if near else f"; actions: {', '.join(known)}"
    raise typer.BadParameter(
        f"{action!r} is not an action the trail records{hint}", param_hint="--action"
    )


def _moment(text: str | None, option: str, *, end_of_day: bool) -> str | None:
    """A day or a time as the text an event's ``at`` compares with."""
    import datetime as dt

    from provenance.errors import MalformedOption, ProvenanceError

    if text is None:
        return None
    stripped = text.strip()
    try:
        if len(stripped) == 10:
            day = dt.date.fromisoformat(stripped)
            if end_of_day and day == dt.date.max:  # the last day there is: to its end
                moment = dt.datetime.max
            else:
                day += dt.timedelta(days=1 if end_of_day else 0)
                moment = dt.datetime.combine(day, dt.time())
        else:
            moment = dt.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    except ValueError:
        raise MalformedOption(
            f"{option} {text!r} is neither a date (YYYY-MM-DD) nor a time (YYYY-MM-DDTHH:MM)"
        ) from None
    except OverflowError:  # a time zone that moves it past year 9999 or before year 1
        raise ProvenanceError(f"{option} {text!r} is outside the years 1–9999 in UTC") from None
    return moment.isoformat(timespec="microseconds") + "Z"


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="A head hash printed earlier by `audit anchor`: check the chain still contains it"
        ),
    ] = None,
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also rebuild every record from the events and name every stored row "
            "that differs (an edit that bypassed provenance)",
        ),
    ] = False,
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad event."""
    from provenance.services import audit

    if anchor is not None and not anchor.strip():
        raise ProvenanceError("--anchor is blank: give a head hash printed by `audit anchor`")
    with state(ctx).reading() as session:
        report = audit.verify(session, anchor=anchor.strip().lower() if anchor else None)
        if deep:
            audit.verify_records(session)
    found = " (anchor found)" if report.anchor_found else ""
    checked = "; every record matches its history" if deep else ""
    say(
        f"audit chain intact: {views.plural(report.events, 'event')}, "
        f"head {report.head[:16]}…{found}{checked}"
    )


@audit_app.command("anchor")
def anchor(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Print the chain's head hash, to publish or store elsewhere."""
    from provenance.services import audit

    with state(ctx).reading() as session:
        audit.verify(session)
        head = audit.head(session)
    if fmt is Format.TABLE:
        typer.echo(head["hash"])
        say(
            f"event {head['seq']} at {head['at']}: keep this hash elsewhere; "
            "`provenance audit verify --anchor HASH` checks the chain still contains it"
        )
    else:
        render(head, fmt)
