"""The command line: one Typer app per command group, assembled here.

Commands parse options, open the database, call one service and hand the records to the
renderer. Errors a user can cause (``ProvenanceError``) become one line on stderr and their
exit code (DESIGN.md §3); nothing here imports SQLAlchemy until a command runs.

A run assembles only what its command line names: ``provenance claim show`` imports the
record groups and builds the one command ``show`` of ``claim``; ``--help``, a mistyped
command and ``app`` itself get every group and command. The modules that define commands
do without ``from __future__ import annotations``: Typer reads every signature's
annotations, and string annotations are compiled and evaluated one by one (1,310 of them,
half of ``--help``'s time in building the commands).
"""

from __future__ import annotations

import copy
import errno
import gc
import importlib
import os
import re
import sys
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.exceptions import Abort, Exit

from provenance import __version__
from provenance.cli import parameters
from provenance.cli.state import State
from provenance.config import mask_password
from provenance.errors import ProvenanceError, Terminated


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


def _usage_line(self: UsageError, file: Any = None) -> None:
    """A usage error (exit 2) as one line on stderr, as every other error: what is wrong,
    and where the command's usage is (Click printed the usage, a hint and the error)."""
    from provenance.terminal import visible

    where = f" (see '{self.ctx.command_path} --help')" if self.ctx is not None else ""
    # pydantic's prefix on a value Typer's adapter refused says nothing to the user
    message = visible(self.format_message()).replace(chr(10), " ").replace("Value error, ", "")
    typer.echo(f"error: {message}{where}", err=True)


UsageError.show = _usage_line  # type: ignore[method-assign]


def _fail(lines: list[str], code: int) -> typer.Exit:
    """Each line as one line: a line break inside one (a path or key typed with one) is
    shown, not obeyed."""
    from provenance.terminal import visible

    for line in lines or [""]:
        typer.echo(f"error: {visible(line).replace(chr(10), chr(0x240A))}", err=True)
    return typer.Exit(code)


ROLLED_BACK = "a write that had not finished is rolled back"


class ProvenanceGroup(TyperGroup):
    """Turns the errors users cause into a message and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ProvenanceError as error:
            raise _fail(error.lines(), error.exit_code) from None
        except BrokenPipeError:  # `provenance claim list | head`
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OverflowError as error:  # 9999-12-31 and a day, a time zone past year 9999
            raise _fail([f"a date or number beyond what can be computed: {error}"], 1) from None
        except OSError as error:
            if error.errno not in _OUTPUT_FAILURES:
                raise
            # `> /dev/full`, a disk that filled: the output is short (found by an attacker)
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise _fail([f"cannot write the output: {reason}; {ROLLED_BACK}"], 1) from None
        except KeyboardInterrupt as interrupt:  # the write under way is rolled back
            terminated = isinstance(interrupt, Terminated)  # SIGTERM during an export
            how, code = ("terminated", 143) if terminated else ("interrupted", 130)
            raise _fail([f"{how}; {ROLLED_BACK}"], code) from None
        except Exception as error:
            if _query_interrupted(error):  # Ctrl-C inside a SQLite query (db.py)
                raise _fail([f"interrupted; {ROLLED_BACK}"], 130) from None
            refused = _database_refusal(error) or _invalid(error)
            if refused is None and (isinstance(error, CLICK_OUTCOMES) or os.environ.get(DEBUG)):
                raise  # --help, a usage error, `flag --strict`'s exit 3: Click's to finish
            if refused is None:  # a bug: one line, not a screenful of traceback
                refused = (_internal_error(error), INTERNAL_ERROR)
            raise _fail([refused[0]], refused[1]) from None


#: Failures of writing out, not bugs: a full disk, a quota, an I/O error.
_OUTPUT_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}
#: Set (to anything) to see the traceback of an internal error.
DEBUG = "PROVENANCE_DEBUG"
#: The exit code of an internal error (sysexits' EX_SOFTWARE): a script tells a bug apart
#: from its own bad input (1).
INTERNAL_ERROR = 70
#: How a command ends through Click, not through an error of ours.
CLICK_OUTCOMES = (ClickException, Exit, Abort)


def _internal_error(error: Exception) -> str:
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if len(what) > 300:
        what = what[:300] + "…"
    return (
        f"internal error ({what}); this is a bug in provenance, please report it with the "
        f"command that caused it ({DEBUG}=1 shows where it happened); {ROLLED_BACK}"
    )


def _invalid(error: Exception) -> tuple[str, int] | None:
    """A value the write schemas refused where no caller named the problem: one line (1)."""
    pydantic = sys.modules.get("pydantic")  # loaded only by commands that validate
    if pydantic is None or not isinstance(error, pydantic.ValidationError):
        return None
    from provenance.schemas import problems

    return "; ".join(line.removeprefix("/") for line in problems(error, "")), 1


def _query_interrupted(error: Exception) -> bool:
    """A SQLite query that a Ctrl-C stopped (its progress handler let the signal in)."""
    sqlite3 = sys.modules.get("sqlite3")
    orig = getattr(error, "orig", None) or error
    return (
        sqlite3 is not None
        and isinstance(orig, sqlite3.OperationalError)
        and (str(orig) == "interrupted")
    )


def _database_refusal(error: Exception) -> tuple[str, int] | None:
    """The database's refusal of a command, as one line and its exit code: unreachable,
    locked, read-only (a hot standby) or a role without the right (4); a value that
    validation let through (1). None for anything else (a bug: its traceback)."""
    exc = sys.modules.get("sqlalchemy.exc")  # loaded once a command has used the database
    if exc is None or not isinstance(error, exc.DBAPIError):
        return None
    reason = mask_password(str(error.orig or error).strip().splitlines()[0])
    if isinstance(error, exc.DataError):
        return f"the database refused a value: {reason}", 1
    if isinstance(error, exc.OperationalError | exc.InternalError) or (
        isinstance(error, exc.ProgrammingError) and "permission denied" in reason
    ):
        return f"database error: {reason}", 4
    return None


parameters.install()


def _root() -> typer.Typer:
    """The root app and its options, with no command yet."""
    root_app = typer.Typer(
        cls=ProvenanceGroup,
        name="provenance",
        help="Record who said what, where, and how sure we are; flag what still needs work.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root_app.callback()(root)
    return root_app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


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


def _name_of(command: Any) -> str:
    from typer.main import get_command_name

    return command.name or get_command_name(command.callback.__name__)


def _named(group: typer.Typer, name: str | None) -> typer.Typer:
    """``group`` with only its command ``name`` (all of it when ``name`` is None or not one
    of its commands, so Click can name the mistake and suggest a near command)."""
    chosen = [c for c in group.registered_commands if _name_of(c) == name]
    if not chosen:
        return group
    narrowed = copy.copy(group)
    narrowed.registered_commands = chosen
    narrowed.registered_groups = []
    return narrowed


def _module_part(name: str) -> Callable[[typer.Typer], None]:
    """A part whose module ``provenance.cli.<name>`` registers its own commands; the
    module is imported only when the part is added."""

    def add(target: typer.Typer) -> None:
        importlib.import_module(f"provenance.cli.{name}").register(target)

    return add


@cache
def _record_groups() -> dict[str, typer.Typer]:
    """The source, entity, doc and claim groups, with their corrections (added once)."""
    from provenance.cli import catalog, claims, corrections

    corrections.register(claims.app, catalog.sources, catalog.entities, catalog.documents)
    return {
        "source": catalog.sources,
        "entity": catalog.entities,
        "doc": catalog.documents,
        "claim": claims.app,
    }


def _add_records(target: typer.Typer) -> None:
    for word, group in _record_groups().items():
        target.add_typer(group, name=word)


#: Each part of the command line, in the order ``--help`` lists it, and its top-level words.
PARTS: tuple[tuple[Callable[[typer.Typer], None], tuple[str, ...]], ...] = (
    (_module_part("database"), ("init", "db")),
    (_module_part("data"), ("import", "seed", "demo")),
    (_add_records, ("source", "entity", "doc", "claim")),
    (_module_part("analysis"), ("flag", "compare", "timeline")),
    (_module_part("exporting"), ("export",)),
    (_module_part("extracting"), ("extract",)),
    (_module_part("trail"), ("log", "audit")),
)

#: Root options that take a value (the word after them is not a command).
_VALUED_OPTIONS = ("--db", "--analyst")


def command_words(args: list[str]) -> tuple[str | None, str | None]:
    """The top-level command ``args`` run and the word after it (a group's command), each
    None where the whole app or group is needed: no command, or an option such as
    ``--help`` or ``--version`` before it."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None, None  # shell completion lists every command
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in _VALUED_OPTIONS:
            position += 2
        elif arg.startswith(tuple(f"{name}=" for name in _VALUED_OPTIONS)):
            position += 1
        elif arg.startswith("-"):
            return None, None
        else:
            after = args[position + 1] if position + 1 < len(args) else "-"
            return arg, None if after.startswith("-") else after
    return None, None


def assemble(word: str | None = None, name: str | None = None) -> typer.Typer:
    """The app with the part that runs ``word`` (of a group: only its command ``name``);
    every part when ``word`` is None or no part has it (Click then names the unknown
    command and suggests a near one)."""
    assembled = _root()
    chosen = [add for add, words in PARTS if word in words]
    for add in chosen or [add for add, _ in PARTS]:
        add(assembled)
    if chosen:  # the part's other commands and groups are not built
        assembled.registered_commands = [
            c for c in assembled.registered_commands if _name_of(c) == word
        ]
        assembled.registered_groups = [g for g in assembled.registered_groups if g.name == word]
        for group in assembled.registered_groups:
            if group.typer_instance is not None:
                group.typer_instance = _named(group.typer_instance, name)
    return assembled


@cache
def _whole_app() -> typer.Typer:
    return assemble()


def __getattr__(name: str) -> Any:
    """``provenance.cli.app``: the whole command line, built on first use."""
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: list[str]) -> typer.Typer:
    """The app a command line needs (what ``main`` runs ``args`` with)."""
    return assemble(*command_words(args))


def main() -> None:
    gc.disable()  # until the command opens its database: see State.database
    _fit_the_output_encoding()
    _check_arguments_are_text(sys.argv[1:])
    app_for(sys.argv[1:])(prog_name="provenance")


def _fit_the_output_encoding() -> None:
    """An output that cannot encode UTF-8 text (``PYTHONIOENCODING=ascii``, a latin-1
    terminal) gets JSON in ASCII escapes, which lose nothing, and other text with
    backslash escapes where a character does not fit; it was an internal error, exit 70
    (found by an attacker)."""
    from provenance import cells

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "\u2014\u00e9\u2192\u4e2d".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
            if stream is sys.stdout:
                cells.ascii_json = True


def _check_arguments_are_text(arguments: list[str]) -> None:
    """Bytes that are not UTF-8 (a file name or a note pasted from another encoding) reach
    Python as lone surrogates, which no database takes: one line and exit 2, before
    anything runs."""
    from provenance.cells import is_unicode_text

    named = [(f"argument {number}", argument) for number, argument in enumerate(arguments, 1)]
    database = os.environ.get("PROVENANCE_DB")  # a path, as --db is
    if database is not None:
        named.append(("PROVENANCE_DB", database))
    for what, argument in named:
        if not is_unicode_text(argument):
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            _fail([f"{what} ('{shown}') is not UTF-8 text"], 2)
            sys.exit(2)
