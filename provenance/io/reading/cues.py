"""Attribution cues in one sentence: who is said to say what, with which stance.

The shapes of real reporting that are read (each with the speaker phrase as written; the
speaker module turns phrases into parties):

* reported speech, any tense and Title Case: ``X said (that) C``, ``X says C``,
  ``X Denies C``, ``C, X said.``, ``C, officials say``, inverted ``C, said X`` and
  ``“C,” X, the spokesman, said``;
* ``according to X, C`` / ``C, according to X`` / ``C, per X``;
* passive with an agent, ``C was announced by X`` (never the agentless ``was accused of``);
* ``X told Y C`` where Y is an outlet (Y is a relay), ``X reported C, citing Y`` and
  ``X cited Y as saying C`` (Y is the origin, X the relay), ``Y reported`` wrapped around
  another attribution (the outlet relays it);
* nouns that carry a claim: ``claims by X that C``, ``X's charges that C``;
* denials (``denied``, ``rejected``, ``refuted``, ``dismissed``, ``disputed``) as stance
  ``denies``; ``X denied A and said B`` and ``X disputed A, saying B`` as two mentions;
* a headline's tail: ``C - air force``, ``C: UN``.

Words inside quotation marks are the speaker's own and never cue anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from provenance.io.reading import lexicon as lx
from provenance.io.reading.tokens import inside, quoted_spans, tokenize

DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "this", "these", "those", "our",
               "your", "such", "any", "some", "no", "my", "every", "each"}  # fmt: skip
_ADVERBIAL_WORDS = {
    "on", "in", "at", "a", "an", "the", "statement", "earlier", "later", "late", "early",
    "morning", "afternoon", "evening", "night", "local", "time", "today", "yesterday",
    "post", "message", "video", "report", "sent", "to", "its", "their", "his", "her",
    "website", "briefing", "interview", "with", "by", "phone", "telephone", "messaging",
    "app", "account", "social", "media", "press", "conference", "this", "last", "week",
    "month", "year", "also", "separately", "told", "friday", "monday", "tuesday",
    "wednesday", "thursday", "saturday", "sunday", "of", "and", "news", "platform",
    "televised", "address", "speech", "written", "emailed", "email", "for", "comment",
    "tweet", "channel", "official", "confirmed", "over", "weekend", "overnight",
}  # fmt: skip
_LEAD = re.compile(
    r"^(?:\s*(?:,|that\b|on\s+(?:the\s+)?(?:Telegram|X|Facebook|Twitter)(?:\s+messaging\s+app)?|"
    r"in\s+a\s+(?:statement|post|video(?:\s+message)?|report|briefing|televised\s+address)"
    r"(?:\s+on\s+\w+)?|(?:late\s+|early\s+)?on\s+(?:[A-Z][a-z]+day)(?:\s+(?:morning|afternoon|"
    r"evening|night))?|[A-Z][a-z]+day|earlier|later|also|today|yesterday|overnight))*\s*"
)
_LEAD_IN = re.compile(
    r"\s*(?:In|On|At|By|As of|Since|Earlier|Later|Meanwhile|Last|This|Overnight)\b[\w ]{0,25},\s*"
)
_CLAIM_NOUNS = (
    r"claims?|charges?|allegations?|accusations?|reports?|assertions?|statements?|announcements?"
)
_CONNECTOR_TAIL = re.compile(
    r"(?:[\s,;:—–-]|\b(?:a\s+day|hours|days|shortly|soon|just|even|and|but|while|after|"
    r"before|as|whereas|when|although|though|since|because|where)\b)*$"
)


@dataclass
class Mention:
    """One attribution in a sentence; offsets are within the sentence."""

    speaker: str
    speaker_start: int
    cue: str
    stance: str
    clause_start: int
    clause_end: int
    relays: list[str] = field(default_factory=list)
    #: ``leading`` (X said C), ``trailing`` (C, X said) or ``shared`` (… and said C).
    shape: str = "leading"
    #: The reporter discredits the claim ("falsely claimed").
    discredited: bool = False
    #: The cue's position (verb, 'according', or the noun), for ordering.
    at: int = 0


def is_outlet(phrase: str) -> bool:
    words = phrase.lower().replace("’", "'")
    bare = re.sub(r"^(?:the|a|an|local|state|state-run|state-owned)\s+", "", words)
    if words in lx.OUTLETS or bare in lx.OUTLETS:
        return True
    tokens = re.findall(r"[\w.'-]+", words)
    if tokens[-2:-1] in (["news"], ["press"]) and tokens[-1] == "agency":
        return True
    return bool(tokens) and (
        (tokens[-1] in lx.MEDIA_WORDS and tokens[-1] != "network")
        or any(t in lx.OUTLETS for t in tokens)
        or " ".join(tokens[-2:]) in lx.OUTLETS
    )


def _is_cue_form(low: str) -> bool:
    return low in lx.ASSERT_VERBS or low in lx.DENY_VERBS


class _Reader:
    def __init__(self, sentence: str, headline: bool) -> None:
        self.text = sentence
        self.headline = headline
        self.tokens = tokenize(sentence)
        self.quotes = quoted_spans(sentence)
        self.mentions: list[Mention] = []
        self._opening_denial = False
        self._pending_origin: tuple[str, int, int] | None = None

    # -- phrases -----------------------------------------------------------------------

    def back_phrase(self, k: int) -> tuple[int, int, str] | None:
        """The speaker phrase ending at token k, walking back: (first token, k, stopper)."""
        i, lowercase_run = k, 0
        tokens = self.tokens
        while i >= 0 and k - i < 16:
            t = tokens[i]
            if t.text in ")]":
                opening = "(" if t.text == ")" else "["
                j = i
                while j >= 0 and tokens[j].text != opening:
                    j -= 1
                if j < 0 or i - j > 4:
                    break
                i = j - 1
                continue
            if not t.word:
                if t.text in "’'" and i > 0 and tokens[i - 1].end == t.start:
                    i -= 1
                    continue
                if t.text == "." and i > 0 and tokens[i - 1].end == t.start:
                    i -= 1
                    continue
                return (i + 1, k, t.text) if i < k else None
            low = t.low
            if low in lx.CLAUSE_WORDS or (_is_cue_form(low) and i != k):
                return (i + 1, k, low) if i < k else None
            if (
                low == "and"
                and i > 0
                and not (tokens[i - 1].capital or tokens[i - 1].low in lx.SPEAKER_HEADS)
            ):
                return (i + 1, k, low) if i < k else None
            if not t.capital and low not in lx.NP_INNER and low not in lx.SPEAKER_HEADS:
                if low.endswith(("ed", "ing")) and "-" not in low and low not in lx.NP_PARTICIPLES:
                    return (i + 1, k, low) if i < k else None
                lowercase_run += 1
                if lowercase_run > 3:
                    return (i + 1, k, low)
            else:
                lowercase_run = 0
            i -= 1
        return (i + 1, k, "") if i < k else None

    def forward_phrase(self, i: int, *, limit: int = 14) -> tuple[int, int] | None:
        """The phrase starting at token i, up to a comma, a clause word or a time phrase."""
        tokens = self.tokens
        j = i
        while j < len(tokens) and j - i < limit:
            t = tokens[j]
            if t.text in "([":
                close = ")" if t.text == "(" else "]"
                end = next(
                    (m for m in range(j, min(j + 5, len(tokens))) if tokens[m].text == close), None
                )
                if end is None:
                    break
                j = end + 1
                continue
            if not t.word:
                if t.text in "’'" and j > i and tokens[j - 1].end == t.start:
                    j += 1
                    continue
                if (
                    t.text == "."
                    and j > i
                    and tokens[j - 1].end == t.start
                    and len(tokens[j - 1].text) <= 3
                    and tokens[j - 1].text[:1].isupper()
                    and j + 1 < len(tokens)
                ):
                    j += 1
                    continue
                break
            low = t.low
            if (low in lx.CLAUSE_WORDS and low not in {"to"}) or (_is_cue_form(low) and j > i):
                break
            if low == "on" and j + 1 < len(tokens) and tokens[j + 1].low in lx.WEEKDAYS:
                break
            if low in lx.WEEKDAYS or low in {"earlier", "later", "last", "this", "yesterday"}:
                break
            if low == "to" and j > i:
                break
            if (
                j > i
                and not t.capital
                and low.endswith(("ing", "ed"))
                and "-" not in low
                and low not in lx.NP_PARTICIPLES
                and low not in lx.SPEAKER_HEADS
            ):
                break
            j += 1
        while j > i and tokens[j - 1].low in lx.NP_INNER | {"’", "'"}:
            j -= 1
        return (i, j - 1) if j > i else None

    def phrase(self, first: int, last: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[last].end]

    def valid_speaker(self, first: int, last: int) -> bool:
        words = [t for t in self.tokens[first : last + 1] if t.word]
        if not words:
            return False
        # the head of "the health ministry in the Hamas-controlled Gaza strip" is "ministry"
        for index, t in enumerate(words[1:], start=1):
            if t.low in {"in", "of", "for", "at", "on"}:
                before = words[index - 1]
                if before.low in lx.SPEAKER_HEADS or before.low.rstrip("s") in lx.SPEAKER_HEADS:
                    return True
                break
        head = words[-1]
        if head.low.startswith(("al-", "el-")) and len(words) > 1 and words[-2].capital:
            return True
        if self.tokens[last].text in ")]":
            return True
        if head.low in lx.PRONOUNS and len(words) == 1:
            return head.low not in {"this", "that", "there", "these", "those", "one"}
        if head.capital and not head.text.isdigit():
            return True
        return head.low.rstrip("s") in lx.SPEAKER_HEADS or head.low in lx.SPEAKER_HEADS

    def is_description(self, first: int, last: int) -> bool:
        words = [t for t in self.tokens[first : last + 1] if t.word]
        if not words:
            return False
        if any(t.low in {"who", "whose", "which"} for t in words):
            return True
        if words[0].low in {"a", "an", "one"} or (not words[0].capital and words[0].low != "the"):
            return True
        if words[0].low == "the":
            return any(
                not t.capital and (t.low in lx.TITLES or t.low in lx.SPEAKER_HEADS)
                for t in words[1:]
            )
        return False

    def is_name(self, first: int, last: int) -> bool:
        words = [t for t in self.tokens[first : last + 1] if t.word]
        return bool(words) and all(
            t.capital or t.low in lx.NAME_PARTICLES or t.low.startswith(("al-", "el-"))
            for t in words
        )

    def segment_before(self, comma: int) -> tuple[int, int] | None:
        """The words between the comma before ``comma`` (or a clause start) and it."""
        j = comma - 1
        while j >= 0 and self.tokens[j].text not in {",", ";", ":", "(", "”", "“", '"'}:
            if (
                self.tokens[j].low in {"while", "after", "but", "as", "when", "whereas"}
                and j < comma - 1
            ):
                break
            j -= 1
        return (j + 1, comma - 1) if j + 1 <= comma - 1 else None

    # -- the speaker of a verb ----------------------------------------------------------

    def subject(self, verb: int) -> tuple[int, int, str] | None:
        """(first, last, how) of the verb's subject, or None. ``how``: 'np', 'apposition',
        'shared' (no subject: and/but/comma before a verb in a sentence with a speaker)."""
        tokens = self.tokens
        k = verb - 1
        between = lx.BETWEEN_PHRASE.search(self.text[: tokens[verb].start].rstrip() + " ")
        if between:
            while k >= 0 and tokens[k].start >= between.start():
                k -= 1
        while k >= 0 and (
            (tokens[k].low in lx.BETWEEN and tokens[k].low not in {"which", "who"})
            or (
                tokens[k].low.endswith("ly")
                and not tokens[k].capital
                and tokens[k].low not in {"early"}
            )
        ):
            k -= 1
        if k < 0:
            return None
        if any(t.low in lx.NEGATIONS for t in tokens[k + 1 : verb]):
            return None
        t = tokens[k]
        if t.low in {"and", "but"}:
            return (k, k, "shared")
        if t.text == ",":
            seg1 = self.segment_before(k)
            if seg1 is not None and seg1[0] > 0 and tokens[seg1[0] - 1].text == ",":
                seg0 = self.segment_before(seg1[0] - 1)
                if seg0 is not None:
                    if (
                        self.is_description(*seg1)
                        and self.valid_speaker(*seg0)
                        and not self.is_description(*seg0)
                    ):
                        return (*seg0, "apposition")
                    if self.is_description(*seg0) and self.is_name(*seg1):
                        return (*seg1, "apposition")
            if (
                seg1
                and seg1[0] > 0
                and tokens[seg1[0] - 1].text in '”"'
                and self.valid_speaker(*seg1)
                and not self.is_description(*seg1)
            ):
                return (*seg1, "np")
            return None
        found = self.back_phrase(k)
        if found is None:
            return None
        first, last, stopper = found
        if stopper in {"who", "whose"} and first >= 2 and tokens[first - 2].text == ",":
            seg0 = self.segment_before(first - 2)
            if seg0 and self.valid_speaker(*seg0):
                return (*seg0, "apposition")
        while first <= last and tokens[first].low in {"and", "of", "for", "in", "at", "on"}:
            first += 1
        if first > last or not self.valid_speaker(first, last):
            return None
        if stopper == "," and first >= 2:
            seg0 = self.segment_before(first - 1)
            if seg0 and self.is_description(*seg0) and self.is_name(first, last):
                return (first, last, "np")
        return (first, last, "np")

    # -- the reading --------------------------------------------------------------------

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)

    def read(self) -> list[Mention]:
        self._according_to()
        self._passive_and_nouns()
        self._verbs()
        if self._pending_origin is not None:  # "Reuters, citing two sources, reported C"
            origin, origin_start, at = self._pending_origin
            later = [m for m in self.mentions if m.at > at]
            if later:
                first = min(later, key=lambda m: m.at)
                first.relays.insert(0, first.speaker)
                first.speaker, first.speaker_start = origin, origin_start
        if self._opening_denial:
            for mention in self.mentions:
                if mention.shape == "leading":
                    mention.stance = "denies"
                    break
        if self.headline and not self.mentions:
            self._headline_tail()
        self.mentions.sort(key=lambda m: m.at)
        self._nest_outlets()
        self._close_clauses()
        return [m for m in self.mentions if m.clause_end > m.clause_start]

    def _according_to(self) -> None:
        for match in re.finditer(
            r"\b(?:[Aa]ccording to|\bper)\s+(?:(?:a|the)\s+(?:statement|report|tally|count|"
            r"post)\s+(?:from|by|of)\s+)?",
            self.text,
        ):
            if inside(match.start(), self.quotes):
                continue
            if match.group().lower().startswith("per") and not re.search(
                r",\s*$", self.text[: match.start()]
            ):
                continue
            first = next((i for i, t in enumerate(self.tokens) if t.start >= match.end()), None)
            if first is None:
                continue
            span = self.forward_phrase(first)
            if span is None or not self.valid_speaker(*span):
                continue
            last = span[1]
            after = last + 1
            # an apposition after the name: "According to X, an independent watchdog, C"
            if after < len(self.tokens) and self.tokens[after].text == ",":
                nxt = self.forward_phrase(after + 1, limit=18)
                if nxt and self.is_description(*nxt):
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
            first = next((i for i, t in enumerate(self.tokens) if t.start >= match.end()), None)
            span = self.forward_phrase(first) if first is not None else None
            if span is None or not self.valid_speaker(*span):
                continue
            lemma = lx.ASSERT_VERBS.get(match["verb"]) or lx.DENY_VERBS[match["verb"]]
            stance = "denies" if match["verb"] in lx.DENY_VERBS else "asserts"
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
        nouns = _CLAIM_NOUNS
        for match in re.finditer(
            rf"\b(?:{nouns})\s+(?:by|of|from)\s+(?P<by>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
            rf"\s*,?\s+(?:that|wherein|which said|saying)\s+"
            rf"|(?P<own>\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)(?:['’]s?\s+(?:{nouns})|\s+(?:charges|"
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

    def _verbs(self) -> None:
        tokens = self.tokens
        for i, t in enumerate(tokens):
            low = t.low
            if not (low in lx.ASSERT_VERBS or low in lx.DENY_VERBS or low in lx.RELAY_VERBS):
                continue
            if inside(t.start, self.quotes) or any(m.at == t.start for m in self.mentions):
                continue
            if t.text[:1].isupper() and i > 0 and not self.headline and not self._title_case():
                continue  # "North Darfur State", "Support Claims": part of a name
            previous = tokens[i - 1] if i else None
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if previous is not None and previous.low in DETERMINERS:
                continue
            if previous is not None and (
                previous.low in {"was", "were", "been", "being", "is", "are", "be"}
                or (
                    previous.low.endswith("ly")
                    and i > 1
                    and tokens[i - 2].low in {"was", "were", "been", "is", "are", "be"}
                )
            ):
                continue  # passive: read with its agent above, or agentless
            if previous is not None and previous.text in "-" and previous.end == t.start:
                continue  # so-called
            if low in lx.RELAY_VERBS:
                self._relay(i)
                continue
            lemma = lx.ASSERT_VERBS.get(low) or lx.DENY_VERBS[low]
            stance = "denies" if low in lx.DENY_VERBS else "asserts"
            if low in lx.AMBIGUOUS and not self._verb_reading(i):
                continue
            if lemma == "accuse" and following is not None and following.low == "of":
                continue
            if lemma == "call" and (
                following is None
                or following.low
                in {"for", "on", "upon", "off", "up", "out", "back", "to", "in", "into"}
            ):
                continue
            if (
                lemma in {"add", "post", "record", "publish", "count", "find"}
                and following is not None
                and (following.text[:1].isdigit() or following.low in {"to", "up", "in", "on"})
            ):
                continue
            if low.endswith("ing"):
                self._participle(i, lemma, stance)
                continue
            found = self.subject(i)
            if found is None:
                self._inverted(i, lemma, stance)
                continue
            first, last, how = found
            if how == "shared":
                self._shared(i, lemma, stance)
                continue
            if (following is None or following.text in ".!?") and first == 0:
                continue  # a bare "X Claims" or "X said." quotes nothing
            self._finite(i, first, last, lemma, stance)

    def _title_case(self) -> bool:
        words = [t for t in self.tokens if t.word and len(t.text) > 3]
        return bool(words) and sum(t.capital for t in words) >= 0.8 * len(words)

    def _verb_reading(self, i: int) -> bool:
        tokens = self.tokens
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is None:
            return tokens[i - 1].word if i else False
        if following.low in {
            "of",
            "by",
            "from",
            "about",
            "on",
            "in",
            "for",
            "and",
            "or",
            "to",
            "with",
            ",",
            "”",
            ")",
        }:
            return False
        if following.text in {".", ";"}:
            return True
        for t in tokens[i + 1 : i + 4]:
            if _is_cue_form(t.low) and not t.low.endswith("ing"):
                return False
        return True

    def _finite(self, verb: int, first: int, last: int, lemma: str, stance: str) -> None:
        tokens = self.tokens
        speaker = self.phrase(first, last)
        start = tokens[first].start
        clause_start = tokens[verb].end
        relays: list[str] = []
        if lemma == "tell" and verb + 1 < len(tokens):
            told = self._told(verb + 1)
            if told is not None:
                relay, clause_start = told
                if relay:
                    relays.append(relay)
        rest = self.text[clause_start:]
        lead = _LEAD.match(rest)
        clause_start += lead.end() if lead else 0
        # "C, X said." / "C, X said on Monday, adding …": the clause is before the speaker
        before = self.text[:start].rstrip()
        if before.endswith((",", "”", '"', ":", "—", "–", "-")) or self._trailing_tail(verb):
            remainder = self._remainder(verb)
            if remainder is not None and len(before.split()) >= 3:
                clause_end = len(before.rstrip(",—–-: "))
                if before.endswith(("”", '"')):
                    clause_end = len(before)
                self.add(
                    Mention(
                        speaker,
                        start,
                        lemma,
                        stance,
                        0,
                        clause_end,
                        relays,
                        "trailing",
                        self._discredited(verb),
                        tokens[verb].start,
                    )
                )
                return
        self.add(
            Mention(
                speaker,
                start,
                lemma,
                stance,
                clause_start,
                len(self.text),
                relays,
                "leading",
                self._discredited(verb),
                tokens[verb].start,
            )
        )

    def _trailing_tail(self, verb: int) -> bool:
        return False

    def _remainder(self, verb: int) -> int | None:
        """After a trailing cue only adverbials may follow (to the end or a comma)."""
        tokens = self.tokens
        j = verb + 1
        while j < len(tokens) and tokens[j].text not in {",", ".", ";", "!", "?"}:
            t = tokens[j]
            if (
                t.word
                and not t.capital
                and t.low not in _ADVERBIAL_WORDS
                and not t.low.endswith("ly")
            ):
                return None
            j += 1
        return j

    def _discredited(self, verb: int) -> bool:
        window = self.text[max(0, self.tokens[verb].start - 30) : self.tokens[verb].end + 30]
        return bool(lx.DISCREDITED.search(window))

    def _told(self, j: int) -> tuple[str, int] | None:
        """After 'told': (the outlet or '', where the clause starts)."""
        tokens = self.tokens
        t = tokens[j]
        if t.low in {"him", "her", "them", "us", "me", "reporters", "journalists"}:
            return "", t.end
        if t.capital or t.low == "the":
            k = j
            while k < len(tokens) and (
                tokens[k].capital
                or (tokens[k].low in {"the", "of"} and k == j)
                or (tokens[k].text == "." and tokens[k].start == tokens[k - 1].end)
            ):
                k += 1
            if k > j and tokens[k - 1].low not in {"the", "of"}:
                phrase = self.phrase(j, k - 1)
                single = k - j == 1 and tokens[j].low not in lx.SPEAKER_HEADS
                return (phrase if is_outlet(phrase) or single else ""), tokens[k - 1].end
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].word and not tokens[k].capital:
            if tokens[k].low in lx.MEDIA_WORDS | {"organization", "organisation"}:
                return self.phrase(j, k), tokens[k].end
            k += 1
        return "", tokens[j - 1].end

    def _participle(self, i: int, lemma: str, stance: str) -> None:
        tokens = self.tokens
        previous = [m for m in self.mentions if m.at < tokens[i].start]
        if i == 0 or not previous:
            if i == 0 and stance == "denies":
                self._opening_denial = True
            elif tokens[i - 1].text == ",":
                self._participle_of_subject(i, lemma, stance)
            return
        last = max(previous, key=lambda m: m.at)
        if tokens[i].low in lx.PARTICIPLES_INHERIT:
            stance = last.stance
        start = tokens[i].end
        lead = _LEAD.match(self.text[start:])
        start += lead.end() if lead else 0
        self.add(
            Mention(
                last.speaker,
                last.speaker_start,
                lemma,
                stance,
                start,
                len(self.text),
                list(last.relays),
                "shared",
                last.discredited,
                tokens[i].start,
            )
        )

    def _participle_of_subject(self, i: int, lemma: str, stance: str) -> None:
        """'X released testimonies, estimating that C': the sentence's subject speaks."""
        tokens = self.tokens
        first = 0
        comma = next((j for j in range(min(5, i)) if tokens[j].text == ","), None)
        if comma is not None and tokens[0].low in {
            "on",
            "in",
            "at",
            "late",
            "early",
            "earlier",
            "later",
            "meanwhile",
            "last",
            "this",
        }:
            first = comma + 1
        last = first
        while last < i and (
            tokens[last].capital
            or tokens[last].low in lx.NP_INNER
            or tokens[last].low in lx.SPEAKER_HEADS
        ):
            last += 1
        while last > first and tokens[last - 1].low in lx.NP_INNER:
            last -= 1
        span = (first, last - 1)
        if last <= first or not self.valid_speaker(*span) or span[1] + 1 >= i:
            return
        verb = tokens[span[1] + 1]
        if not verb.word or verb.capital or verb.low in lx.CLAUSE_WORDS:
            return
        start = tokens[i].end
        lead = _LEAD.match(self.text[start:])
        start += lead.end() if lead else 0
        self.add(
            Mention(
                self.phrase(*span),
                tokens[span[0]].start,
                lemma,
                stance,
                start,
                len(self.text),
                [],
                "shared",
                self._discredited(i),
                tokens[i].start,
            )
        )

    def _shared(self, i: int, lemma: str, stance: str) -> None:
        previous = [m for m in self.mentions if m.at < self.tokens[i].start]
        if not previous:
            return
        last = max(previous, key=lambda m: m.at)
        start = self.tokens[i].end
        lead = _LEAD.match(self.text[start:])
        start += lead.end() if lead else 0
        self.add(
            Mention(
                last.speaker,
                last.speaker_start,
                lemma,
                stance,
                start,
                len(self.text),
                [],
                "shared",
                last.discredited,
                self.tokens[i].start,
            )
        )

    def _inverted(self, i: int, lemma: str, stance: str) -> None:
        """'“C,” said X.' / 'C, says California man'."""
        tokens = self.tokens
        if (
            i == 0
            or tokens[i - 1].text not in {",", "”", '"'}
            or lemma
            not in {
                "say",
                "tell",
                "add",
                "claim",
                "report",
                "write",
                "insist",
                "warn",
                "state",
                "announce",
                "deny",
            }
        ):
            return
        span = self.forward_phrase(i + 1)
        if span is None or not self.valid_speaker(*span):
            return
        end = span[1] + 1
        if end < len(tokens) and tokens[end].text not in {".", ",", "!", "?", ";"}:
            return
        before = self.text[: tokens[i - 1].start].rstrip(" ,")
        clause_end = len(before) + (1 if before.endswith(("”", '"')) else 0)
        if tokens[i - 1].text in '”"':
            clause_end = tokens[i - 1].end
        self.add(
            Mention(
                self.phrase(*span),
                tokens[span[0]].start,
                lemma,
                stance,
                0,
                len(self.text[:clause_end].rstrip(" ,")),
                [],
                "trailing",
                self._discredited(i),
                tokens[i].start,
            )
        )

    def _relay(self, i: int) -> None:
        """'…, citing Y' / 'quoting Y': Y is the origin, the cue's speaker a relay; and
        'X cited/quoted Y as saying C'."""
        tokens = self.tokens
        low = tokens[i].low
        span = self.forward_phrase(i + 1)
        if span is None or not self.valid_speaker(*span):
            return
        origin = self.phrase(*span)
        if low in {"citing", "quoting"}:
            previous = [m for m in self.mentions if m.at < tokens[i].start]
            if not previous:
                self._pending_origin = (origin, tokens[span[0]].start, tokens[i].start)
                return
            last = max(previous, key=lambda m: m.at)
            last.relays.insert(0, last.speaker)
            last.speaker, last.speaker_start = origin, tokens[span[0]].start
            return
        as_saying = re.match(
            r"\s*as\s+(?:saying|stating|telling\s+\w+)\s*(?:that\s+)?",
            self.text[tokens[span[1]].end :],
        )
        if not as_saying:
            return
        found = self.subject(i)
        relays = [self.phrase(found[0], found[1])] if found and found[2] != "shared" else []
        self.add(
            Mention(
                origin,
                tokens[span[0]].start,
                "say",
                "asserts",
                tokens[span[1]].end + as_saying.end(),
                len(self.text),
                relays,
                at=tokens[i].start,
            )
        )

    def _headline_tail(self) -> None:
        match = re.search(r"(?:\s[-–—]\s|:\s)(?P<src>[^-–—:]{2,60})$", self.text)
        if not match:
            return
        span_tokens = [i for i, t in enumerate(self.tokens) if t.start >= match.start("src")]
        if not span_tokens or len(span_tokens) > 7:
            return
        first, last = span_tokens[0], span_tokens[-1]
        if not self.valid_speaker(first, last):
            return
        self.add(
            Mention(
                match["src"].strip(),
                match.start("src"),
                "headline",
                "asserts",
                0,
                match.start(),
                [],
                "trailing",
                at=match.start("src"),
            )
        )

    def _nest_outlets(self) -> None:
        """An outlet reporting another attribution relays it: 'X said C, Interfax reported'
        and 'BBC News reported four Rwandans told it C'."""
        kept: list[Mention] = []
        for mention in self.mentions:
            if not is_outlet(mention.speaker):
                kept.append(mention)
                continue
            inner = [
                m
                for m in self.mentions
                if m is not mention
                and (
                    (
                        mention.shape == "trailing"
                        and m.at < mention.speaker_start
                        and m.clause_start <= mention.clause_end
                    )
                    or (mention.shape == "leading" and m.speaker_start == mention.clause_start)
                )
            ]
            if not inner:
                kept.append(mention)
                continue
            for m in inner:
                m.relays.insert(0, mention.speaker)
                if mention.shape == "trailing":
                    m.clause_end = min(m.clause_end, mention.clause_end)
        self.mentions = kept

    def _close_clauses(self) -> None:
        """A leading clause ends where the next mention in the sentence begins."""
        ordered = sorted(self.mentions, key=lambda m: m.at)
        for index, mention in enumerate(ordered):
            if mention.shape == "trailing":
                continue
            for later in ordered[index + 1 :]:
                boundary = later.speaker_start if later.shape not in {"shared"} else later.at
                if later.shape == "trailing":
                    continue
                if boundary > mention.clause_start:
                    head = self.text[mention.clause_start : boundary]
                    cut = _CONNECTOR_TAIL.search(head)
                    end = mention.clause_start + (cut.start() if cut else len(head))
                    mention.clause_end = min(mention.clause_end, end)
                    break
        for mention in self.mentions:
            clause = self.text[mention.clause_start : mention.clause_end]
            stripped = clause.rstrip(" ,;:—–-")
            mention.clause_end = mention.clause_start + len(stripped)
            lead = len(clause) - len(clause.lstrip(" ,;:"))
            mention.clause_start += lead


def read_sentence(sentence: str, *, headline: bool = False) -> list[Mention]:
    """Every attribution the sentence makes."""
    return _Reader(sentence, headline).read()
