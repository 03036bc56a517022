"""The command line: one Typer app per command group, assembled here.

Commands parse options, open the database, call one service and hand the records to the
renderer. Errors a user can cause (``ProvenanceError``) become one line on stderr and their
exit code (DESIGN.md §3); nothing here imports SQLAlchemy until a command runs.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from provenance import __version__
from provenance.cli import (
    analysis,
    catalog,
    claims,
    corrections,
    data,
    database,
    exporting,
    extracting,
    trail,
)
from provenance.cli.state import State
from provenance.config import mask_password
from provenance.errors import ProvenanceError


def _usage_pieces(self: TyperArgument, ctx: Any) -> list[str]:
    """Usage lines read ``claim status [OPTIONS] CLAIM STATUS``: argument names in capitals,
    brackets only around optional ones (Typer's own puts required arguments in braces,
    ``{claim}``, which reads like a placeholder to fill in with braces)."""
    del ctx
    if self.metavar:  # written by hand: used as it is
        return [
            self.metavar if self.required or self.metavar.startswith("[") else f"[{self.metavar}]"
        ]
    name = (self.name or "").upper()
    if self.nargs != 1:
        name += "..."
    return [name if self.required else f"[{name}]"]


TyperArgument.get_usage_pieces = _usage_pieces  # type: ignore[method-assign]

_display_type = TyperArgument.display_type


def _type_words(self: Any, ctx: Any) -> str:
    """``--via <str>`` (the help already says "repeatable"), not ``--via <list[str]>``."""
    return re.sub(r"list\[(\w+)\]", lambda m: m.group(1).lower(), _display_type(self, ctx))


TyperArgument.display_type = TyperOption.display_type = _type_words  # type: ignore[method-assign]


def _fail(message: str, code: int) -> typer.Exit:
    from provenance.terminal import visible

    for line in message.splitlines() or [""]:
        typer.echo(f"error: {visible(line)}", err=True)
    return typer.Exit(code)


class ProvenanceGroup(TyperGroup):
    """Turns the errors users cause into a message and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ProvenanceError as error:
            raise _fail(str(error), error.exit_code) from None
        except BrokenPipeError:  # `provenance claim list | head`
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as error:
            sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
            if sqlalchemy_exc is not None and isinstance(error, sqlalchemy_exc.OperationalError):
                reason = str(error.orig or error).strip().splitlines()[0]
                raise _fail(f"database error: {mask_password(reason)}", 4) from None
            if sqlalchemy_exc is not None and isinstance(error, sqlalchemy_exc.DataError):
                # A value the database refuses that validation let through: still one line.
                reason = str(error.orig or error).strip().splitlines()[0]
                raise _fail(f"the database refused a value: {mask_password(reason)}", 1) from None
            raise


app = typer.Typer(
    cls=ProvenanceGroup,
    name="provenance",
    help="Record who said what, where, and how sure we are; flag what still needs work.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            envvar="PROVENANCE_DB",
            show_envvar=True,
            help="SQLite file or postgresql+psycopg:// URL [default: ./provenance.db]",
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option(
            "--analyst",
            metavar="NAME",
            envvar="PROVENANCE_ANALYST",
            show_envvar=True,
            help="Who is recording [default: your login name]",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = State(db=db, analyst=analyst)


database.register(app)
data.register(app)
app.add_typer(catalog.sources, name="source")
app.add_typer(catalog.entities, name="entity")
app.add_typer(catalog.documents, name="doc")
app.add_typer(claims.app, name="claim")
corrections.register(claims.app, catalog.sources, catalog.entities, catalog.documents)
analysis.register(app)
exporting.register(app)
extracting.register(app)
trail.register(app)


def main() -> None:
    app(prog_name="provenance")
