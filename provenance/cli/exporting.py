"""`export`: everything, or a filtered slice, in the format another tool wants."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from provenance.cli.claims import (
    FilterChangedSince,
    FilterFlag,
    FilterProperty,
    FilterSearch,
    FilterSource,
    FilterStatus,
    FilterSubject,
    FilterTag,
    FilterWithdrawn,
    claim_filter,
)
from provenance.cli.state import parse_date, progress, say, state


class ExportFormat(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    SQLITE = "sqlite"
    PROV_JSON = "prov-json"
    CLAIMREVIEW = "claimreview"
    MARKDOWN = "markdown"
    HTML = "html"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


@contextmanager
def atomic_file(path: Path, *, text: bool = True) -> Iterator[Any]:
    """Write next to ``path`` and rename over it only when done: a failed export never
    leaves a truncated file where the old one was."""
    folder = path.resolve().parent
    if not folder.is_dir():
        from provenance.errors import ProvenanceError

        raise ProvenanceError(f"folder {str(folder)!r} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        if text:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                yield stream
        else:
            os.close(handle)
            os.unlink(temporary)
            yield temporary
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _writer(fmt: ExportFormat) -> Callable[[Any, IO[str]], None]:
    from provenance.io import formats, reports

    return {
        ExportFormat.JSON: formats.write_json,
        ExportFormat.JSONL: formats.write_jsonl,
        ExportFormat.CSV: formats.write_csv,
        ExportFormat.PROV_JSON: formats.write_prov,
        ExportFormat.CLAIMREVIEW: reports.write_claimreview,
        ExportFormat.MARKDOWN: reports.write_markdown,
        ExportFormat.HTML: reports.write_html,
    }[fmt]


def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="What to write")
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="File to write (atomically) [default: stdout]", dir_okay=False
        ),
    ] = None,
    include_protected: Annotated[
        bool,
        typer.Option(help="Keep protected sources' identities (they are pseudonymised by default)"),
    ] = False,
    source: FilterSource = None,
    status: FilterStatus = None,
    subject: FilterSubject = None,
    property: FilterProperty = None,
    tag: FilterTag = None,
    since: Annotated[dt.datetime | None, typer.Option(parser=parse_date, metavar="DATE")] = None,
    until: Annotated[dt.datetime | None, typer.Option(parser=parse_date, metavar="DATE")] = None,
    search: FilterSearch = None,
    flag: FilterFlag = None,
    changed_since: FilterChangedSince = None,
    include_withdrawn: FilterWithdrawn = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            metavar="DATE|SEQ",
            help="As it stood then (rebuilt from the audit trail): after this event, or at "
            "the end of this day (UTC)",
        ),
    ] = None,
) -> None:
    """Export everything, or the claims a filter selects (with what they reference).

    Withdrawn captures are left out unless --include-withdrawn is given."""
    from contextlib import ExitStack

    from provenance.errors import ProvenanceError
    from provenance.io import formats
    from provenance.io.export import Redactor, count_claims, start
    from provenance.services.claims import changed_since as since_point

    if fmt is ExportFormat.SQLITE and out is None:
        raise ProvenanceError("export -f sqlite needs --out FILE")
    if out is not None:
        from provenance.db import is_database_file

        if is_database_file(out, state(ctx).url):
            raise ProvenanceError(
                f"--out {out} is the open database (or one of its files): "
                "writing there would destroy it; choose another file"
            )
    if include_protected:
        say("warning: this export names protected sources; handle it accordingly", style="yellow")
    with ExitStack() as stack:
        session = stack.enter_context(state(ctx).reading())
        redactor = Redactor.for_session(session, include_protected)
        if as_of is not None:
            from provenance.io.asof import rebuilt

            session, _seq = stack.enter_context(rebuilt(session, as_of))
        moment = since_point(session, changed_since) if changed_since else None
        filtered = any([source, status, subject, property, tag, since, until, search, flag, moment])
        where = (
            claim_filter(
                source,
                status,
                subject,
                property,
                tag,
                since,
                until,
                search,
                flag,
                moment,
                include_withdrawn,
            )
            if filtered or include_withdrawn
            else None
        )
        job = start(session, where, include_protected=include_protected)
        job.redactor = redactor
        with progress("exporting claims", count_claims(job)) as tick:
            job.on_claim = tick
            if fmt is ExportFormat.SQLITE:
                assert out is not None
                with atomic_file(out, text=False) as path:
                    formats.write_sqlite(job, path)
            elif out is not None:
                with atomic_file(out) as stream:
                    _writer(fmt)(job, stream)
            else:
                _writer(fmt)(job, sys.stdout)
    if out is not None:
        say(f"wrote {out}")
