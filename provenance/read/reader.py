"""What the read layer reads through: a Core ``Connection`` (commands that only read open
one, without loading the ORM) or an ORM ``Session`` (inside a write transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from sqlalchemy import Connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Reader = Union[Connection, "Session"]  # "Session" is only a name at run time


def connection_of(reader: Reader) -> Connection:
    """The Core connection under a reader (a session's current one)."""
    return reader if isinstance(reader, Connection) else reader.connection()


def dialect_name(reader: Reader) -> str:
    return connection_of(reader).dialect.name
