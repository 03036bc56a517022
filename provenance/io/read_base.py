"""What every reader of the interchange formats shares: the record kinds, a problem with
its place, the limits a file is held to, and the byte order mark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

KINDS = ("source", "entity", "document", "claim", "link")
SECTIONS = {
    "sources": "source",
    "entities": "entity",
    "documents": "document",
    "claims": "claim",
    "links": "link",
}
FORMATS = ("json", "jsonl", "csv", "yaml")

Item = tuple[str, str, Any]


class Problem(Exception):
    """A bad spot in a file that stops the reader from going on in it."""

    def __init__(self, place: str, message: str) -> None:
        super().__init__(f"{place}: {message}")


#: The deepest interchange record nests 4 levels (claim, attributions, attribution, via);
#: anything past this is refused before it is built.
MAX_DEPTH = 32
#: The longest field is 20,000 characters; one value (or one JSONL line) past this many bytes
#: is refused before it is built.
MAX_VALUE_BYTES = 1 << 20


#: Python reads no integer of more digits than this (``sys.get_int_max_str_digits``).
MAX_DIGITS = 4300
TOO_MANY_DIGITS = f"a number with more than {MAX_DIGITS:,} digits"


#: The byte order mark some editors (Windows Notepad, Excel's "UTF-8" CSV) put first.
BOM = b"\xef\xbb\xbf"


def skip_bom(handle: Any) -> None:
    """Read past a byte order mark at the start of ``handle``, if there is one."""
    if handle.read(len(BOM)) != BOM:
        handle.seek(0)


def refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def document_records(data: Any, name: str) -> Iterator[Item]:
    if not isinstance(data, dict):
        raise Problem(f"{name}#", "the document must be an object with sources, claims, …")
    version = data.get("provenance", 1)
    if version != 1:
        raise Problem(f"{name}#/provenance", f"unsupported interchange version {version!r}")
    unknown = sorted(set(data) - set(SECTIONS) - {"provenance"})
    if unknown:
        raise Problem(
            f"{name}#/{unknown[0]}", f"is not a known section (expected {', '.join(SECTIONS)})"
        )
    for section, kind in SECTIONS.items():
        records = data.get(section, [])
        if not isinstance(records, list):
            raise Problem(f"{name}#/{section}", "must be a list")
        for index, record in enumerate(records):
            yield f"{name}#/{section}/{index}", kind, record
