"""The claim filters `claim list`, `flag` and `export` share: their options and the
filter they build."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from provenance.cli.state import parse_date
from provenance.vocab import Status


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
    changed_since: Any = None,
    include_withdrawn: bool = False,
    *,
    via: str | None = None,
) -> Any:
    from provenance.services.claims import ClaimFilter

    refuse_empty(source=source, via=via, subject=subject, property=property)
    if since and until and since > until:
        from provenance.errors import MalformedOption

        raise MalformedOption(
            f"--since {since.date()} is after --until {until.date()}: no claim can match"
        )
    return ClaimFilter(
        changed_since=changed_since,
        include_withdrawn=include_withdrawn,
        source=source,
        via=via,
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
FilterVia = Annotated[
    str | None, typer.Option("--via", help="Passed on by this source (a relay: --via reuters)")
]
FilterStatus = Annotated[Status | None, typer.Option(help="Analyst status", case_sensitive=False)]
FilterSubject = Annotated[str | None, typer.Option(help="Entity key or alias")]
FilterProperty = Annotated[str | None, typer.Option()]
FilterTag = Annotated[
    list[str] | None, typer.Option("--tag", metavar="TAG", help="Repeatable: all must match")
]
FilterSearch = Annotated[str | None, typer.Option(help="Words that must all appear in the text")]
FilterChangedSince = Annotated[
    str | None,
    typer.Option(
        metavar="DATE|SEQ",
        help="Claims changed since this day or time, or after this audit event number",
    ),
]


FilterSince = Annotated[
    dt.datetime | None,
    typer.Option(
        parser=parse_date,
        metavar="DATE",
        help="Claims about this date or later (period; else when recorded)",
    ),
]
FilterUntil = Annotated[
    dt.datetime | None,
    typer.Option(parser=parse_date, metavar="DATE", help="Claims about this date or earlier"),
]
FilterWithdrawn = Annotated[
    bool, typer.Option("--include-withdrawn", help="Also withdrawn captures")
]
FilterFlag = Annotated[
    list[str] | None,
    typer.Option("--flag", help="Only claims with this flag (repeatable: any matches)"),
]


def refuse_empty(**names: str | None) -> None:
    """``--source ""`` and the like meant no filter at all (every claim, as if the option
    were left out): a usage error, before a command decides whether it filters."""
    from provenance.errors import MalformedOption

    for name, given in names.items():
        if given is not None and not given.strip():
            raise MalformedOption(f"--{name} is empty: give a name, or leave the option out")
