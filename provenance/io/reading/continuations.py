"""Speech that continues a speaker's in the same sentence: ``…, saying C``, ``… and said
C``, ``X rejected the report, calling it baseless`` and ``X released testimonies,
estimating that C`` (the sentence's subject speaks)."""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.nominal import Nominal
from provenance.io.reading.phrases import Mention
from provenance.io.reading.tokens import Token
from provenance.io.reading.words import is_cue_form

#: What may stand between a verb and the clause it introduces ("that", "in a statement
#: on Monday", "late on Tuesday").
LEAD = re.compile(
    r"^(?:\s*(?:,|that\b|on\s+(?:the\s+)?(?:Telegram|X|Facebook|Twitter)(?:\s+messaging\s+app)?|"
    r"in\s+a\s+(?:statement|post|video(?:\s+message)?|report|briefing|televised\s+address)"
    r"(?:\s+(?:released|published|issued|posted|sent))?(?:\s+on)?(?:\s+(?:[A-Z]\w+|\w+day))?|(?:late\s+|early\s+)?on\s+(?:[A-Z][a-z]+day)(?:\s+(?:morning|afternoon|"
    r"evening|night))?|[A-Z][a-z]+day|earlier|later|also|today|yesterday|overnight))*\s*"
)


#: Words that open a sentence before its comma, ahead of the subject ("On Monday, X …").
_OPENERS = {"on", "in", "at", "late", "early", "earlier", "later", "meanwhile", "last", "this"}
#: The longest aside between a subject and its verb, in tokens.
_ASIDE_WORDS = 16

#: Words that end a subject: an auxiliary or a verb's form.
_VERB_LIKE = {
    "had", "has", "have", "was", "were", "is", "are", "will", "would", "could", "may",
    "might", "did", "does", "do", "said", "says", "also", "then",
}  # fmt: skip


class Continuations(Nominal):
    def _continues(
        self,
        i: int,
        speaker: str,
        speaker_start: int,
        lemma: str,
        stance: str,
        relays: list[str],
        discredited: bool,
    ) -> None:
        """A mention whose clause follows the cue at token ``i`` (and what may stand between
        them, :data:`LEAD`) to the end of the sentence."""
        start = self.tokens[i].end
        lead = LEAD.match(self.text[start:])
        start += lead.end() if lead else 0
        self.add(
            Mention(
                speaker,
                speaker_start,
                lemma,
                stance,
                start,
                len(self.text),
                relays,
                "shared",
                discredited,
                self.tokens[i].start,
            )
        )

    def _discredited(self, verb: int) -> bool:
        window = self.text[max(0, self.tokens[verb].start - 30) : self.tokens[verb].end + 30]
        return bool(lx.DISCREDITED.search(window))

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
            if last.shape != "trailing":  # "rejected the report, calling it baseless": one claim
                last.clause_end = len(self.text)
                return
            stance = last.stance
        self._continues(
            i, last.speaker, last.speaker_start, lemma, stance, list(last.relays), last.discredited
        )

    def _participle_of_subject(self, i: int, lemma: str, stance: str) -> None:
        """'X released testimonies, estimating that C': the sentence's subject speaks."""
        tokens = self.tokens
        first = 0
        comma = next((j for j in range(min(5, i)) if tokens[j].text == ","), None)
        if comma is not None and (
            tokens[0].low in _OPENERS or (comma == 1 and tokens[0].low in lx.CONNECTIVES)
        ):
            first = comma + 1  # "On Monday, X …", "However, analysts …"
        last = first
        while last < i and (
            tokens[last].capital
            or tokens[last].low in lx.NP_INNER
            or tokens[last].low in lx.SPEAKER_HEADS
        ):
            last += 1
        # "Bangladesh's election chief", "The election chief": a noun before the head
        ahead = next(
            (
                j
                for j in range(last, min(last + 3, i))
                if tokens[j].low in lx.SPEAKER_HEADS
                or tokens[j].low.rstrip("s") in lx.SPEAKER_HEADS
            ),
            None,
        )
        if ahead is not None and all(
            t.word and not t.capital and t.low not in lx.CLAUSE_WORDS for t in tokens[last:ahead]
        ):
            last = ahead + 1
        elif last > first and tokens[last - 1].possessive:
            # "Italy's coastguard had …": what the possessive owns, up to the verb
            while (
                last < i
                and last - first < 6
                and tokens[last].word
                and not tokens[last].capital
                and tokens[last].low not in lx.CLAUSE_WORDS
                and tokens[last].low not in _VERB_LIKE
                and not tokens[last].low.endswith("ed")
            ):
                last += 1
        while last > first and tokens[last - 1].low in lx.NP_INNER:
            last -= 1
        span = (first, last - 1)
        if (
            last <= first
            or not (self.valid_speaker(*span) or self._someone_speaks(*span, i))
            or span[1] + 1 >= i
        ):
            return
        verb = self._after_aside(span[1] + 1, i)
        if verb is None:
            return
        self._continues(
            i, self.phrase(*span), tokens[span[0]].start, lemma, stance, [], self._discredited(i)
        )

    def _after_aside(self, j: int, i: int) -> Token | None:
        """The subject's own verb, at token ``j`` or after what stands between them: an
        aside set off by commas ("X, later in the day, sought …", "X, a forum of unions,
        hit out …") and adverbs ("also"); None when a clause word comes first."""
        tokens = self.tokens
        if tokens[j].text == ",":
            close = next(
                (k for k in range(j + 1, min(i, j + _ASIDE_WORDS)) if tokens[k].text == ","), None
            )
            if (
                close is None
                or not self.is_description(j + 1, close - 1)
                or any(is_cue_form(t.low) for t in tokens[j + 1 : close])
            ):
                return None
            j = close + 1
        while j < i and (tokens[j].low in lx.BETWEEN or tokens[j].low.endswith("ly")):
            j += 1  # "also hit out", "later said", "repeatedly"
        verb = tokens[j]
        if j >= i or not verb.word or verb.capital or verb.low in lx.CLAUSE_WORDS:
            return None
        return verb

    def _shared(self, i: int, lemma: str, stance: str) -> None:
        previous = [m for m in self.mentions if m.at < self.tokens[i].start]
        if not previous:
            # "The coastguard rescued 144 people, but said C": the sentence's subject
            self._participle_of_subject(i, lemma, stance)
            return
        last = max(previous, key=lambda m: m.at)
        self._continues(i, last.speaker, last.speaker_start, lemma, stance, [], last.discredited)
