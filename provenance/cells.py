"""The rules for one CSV cell, shared by the renderer (``output``) and the file formats
(``io.formats``): how a value becomes text, and formula-like text neutralised so that a
spreadsheet never executes it."""

from __future__ import annotations

import json
import re
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


#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that
#: reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␍ for CR, …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible stand-in."""
    return _CONTROL.sub(_visible, text)
