"""The errors a user can cause, each with the exit code DESIGN.md §3 gives it.

The command line prints each of ``error.lines()`` as one line on stderr (control characters
and line breaks inside a line made visible) and exits with ``exit_code``; anything else
that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class Terminated(KeyboardInterrupt):
    """SIGTERM while an export writes its ``.part`` file (see ``cli.exporting``) or a
    scratch copy exists (``services.replay``), unwound like Ctrl-C so that the file is
    removed; the command line exits 143."""


@contextmanager
def terminated_unwinds() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` inside this block. Only there: a Python handler
    runs between bytecodes, so a long query would hold off a SIGTERM that, left to its
    default, ends the process at once (and the database rolls back a transaction it never
    saw committed)."""

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class ProvenanceError(Exception):
    """Bad input, something not found, or a failed check (exit 1)."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What the command line prints: the message, as one line."""
        return [str(self)]


class MalformedOption(ProvenanceError):
    """An option's value that is not in its form, found past the option parser (a date an
    option reads for itself): a usage error (exit 2), as Click makes the others."""

    exit_code = 2


class NotFound(ProvenanceError):
    """A key that names nothing, with the closest keys as suggestions."""

    def __init__(self, kind: str, key: str, suggestions: Sequence[str] = ()) -> None:
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        shown = key if len(key) <= 200 else key[:200] + "…"
        super().__init__(f"no {kind} {shown!r}{hint}")
        self.kind, self.key, self.suggestions = kind, key, list(suggestions)


class Ambiguous(ProvenanceError):
    def __init__(self, kind: str, prefix: str, candidates: Sequence[str]) -> None:
        shown = ", ".join(candidates[:5]) + (", …" if len(candidates) > 5 else "")
        super().__init__(f"{kind} prefix {prefix!r} is ambiguous: {shown}")


class Problems:
    """The problems a bulk read finds, as it finds them: the first :attr:`KEPT` are kept
    to show and the rest only counted (a file of two million bad lines held 3.5 GB)."""

    KEPT = 1000

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.more = 0

    def append(self, problem: str) -> None:
        if len(self.kept) < self.KEPT:
            self.kept.append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[str]) -> None:
        for problem in problems:
            self.append(problem)

    def __len__(self) -> int:
        return len(self.kept) + self.more

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)


class InvalidInput(ProvenanceError):
    """One or more bad records; each problem names its place (file:line or JSON pointer)."""

    def __init__(self, problems: Sequence[str] | Problems, *, cap: int = 50) -> None:
        self.problems = list(problems)
        shown = self.problems[:cap]
        more = len(problems) - len(shown)
        self.shown = shown + ([f"… and {more:,} more"] if more > 0 else [])
        super().__init__("\n".join(self.shown))

    def lines(self) -> list[str]:
        """A line per problem (a file's bad records, each with its place)."""
        return self.shown


class CheckFailed(ProvenanceError):
    """A verification that did not hold (exit 1); ``found``: a line for each finding."""

    def __init__(self, message: str, found: Sequence[str] = ()) -> None:
        self.found = list(found)
        super().__init__("\n".join([message, *self.found]))
        self.message = message

    def lines(self) -> list[str]:
        return [self.message, *self.found]


class DatabaseUnavailable(ProvenanceError):
    """Missing, unreachable or refused database (exit 4)."""

    exit_code = 4


class SchemaOutdated(DatabaseUnavailable):
    """The database is at an older schema revision than this program (exit 4)."""
