"""Pages of ids from an ordered id query: one row more than the page says whether more
follow; walking a whole table goes by key (``id > last``), never by a growing offset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, SQLColumnExpression

from provenance.read.reader import Reader


def page_ids(
    session: Reader, query: Select[Any], *, limit: int | None, offset: int = 0
) -> tuple[list[int], bool]:
    """A page of ids from ``query`` (already ordered), and whether more follow."""
    if offset:
        query = query.offset(offset)
    if limit:
        query = query.limit(limit + 1)
    ids: list[int] = list(session.scalars(query))
    if limit and len(ids) > limit:
        return ids[:limit], True
    return ids, False


def keyset_pages(
    session: Reader, query: Select[Any], key: SQLColumnExpression[int], size: int
) -> Iterator[list[int]]:
    """Every id of ``query`` (ordered by ``key``), ``size`` at a time: each page starts
    after the last key of the one before, so each page costs the same."""
    last: int | None = None
    while True:
        page = query if last is None else query.where(key > last)
        ids: list[int] = list(session.scalars(page.limit(size)))
        if not ids:
            return
        yield ids
        last = ids[-1]
