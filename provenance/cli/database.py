"""`init` and `db current|upgrade|downgrade|history`: schema management."""

from typing import Annotated

import typer

from provenance.cli.state import FormatOption, say, state
from provenance.output import Format, field, render

db_app = typer.Typer(help="Schema management (Alembic migrations).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(db_app, name="db")


def init(ctx: typer.Context) -> None:
    """Create the database, or bring it to the newest schema."""
    from provenance import db

    url = state(ctx).url
    before, after = db.initialise(url)
    where = db.describe(url)
    if before == after:
        say(f"{where} is already at the newest schema ({after})")
    elif before is None:
        say(f"created {where} (schema {after})")
    else:
        say(f"upgraded {where} from schema {before} to {after}")


@db_app.command("current")
def current(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Show the database's schema revision and the newest one this program knows."""
    from provenance import db

    revision = db.revision_of(state(ctx).url)
    record = {
        "database": db.describe(state(ctx).url),
        "revision": revision,
        "head": db.HEAD_REVISION,
        "current": revision == db.HEAD_REVISION,
    }
    render(record, fmt)


@db_app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Migrate the schema up (back up a shared database first)."""
    from provenance import db

    before, after = db.upgrade(state(ctx).url, revision)
    say(f"schema {before or 'none'} → {after or 'none'}")


@db_app.command("downgrade")
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or 0001")],
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Below 0004 (base drops every table): migrate even though the database "
            "holds records",
        ),
    ] = False,
) -> None:
    """Migrate the schema down to REVISION (below 0004 records are lost, base drops every
    table: asks for --yes while the database holds records)."""
    from provenance import db

    before, after = db.downgrade(state(ctx).url, revision, confirmed=yes)
    say(f"schema {before or 'none'} → {after or 'none'}")


@db_app.command("history")
def history(fmt: FormatOption = Format.TABLE) -> None:
    """List the schema revisions, newest first."""
    from provenance import db

    render(
        db.history(),
        fmt,
        columns=[field("revision"), field("down_revision", "after"), field("message")],
    )
