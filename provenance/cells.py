"""The rules for one CSV cell, shared by the renderer (``output``) and the file formats
(``io.formats``): how a value becomes text, and formula-like text neutralised so that a
spreadsheet never executes it."""

from __future__ import annotations

import json
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A spreadsheet must not execute a cell: prefix formula-like text with a quote."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
