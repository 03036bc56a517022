"""Cues that are not a finite verb: ``according to X`` / ``per X`` (with an apposition
after X), the passive with its agent (``C was announced by X``; never the agentless
``was accused of``), and nouns that carry a claim (``claims by X that C``,
``X's charges that C``)."""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.phrases import Mention
from provenance.io.reading.relays import Relays
from provenance.io.reading.tokens import inside
from provenance.io.reading.words import CLAIM_NOUNS, DETERMINERS, is_outlet

_LEAD_IN = re.compile(
    r"\s*(?:(?:In|On|At|By|As of|Since|Earlier|Later|Meanwhile|Last|This|Overnight)\b[\w ]{0,25}"
    # a connective alone: "However, according to IECC, C"
    rf"|(?:{'|'.join(word[0].upper() + word[1:] for word in lx.CONNECTIVES)})),\s*"
)
#: Words before a participle that make it a verb of their clause, not a noun's passive.
_NOT_A_NOUN = {
    "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "it", "they",
    "he", "she", "we", "i", "you", "who", "which", "that", "not", "also", "and", "or", "but",
}  # fmt: skip
#: Participles of what is done to a document, not said ("a story published by X").
_OF_DOCUMENTS = {"published", "posted", "released", "issued", "shared", "recorded", "filed"}
_COUNTS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "dozens", "hundreds", "thousands", "several", "many", "some"}  # fmt: skip
_CLAIM_NOUNS = (
    r"claims?|charges?|allegations?|accusations?|reports?|assertions?|statements?|announcements?"
)


#: The words a claim is named by before a reduced passive: "a figure rejected by X" is the
#: claim before it in the sentence, which X rejects.
_NAMED_CLAIM = re.compile(
    rf"\b(?:a|an|the|this|that)\s+(?:{'|'.join(sorted(CLAIM_NOUNS))})\s*$", re.IGNORECASE
)


#: What a party issues, named between "according to" and the party: "according to an
#: analysis issued by the Justice Department", "according to figures from the ministry".
_ISSUED = (
    r"statements?|reports?|tally|count|post|figures|data|estimates?|statistics|toll|update|"
    r"bulletin|release|analysis|study|survey|assessment|review|investigation|audit|census|"
    r"poll|projections?|calculations?|records?|documents?|findings|filings?|tracker|database"
)
_ACCORDING_TO = re.compile(
    r"\b(?:[Aa]ccording to|\bper)\s+(?:(?:a|an|the)\s+)?"
    r"(?:(?:preliminary|official|latest|new|initial|updated|final|internal|independent|"
    r"recent|separate|joint|annual)\s+)*"
    rf"(?:(?:{_ISSUED})\s+(?:from|by|of|(?:(?:released|published|issued|compiled|conducted|"
    r"prepared|produced|commissioned|carried\s+out|shared|posted)\s+by))\s+)?"
)


class Nominal(Relays):
    def _outlet_learned(self) -> None:
        """'C, BBC Sport understands.', 'C, Reuters has learned': an outlet's own reporting
        from people it does not name."""
        match = re.search(
            r",\s+(?P<outlet>(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s+"
            r"(?:understands|has\s+learned|has\s+learnt|can\s+reveal|has\s+confirmed)\W*$",
            self.text,
        )
        if match is None or not is_outlet(match["outlet"]) or inside(match.start(), self.quotes):
            return
        self.add(
            Mention(
                match["outlet"],
                match.start("outlet"),
                "report",
                "asserts",
                0,
                match.start(),
                [],
                "trailing",
                at=match.end("outlet") + 1,
            )
        )

    def _quoted_as_saying(self) -> None:
        """'Mantashe was quoted as saying C': the one quoted says C (whoever quoted him)."""
        for match in re.finditer(
            r"\s+(?:was|were|is|are|has\s+been|had\s+been)\s+(?:widely\s+)?quoted\s+as\s+"
            r"(?:saying|telling\s+\w+(?:\s+\w+)?)\s*(?:that\s+)?",
            self.text,
        ):
            if inside(match.start(), self.quotes):
                continue
            before = [i for i, t in enumerate(self.tokens) if t.end <= match.start()]
            found = self.back_phrase(before[-1]) if before else None
            if found is None or not self.valid_speaker(found[0], found[1]):
                continue
            self.add(
                Mention(
                    self.phrase(found[0], found[1]),
                    self.tokens[found[0]].start,
                    "say",
                    "asserts",
                    match.end(),
                    len(self.text),
                    at=match.start(),
                )
            )

    def _reduced_passive(self, verbs: str) -> None:
        """'one death reported by officials', 'a figure rejected by X': a participle after a
        noun, with its agent (no 'was'): the agent says the noun phrase before it (or, for a
        noun that names a claim, the claim before it in the sentence)."""
        for match in re.finditer(rf"(?<=[\w”\"’'])\s+(?P<verb>{verbs})\s+by\s+", self.text):
            if (
                not match["verb"].endswith("ed")
                or match["verb"] in _OF_DOCUMENTS
                or inside(match.start(), self.quotes)
            ):
                continue
            before = [i for i, t in enumerate(self.tokens) if t.end <= match.start()]
            if not before or self.tokens[before[-1]].low in _NOT_A_NOUN:
                continue
            span = self.speaker_from(match.end())
            if span is None:
                continue
            lemma, stance = lx.cue_of(match["verb"])
            end = self.tokens[span[1]].end
            if _NAMED_CLAIM.search(self.text[: match.start()]):
                clause = (end, end)  # nothing of its own: the claim before it
            else:  # the noun phrase: back to its determiner or number ("one death")
                first_word = before[-1]
                for k in range(before[-1], max(before[-1] - 4, -1), -1):
                    token = self.tokens[k]
                    if not token.word:
                        break
                    if token.low in DETERMINERS or token.text[:1].isdigit() or token.low in _COUNTS:
                        first_word = k
                        break
                clause = (self.tokens[first_word].start, match.start())
            self.add(
                Mention(
                    self.phrase(*span),
                    self.tokens[span[0]].start,
                    lemma,
                    stance,
                    *clause,
                    at=match.start("verb"),
                    refers_back=clause[0] == clause[1],
                )
            )

    def _according_to(self) -> None:
        for match in _ACCORDING_TO.finditer(self.text):
            if inside(match.start(), self.quotes):
                continue
            if match.group().lower().startswith("per") and not re.search(
                r",\s*$", self.text[: match.start()]
            ):
                continue
            span = self.speaker_from(match.end())
            if span is None:
                continue
            last = span[1]
            after = last + 1
            # an apposition after the name: "According to X, an independent watchdog, C"
            if (
                after + 1 < len(self.tokens)
                and self.tokens[after].text == ","
                and self.tokens[after + 1].low in {"which", "who", "whose"}
            ):  # "According to the ministry, which does not …, C"
                close = next(
                    (i for i in range(after + 1, len(self.tokens)) if self.tokens[i].text == ","),
                    None,
                )
                if close is not None:
                    after = close
            elif after < len(self.tokens) and self.tokens[after].text == ",":
                nxt = self.forward_phrase(after + 1, limit=18)
                if (  # "an independent watchdog", not "close to 40 aid workers …"
                    nxt
                    and self.is_description(*nxt)
                    and self.tokens[nxt[0]].low in {"a", "an", "the", "one"}
                ):
                    close = next(
                        (i for i in range(nxt[0], len(self.tokens)) if self.tokens[i].text == ","),
                        None,
                    )
                    if close is not None and close - after < 20:
                        after = close
            leading = match.start() == 0 or not self.text[: match.start()].strip(" ,")
            if leading or _LEAD_IN.fullmatch(self.text[: match.start()]):
                start = self.tokens[after].end if after < len(self.tokens) else len(self.text)
                self.add(
                    Mention(
                        self.phrase(*span),
                        self.tokens[span[0]].start,
                        "according to",
                        "asserts",
                        start,
                        len(self.text),
                        at=match.start(),
                    )
                )
            else:
                before = self.text[: match.start()].rstrip(" ,;—–-")
                self.add(
                    Mention(
                        self.phrase(*span),
                        self.tokens[span[0]].start,
                        "according to",
                        "asserts",
                        0,
                        len(before),
                        shape="trailing",
                        at=match.start(),
                    )
                )

    def _passive_and_nouns(self) -> None:
        verbs = "|".join(sorted(set(lx.ASSERT_VERBS) | set(lx.DENY_VERBS), key=len, reverse=True))
        for match in re.finditer(
            rf"\b(?:was|were|has been|have been|had been|is|are|being)\s+(?:\w+ly\s+)?"
            rf"(?P<verb>{verbs})\s+by\s+",
            self.text,
        ):
            if inside(match.start(), self.quotes):
                continue
            span = self.speaker_from(match.end())
            if span is None:
                continue
            lemma, stance = lx.cue_of(match["verb"])
            self.add(
                Mention(
                    self.phrase(*span),
                    self.tokens[span[0]].start,
                    lemma,
                    stance,
                    0,
                    len(self.text),
                    at=match.start("verb"),
                )
            )
        self._reduced_passive(verbs)
        self._quoted_as_saying()
        self._outlet_learned()
        nouns = _CLAIM_NOUNS
        for match in re.finditer(
            rf"\b(?:{nouns})\s+(?:by|of|from)\s+(?P<by>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
            rf"\s*,?\s+(?:that|wherein|which said|saying)\s+"
            r"|(?!(?:The|A|An|These|Those|This|That|Such|Its|Their|His|Her|Our|Any|All|New)\s)"
            rf"(?P<own>\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)(?:['’]s?\s+(?:{nouns})|\s+(?:charges|"
            rf"allegations|accusations|assertions))\s+that\s+",
            self.text,
        ):
            if inside(match.start(), self.quotes):
                continue
            name = match["by"] or match["own"]
            group = "by" if match["by"] else "own"
            self.add(
                Mention(
                    name,
                    match.start(group),
                    "claim",
                    "asserts",
                    match.end(),
                    len(self.text),
                    at=match.start(group),
                )
            )
