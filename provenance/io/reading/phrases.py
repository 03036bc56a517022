"""Phrases in a sentence: the speaker phrase before a verb (with appositions and
titles), the phrase after a cue, and whether a phrase can be a speaker at all. The base
of the cue reader; a :class:`Mention` is what the reader finds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from provenance.io.reading import lexicon as lx
from provenance.io.reading.tokens import quoted_spans, tokenize
from provenance.io.reading.words import (
    A_TIME,
    AN_OCCASION,
    CLAIM_NOUNS,
    DETERMINERS,
    a_place,
    familiar_with,
    is_cue_form,
    qualifies,
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
    #: It says nothing of its own but speaks of the claim before it ("…, a figure rejected
    #: by X"): its clause is empty.
    refers_back: bool = False


#: Verbs of speech that only a party does: their subject is a speaker whatever its noun.
_SPEECH_ONLY = {
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "wrote", "writes",
    "insisted", "insists", "argued", "argues", "explained", "testified", "testifies",
    "denied", "denies", "claimed", "claims", "alleged", "alleges", "warned", "warns",
    "disputed", "disputes", "refuted", "refutes", "rebutted", "rebuts", "repudiated",
    "disavowed",
}  # fmt: skip
#: Determiners that open a phrase naming a party ("his attorneys"; not "no one", "any").
_OPENING_A_PARTY = DETERMINERS - {"no", "any", "every", "each", "such"}
#: Heads of phrases that speak only as a figure of speech, or name no party.
_NOT_SPEAKERS = {
    "time", "times", "move", "news", "law", "rule", "rules", "plan", "idea", "fact",
    "way", "day", "week", "year", "month", "thing", "things", "one", "ones", "other",
    "others", "rest", "same", "latter", "former", "case", "deal", "bill", "order",
}  # fmt: skip


#: A phrase set off by commas between a subject and its verb that says nothing of who
#: speaks: "The wrestlers, on the other hand, have alleged C".
_PARENTHETICAL = re.compile(
    r"(?:on the other hand|however|meanwhile|in turn|for (?:its|their|his|her|our) part|"
    r"in response|in reply|though|too|in contrast|by contrast|likewise|similarly|"
    r"separately|for their part|in a statement|in an? (?:interview|statement|post|letter))",
    re.IGNORECASE,
)


#: Words that open a sentence before a comma and name nobody: "Meanwhile, an army
#: spokesman said" (the spokesman speaks).
_CONNECTIVE = re.compile(
    rf"(?:{'|'.join(lx.CONNECTIVES)}|later|"
    r"earlier|then|now|today|yesterday|again|indeed|likewise|elsewhere|finally|first|"
    r"second|third|in turn|in response|for now|so far|in a statement|on monday|on tuesday|"
    r"on wednesday|on thursday|on friday|on saturday|on sunday)",
    re.IGNORECASE,
)
_PLACE_WORDS = {"in", "on", "at", "from", "near", "outside", "inside", "across", "last", "this"}
#: Auxiliaries that make a phrase a clause, never a party's name.
_FINITE = {"was", "were", "is", "are", "been", "had", "has", "have"}


#: What a body is made by, inside its own name: "a team appointed by the Centre".
_MADE_BY = {
    "appointed", "led", "backed", "formed", "sent", "commissioned", "hired", "funded", "run",
    "chaired", "headed", "operated", "owned", "set", "convened", "created", "established",
}  # fmt: skip


class Phrases:
    def __init__(self, sentence: str, headline: bool) -> None:
        self.text = sentence
        self.headline = headline
        self.tokens = tokenize(sentence)
        self.quotes = quoted_spans(sentence)
        self.mentions: list[Mention] = []
        self._opening_denial = False
        words = [t for t in self.tokens if t.word and len(t.text) > 3]
        #: Most words capitalised: a headline in Title Case, where a verb may be too.
        self.title_case = bool(words) and sum(t.capital for t in words) >= 0.8 * len(words)
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
            if (
                low in {"with", "from"}
                and i > 0
                and i < k
                and tokens[i - 1].low.rstrip("s") in lx.SPEAKER_HEADS
            ):
                i -= 1  # "a spokeswoman with the Metropolitan Police Department"
                continue
            if (
                low == "by"
                and 1 < i < k
                and tokens[i - 1].low in _MADE_BY
                and tokens[i - 2].low.rstrip("s") in lx.SPEAKER_HEADS | {"team", "panel", "board"}
            ):
                i -= 2  # "a high-level team appointed by the Centre said": the team speaks
                continue
            if low in lx.CLAUSE_WORDS or (
                is_cue_form(low)
                and i != k
                and not qualifies(tokens, i, title_case=self.title_case)
                # "the State Oceanic Administration": a capital inside a name is no verb
                and not (t.capital and not self.title_case and i > 0 and tokens[i - 1].low == "the")
            ):
                return (i + 1, k, low) if i < k else None
            if t.text[:1].isdigit() and i < k and tokens[i + 1].low in DETERMINERS:
                return (i + 1, k, low)  # "up from the 11 the military acknowledged"
            if low in CLAIM_NOUNS and i < k and i > 0 and tokens[i - 1].low in {"a", "an"}:
                return (i + 1, k, low)  # "a figure the junta called", "a claim the rebels"
            if (
                low == "and"
                and i == k - 2
                and i > 0
                and tokens[k].low.endswith("s")
                and tokens[k].low in lx.SPEAKER_HEADS
                and tokens[i - 1].word
                and tokens[i - 1].low not in lx.CLAUSE_WORDS
                and (i == 1 or not tokens[i - 2].word or tokens[i - 2].low in DETERMINERS)
            ):
                i -= 1  # "trade and industry officials", "Israeli and Egyptian officials"
                continue
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
            familiar = familiar_with(tokens, j) if j > i else None
            if familiar is not None:  # "sources familiar with the matter": all of it
                j = familiar
                break
            if (low in lx.CLAUSE_WORDS and low not in {"to"}) or (
                is_cue_form(low)
                and j > i
                and not qualifies(tokens, j, title_case=self.title_case)
                and not a_place(tokens, j)
            ):
                break
            if low == "on" and j + 1 < len(tokens) and tokens[j + 1].low in lx.WEEKDAYS:
                break
            if low == "in" and j + 1 < len(tokens) and A_TIME.fullmatch(tokens[j + 1].low):
                break  # "documented by HRW in July"
            if j > i and AN_OCCASION.match(self.text, t.start):
                break  # "said the minister in a television interview"
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

    def speaker_from(self, offset: int) -> tuple[int, int] | None:
        """The phrase that starts at the first token from ``offset`` on, if a speaker."""
        first = next((i for i, t in enumerate(self.tokens) if t.start >= offset), None)
        span = self.forward_phrase(first) if first is not None else None
        return span if span is not None and self.valid_speaker(*span) else None

    def phrase(self, first: int, last: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[last].end]

    def valid_speaker(self, first: int, last: int) -> bool:
        words = [t for t in self.tokens[first : last + 1] if t.word]
        if not words:
            return False
        # the head of "the health ministry in the Hamas-controlled Gaza strip" is "ministry"
        for index, t in enumerate(words[1:], start=1):
            if t.low in {"in", "of", "for", "at", "on", "with", "from"}:
                before = words[index - 1]
                if before.low == "familiar" and index >= 2:  # "people familiar with …"
                    before = words[index - 2]
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

    def _someone_speaks(self, first: int, last: int, verb: int) -> bool:
        """A noun phrase that no list names, before a verb only a party does ("His attorneys
        said", "The meme's creator told"): a determiner or a possessive, then words, the
        last a plain noun."""
        if self.tokens[verb].low not in _SPEECH_ONLY:
            return False
        words = [t for t in self.tokens[first : last + 1] if t.word]
        if not 2 <= len(words) <= 5:
            return False
        opening, head = words[0], words[-1]
        return (
            (opening.low in _OPENING_A_PARTY or opening.possessive)
            and head.text.isalpha()
            and head.text.islower()
            and head.low not in lx.PRONOUNS
            and head.low not in _NOT_SPEAKERS
            and not head.low.endswith(("ly", "ing"))
        )

    def is_description(self, first: int, last: int) -> bool:
        words = [t for t in self.tokens[first : last + 1] if t.word]
        if not words:
            return False
        if any(t.low in {"who", "whose", "which"} for t in words):
            return True
        if len(words) == 1 and words[0].text.isdigit() and int(words[0].text) < 120:
            return True  # an age: "Smith, 52, said"
        for index, t in enumerate(words[:-1]):
            # "Stanford's lawyer in Houston": a possessive, then a title
            if t.possessive and not words[index + 1].capital:
                return any(
                    w.low in lx.TITLES or w.low in lx.SPEAKER_HEADS for w in words[index + 1 :]
                )
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
            if self.tokens[j].text == ")":  # "a spokeswoman for US Central Command (Centcom)"
                opening = next(
                    (o for o in range(j - 1, max(j - 6, -1), -1) if self.tokens[o].text == "("),
                    None,
                )
                if opening is not None:
                    j = opening - 1
                    continue
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
        'shared' (no subject: and/but/comma before a verb in a sentence with a speaker),
        'relative' (the party a ``who`` clause hangs on)."""
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
        # "A UN report published on Tuesday found": a participle between the speaker and its verb
        if k > 0 and tokens[k].low in {
            "published",
            "released",
            "issued",
            "seen",
            "obtained",
            "reviewed",
            "dated",
            "posted",
            "shared",
            "broadcast",
        }:
            k -= 1
        if k < 0:
            return None
        if any(t.low in lx.NEGATIONS for t in tokens[k + 1 : verb]):
            return None
        aside = lx.ASIDE.search(self.text[: tokens[k].end])
        if aside is not None and aside.start() > 0:
            # the head before the aside must be a speaker ("a source who …", not "the
            # village where …"): walk back over the aside's tokens
            before = k
            while before >= 0 and tokens[before].start >= aside.start():
                before -= 1
            if before >= 0 and (
                tokens[before].low in lx.SPEAKER_HEADS
                or tokens[before].low.rstrip("s") in lx.SPEAKER_HEADS
                or tokens[before].capital
            ):
                k = before
        t = tokens[k]
        if t.low in {"and", "but"}:
            return (k, k, "shared")
        if t.low in {"who", "which"} and k > 0:
            return self._relative_subject(k, verb)
        if t.text == ",":
            named = self._named_before_relative_clause(k)
            if named is not None:
                return named
            seg1 = self.segment_before(k)
            if seg1 is not None and seg1[0] > 0 and tokens[seg1[0] - 1].text == ",":
                seg0 = self.segment_before(seg1[0] - 1)
                if (
                    seg0 is not None
                    and _PARENTHETICAL.fullmatch(self.phrase(*seg1))
                    and (self.valid_speaker(*seg0) or self._someone_speaks(*seg0, verb))
                ):
                    return (*seg0, "np")  # "The wrestlers, on the other hand, have alleged"
                if seg0 is not None:
                    if (
                        self.is_description(*seg1)
                        and self.valid_speaker(*seg0)
                        and tokens[seg0[0]].low not in {"a", "an", "one"}
                        # "The man was arrested in Glendale, a suburb …, said X": a clause
                        and not any(t.low in _FINITE for t in tokens[seg0[0] : seg0[1] + 1])
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
        if (
            stopper == ","
            and first >= 2
            and tokens[last].low in lx.TITLES
            and tokens[first].low not in DETERMINERS  # "However, the spokesperson said"
        ):
            # '“C,” Dilip Kumar, Sidhi district collector said': the name before the title
            seg0 = self.segment_before(first - 1)
            if (
                seg0
                and self.is_name(*seg0)
                and self.valid_speaker(*seg0)
                and not _CONNECTIVE.fullmatch(self.phrase(*seg0))
                # a name, every word capitalised; not "In Kabul, police chief said"
                and all(t.capital for t in tokens[seg0[0] : seg0[1] + 1] if t.word)
                and tokens[seg0[0]].low not in lx.CLAUSE_WORDS | _PLACE_WORDS
            ):
                return (*seg0, "apposition")
        while first <= last and tokens[first].low in {"and", "of", "for", "in", "at", "on"}:
            first += 1
        made_by = next(
            (j for j in range(first + 1, last) if tokens[j].low == "by"), None
        )  # "a panel led by the chief justice": the panel is the speaker phrase's head
        head = (first, made_by - 2) if made_by is not None and made_by - 2 >= first else None
        if first > last or not (
            self.valid_speaker(first, last)
            or self._someone_speaks(first, last, verb)
            or (head is not None and self.valid_speaker(*head))
        ):
            return None
        if stopper == "," and first >= 2:
            seg0 = self.segment_before(first - 1)
            if seg0 and self.is_description(*seg0) and self.is_name(first, last):
                return (first, last, "np")
        return (first, last, "np")

    def _named_before_relative_clause(self, comma: int) -> tuple[int, int, str] | None:
        """'D.K. Pathak, a railroad official who was on the train when it derailed, said':
        a description with a relative clause (which may hold 'when', 'as') between commas,
        after a name."""
        tokens = self.tokens
        opening = next(
            (j for j in range(comma - 1, max(comma - 30, -1), -1) if tokens[j].text in ',;:“”"'),
            None,
        )
        if opening is None or tokens[opening].text != "," or opening < 1:
            return None
        between = tokens[opening + 1 : comma]
        if not between or between[0].low not in {"a", "an", "the"}:
            return None
        if not any(t.low in {"who", "whose"} for t in between):
            return None
        seg0 = self.segment_before(opening)
        if seg0 is None or not self.is_name(*seg0) or not self.valid_speaker(*seg0):
            return None
        return (*seg0, "apposition")

    def _relative_subject(self, who: int, verb: int) -> tuple[int, int, str] | None:
        """'The Russian, who has denied any wrongdoing, …', '… surprised analysts, who said
        C': the party a relative clause after a comma hangs on speaks (``relative``: its
        clause ends where the relative clause does, at the next comma)."""
        tokens = self.tokens
        if who < 2 or tokens[who - 1].text != ",":
            return None  # "residents who said they saw it were moved": where C ends is unsure
        found = self.back_phrase(who - 2)
        if found is None:
            return None
        first, last, _ = found
        if first > last or not (
            self.valid_speaker(first, last) or self._someone_speaks(first, last, verb)
        ):
            return None
        if tokens[first].low in {"a", "an", "one", "those", "anyone", "someone"}:
            return None  # "a man who said", "those who claim": nobody the reader can name
        return (first, last, "relative")

    # -- the reading --------------------------------------------------------------------

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
