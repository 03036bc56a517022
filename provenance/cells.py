"""Spreadsheet-safe CSV cells, written and read back: the one place for these rules.

A spreadsheet executes a cell that starts with ``= + - @``, a tab or a carriage return, so
such a cell is written with a leading apostrophe (Excel and LibreOffice show it as text)
and the reader takes the apostrophe off again. A cell that already starts with an
apostrophe gets one more, so it survives the round trip. Numbers (``-5``, ``1e3``) stay
numbers. Any cell holding a comma, quote, CR or LF is quoted: Python's ``csv`` writer
leaves a bare CR unquoted when rows end in LF, and readers start a new row there.

JSON text (:func:`json_text`) escapes the line separators U+2028, U+2029 and U+0085 that
JSON allows raw: readers that split lines on them (Python's ``splitlines``, JavaScript
before ES2019, line tools) once broke a record, and our own re-indenting writer with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO, Any

#: The characters a spreadsheet acts on at the start of a cell, and our own marker.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")
#: A number as the CSV format writes one (no leading ``+``: ``+1`` is a formula).
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_QUOTE_WHEN = re.compile(r'[",\r\n]')


_LINE_SEPARATORS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


#: Whether JSON goes out as ASCII (``\u00e9`` escapes): when standard output cannot
#: encode UTF-8 text (``PYTHONIOENCODING=ascii``), set by the command line at start.
ascii_json = False


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON, UTF-8 kept, with every line break escaped (see the module)."""
    text = json.dumps(value, ensure_ascii=ascii_json, indent=indent)
    return text if text.isascii() else text.translate(_LINE_SEPARATORS)


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def safe_cell(text: str) -> str:
    """The cell as written: formula-like text gets a leading apostrophe, numbers do not."""
    if text.startswith(FORMULA_PREFIXES) and not is_number(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """The cell as read back: the apostrophe :func:`safe_cell` added comes off."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r'":
        return text[1:]
    return text


#: The older name of :func:`safe_cell`.
neutralise = safe_cell


def cell_text(value: Any) -> str:
    """How a value becomes the text of one cell (lists joined by ``;``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if _QUOTE_WHEN.search(cell) else cell


def csv_line(cells: Iterable[str], *, header: bool = False) -> str:
    """One CSV row ending in LF, every cell made safe (a header is written as it is)."""
    return ",".join(_quoted(c if header else safe_cell(c)) for c in cells) + "\n"


def write_csv_row(stream: IO[str], cells: Iterable[str], *, header: bool = False) -> None:
    stream.write(csv_line(cells, header=header))


__all__ = [
    "cell_text",
    "csv_line",
    "is_number",
    "is_unicode_text",
    "neutralise",
    "restore_cell",
    "safe_cell",
    "visible",
    "write_csv_row",
]


#: C0 controls but tab and newline, DEL, C1 controls, the line and paragraph separators
#: (a line break to anything that splits lines as Python does), the bidirectional
#: overrides, embeddings, isolates and marks that reorder what a reader sees, and the
#: invisible format characters that make two names look alike (zero-width space, soft
#: hyphen, word joiner, byte-order mark, invisible operators). The zero-width joiner and
#: non-joiner (U+200C, U+200D) stay: Persian, Indic scripts and emoji need them.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␍ for CR, …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def is_unicode_text(text: str) -> bool:
    """Whether ``text`` is text a database can store: bytes that were not UTF-8 (an
    argument, an environment variable) and ``"\\ud800"`` in a JSON file reach Python as
    lone surrogates, which encode to nothing."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: A joiner with nothing before it to join: at the start, after white space or after
#: another joiner. It joins nothing a reader sees, and Rich 15 fails on a line that
#: starts with two of them before a wide character (an IndexError in `set_cell_size`).
_STRAY_JOINER = re.compile(r"(?<![^\s\u200c\u200d])[\u200c\u200d]")


def visible(text: str) -> str:
    """``text`` with every control character, and every joiner that joins nothing,
    replaced by a visible stand-in."""
    return _STRAY_JOINER.sub(_visible, _CONTROL.sub(_visible, text))
