"""Words and punctuation of a sentence with their offsets, and the small tests on them
(capitalised, inside a quotation) that the cue and speaker rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.vocab import INVISIBLE_IN_WORDS

#: A word, a number with its thousands separators ("2,275": one token, so that its comma
#: ends no phrase), or one mark.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?"
    # a word; an invisible character a web page left inside it ("U\u200bN") joins it
    rf"|[^\W_](?:[\w’'\-&{INVISIBLE_IN_WORDS}]*[^\W_])?"
    r"|[^\w\s]"
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def possessive(self) -> bool:
        """A word that owns the next: "Amnesty's", "the sport's", "Stanford's"."""
        return self.low.endswith(("'s", "s'"))

    @property
    def capital(self) -> bool:
        """A name's word: capitalised, an acronym or a number (M23, 6th)."""
        return self.text[:1].isupper() or self.text[:1].isdigit()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (“…”, "…"): words there are the speaker's own."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”?", text)]
    straight = [m.start() for m in re.finditer(r'"', text)]
    spans += [(a, b + 1) for a, b in zip(straight[::2], straight[1::2], strict=False)]
    return spans


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)
