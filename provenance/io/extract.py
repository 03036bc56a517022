"""The reading assistant: propose attributed claims from an article's text.

Rule-based and dependency-free. The text is split into sentences (character offsets kept);
each sentence is searched for an attribution cue:

* ``according to X, …`` / ``…, according to X``
* ``X said / says / reported / warned / claimed / declared / denied / stated / announced …``
* ``X suggest(s) …``
* ``…, X reported.`` at the end of a sentence

and a sentence with no cue of its own that continues the report (it opens with *He, She,
They, It, The group* or says *also*) is carried over to the previous sentence's source.
The quote of each proposal is an exact substring of the article, with its offsets; the
confidence comes from the cue and from hedges (*may*, *suggest*, *expected to*, *cannot
guarantee*). Figures become structured values (``at least 31 children`` → ``{"min": 31}``)
with the period the sentence gives (``since the March 28 earthquake``, ``as of May 2``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from provenance.vocab import slugify

MONTHS = {
    month: number
    for number, month in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
VERBS = (
    "said",
    "says",
    "say",
    "reported",
    "reports",
    "report",
    "warned",
    "warns",
    "claimed",
    "claims",
    "declared",
    "declares",
    "denied",
    "denies",
    "stated",
    "states",
    "announced",
    "announces",
    "told",
    "added",
    "confirmed",
    "confirms",
    "suggest",
    "suggests",
    "suggested",
    "insisted",
    "insists",
    "alleged",
    "alleges",
)
VERB = "|".join(VERBS)
#: Confidence of a plain report by cue (0–100); hedges below lower it.
CUE_CONFIDENCE = {
    "according to": 65,
    "said": 65,
    "says": 65,
    "say": 65,
    "reported": 65,
    "reports": 65,
    "report": 65,
    "stated": 65,
    "states": 65,
    "told": 65,
    "announced": 65,
    "announces": 65,
    "declared": 60,
    "declares": 60,
    "confirmed": 75,
    "confirms": 75,
    "added": 60,
    "warned": 60,
    "warns": 60,
    "claimed": 45,
    "claims": 45,
    "alleged": 40,
    "alleges": 40,
    "insisted": 50,
    "insists": 50,
    "suggest": 30,
    "suggests": 30,
    "suggested": 30,
    "denied": 60,
    "denies": 60,
}
DENIALS = {"denied", "denies"}
HEDGES = (
    (r"\bcannot guarantee\b", 50),
    (r"\bexpected to\b", 50),
    (r"\blikely\b", 55),
    (r"\b(?:may|might|could)\b", 30),
    (r"\b(?:possibly|reportedly|allegedly)\b", 35),
)
#: Who a report comes from: a name ("the civilian National Unity Government (NUG)"), a
#: role ("the mayor", "the interior ministry"), or a collective ("junta media", "observers").
SOURCE = (
    r"(?:(?:[Tt]he\s+)?(?:[a-z]+\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*"
    r"(?:\s+\([A-Z]{2,}\))?|[Tt]he\s+[a-z]+(?:\s+[a-z]+)?|[a-z]+\s+media|observers|"
    r"officials|analysts|residents|witnesses|activists|reports)"
)
#: A sentence without a cue of its own continues the previous report when it says so.
CONTINUES = re.compile(r"\balso\b|^(?:The group|The statement|The report) ")
#: Words that open a sentence but are not part of a source's name.
LEAD_INS = re.compile(
    r"^(?:Meanwhile|However|But|And|Also|Separately|Later|Earlier|Still|"
    r"Yet|Instead|Moreover|Furthermore|Meantime)\s+"
)
PRONOUNS = {"he", "she", "they", "it", "we", "i", "this", "that", "there"}


@dataclass
class Sentence:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Proposal:
    source: str
    clause: str
    quote_start: int
    quote_end: int
    cue: str
    stance: str = "asserts"
    confidence: int = 65
    figures: list[dict[str, Any]] = field(default_factory=list)
    period: dict[str, str] | None = None
    carried: bool = False


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "title"):
            self.skip += 1
        elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def plain_text(raw: str) -> str:
    """HTML stripped of markup (scripts and styles dropped); plain text as it is."""
    if re.search(r"<(?:html|body|p|div|article)\b", raw, re.I):
        parser = _Text()
        parser.feed(raw)
        text = html.unescape("".join(parser.parts))
        return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"
    return raw


_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Rev|U\.S|U\.N|No|vs|etc|e\.g|"
    r"i\.e|[A-Z])\.$"
)


def sentences(text: str) -> list[Sentence]:
    found: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = text[start : match.start()]
        if (
            match.group().strip() == ""
            and "\n" not in match.group()
            and _ABBREVIATION.search(piece.rstrip())
        ):
            continue
        _add(found, text, start, match.start())
        start = match.end()
    _add(found, text, start, len(text))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        found.append(Sentence(stripped, start + piece.index(stripped)))


def _find_cue(sentence: str) -> tuple[str, str, int, int, str] | None:
    """(source, cue, clause start, clause end, verb) within the sentence, or None."""
    patterns = [
        # ", according to X." at the end: X is everything up to the full stop
        (r",\s+according to (?P<src>[^,;]{2,80}?)\s*[.!?]?$", "after"),
        # "According to X, clause"
        (rf"^According to (?P<src>{SOURCE}),\s*", "before"),
        # ", X reported." at the end
        (rf",\s+(?P<src>{SOURCE})\s+(?P<verb>{VERB})\s*[.!?]?$", "after"),
        # "X said (that) clause" / "X has warned that clause" / "On Tuesday, X declared …"
        (
            rf"^(?:[^,]{{1,30}},\s+)?(?P<src>{SOURCE})\s+(?:(?:has|had|have)\s+)?(?P<verb>{VERB})"
            r"(?:\s+that)?\s+",
            "before",
        ),
        # "clause, X said, clause" — mid-sentence
        (rf",\s+(?P<src>{SOURCE})\s+(?P<verb>{VERB}),\s+", "split"),
    ]
    for pattern, where in patterns:
        match = re.search(pattern, sentence)
        if not match:
            continue
        source = LEAD_INS.sub("", match.group("src").strip())
        if source.lower() in PRONOUNS:
            continue
        verb = (match.groupdict().get("verb") or "according to").lower()
        if where == "after":
            return source, verb, 0, match.start(), verb
        if where == "before":
            return source, verb, match.end(), len(sentence), verb
        return source, verb, 0, len(sentence), verb
    return None


def _confidence(verb: str, clause: str) -> int:
    confidence = CUE_CONFIDENCE.get(verb, 60)
    for pattern, cap in HEDGES:
        if re.search(pattern, clause):  # lowercase words only: "May 2" is no hedge
            confidence = min(confidence, cap)
    return confidence


_QUALIFIER = (
    r"(?P<qualifier>at least|more than|over|up to|at most|fewer than|less than|"
    r"about|around|nearly|almost|some|approximately|roughly)?\s*"
)
_FIGURE = re.compile(
    rf"(?P<verb>\b(?:killing|wounding|injuring|displacing|arresting|destroying)\s+)?"
    rf"{_QUALIFIER}(?P<number>\d[\d,]*(?:\.\d+)?)\s+(?P<noun>[a-z]+(?:\s+(?!(?:and|or|in|of|"
    rf"the|were|was|are|is|had|have|from|to|at|on|by|since|as|who|which|that)\b)[a-z]+)?)"
    rf"(?P<after>\s+(?:were|was|have been|had been)\s+(?P<passive>killed|wounded|injured|"
    rf"displaced|arrested|destroyed))?",
    re.I,
)
_MIN, _MAX = {"at least", "more than", "over"}, {"up to", "at most", "fewer than", "less than"}
_NOT_UNITS = {
    "percent",
    "per",
    "years",
    "year",
    "months",
    "month",
    "days",
    "day",
    "am",
    "pm",
    "noon",
    "midnight",
    "hours",
    "hour",
    "minutes",
    "gmt",
    "utc",
    "o",
}


def figures(clause: str) -> list[dict[str, Any]]:
    """Numbers the text makes plain, with their unit and property."""
    found = []
    for match in _FIGURE.finditer(clause):
        before = clause[: match.start("number")].split()
        if before and before[-1].lower() in MONTHS:
            continue  # "March 28 earthquake" is a date
        noun = match.group("noun").lower()
        words = noun.split()
        if words[0] in _NOT_UNITS or words[-1] in _NOT_UNITS or words[0] in MONTHS:
            continue
        if len(words) == 2 and words[1] in {"were", "was", "are", "is", "had", "have"}:
            noun = words[0]
        number_text = match.group("number").replace(",", "")
        number: int | float = float(number_text) if "." in number_text else int(number_text)
        if 1900 <= number <= 2100 and not match.group("qualifier"):
            continue  # a year, not a figure
        qualifier = (match.group("qualifier") or "").lower()
        if qualifier in _MIN:
            value: Any = {"min": number}
        elif qualifier in _MAX:
            value = {"max": number}
        elif qualifier:
            value = {"approx": number}
        else:
            value = number
        verb = (match.group("verb") or "").strip().lower()
        participle = (match.group("passive") or "").lower() or (
            {
                "killing": "killed",
                "wounding": "wounded",
                "injuring": "injured",
                "displacing": "displaced",
                "arresting": "arrested",
                "destroying": "destroyed",
            }.get(verb, "")
        )
        property_name = slugify(f"{noun} {participle}".strip(), max_length=60).replace("-", "_")
        found.append(
            {"value": value, "unit": noun, "property": property_name, "text": match.group().strip()}
        )
    return found


def _date(month: str, day: str, year: int) -> str | None:
    try:
        return dt.date(year, MONTHS[month.lower()], int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def period(sentence: str, year: int) -> dict[str, str] | None:
    """'since the March 28 earthquake' → start; 'as of May 2' → end."""
    since = re.search(r"\bsince (?:the )?(?P<m>[A-Z][a-z]+) (?P<d>\d{1,2})\b", sentence)
    as_of = re.search(r"\b(?i:as of|by|until) (?P<m>[A-Z][a-z]+) (?P<d>\d{1,2})\b", sentence)
    start = _date(since["m"], since["d"], year) if since else None
    end = _date(as_of["m"], as_of["d"], year) if as_of else None
    if not start and not end:
        return None
    result = {}
    if start:
        result["start"] = start
    if end:
        result["end"] = end
    return result


def propose(text: str, *, year: int) -> list[Proposal]:
    proposals: list[Proposal] = []
    previous: Proposal | None = None
    for sentence in sentences(text):
        cue = _find_cue(sentence.text)
        if cue is None:
            if previous is not None and CONTINUES.search(sentence.text):
                clause_start, clause_end = 0, len(sentence.text)
                proposal = Proposal(
                    source=previous.source,
                    clause=sentence.text,
                    quote_start=sentence.start + clause_start,
                    quote_end=sentence.start + clause_end,
                    cue=previous.cue,
                    stance=previous.stance,
                    confidence=min(previous.confidence, _confidence(previous.cue, sentence.text)),
                    carried=True,
                )
            else:
                previous = None
                continue
        else:
            source, verb, clause_start, clause_end = cue[0], cue[1], cue[2], cue[3]
            clause = sentence.text[clause_start:clause_end].strip(" ,;")
            offset = sentence.text.index(clause, clause_start) if clause else clause_start
            proposal = Proposal(
                source=source,
                clause=clause,
                quote_start=sentence.start + offset,
                quote_end=sentence.start + offset + len(clause),
                cue=verb,
                stance="denies" if verb in DENIALS else "asserts",
                confidence=_confidence(verb, clause),
            )
        proposal.figures = figures(proposal.clause)
        proposal.period = period(sentence.text, year)
        proposals.append(proposal)
        previous = proposal
    return proposals


def _tidy(clause: str) -> str:
    clause = re.sub(r"^(?:that|then)\s+", "", clause.strip(" ,;"))
    clause = clause[:1].upper() + clause[1:]
    return clause if clause.endswith((".", "!", "?")) else clause + "."


def _resolve(name: str, resolve_source: Callable[[str], str | None]) -> str | None:
    """The name as written, its acronym in brackets, then its last words (a person's name
    after a title: 'Ukraine President Volodymyr Zelenskyy' → 'Zelenskyy')."""
    candidates = [name]
    acronym = re.search(r"\(([A-Z]{2,})\)", name)
    if acronym:
        candidates += [acronym.group(1), name[: acronym.start()].strip()]
    words = name.split()
    candidates += [" ".join(words[-2:]), words[-1]] if len(words) > 1 else []
    for candidate in candidates:
        found = resolve_source(candidate)
        if found is not None:
            return found
    return None


def document(
    raw: str,
    *,
    name: str,
    sha256: str,
    year: int | None = None,
    resolve_source: Callable[[str], str | None] | None = None,
    publisher: str | None = None,
    published: str | None = None,
) -> dict[str, Any]:
    """The proposals as an interchange document, ready to review and import."""
    text = plain_text(raw)
    year = year or (int(published[:4]) if published else dt.date.today().year)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), name)
    title = first_line[:200]
    doc_key = f"{slugify(title, max_length=48)}-{sha256[:8]}"
    sources: dict[str, dict[str, Any]] = {}
    claims = []
    for proposal in propose(text, year=year):
        # "the civilian National Unity Government" → "National Unity Government"
        name_in_text = re.sub(r"^[Tt]he\s+(?:[a-z]+\s+(?=[A-Z]))?", "", proposal.source)
        key = _resolve(name_in_text, resolve_source) if resolve_source else None
        if key is None:
            acronym = re.search(r"\s*\(([A-Z]{2,})\)", name_in_text)
            full_name = name_in_text[: acronym.start()] if acronym else name_in_text
            key = slugify(acronym.group(1) if acronym else full_name)
            proposed = sources.setdefault(
                key,
                {
                    "key": key,
                    "name": full_name,
                    "aliases": [],
                    "notes": "proposed by extract: check it and grade it",
                },
            )
            for alias in {full_name, name_in_text} - {proposed["name"]}:
                if alias not in proposed["aliases"]:
                    proposed["aliases"].append(alias)
            if acronym and acronym.group(1) not in proposed["aliases"]:
                proposed["aliases"].append(acronym.group(1))
        quote = text[proposal.quote_start : proposal.quote_end]
        attribution: dict[str, Any] = {
            "source": key,
            "document": doc_key,
            "stance": proposal.stance,
            "confidence": proposal.confidence,
            "quote": quote,
            "offsets": [proposal.quote_start, proposal.quote_end],
        }
        if publisher and key != publisher:
            attribution["via"] = [publisher]
        base: dict[str, Any] = {
            "text": _tidy(proposal.clause),
            "tags": ["extracted"],
            "attributions": [attribution],
        }
        if proposal.period:
            base["period"] = proposal.period
        if len(proposal.figures) <= 1:
            claim = dict(base)
            if proposal.figures:
                figure = proposal.figures[0]
                claim.update(
                    property=figure["property"], value=figure["value"], unit=figure["unit"]
                )
            claims.append(claim)
        else:  # one claim per figure, each quoting the figure's own words
            for figure in proposal.figures:
                at = text.find(figure["text"], proposal.quote_start, proposal.quote_end)
                claim = {
                    **base,
                    "property": figure["property"],
                    "value": figure["value"],
                    "unit": figure["unit"],
                    "attributions": [
                        {
                            **attribution,
                            "quote": figure["text"],
                            "offsets": [at, at + len(figure["text"])],
                        }
                    ],
                }
                claims.append(claim)
    document_record: dict[str, Any] = {
        "key": doc_key,
        "title": title,
        "sha256": sha256,
        "language": "en",
    }
    if publisher:
        document_record["publisher"] = publisher
    if published:
        document_record["published"] = published
    return {
        "provenance": 1,
        "sources": list(sources.values()),
        "documents": [document_record],
        "claims": claims,
    }


def file_document(path: Any, **options: Any) -> dict[str, Any]:
    data = path.read_bytes()
    raw = data.decode("utf-8", errors="replace")
    return document(raw, name=path.name, sha256=hashlib.sha256(data).hexdigest(), **options)
