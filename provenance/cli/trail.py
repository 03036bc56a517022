"""`log` and `audit verify|anchor`: the audit trail."""

from __future__ import annotations

from typing import Annotated

import typer

from provenance.cli import views
from provenance.cli.state import FormatOption, say, state
from provenance.output import Format, render

audit_app = typer.Typer(help="The audit trail's hash chain.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.add_typer(audit_app, name="audit")


def log(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Argument(help="Only this claim's history")] = None,
    limit: Annotated[int, typer.Option(min=0, help="Newest N events (0: all)")] = 50,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The audit trail, newest first: who changed what, when."""
    from provenance.services import audit
    from provenance.services.resolve import resolve_key

    with state(ctx).reading() as session:
        target = resolve_key(session, "claim", claim) if claim else None
        records = audit.events(session, target=target, limit=limit or None, newest_first=True)
    render(records, fmt, columns=views.EVENT_COLUMNS, title="Audit trail")


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="A head hash printed earlier by `audit anchor`: check the chain still contains it"
        ),
    ] = None,
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad event."""
    from provenance.services import audit

    with state(ctx).reading() as session:
        report = audit.verify(session, anchor=anchor.strip().lower() if anchor else None)
    found = " (anchor found)" if report.anchor_found else ""
    say(
        f"audit chain intact: {views.plural(report.events, 'event')}, "
        f"head {report.head[:16]}…{found}"
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
