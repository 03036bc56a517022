"""`export`: everything, or a filtered slice, in the format another tool wants."""

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

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
    refuse_empty,
)
from provenance.cli.state import progress, say, state


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


DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _stdout_is_the_database(url: str) -> bool:
    """Whether standard output was sent into the database's file (`export >> db.db`)."""
    from provenance.db import SQLITE_COMPANIONS, sqlite_path

    database = sqlite_path(url)
    if database is None:
        return False
    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False  # not a file (a test's captured stream)
    if not stat.S_ISREG(out.st_mode):
        return False
    for suffix in SQLITE_COMPANIONS:
        try:
            mine = os.stat(database.with_name(database.name + suffix))
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (out.st_dev, out.st_ino):
            return True
    return False


@contextmanager
def output_file(path: Path, *, text: bool = True) -> Iterator[Any]:
    """Where ``export --out`` writes: a stream (``text``) or a path to create.

    A regular file, or one not there yet, is written next to itself and renamed over only
    when done: a failed export never leaves a truncated file where the old one was. A
    symlink is followed, so the link stays and its target gets the export. A pipe, a
    terminal or a device (``/dev/stdout``, a named pipe) is written in place: renaming over
    it would put a regular file where the user's pipe was."""
    from provenance.errors import ProvenanceError

    def refused(error: OSError) -> ProvenanceError:
        return ProvenanceError(f"cannot write {path}: {error.strerror or error}")

    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # a new file, or a symlink to one
    except OSError as error:
        raise refused(error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ProvenanceError(f"cannot write {path}: it is a folder")
    in_place = mode is not None and not stat.S_ISREG(mode)
    if in_place and not text:
        raise ProvenanceError(
            f"cannot write {path}: a SQLite export needs a regular file, not a pipe or a device"
        )
    try:
        if in_place:
            try:
                stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as error:
                raise refused(error) from None
            with stream:
                yield stream
        else:
            with _replaced_when_done(Path(os.path.realpath(path)), text, refused) as written:
                yield written
    except OSError as error:
        if error.errno not in DISK_FULL:
            raise
        raise refused(error) from None


def _mode_for(target: Path) -> int:
    """The permissions the export gets: the old file's, or a new file's under the umask
    (mkstemp's own 0600 would hide a shared report from its group)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _replaced_when_done(
    target: Path, text: bool, refused: Callable[[OSError], Exception]
) -> Iterator[Any]:
    from provenance.errors import ProvenanceError, terminated_unwinds

    if not target.parent.is_dir():
        raise ProvenanceError(f"folder {str(target.parent)!r} does not exist")
    with terminated_unwinds():
        try:
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".part"
            )
        except OSError as error:
            raise refused(error) from None
        try:
            os.chmod(temporary, _mode_for(target))
            if text:
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                    yield stream
            else:
                os.close(handle)
                os.unlink(temporary)
                yield temporary
            try:
                os.replace(temporary, target)
            except OSError as error:
                raise refused(error) from None
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

    from provenance.errors import MalformedOption, ProvenanceError
    from provenance.io import formats
    from provenance.io.export import Redactor, count_claims, start
    from provenance.services.claims import changed_since as since_point

    refuse_empty(source=source, via=via, subject=subject, property=property)
    if out is not None and str(out) == "-":
        out = None  # `-o -`: standard output, as `import -` reads standard input
    if fmt is ExportFormat.SQLITE and out is None:
        raise MalformedOption("export -f sqlite needs --out FILE")
    if include_withdrawn and fmt not in (ExportFormat.JSON, ExportFormat.JSONL):
        # Only the interchange records say a capture was withdrawn: in a CSV row they came
        # back live when imported, and the other formats showed them as live claims, a
        # merged duplicate's attribution counted twice (both found by attackers).
        raise MalformedOption(
            f"export -f {fmt.value} cannot mark withdrawn captures (they would read as "
            "live claims): use -f json or -f jsonl with --include-withdrawn"
        )
    if out is None and _stdout_is_the_database(state(ctx).url):
        raise ProvenanceError(
            "standard output is the open database (or one of its files): writing there "
            "would damage it; choose another file"
        )
    if out is not None:
        from provenance.db import database_an_export_would_destroy, is_database_file

        if is_database_file(out, state(ctx).url):
            raise ProvenanceError(
                f"--out {out} is the open database (or one of its files): "
                "writing there would destroy it; choose another file"
            )
        destroyed = database_an_export_would_destroy(out)
        if destroyed is not None:
            raise ProvenanceError(
                f"--out {out} is {destroyed}: writing the export there would destroy it; "
                "choose another file"
            )
    with ExitStack() as stack:
        current = session = stack.enter_context(state(ctx).reading())
        if as_of is not None:
            from provenance.io.asof import rebuilt

            session, _seq = stack.enter_context(rebuilt(session, as_of))
        # What is redacted is decided once, for every format (io/export.py): protected
        # then or now, or merged since into a source protected now.
        if include_protected and Redactor.for_session(current, False, exported=session):
            say(
                "warning: this export names protected sources; handle it accordingly",
                style="yellow",
            )
        moment = since_point(session, changed_since) if changed_since else None
        filtered = any(
            [source, via, status, subject, property, tag, since, until, search, flag, moment]
        )
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
                via=via,
            )
            if filtered or include_withdrawn
            else None
        )
        job = start(session, where, include_protected=include_protected, current=current)
        with progress("exporting claims", count_claims(job)) as tick:
            job.on_claim = tick
            if fmt is ExportFormat.SQLITE:
                assert out is not None
                with output_file(out, text=False) as path:
                    formats.write_sqlite(job, path)
            elif out is not None:
                with output_file(out) as stream:
                    _writer(fmt)(job, stream)
            else:
                _writer(fmt)(job, sys.stdout)
    if out is not None:
        say(f"wrote {out}")
    if fmt is ExportFormat.CSV:  # it reads back as claims, not as the whole database
        say(
            "note: CSV holds the claims and their attributions, a row each; links, the "
            "details of sources, entities and documents, and who recorded each attribution "
            "when are only in -f json or jsonl",
            style="dim",
        )
