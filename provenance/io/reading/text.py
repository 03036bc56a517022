"""Text as the rules read it: HTML stripped, sentences and paragraphs with offsets.

Every later step works on :class:`Sentence` objects whose ``start`` is the character offset
of the sentence in the article's plain text, so a quote taken from a sentence is an exact
substring of the article."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    paragraph: int
    #: A line of its own without a full stop: a headline or a sub-heading.
    headline: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


#: Elements that open and close a block of their own (a paragraph, a heading, a cell).
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "tr", "pre", "blockquote"})


#: Elements a reader never sees on the page: their text is no part of the article (a
#: ``<template>``'s "The WHO said …" was attributed to the party named before it).
_HIDDEN = frozenset({"script", "style", "title", "template"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _HIDDEN:
            self.skip += 1
        elif tag in _BLOCKS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.skip -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")  # a block ends its sentence: "</pre><pre>" too

    def handle_data(self, data: str) -> None:
        if not self.skip:  # a line break in a page's source is a space, as browsers show it
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(raw: str) -> str:
    """HTML stripped of markup (scripts and styles dropped); plain text with its HTML
    entities decoded (``&#8217;`` pasted from a page's source) and its hard-wrapped lines
    read as the paragraphs they are (see :func:`unwrap`)."""
    if re.search(r"<(?:html|body|p|div|article)\b", raw, re.I):
        parser = _Text()  # decodes each entity once ("&amp;amp;" is "&amp;", as shown)
        parser.feed(raw)
        parser.close()
        text = "".join(parser.parts)
        return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"
    if _ENTITY.search(raw):
        raw = html.unescape(raw)
    return unwrap(raw)


_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8}[0-9]?);", re.I)
#: The end of a sentence at the end of a line: its stop, perhaps inside a closing quote.
_LINE_END = re.compile(r"[.!?…][\"”’')\]]*$")
#: Lines no longer than this may be hard-wrapped (e-mail, a terminal, a PDF's text): an
#: article pasted from a page has a paragraph a line, and most paragraphs are longer.
_WRAP_WIDTH = 100


def unwrap(text: str) -> str:
    """The text with each line break inside a paragraph read as a space, offsets kept.

    A sentence broken across lines (a text wrapped at 60 or 72 columns, blank lines between
    its paragraphs) is one sentence; a line break still ends a headline, a list item or a
    paragraph. A break is soft when the line before it does not end a sentence and either
    the next line goes on in lower case, or the text is hard-wrapped: no line is longer
    than ``_WRAP_WIDTH``, the lines run on to a full stop (a paragraph of prose, not a
    list of headlines) and the next line's first word would not have fitted on this one.
    The first line (a headline) is joined to the next only when that one goes on in lower
    case; any line that stops on a word no sentence ends with (``in``, ``the``, ``of``)
    goes on on the next."""
    lines = text.split("\n")
    width = max((len(line.rstrip()) for line in lines), default=0)
    out = list(text)
    offset = 0
    for number, line in enumerate(lines[:-1]):
        offset += len(line) + 1
        this = line.rstrip()
        following = lines[number + 1].strip()
        if not this or not following or _ends_sentence(this):
            continue
        wrapped = (
            number > 0
            and width <= _WRAP_WIDTH
            and len(this) + 1 + len(following.split()[0]) > width
            and _runs_on_to_a_stop(lines, number + 1)
        )
        if following[:1].islower() or wrapped or _BROKEN_OFF.search(this):
            out[offset - 1] = " "
            if line.endswith("\r"):
                out[offset - 2] = " "
    return "".join(out)


#: A line that stops on a word no sentence or headline ends with ("… burst its banks in"):
#: the sentence goes on on the next line, whatever the text's width.
_BROKEN_OFF = re.compile(
    r"\b(?:the|a|an|of|in|on|at|to|for|from|with|by|and|or|but|that|which|who|as|its|"
    r"their|his|her|than|into|after|before|according)$"
)


def _runs_on_to_a_stop(lines: list[str], number: int) -> bool:
    """Whether the lines from ``number`` on end a sentence before a blank line."""
    for line in lines[number:]:
        if not line.strip():
            return False
        if _ends_sentence(line.rstrip()):
            return True
    return False


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip()
    if not _LINE_END.search(stripped):
        return False
    return not _ABBREVIATION.search(stripped.rstrip("\"”’')]"))


_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(“\"])(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Rev|Sen|Rep|Gov|Maj|Brig|Adm|Capt|"
    r"Cmdr|Prof|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|etc|e\.g|i\.e|a\.m|p\.m|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|(?:[A-Z]\.)*[A-Z])\.$"
)


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; a line break always ends one (a paragraph)."""
    found: list[Sentence] = []
    for number, line in enumerate(_lines(text)):
        start_of_line, line_text = line
        start = 0
        quoted = _attributed_quotes(line_text)
        boundaries = sorted(
            [*_BOUNDARY.finditer(line_text), *_FULL_STOP.finditer(line_text)],
            key=lambda match: match.start(),
        )
        for match in boundaries:
            if match.start() < start:
                continue
            piece = line_text[start : match.start()]
            if _ABBREVIATION.search(piece.rstrip()) and match.group()[:1].isspace():
                continue
            if any(open_ < match.start() < close for open_, close in quoted):
                continue  # “S1. S2,” the command said: one attribution of both
            _add_bounded(found, line_text, start, match.start(), start_of_line, number)
            start = match.end()
        _add_bounded(found, line_text, start, len(line_text), start_of_line, number)
    return found


#: Marks that end a sentence in scripts without capitals after them: Burmese ``။``, Chinese
#: and Japanese ``。！？``, Arabic and Urdu ``؟ ۔``, Devanagari ``।``.
_FULL_STOP = re.compile(r"(?<=[။。！？؟۔।])[\"”’」』)]?\s*(?=\S)")
#: The longest stretch read as one sentence. A text without full stops (a list run
#: together, a script whose marks are not known) is read in pieces of at most this many
#: characters, cut after a semicolon or comma where it can be: the cues of one sentence
#: are paired with each other, so an endless "sentence" would cost time and memory by
#: its square.
MAX_SENTENCE = 800


def _add_bounded(
    found: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int
) -> None:
    while end - start > MAX_SENTENCE:
        window = line[start : start + MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
        cut = cut + 1 if cut > MAX_SENTENCE // 3 else MAX_SENTENCE
        _add(found, line, start, start + cut, offset, paragraph)
        start += cut
    _add(found, line, start, end, offset, paragraph)


#: What follows a quotation that a speaker is named after: “…,” X said / said X.
_SAID_AFTER = re.compile(
    r"\s*[^“”\"]{0,80}?\b(?:said|says|told|tells|added|adds|wrote|writes|stated|states|"
    r"posted|tweeted|declared|announced|insisted|explained|claimed|denied|according\s+to)\b"
)


def _attributed_quotes(line: str) -> list[tuple[int, int]]:
    """Quotations closed on the line and followed by their speaker: their sentences are
    one sentence with the attribution after them."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]{1,2000}”", line)]
    spans += [(m.start(), m.end()) for m in re.finditer(r'(?<!\w)"[^"]{1,2000}"', line)]
    return [(a, b) for a, b in spans if _SAID_AFTER.match(line, b)]


def _lines(text: str) -> list[tuple[int, str]]:
    lines = []
    offset = 0
    for line in text.splitlines(keepends=True):
        lines.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    return lines


#: A wire story's dateline ("KHARTOUM, Sudan (AFP) - ", "GAZA, July 3 (AP) — "): where and
#: by whom, not part of the first sentence's claim.
_DATELINE = re.compile(
    r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}"
    r"(?P<where>(?:,\s+[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|and|the)){0,4})?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?)"
    r"\s*(?:\((?P<outlet>[A-Z][\w .&'’-]{1,30})\))?\s*[-–—]{1,2}\s+(?=\S)"
    # or the agency alone: "(Reuters) - Five people … were arrested"
    r"|\((?P<agency>[A-Z][\w .&'’-]{1,30})\)\s*[-–—]{1,2}\s+(?=\S)"
)


def _outlet(dateline: re.Match[str]) -> str | None:
    return dateline["outlet"] or dateline["agency"]


def dateline_outlet(text: str) -> str | None:
    """The agency a wire story's dateline names ("GAZA, July 3 (AP) — …"), if its first
    paragraphs have one."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:5]:
        dateline = _DATELINE.match(line)
        outlet = _outlet(dateline) if dateline else None
        if outlet:
            return outlet.strip()
    return None


def _add(
    found: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int
) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    at = offset + start + piece.index(stripped)
    dateline = _DATELINE.match(stripped) if start == 0 else None
    if dateline and (dateline["where"] or _outlet(dateline)) and stripped.endswith("."):
        at += dateline.end()
        stripped = stripped[dateline.end() :]
    whole_line = stripped == line.strip()
    headline = whole_line and not stripped.endswith((".", "!", "?", "”", '"', "’", ":"))
    found.append(Sentence(stripped, at, paragraph, headline))
