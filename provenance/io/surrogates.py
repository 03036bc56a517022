"""Lone UTF-16 surrogates in JSON text, found before the parser reads them.

JSON writes a character outside the Basic Multilingual Plane as two escapes, a high and a
low surrogate (``\\ud83d\\ude00``). Text cut in the middle of such a pair (a post
truncated by a JavaScript tool) leaves one half, which is no character. ijson's C backend
turns it into ``?`` without a word, so a quote would be stored changed; Python's ``json``
keeps it, and nothing downstream can store it. Each half alone is refused with its line.
"""

from __future__ import annotations

import re

#: ``\\uD800``–``\\uDFFF`` written as an escape (the backslash may itself be escaped:
#: the run of backslashes before it says which).
_SURROGATE = re.compile(rb"\\u[dD]([89a-fA-F])[0-9a-fA-F]{2}")
_LOW = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
#: Bytes of one read kept for the next: enough for a high escape and the low one after it.
_TAIL = 12


class LoneSurrogate(ValueError):
    def __init__(self, escape: str, line: int) -> None:
        self.line = line
        half = "high" if escape[3].lower() in "89ab" else "low"
        super().__init__(
            f"{escape} is half of a UTF-16 pair (its {half} surrogate alone), not a "
            "character: the text was probably cut; write the whole pair, or drop it"
        )


class SurrogateCheck:
    """Reads the bytes a file hands its parser, in order, and raises
    :class:`LoneSurrogate` at the first surrogate escape that is not half of a pair."""

    def __init__(self) -> None:
        self.tail = b""  # the end of the previous read, scanned again with the next
        self.backslashes = 0  # the run of backslashes just before ``tail``
        self.start = 0  # where ``tail`` begins in the file
        self.decided = 0  # escapes that begin before this offset were checked
        self.line = 1  # the line ``tail`` begins on

    def feed(self, data: bytes) -> None:
        """The next bytes of the file; ``b""`` at its end."""
        buffer = self.tail + data
        for match in _SURROGATE.finditer(buffer):
            at = self.start + match.start()
            if at < self.decided or self._escaped(buffer, match.start()):
                continue
            high = match.group(1).lower() in b"89ab"
            if high and data and len(buffer) < match.start() + 12:
                break  # its partner may come with the next read
            if high and _LOW.match(buffer, match.end()):
                self.decided = at + 12  # the pair, low half included
                continue
            line = self.line + buffer.count(b"\n", 0, match.start())
            raise LoneSurrogate(match.group().decode("ascii"), line)
        cut = max(len(buffer) - _TAIL, 0)
        kept = buffer[:cut]
        run = len(kept) - len(kept.rstrip(b"\\"))
        self.backslashes = run + self.backslashes if run == len(kept) else run
        self.line += kept.count(b"\n")
        self.start += cut
        self.tail = buffer[cut:]

    def _escaped(self, buffer: bytes, at: int) -> bool:
        """Whether the backslash at ``at`` is itself escaped (an odd run before it)."""
        i = at - 1
        while i >= 0 and buffer[i] == 0x5C:
            i -= 1
        run = at - 1 - i + (self.backslashes if i < 0 else 0)
        return run % 2 == 1
