"""`import`, `seed` and `demo`: getting data in."""

import gc
import shlex
import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.cli import views
from provenance.cli.state import State, console, say, state
from provenance.output import Format, render

DEFAULT_SEED = "myanmar-2025-05"
DEMO_FILE = "provenance-demo.db"
DEMO_MARK = "demo.create"
DEMO_WRITES = 2  # the mark and the seed's import


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("seed")(seed)
    app.command("demo")(demo)


def seeds_dir() -> Path:
    from provenance.db import bundled_dir

    return bundled_dir("_seeds", "seeds")


def bundled_seeds() -> dict[str, Path]:
    return {path.stem: path for path in sorted(seeds_dir().glob("*.json"))}


def _report(report: Any, dry_run: bool) -> None:
    render(
        report.rows(),
        Format.TABLE,
        columns=views.IMPORT_COLUMNS,
        title="Would import (dry run: nothing written)" if dry_run else "Imported",
        out=console().file,
    )
    for kind, keys in report.created_with_defaults.items():
        shown = ", ".join(keys[:10]) + (f", … and {len(keys) - 10} more" if len(keys) > 10 else "")
        counted = views.plural(len(keys), kind, views.KINDS.get(kind))
        say(f"created with defaults (referenced, not declared): {counted}: {shown}")
    for warning in report.warnings[:20]:
        say(f"warning: {warning}")
    if len(report.warnings) > 20:
        say(f"… and {len(report.warnings) - 20} more close names")
    for note in report.notes:
        say(f"note: {note}")
    if dry_run:
        for line in report.plan:
            fields = f": {', '.join(line['fields'])}" if line["fields"] else ""
            say(f"would be {line['change']}: {line['kind']} {line['key']}{fields}")
        if report.plan_cut:
            say(f"… and {report.plan_cut} more records")
    if not report.changed:
        say("nothing changed: everything was already there")


#: Net new objects between two collections of the youngest generation during an import.
IMPORT_YOUNG_COLLECTED_EVERY = 100_000


def _run_import(
    current: State, paths: list[Path], fmt: str, dry_run: bool, replace: bool = False
) -> Any:
    from provenance.io.importer import import_files

    # The objects this process holds before the import (the libraries' modules, classes,
    # compiled statements) stay: the collections that an import's many short-lived
    # objects set off need not walk them every time (gc.freeze; a tenth of an import).
    # And the youngest generation waits for 100,000 more live objects, not 10,000: at
    # 200,000 claims its 398 collections took 1.3 s and found 1,569 objects of garbage
    # (27 collections then, and no time); garbage still never outgrows the threshold.
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(IMPORT_YOUNG_COLLECTED_EVERY, *threshold[1:])
    try:
        with current.database() as database, database.transaction() as session:
            report = import_files(
                session,
                paths,
                analyst=current.who,
                fmt=fmt,
                mode="replace" if replace else "upsert",
            )
            if dry_run:
                session.rollback()
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
    return report


def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Files to import, all in one transaction"),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="auto, json, jsonl, csv or yaml")
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option(help="Validate and say, per record, what would change; write nothing")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            help="Replace whole records that exist (default: merge, keeping the fields a "
            "file leaves out)"
        ),
    ] = False,
) -> None:
    """Bulk load: all-or-nothing, idempotent; every bad record is reported with its place.

    A record naming an existing key is merged: fields the file leaves out keep their
    values, an explicit null clears one. An attribution that exists (same origin, relays,
    document and stance) is updated, never duplicated. `-` reads standard input."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        if Path("-") in files:
            read = _standard_input(stack)
            files = [read if path == Path("-") else path for path in files]
        report = _run_import(state(ctx), files, fmt, dry_run, replace)
    _report(report, dry_run)


def _standard_input(stack: Any) -> Path:
    """Standard input copied, a block at a time, into a file that lives as long as the
    import (the readers seek, and an import names each file's sha256). Its problems name
    it ``-`` (a path named ``-`` in the folder means the same to a shell anyway)."""
    import shutil
    import sys
    import tempfile

    from provenance.errors import InvalidInput, ProvenanceError

    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="provenance-stdin-")))
    path = folder / "stdin"
    with path.open("wb") as copy:
        try:
            shutil.copyfileobj(sys.stdin.buffer, copy, 1 << 20)
        except OSError as error:
            raise ProvenanceError(
                f"cannot read standard input: {error.strerror or error}"
            ) from None

    def as_dash(kind: Any, error: Any, _traceback: Any) -> bool:
        if isinstance(error, ProvenanceError):  # the copy's path is no place the user knows
            shown = str(path)
            if isinstance(error, InvalidInput):
                error.problems = [p.replace(shown, "-") for p in error.problems]
                error.shown = [p.replace(shown, "-") for p in error.shown]
            error.args = tuple(str(a).replace(shown, "-") for a in error.args)
        return False

    stack.push(as_dash)
    return path


def seed(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Bundled data set")] = DEFAULT_SEED,
    list_: Annotated[bool, typer.Option("--list", help="List the bundled data sets")] = False,
) -> None:
    """Load a bundled data set (default: the May 2025 Myanmar article)."""
    from provenance.errors import NotFound

    available = bundled_seeds()
    if list_:
        for stem in available:
            typer.echo(stem)
        return
    if name not in available:
        raise NotFound("data set", name, list(available))
    report = _run_import(state(ctx), [available[name]], "json", dry_run=False)
    _report(report, dry_run=False)


def _demo_state(path: Path) -> str:
    """Why the demo may not replace ``path``, or "" when it may.

    Only a database the demo made, and that nobody has written to since, may be replaced:
    the demo writes exactly two events (its mark and the seed's import); a third is the
    user's work."""
    from provenance.db import sqlite_read_only

    try:
        with sqlite_read_only(path) as connection:
            marked = connection.execute(
                "SELECT 1 FROM events WHERE action = ? LIMIT 1", (DEMO_MARK,)
            ).fetchone()
            (writes,) = connection.execute("SELECT count(*) FROM events").fetchone()
    except sqlite3.Error:
        marked, writes = None, 0
    if marked is None:
        return "is not a demo database"
    if writes > DEMO_WRITES:
        later = writes - DEMO_WRITES
        return (
            f"is a demo database with {later} change{'s' if later != 1 else ''} "
            "made after the demo created it"
        )
    return ""


def demo(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Option(
            help="Where to create the demo database (default: the file --db names, else "
            "./provenance-demo.db)"
        ),
    ] = Path(DEMO_FILE),
) -> None:
    """Create a fresh demo database here, load the article seed set, and take a tour."""
    from typer._click.core import ParameterSource
    from typer._click.exceptions import UsageError

    from provenance import db
    from provenance.errors import ProvenanceError
    from provenance.services import audit

    root = ctx.find_root()
    if (
        root.get_parameter_source("db") is ParameterSource.COMMANDLINE
        and ctx.get_parameter_source("path") is not ParameterSource.COMMANDLINE
    ):
        # `--db FILE demo` meant the demo there (it wrote ./provenance-demo.db instead);
        # the variable PROVENANCE_DB is left alone: it names the analyst's own database.
        given = str(root.params["db"])
        if given.startswith("sqlite:///") and "?" not in given:
            given = given.removeprefix("sqlite:///")
        if "://" in given:
            raise UsageError("demo creates a SQLite file: give it with --path FILE")
        path = Path(given)
    if path.exists():
        refusal = _demo_state(path)
        if refusal:
            raise ProvenanceError(
                f"{path} exists and {refusal}: not touching it (pass --path to choose another file)"
            )
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    current = State(db=str(path), analyst=state(ctx).analyst)
    db.initialise(current.url)
    with current.writing() as session:
        audit.record(
            session,
            analyst=current.who,
            action=DEMO_MARK,
            target=str(path),
            payload={"seed": DEFAULT_SEED},
        )
    _run_import(current, [bundled_seeds()[DEFAULT_SEED]], "json", dry_run=False)
    say(
        f"created {path} with the bundled article: a May 2025 report on Myanmar "
        "that relays claims from junta media, the NUG, observers and Zelenskyy.",
        style="bold",
    )
    tour(current)


def tour(current: State) -> None:
    from rich.rule import Rule

    from provenance.output import stdout_console
    from provenance.services import claims
    from provenance.terminal import flush_notes, safe

    out = stdout_console()
    db_option = f"--db {shlex.quote(str(current.db))}"  # a path with spaces or ? stays one word
    with current.reading() as session:
        records, _ = claims.list_claims(session, claims.ClaimFilter(), limit=0, internal=True)
        out.print(Rule("1. The claims, each with who it is attributed to"))
        out.print(views.claim_table(records, title=f"{len(records)} claims"))
        out.print(safe(f"provenance {db_option} claim list\n", "dim"))
        out.print(Rule("2. One claim's provenance: origin, relays, document, quote, flags"))
        out.print(views.claim_tree(claims.show(session, "nug-air-attacks-since-quake")))
        out.print(safe(f"provenance {db_option} claim show nug-air-attacks-since-quake\n", "dim"))
        out.print(Rule("3. What the NUG says"))
        nug, _ = claims.list_claims(
            session, claims.ClaimFilter(source="nug"), limit=0, internal=True
        )
        out.print(views.claim_table(nug, title="Attributed to the NUG"))
        out.print(safe(f"provenance {db_option} claim list --source nug\n", "dim"))
        out.print(Rule("4. The work queue: what is unverified or conflicting"))
        from provenance.analysis.facts import Settings
        from provenance.analysis.queue import flagged

        queue = list(flagged(session, Settings(), limit=12))
        out.print(views.flag_table(queue, limit=12))
        out.print(safe(f"provenance {db_option} flag\n", "dim"))
    flush_notes()
    say(
        "Next: `provenance init` makes your own database (./provenance.db); "
        "`provenance claim add --help` shows how to record a claim."
    )
